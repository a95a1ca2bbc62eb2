#include "compose/panes/whiteboard_pane.h"

#include "compose/shape_painter.h"
#include "compose/text.h"
#include "compose/theme.h"

#include <functional>

namespace ssr::compose {

using media::Rect;

namespace {

constexpr uint32_t kBoard = 0xffffff;
constexpr double kMarginPx = 8; // around the board, at 720p

bool SameShape(const events::Shape& a, const events::Shape& b) {
  if (a.id != b.id || a.shape != b.shape || a.color != b.color || a.width != b.width ||
      a.text != b.text || a.points.size() != b.points.size()) {
    return false;
  }
  for (size_t i = 0; i < a.points.size(); ++i) {
    if (a.points[i].x != b.points[i].x || a.points[i].y != b.points[i].y) {
      return false;
    }
  }
  return true;
}

} // namespace

Rect WhiteboardPane::BoardRect(Rect pane, double scale) {
  const int margin = static_cast<int>(kMarginPx * scale);
  const Rect inner{pane.x + margin, pane.y + margin, pane.width - 2 * margin,
                   pane.height - 2 * margin};
  return inner.Empty() ? Rect{} : media::FitRect(inner, 16, 9);
}

bool WhiteboardPane::Prepare(const FrameContext& ctx) {
  const std::vector<events::Shape>& shapes = ctx.room.whiteboard;
  if (prepared_ && ctx.room.rev.pane4 == rev_ && ctx.room.id == room_id_) {
    return !shapes_.empty(); // nothing changed: no copy, no comparison
  }
  // Keep what is already on the board when the shapes before it are the same.
  size_t same = 0;
  while (same < shapes_.size() && same < shapes.size() && SameShape(shapes_[same], shapes[same])) {
    ++same;
  }
  shapes_.resize(same);
  shapes_.insert(shapes_.end(), shapes.begin() + static_cast<std::ptrdiff_t>(same), shapes.end());
  if (painted_ > same) {
    painted_ = 0; // a painted shape was removed or changed: paint the board afresh
  }
  prepared_ = true;
  room_id_ = ctx.room.id;
  rev_ = ctx.room.rev.pane4;
  key_ = HashCombine(rev_, std::hash<std::string>{}(room_id_));
  return !shapes_.empty();
}

void WhiteboardPane::UpdateBoard(int width, int height) {
  if (board_ == nullptr || cairo_image_surface_get_width(board_.get()) != width ||
      cairo_image_surface_get_height(board_.get()) != height) {
    board_.reset(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height));
    painted_ = 0;
  }
  cairo_t* cr = cairo_create(board_.get());
  if (painted_ == 0) {
    SetSourceColour(cr, kBoard);
    cairo_paint(cr);
  }
  const Rect surface{0, 0, width, height};
  for (size_t i = painted_; i < shapes_.size(); ++i) {
    PaintShape(cr, shapes_[i], surface);
    ++shapes_painted_;
  }
  cairo_destroy(cr);
  cairo_surface_flush(board_.get());
  painted_ = shapes_.size();
}

void WhiteboardPane::DrawStatic(cairo_t* cr, Rect rect, double scale) {
  SetSourceColour(cr, theme::kPaneBackground);
  cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height);
  cairo_fill(cr);
  const Rect board = BoardRect(rect, scale);
  if (board.Empty()) {
    return;
  }
  UpdateBoard(board.width, board.height);
  cairo_set_source_surface(cr, board_.get(), board.x, board.y);
  cairo_rectangle(cr, board.x, board.y, board.width, board.height);
  cairo_fill(cr);
}

} // namespace ssr::compose
