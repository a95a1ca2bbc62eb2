#include "compose/shape_painter.h"

#include "compose/text.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace ssr::compose {

namespace {

constexpr double kHighlighterAlpha = 0.35;
constexpr double kMinStrokePx = 1.0;

struct Px {
  double x;
  double y;
};

Px ToPixels(const events::Point& p, media::Rect s) {
  return {s.x + p.x * s.width, s.y + p.y * s.height};
}

void Polyline(cairo_t* cr, const events::Shape& shape, media::Rect s) {
  const Px first = ToPixels(shape.points.front(), s);
  cairo_move_to(cr, first.x, first.y);
  if (shape.points.size() == 1) {
    cairo_line_to(cr, first.x + 0.01, first.y); // a dot
  }
  for (size_t i = 1; i < shape.points.size(); ++i) {
    const Px p = ToPixels(shape.points[i], s);
    cairo_line_to(cr, p.x, p.y);
  }
  cairo_stroke(cr);
}

void Arrow(cairo_t* cr, Px from, Px to, double width) {
  const double angle = std::atan2(to.y - from.y, to.x - from.x);
  const double head = std::max(8.0, width * 4);
  // The shaft stops inside the head so that its round cap does not poke through the tip.
  const double length = std::hypot(to.x - from.x, to.y - from.y);
  const double shaft = std::max(0.0, length - head * 0.6);
  cairo_move_to(cr, from.x, from.y);
  cairo_line_to(cr, from.x + shaft * std::cos(angle), from.y + shaft * std::sin(angle));
  cairo_stroke(cr);
  cairo_move_to(cr, to.x, to.y);
  cairo_line_to(cr, to.x - head * std::cos(angle - M_PI / 7),
                to.y - head * std::sin(angle - M_PI / 7));
  cairo_line_to(cr, to.x - head * std::cos(angle + M_PI / 7),
                to.y - head * std::sin(angle + M_PI / 7));
  cairo_close_path(cr);
  cairo_fill(cr);
}

} // namespace

uint32_t ParseColour(const std::string& hex) {
  if (hex.size() != 7 || hex[0] != '#') {
    return 0;
  }
  uint32_t rgb = 0;
  // from_chars never throws (this runs per shape on a redraw); a bad digit gives black.
  const auto [end, ec] = std::from_chars(hex.data() + 1, hex.data() + hex.size(), rgb, 16);
  return ec == std::errc() && end == hex.data() + hex.size() ? rgb : 0;
}

void PaintShape(cairo_t* cr, const events::Shape& shape, media::Rect s) {
  if (shape.points.empty() || s.Empty()) {
    return;
  }
  const double width = std::max(kMinStrokePx, shape.width * s.width);
  const bool highlighter = shape.shape == "highlighter";
  cairo_save(cr);
  cairo_rectangle(cr, s.x, s.y, s.width, s.height);
  cairo_clip(cr);
  SetSourceColour(cr, ParseColour(shape.color), highlighter ? kHighlighterAlpha : 1.0);
  cairo_set_line_width(cr, width);
  cairo_set_line_cap(cr, highlighter ? CAIRO_LINE_CAP_SQUARE : CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);

  const Px a = ToPixels(shape.points.front(), s);
  const Px b = shape.points.size() > 1 ? ToPixels(shape.points[1], s) : a;
  if (shape.shape == "pen" || highlighter) {
    Polyline(cr, shape, s);
  } else if (shape.shape == "line") {
    cairo_move_to(cr, a.x, a.y);
    cairo_line_to(cr, b.x, b.y);
    cairo_stroke(cr);
  } else if (shape.shape == "arrow") {
    Arrow(cr, a, b, width);
  } else if (shape.shape == "rect") {
    cairo_rectangle(cr, std::min(a.x, b.x), std::min(a.y, b.y), std::fabs(b.x - a.x),
                    std::fabs(b.y - a.y));
    cairo_stroke(cr);
  } else if (shape.shape == "ellipse") {
    const double rx = std::max(0.5, std::fabs(b.x - a.x) / 2);
    const double ry = std::max(0.5, std::fabs(b.y - a.y) / 2);
    cairo_save(cr);
    cairo_translate(cr, (a.x + b.x) / 2, (a.y + b.y) / 2);
    cairo_scale(cr, rx, ry);
    cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
    cairo_restore(cr); // stroke with an unscaled pen
    cairo_stroke(cr);
  } else if (shape.shape == "text") {
    // Text size follows the stroke width (6x), at least legible, at most an eighth of the page.
    // (min/max, not std::clamp: on a surface under 96 px high the bounds cross.)
    const double size =
        std::max(std::min(width * 6, s.height / 8.0), std::min(12.0, s.height / 2.0));
    TextStyle style{size, false, ParseColour(shape.color)};
    style.wrap = true;
    DrawText(cr, shape.text, a.x, a.y, s.x + s.width - a.x, style);
  }
  cairo_restore(cr);
}

} // namespace ssr::compose
