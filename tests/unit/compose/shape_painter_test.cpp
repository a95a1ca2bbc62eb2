// PaintShape on a small image surface: each shape kind puts its colour where its points say
// and nowhere else, the highlighter is translucent, text in any script renders.

#include "compose/shape_painter.h"

#include <gtest/gtest.h>

#include <cairo.h>

#include <string>
#include <vector>

namespace ssr::compose {
namespace {

using events::Shape;

constexpr uint32_t kWhite = 0xffffff;

// A white 240x120 canvas with the drawing surface at (20, 10), 200x100.
class Canvas {
 public:
  Canvas() : surface_(cairo_image_surface_create(CAIRO_FORMAT_RGB24, 240, 120)) {
    cr_ = cairo_create(surface_);
    cairo_set_source_rgb(cr_, 1, 1, 1);
    cairo_paint(cr_);
  }
  ~Canvas() {
    cairo_destroy(cr_);
    cairo_surface_destroy(surface_);
  }
  static constexpr media::Rect kSurface{20, 10, 200, 100};

  void Paint(const Shape& shape) { PaintShape(cr_, shape, kSurface); }

  // The pixel at normalized surface coordinates (or canvas pixels with At).
  uint32_t Norm(double x, double y) {
    return At(static_cast<int>(kSurface.x + x * kSurface.width),
              static_cast<int>(kSurface.y + y * kSurface.height));
  }
  uint32_t At(int x, int y) {
    cairo_surface_flush(surface_);
    const uint8_t* row =
        cairo_image_surface_get_data(surface_) + y * cairo_image_surface_get_stride(surface_);
    return *reinterpret_cast<const uint32_t*>(row + x * 4) & 0xffffff;
  }
  // Pixels that are not white outside the drawing surface, and inside it.
  int Marked(bool inside) {
    int n = 0;
    for (int y = 0; y < 120; ++y) {
      for (int x = 0; x < 240; ++x) {
        const bool in = x >= kSurface.x && x < kSurface.x + kSurface.width && y >= kSurface.y &&
                        y < kSurface.y + kSurface.height;
        n += (in == inside && At(x, y) != kWhite) ? 1 : 0;
      }
    }
    return n;
  }

 private:
  cairo_surface_t* surface_;
  cairo_t* cr_;
};

Shape Make(const std::string& kind, const std::string& colour, double width,
           std::vector<events::Point> points, const std::string& text = "") {
  Shape s;
  s.id = kind;
  s.shape = kind;
  s.color = colour;
  s.width = width;
  s.points = std::move(points);
  s.text = text;
  return s;
}

int Channel(uint32_t rgb, int shift) { return static_cast<int>((rgb >> shift) & 0xff); }

void ExpectNear(uint32_t got, uint32_t want, int tolerance) {
  for (int shift : {16, 8, 0}) {
    EXPECT_NEAR(Channel(got, shift), Channel(want, shift), tolerance)
        << std::hex << "got " << got << " want " << want;
  }
}

TEST(ShapePainter, ParseColour) {
  EXPECT_EQ(ParseColour("#ff8000"), 0xff8000U);
  EXPECT_EQ(ParseColour("#00FFaa"), 0x00ffaaU);
  EXPECT_EQ(ParseColour("#zzzzzz"), 0U); // no exception
  EXPECT_EQ(ParseColour("#12345"), 0U);
  EXPECT_EQ(ParseColour("red"), 0U);
  EXPECT_EQ(ParseColour(""), 0U);
}

TEST(ShapePainter, PenFollowsItsPointsOnly) {
  Canvas c;
  c.Paint(Make("pen", "#ff0000", 0.05, {{0.1, 0.5}, {0.5, 0.5}, {0.5, 0.9}}));
  EXPECT_EQ(c.Norm(0.3, 0.5), 0xff0000U);
  EXPECT_EQ(c.Norm(0.5, 0.7), 0xff0000U);
  EXPECT_EQ(c.Norm(0.3, 0.2), kWhite);
  EXPECT_EQ(c.Norm(0.8, 0.8), kWhite);
  EXPECT_EQ(c.Marked(false), 0);
  // Width is a fraction of the surface width: 0.05 of 200 px = 10 px across.
  int across = 0;
  for (int y = 0; y < 120; ++y) {
    across += c.At(20 + 60, y) == 0xff0000U ? 1 : 0;
  }
  EXPECT_NEAR(across, 10, 2);
}

TEST(ShapePainter, SinglePointPenIsADot) {
  Canvas c;
  c.Paint(Make("pen", "#0000ff", 0.05, {{0.5, 0.5}}));
  EXPECT_EQ(c.Norm(0.5, 0.5), 0x0000ffU);
  EXPECT_EQ(c.Norm(0.7, 0.5), kWhite);
}

TEST(ShapePainter, HighlighterIsTranslucent) {
  Canvas c;
  c.Paint(Make("pen", "#000000", 0.05, {{0.5, 0.1}, {0.5, 0.9}})); // a black bar under it
  c.Paint(Make("highlighter", "#ffff00", 0.1, {{0.1, 0.5}, {0.9, 0.5}}));
  // Over white: 35 % yellow; over black: the black still shows through.
  ExpectNear(c.Norm(0.25, 0.5), 0xffffa6, 3);
  ExpectNear(c.Norm(0.5, 0.5), 0x595900, 3);
  EXPECT_EQ(c.Norm(0.25, 0.2), kWhite);
  // A self-crossing stroke is one stroke: no darker overlap.
  Canvas x;
  x.Paint(Make("highlighter", "#00ff00", 0.1, {{0.1, 0.5}, {0.9, 0.5}, {0.5, 0.1}, {0.5, 0.9}}));
  EXPECT_EQ(x.Norm(0.5, 0.5), x.Norm(0.25, 0.5));
}

TEST(ShapePainter, LineAndArrow) {
  Canvas c;
  c.Paint(Make("line", "#0000ff", 0.03, {{0.1, 0.3}, {0.9, 0.3}}));
  c.Paint(Make("arrow", "#00ff00", 0.03, {{0.1, 0.7}, {0.9, 0.7}}));
  EXPECT_EQ(c.Norm(0.5, 0.3), 0x0000ffU);
  EXPECT_EQ(c.Norm(0.5, 0.7), 0x00ff00U);
  const int end_x = 20 + 180; // x = 0.9
  const int line_y = 10 + 30;
  const int arrow_y = 10 + 70;
  // The arrow has a head: wider than the shaft near the tip. The line has none.
  EXPECT_EQ(c.At(end_x - 16, arrow_y + 5), 0x00ff00U);
  EXPECT_EQ(c.At(end_x - 16, line_y + 5), kWhite);
  // Nothing pokes past the tip (the shaft's round cap stays inside the head).
  EXPECT_EQ(c.At(end_x + 2, arrow_y), kWhite);
  EXPECT_EQ(c.Norm(0.5, 0.5), kWhite);
}

TEST(ShapePainter, RectAndEllipseAreOutlines) {
  Canvas r;
  r.Paint(Make("rect", "#ff00ff", 0.02, {{0.8, 0.8}, {0.2, 0.2}})); // any corner order
  EXPECT_EQ(r.Norm(0.2, 0.5), 0xff00ffU);
  EXPECT_EQ(r.Norm(0.8, 0.5), 0xff00ffU);
  EXPECT_EQ(r.Norm(0.5, 0.2), 0xff00ffU);
  EXPECT_EQ(r.Norm(0.5, 0.5), kWhite);
  EXPECT_EQ(r.Norm(0.1, 0.5), kWhite);

  Canvas e;
  e.Paint(Make("ellipse", "#ff8000", 0.02, {{0.2, 0.2}, {0.8, 0.8}}));
  EXPECT_EQ(e.Norm(0.2, 0.5), 0xff8000U);
  EXPECT_EQ(e.Norm(0.5, 0.8), 0xff8000U);
  EXPECT_EQ(e.Norm(0.5, 0.5), kWhite);
  EXPECT_EQ(e.Norm(0.23, 0.23), kWhite); // the bounding box's corner is not on the ellipse
}

TEST(ShapePainter, TextInAnyScriptRendersInsideTheSurface) {
  const std::vector<std::string> texts = {"Hello, board",
                                          "مرحبا بالعالم",
                                          "你好，世界",
                                          "שלום",
                                          "नमस्ते",
                                          "👋🎉 emoji",
                                          "mixed: abc مرحبا 你好 👍",
                                          std::string("bad \xff\xfe utf8"),
                                          ""};
  for (const std::string& text : texts) {
    Canvas c;
    c.Paint(Make("text", "#800080", 0.01, {{0.1, 0.2}}, text));
    EXPECT_EQ(c.Marked(false), 0) << text;
    if (!text.empty()) {
      EXPECT_GT(c.Marked(true), 20) << text;
    }
  }
  // Latin text in its colour (purple, anti-aliased on white), right of and below its point.
  Canvas c;
  c.Paint(Make("text", "#800080", 0.01, {{0.5, 0.5}}, "HHHH"));
  int purple_top_left = 0;
  int elsewhere = 0;
  for (int y = 0; y < 120; ++y) {
    for (int x = 0; x < 240; ++x) {
      const uint32_t px = c.At(x, y);
      if (px != kWhite && Channel(px, 8) < Channel(px, 16) - 40 &&
          Channel(px, 16) == Channel(px, 0)) {
        (x >= 120 && y >= 60 ? purple_top_left : elsewhere)++;
      }
    }
  }
  EXPECT_GT(purple_top_left, 20);
  EXPECT_EQ(elsewhere, 0);
}

TEST(ShapePainter, TextOnATinySurfaceAndEdgeCasesDoNotCrash) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 40, 20);
  cairo_t* cr = cairo_create(s);
  PaintShape(cr, Make("text", "#000000", 1.0, {{0.9, 0.9}}, "long text that cannot fit"),
             {0, 0, 40, 20});
  PaintShape(cr, Make("ellipse", "#000000", 1.0, {{0.5, 0.5}, {0.5, 0.5}}), {0, 0, 40, 20});
  PaintShape(cr, Make("arrow", "#000000", 1.0, {{0.5, 0.5}, {0.5, 0.5}}), {0, 0, 40, 20});
  PaintShape(cr, Make("pen", "#000000", 0.1, {}), {0, 0, 40, 20});     // no points: nothing
  PaintShape(cr, Make("pen", "#000000", 0.1, {{0, 0}}), {0, 0, 0, 0}); // empty surface
  EXPECT_EQ(cairo_status(cr), CAIRO_STATUS_SUCCESS);
  cairo_destroy(cr);
  cairo_surface_destroy(s);
}

} // namespace
} // namespace ssr::compose
