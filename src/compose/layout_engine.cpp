#include "compose/layout_engine.h"

#include <algorithm>
#include <cmath>

namespace ssr::compose {

using media::EvenRect;
using media::Rect;

namespace {

constexpr double kSidebarShare = 0.25;    // of the canvas width
constexpr double kFilmstripShare = 0.22;  // of the main area's height
constexpr double kGridColumnShare = 0.30; // of the main area's width
constexpr double kPane2Share = 0.62;      // of the area left for panes 2-4

// Splits `area` among the visible panes 2-4.
void PlaceContentPanes(Rect area, const std::array<bool, 5>& shown, LayoutResult& out) {
  const bool p2 = shown[2];
  const bool p3 = shown[3];
  const bool p4 = shown[4];
  const int others = (p3 ? 1 : 0) + (p4 ? 1 : 0);
  if (p2 && others == 0) {
    out.panes[2] = area;
    return;
  }
  Rect right = area;
  if (p2) {
    int w = static_cast<int>(area.width * kPane2Share);
    out.panes[2] = EvenRect({area.x, area.y, w, area.height});
    right = EvenRect({area.x + w, area.y, area.width - w, area.height});
  }
  if (p3 && p4) {
    if (p2) { // stacked beside pane 2
      int h = right.height / 2;
      out.panes[3] = EvenRect({right.x, right.y, right.width, h});
      out.panes[4] = EvenRect({right.x, right.y + h, right.width, right.height - h});
    } else { // side by side
      int w = right.width / 2;
      out.panes[3] = EvenRect({right.x, right.y, w, right.height});
      out.panes[4] = EvenRect({right.x + w, right.y, right.width - w, right.height});
    }
  } else if (p3) {
    out.panes[3] = right;
  } else if (p4) {
    out.panes[4] = right;
  }
}

} // namespace

LayoutResult ComputeLayout(const LayoutInput& in) {
  LayoutResult out;
  Rect canvas{0, 0, in.width, in.height};
  Rect main = canvas;
  if (in.layout.sidebar_open) {
    int w = static_cast<int>(in.width * kSidebarShare);
    out.sidebar = EvenRect({in.width - w, 0, w, in.height});
    main = EvenRect({0, 0, in.width - out.sidebar.width, in.height});
  }

  const int maximized = in.layout.maximized;
  if (maximized >= 1 && maximized <= 4 && in.has_content[maximized]) {
    out.panes[maximized] = main;
    return out;
  }

  const bool any_content_pane = in.has_content[2] || in.has_content[3] || in.has_content[4];
  if (!in.has_content[1]) {
    PlaceContentPanes(main, in.has_content, out);
    return out;
  }
  if (!any_content_pane) {
    out.panes[1] = main;
    return out;
  }
  Rect rest;
  if (in.layout.webcams == events::WebcamMode::kFilmstrip) {
    int h = static_cast<int>(main.height * kFilmstripShare);
    out.panes[1] = EvenRect({main.x, main.y, main.width, h});
    rest = EvenRect({main.x, main.y + h, main.width, main.height - h});
  } else {
    int w = static_cast<int>(main.width * kGridColumnShare);
    out.panes[1] = EvenRect({main.x, main.y, w, main.height});
    rest = EvenRect({main.x + w, main.y, main.width - w, main.height});
  }
  PlaceContentPanes(rest, in.has_content, out);
  return out;
}

std::vector<Rect> TileRects(Rect area, int count, events::WebcamMode mode) {
  std::vector<Rect> tiles;
  if (count <= 0 || area.Empty()) {
    return tiles;
  }
  constexpr int kGap = 8;
  constexpr double kAspect = 16.0 / 9.0;
  auto tile_width = [&](int cols) {
    const int rows = (count + cols - 1) / cols;
    return std::min((area.width - kGap * (cols + 1)) / static_cast<double>(cols),
                    ((area.height - kGap * (rows + 1)) / static_cast<double>(rows)) * kAspect);
  };
  // A grid takes the column count that gives the largest 16:9 tiles. A filmstrip keeps one
  // row while tiles stay legible, then wraps onto more rows (a long class list).
  int best_cols = 1;
  double best_w = 0;
  for (int cols = 1; cols <= count; ++cols) {
    if (tile_width(cols) > best_w) {
      best_w = tile_width(cols);
      best_cols = cols;
    }
  }
  if (mode == events::WebcamMode::kFilmstrip) {
    const double min_tile = area.width / 8.0; // 120 px in a 960 px pane
    for (int cols = count; cols >= best_cols; --cols) {
      if (tile_width(cols) >= std::min(min_tile, best_w)) {
        best_cols = cols;
        best_w = tile_width(cols);
        break;
      }
    }
  }
  const int cols = best_cols;
  const int rows = (count + cols - 1) / cols;
  const int tile_w = std::max(2, static_cast<int>(best_w));
  const int tile_h = std::max(2, static_cast<int>(tile_w / kAspect));
  const int total_h = rows * tile_h + (rows - 1) * kGap;
  const int y0 = area.y + (area.height - total_h) / 2;
  for (int i = 0; i < count; ++i) {
    int row = i / cols;
    int in_row = std::min(cols, count - row * cols); // the last row may be shorter: centre it
    int row_w = in_row * tile_w + (in_row - 1) * kGap;
    int x0 = area.x + (area.width - row_w) / 2;
    int col = i % cols;
    tiles.push_back(
        EvenRect({x0 + col * (tile_w + kGap), y0 + row * (tile_h + kGap), tile_w + 1, tile_h + 1}));
  }
  return tiles;
}

} // namespace ssr::compose
