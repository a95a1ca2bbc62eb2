// Pane 4: content only with shapes, a 16:9 board at any pane size, StaticKey from the
// revision, and a board that paints only new shapes when shapes are appended.

#include "compose/panes/whiteboard_pane.h"
#include "events/event_parser.h"

#include <gtest/gtest.h>

#include <cairo.h>

#include <string>
#include <vector>

namespace ssr::compose {
namespace {

class NoMedia : public media::MediaProvider {
 public:
  media::VideoFeed* Video(const std::string&) override { return nullptr; }
  media::AudioFeed* Audio(const std::string&) override { return nullptr; }
  std::optional<std::string> AssetPath(const std::string&) override { return std::nullopt; }
  void Warn(const std::string&) override {}
};

class Board {
 public:
  Board() : pane_(media_) {}
  void Apply(const std::string& line) {
    state_.Apply(events::ParseEventLine(line, ++line_), nullptr);
  }
  void Add(const std::string& id, const std::string& colour, double x0, double x1) {
    Apply(R"({"t":0,"type":"whiteboard.add","id":")" + id + R"(","shape":"rect","color":")" +
          colour + R"(","width":0.02,"points":[[)" + std::to_string(x0) + ",0.2],[" +
          std::to_string(x1) + ",0.8]]}");
  }
  bool Prepare() { return pane_.Prepare({state_, *state_.Room("main"), 0}); }
  // Draws the pane into a fresh canvas of the given size; returns it (caller destroys).
  cairo_surface_t* Draw(media::Rect rect, int w, int h) {
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t* cr = cairo_create(s);
    pane_.DrawStatic(cr, rect, h / 720.0);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
  }
  WhiteboardPane& pane() { return pane_; }

 private:
  NoMedia media_;
  WhiteboardPane pane_;
  events::SessionState state_;
  int line_ = 0;
};

uint32_t Pixel(cairo_surface_t* s, int x, int y) {
  const uint8_t* row = cairo_image_surface_get_data(s) + y * cairo_image_surface_get_stride(s);
  return *reinterpret_cast<const uint32_t*>(row + x * 4) & 0xffffff;
}

bool SamePixels(cairo_surface_t* a, cairo_surface_t* b) {
  const int h = cairo_image_surface_get_height(a);
  const int w = cairo_image_surface_get_width(a);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (Pixel(a, x, y) != Pixel(b, x, y)) {
        return false;
      }
    }
  }
  return true;
}

TEST(WhiteboardPane, ContentOnlyWithShapesAndKeyFollowsRevision) {
  Board b;
  EXPECT_FALSE(b.Prepare());
  b.Add("a", "#ff0000", 0.1, 0.3);
  ASSERT_TRUE(b.Prepare());
  const uint64_t k1 = b.pane().StaticKey();
  EXPECT_TRUE(b.Prepare());
  EXPECT_EQ(b.pane().StaticKey(), k1); // no change, same key
  b.Add("b", "#0000ff", 0.5, 0.7);
  EXPECT_TRUE(b.Prepare());
  const uint64_t k2 = b.pane().StaticKey();
  EXPECT_NE(k2, k1);
  b.Apply(R"({"t":0,"type":"whiteboard.remove","id":"a"})");
  EXPECT_TRUE(b.Prepare());
  EXPECT_NE(b.pane().StaticKey(), k2);
  b.Apply(R"({"t":0,"type":"whiteboard.clear"})");
  EXPECT_FALSE(b.Prepare()); // an empty whiteboard gives its space away
}

TEST(WhiteboardPane, BoardIsSixteenByNineCentred) {
  for (const media::Rect pane : {media::Rect{0, 0, 640, 360}, media::Rect{100, 50, 300, 600},
                                 media::Rect{0, 0, 1280, 200}}) {
    const media::Rect board = WhiteboardPane::BoardRect(pane, 0.5);
    EXPECT_NEAR(static_cast<double>(board.width) / board.height, 16.0 / 9.0, 0.02);
    EXPECT_NEAR(board.x + board.width / 2.0, pane.x + pane.width / 2.0, 2);
    EXPECT_NEAR(board.y + board.height / 2.0, pane.y + pane.height / 2.0, 2);
    EXPECT_TRUE(board.width >= pane.width - 12 || board.height >= pane.height - 12);
    EXPECT_LE(board.x + board.width, pane.x + pane.width);
    EXPECT_LE(board.y + board.height, pane.y + pane.height);
  }
  EXPECT_TRUE(WhiteboardPane::BoardRect({0, 0, 6, 6}, 1.0).Empty());
}

TEST(WhiteboardPane, DrawsWhiteBoardAndShapesWhereTheirCoordinatesSay) {
  Board b;
  b.Add("a", "#ff0000", 0.25, 0.75);
  ASSERT_TRUE(b.Prepare());
  const media::Rect pane{40, 20, 400, 400}; // tall: the board has bands above and below
  cairo_surface_t* s = b.Draw(pane, 480, 440);
  const media::Rect board = WhiteboardPane::BoardRect(pane, 440 / 720.0);
  const auto at = [&](double x, double y) {
    return Pixel(s, board.x + static_cast<int>(x * board.width),
                 board.y + static_cast<int>(y * board.height));
  };
  EXPECT_EQ(at(0.25, 0.5), 0xff0000U); // left edge of the rect
  EXPECT_EQ(at(0.75, 0.5), 0xff0000U);
  EXPECT_EQ(at(0.5, 0.5), 0xffffffU); // inside the outline: the board
  EXPECT_EQ(at(0.1, 0.1), 0xffffffU);
  EXPECT_NE(Pixel(s, pane.x + 200, pane.y + 5), 0xffffffU); // above the board: background
  EXPECT_EQ(Pixel(s, 10, 10), 0U);                          // outside the pane: untouched
  cairo_surface_destroy(s);
}

TEST(WhiteboardPane, AppendedShapesArePaintedAloneAndTheResultIsTheSame) {
  Board live;
  const media::Rect pane{0, 0, 320, 180};
  live.Add("a", "#ff0000", 0.1, 0.3);
  live.Prepare();
  cairo_surface_destroy(live.Draw(pane, 320, 180));
  EXPECT_EQ(live.pane().shapes_painted(), 1U);
  live.Add("b", "#00ff00", 0.4, 0.6);
  live.Prepare();
  cairo_surface_t* incremental = live.Draw(pane, 320, 180);
  EXPECT_EQ(live.pane().shapes_painted(), 2U); // only the new one
  // A redraw caused by another pane paints nothing.
  live.Prepare();
  cairo_surface_destroy(live.Draw(pane, 320, 180));
  EXPECT_EQ(live.pane().shapes_painted(), 2U);

  Board fresh;
  fresh.Add("a", "#ff0000", 0.1, 0.3);
  fresh.Add("b", "#00ff00", 0.4, 0.6);
  fresh.Prepare();
  cairo_surface_t* whole = fresh.Draw(pane, 320, 180);
  EXPECT_TRUE(SamePixels(incremental, whole));
  cairo_surface_destroy(incremental);
  cairo_surface_destroy(whole);
}

TEST(WhiteboardPane, RemovedOrReplacedShapeRepaintsTheBoard) {
  Board b;
  const media::Rect pane{0, 0, 320, 180};
  b.Add("a", "#ff0000", 0.1, 0.3);
  b.Add("b", "#00ff00", 0.4, 0.6);
  b.Prepare();
  cairo_surface_destroy(b.Draw(pane, 320, 180));
  const media::Rect board = WhiteboardPane::BoardRect(pane, 0.25);
  const auto left_edge_of_a = [&](cairo_surface_t* s) {
    return Pixel(s, board.x + static_cast<int>(0.1 * board.width), board.y + board.height / 2);
  };
  b.Add("a", "#0000ff", 0.1, 0.3); // same id: replaced in place
  b.Prepare();
  cairo_surface_t* replaced = b.Draw(pane, 320, 180);
  EXPECT_EQ(left_edge_of_a(replaced), 0x0000ffU);
  cairo_surface_destroy(replaced);
  b.Apply(R"({"t":0,"type":"whiteboard.remove","id":"a"})");
  b.Prepare();
  cairo_surface_t* removed = b.Draw(pane, 320, 180);
  EXPECT_EQ(left_edge_of_a(removed), 0xffffffU);
  cairo_surface_destroy(removed);
  // A new size paints the board again at that size.
  cairo_surface_t* bigger = b.Draw({0, 0, 640, 360}, 640, 360);
  const media::Rect big_board = WhiteboardPane::BoardRect({0, 0, 640, 360}, 0.5);
  EXPECT_EQ(Pixel(bigger, big_board.x + static_cast<int>(0.4 * big_board.width),
                  big_board.y + big_board.height / 2),
            0x00ff00U);
  cairo_surface_destroy(bigger);
}

} // namespace
} // namespace ssr::compose
