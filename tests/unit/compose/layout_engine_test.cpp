#include "compose/layout_engine.h"

#include <gtest/gtest.h>

namespace ssr::compose {
namespace {

using media::Rect;

LayoutInput Input(std::array<bool, 5> content, events::Layout layout = {}) {
  LayoutInput in;
  in.has_content = content;
  in.layout = layout;
  return in;
}

bool Inside(Rect inner, Rect outer) {
  return inner.x >= outer.x && inner.y >= outer.y &&
         inner.x + inner.width <= outer.x + outer.width &&
         inner.y + inner.height <= outer.y + outer.height;
}

bool Overlap(Rect a, Rect b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

TEST(LayoutEngine, OnlyWebcamsFillTheMainAreaBesideTheSidebar) {
  LayoutResult r = ComputeLayout(Input({false, true, false, false, false}));
  EXPECT_EQ(r.sidebar, (Rect{960, 0, 320, 720}));
  EXPECT_EQ(r.panes[1], (Rect{0, 0, 960, 720}));
  EXPECT_TRUE(r.panes[2].Empty());
}

TEST(LayoutEngine, MinimizedSidebarGivesTheWholeWidth) {
  events::Layout layout;
  layout.sidebar_open = false;
  LayoutResult r = ComputeLayout(Input({false, true, false, false, false}, layout));
  EXPECT_TRUE(r.sidebar.Empty());
  EXPECT_EQ(r.panes[1], (Rect{0, 0, 1280, 720}));
}

TEST(LayoutEngine, AllPanesShareTheMainAreaWithoutOverlap) {
  for (auto mode : {events::WebcamMode::kFilmstrip, events::WebcamMode::kGrid}) {
    events::Layout layout;
    layout.webcams = mode;
    LayoutResult r = ComputeLayout(Input({false, true, true, true, true}, layout));
    Rect main{0, 0, 960, 720};
    int area = 0;
    for (int i = 1; i <= 4; ++i) {
      ASSERT_FALSE(r.panes[i].Empty()) << i;
      EXPECT_TRUE(Inside(r.panes[i], main)) << i;
      EXPECT_EQ(r.panes[i].x % 2 + r.panes[i].y % 2 + r.panes[i].width % 2 + r.panes[i].height % 2,
                0);
      area += r.panes[i].width * r.panes[i].height;
      for (int j = i + 1; j <= 4; ++j) {
        EXPECT_FALSE(Overlap(r.panes[i], r.panes[j])) << i << " " << j;
      }
    }
    EXPECT_GT(area, 960 * 720 * 97 / 100); // nothing but rounding is left unused
    EXPECT_GT(r.panes[2].width * r.panes[2].height, r.panes[3].width * r.panes[3].height);
  }
  events::Layout filmstrip;
  LayoutResult strip = ComputeLayout(Input({false, true, true, false, false}, filmstrip));
  EXPECT_EQ(strip.panes[1].width, 960); // a strip across the top
  EXPECT_LT(strip.panes[1].height, 200);
}

TEST(LayoutEngine, EmptyPanesGiveTheirSpace) {
  LayoutResult r = ComputeLayout(Input({false, false, false, false, true}));
  EXPECT_EQ(r.panes[4], (Rect{0, 0, 960, 720}));
  LayoutResult two = ComputeLayout(Input({false, false, false, true, true}));
  EXPECT_EQ(two.panes[3].width + two.panes[4].width, 960);
  EXPECT_EQ(two.panes[3].height, 720);
}

TEST(LayoutEngine, MaximizedFillsMainAreaOrWholeCanvas) {
  events::Layout layout;
  layout.maximized = 2;
  LayoutResult r = ComputeLayout(Input({false, true, true, true, true}, layout));
  EXPECT_EQ(r.panes[2], (Rect{0, 0, 960, 720}));
  EXPECT_TRUE(r.panes[1].Empty());
  EXPECT_TRUE(r.panes[3].Empty());
  layout.sidebar_open = false;
  r = ComputeLayout(Input({false, true, true, true, true}, layout));
  EXPECT_EQ(r.panes[2], (Rect{0, 0, 1280, 720}));
  // A maximized pane with nothing to show does not blank the canvas.
  layout.maximized = 3;
  r = ComputeLayout(Input({false, true, true, false, false}, layout));
  EXPECT_FALSE(r.panes[1].Empty());
  EXPECT_FALSE(r.panes[2].Empty());
}

TEST(LayoutEngine, TilesKeepAspectAndStayInside) {
  Rect area{0, 0, 960, 720};
  for (int count : {1, 2, 3, 4, 5, 9, 16, 30}) {
    for (auto mode : {events::WebcamMode::kFilmstrip, events::WebcamMode::kGrid}) {
      std::vector<Rect> tiles = TileRects(area, count, mode);
      ASSERT_EQ(static_cast<int>(tiles.size()), count);
      for (size_t i = 0; i < tiles.size(); ++i) {
        EXPECT_TRUE(Inside(tiles[i], area)) << count;
        // 16:9 up to the rounding of even pixel sizes.
        EXPECT_NEAR(tiles[i].width / (tiles[i].height * 16.0 / 9), 1.0, 4.0 / tiles[i].height);
        for (size_t j = i + 1; j < tiles.size(); ++j) {
          EXPECT_FALSE(Overlap(tiles[i], tiles[j]));
        }
      }
    }
  }
  // A filmstrip is one row; a grid of four is two rows of larger tiles.
  auto strip = TileRects(area, 4, events::WebcamMode::kFilmstrip);
  auto grid = TileRects(area, 4, events::WebcamMode::kGrid);
  EXPECT_EQ(strip[0].y, strip[3].y);
  EXPECT_NE(grid[0].y, grid[3].y);
  EXPECT_GT(grid[0].width, strip[0].width);
}

} // namespace
} // namespace ssr::compose
