#include "compose/composer.h"

#include "compose/text.h"
#include "compose/theme.h"

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace ssr::compose {

Composer::Composer(int width, int height, media::MediaProvider& media)
    : width_(width), height_(height), scale_(height / 720.0), panes_(CreatePanes(media)),
      static_surface_(width, height) {}

void Composer::Compose(const events::SessionState& session, const std::string& room_id, double t,
                       media::I420Frame* out) {
  ++stats_.frames;
  const events::RoomState* room = session.Room(room_id);
  LayoutInput input{width_, height_};
  if (room != nullptr) {
    input.layout = room->layout;
    FrameContext ctx{session, *room, t};
    for (int i = 0; i < 5; ++i) {
      input.has_content[i] = panes_[i] != nullptr && panes_[i]->Prepare(ctx);
    }
  }
  if (panes_[0] == nullptr) {
    input.layout.sidebar_open = false;
  }
  const LayoutResult layout = room != nullptr ? ComputeLayout(input) : LayoutResult{};

  uint64_t key = HashCombine(room != nullptr ? 1 : 0, 0);
  for (int i = 0; i < 5; ++i) {
    const media::Rect r = i == 0 ? layout.sidebar : layout.panes[i];
    if (!r.Empty()) {
      key = HashCombine(key, panes_[i]->StaticKey());
      key =
          HashCombine(key, (static_cast<uint64_t>(r.x) << 48) ^ (static_cast<uint64_t>(r.y) << 32) ^
                               (static_cast<uint64_t>(r.width) << 16) ^ r.height);
    } else {
      key = HashCombine(key, i);
    }
  }
  static_change_ = 0;
  if (key != static_key_) {
    RedrawStatic(layout);
    static_key_ = key;
  }

  if (out->width() != width_ || out->height() != height_) {
    out->Resize(width_, height_);
  }
  out->Blit(static_layer_, 0, 0);
  for (int i = 1; i < 5; ++i) {
    if (!layout.panes[i].Empty()) {
      panes_[i]->DrawLive(*out, layout.panes[i], scale_);
    }
  }
}

void Composer::RedrawStatic(const LayoutResult& layout) {
  ++stats_.static_redraws;
  cairo_t* cr = static_surface_.cr();
  SetSourceColour(cr, theme::kCanvas);
  cairo_paint(cr);
  for (int i = 0; i < 5; ++i) {
    const media::Rect r = i == 0 ? layout.sidebar : layout.panes[i];
    if (r.Empty()) {
      continue;
    }
    cairo_save(cr);
    cairo_rectangle(cr, r.x, r.y, r.width, r.height);
    cairo_clip(cr);
    panes_[i]->DrawStatic(cr, r, scale_);
    cairo_restore(cr);
  }
  const bool first = static_layer_.empty();
  if (!first) {
    previous_static_y_.assign(static_layer_.y(),
                              static_layer_.y() + static_cast<std::ptrdiff_t>(width_) * height_);
  }
  static_surface_.ToI420(&static_layer_);
  static_change_ =
      first ? 1.0
            : ChangedBlockShare(previous_static_y_.data(), static_layer_.y(), width_, height_);
}

double ChangedBlockShare(const uint8_t* before, const uint8_t* after, int width, int height) {
  constexpr int kBlock = 16;
  int64_t blocks = 0;
  int64_t changed = 0;
  for (int by = 0; by < height; by += kBlock) {
    const int rows = std::min(kBlock, height - by);
    for (int bx = 0; bx < width; bx += kBlock) {
      const int cols = std::min(kBlock, width - bx);
      ++blocks;
      for (int r = 0; r < rows; ++r) {
        const size_t at = static_cast<size_t>(by + r) * width + bx;
        if (std::memcmp(before + at, after + at, cols) != 0) {
          ++changed;
          break;
        }
      }
    }
  }
  return blocks == 0 ? 0.0 : static_cast<double>(changed) / static_cast<double>(blocks);
}

} // namespace ssr::compose
