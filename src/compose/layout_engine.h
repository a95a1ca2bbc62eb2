#pragma once
// Assigns rectangles to the panes and the side bar. Panes draw themselves inside them.
//
// Default arrangement: the side bar on the right (when open); pane 1 (webcams, media) as a
// strip on top (filmstrip) or a column on the left (grid) when other panes show something,
// otherwise the whole main area; pane 2 takes the larger share of the rest, panes 3 and 4
// stack beside it. A pane with nothing to show gives its space to the others. A maximized
// pane fills the canvas but for the side bar, or all of it with the side bar minimized.

#include "events/room_state.h"
#include "media/i420_frame.h"

#include <array>

namespace ssr::compose {

struct LayoutInput {
  int width = 1280;
  int height = 720;
  events::Layout layout;
  std::array<bool, 5> has_content{}; // index 1..4: pane shows something
};

struct LayoutResult {
  std::array<media::Rect, 5> panes{}; // index 1..4; empty when not shown
  media::Rect sidebar;                // empty when minimized
  bool operator==(const LayoutResult&) const = default;
};

LayoutResult ComputeLayout(const LayoutInput& in);

// Tiles for `count` webcams inside `area`: one row (filmstrip) or the grid with the largest
// 16:9 tiles. Tiles are on even coordinates with a small gap between them.
std::vector<media::Rect> TileRects(media::Rect area, int count, events::WebcamMode mode);

} // namespace ssr::compose
