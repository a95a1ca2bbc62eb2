// Scenario tests for pane 3 (noteboard, image) and pane 4 (whiteboard): bundles rendered at
// 640x360 by the ssr binary, pixels of the panes probed at times around their events.

#include "../support/output_probe.h"
#include "bundle_builder.h"

#include "compose/panes/whiteboard_pane.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace ssr::test {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr uint32_t kRed = 0xff0000;
constexpr uint32_t kBlue = 0x0000ff;
constexpr uint32_t kWhite = 0xffffff;
constexpr uint32_t kCard = 0x3a4052;   // placeholder card
constexpr uint32_t kCanvas = 0x1b1f2a; // theme::kCanvas: no pane there

const json kMaximized3 = {{"maximized", 3}, {"sidebar", "minimized"}};
const json kMaximized4 = {{"maximized", 4}, {"sidebar", "minimized"}};

// A thick red pen going back and forth over the whole board (rows closer than its width).
json RedZigzag(const std::string& id) {
  json points = json::array();
  for (int row = 0; row < 10; ++row) {
    const double y = 0.05 + row * 0.1;
    points.push_back({row % 2 == 0 ? 0.02 : 0.98, y});
    points.push_back({row % 2 == 0 ? 0.98 : 0.02, y});
  }
  return {{"id", id}, {"shape", "pen"}, {"color", "#ff0000"}, {"width", 0.08}, {"points", points}};
}

json Shape(const std::string& id, const std::string& kind, const std::string& colour, double width,
           json points, const std::string& text = "") {
  json s = {{"id", id}, {"shape", kind}, {"color", colour}, {"width", width}, {"points", points}};
  if (!text.empty()) {
    s["text"] = text;
  }
  return s;
}

// A PNG of one colour made by ffmpeg, as assets/NAME.
void ColourPng(BundleBuilder& b, const std::string& name, const std::string& colour) {
  std::filesystem::create_directories(b.dir() / "assets");
  const CommandResult r =
      RunCommand("ffmpeg -loglevel error -y -f lavfi -i color=c=" + colour +
                 ":s=320x180 -frames:v 1 '" + (b.dir() / "assets" / name).string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

// Where the board lies on a 640x360 canvas when pane 4 fills it, in normalized coordinates.
struct BoardMap {
  media::Rect r = compose::WhiteboardPane::BoardRect({0, 0, 640, 360}, 0.5);
  double X(double x) const { return (r.x + x * r.width) / 640.0; }
  double Y(double y) const { return (r.y + y * r.height) / 360.0; }
};

TEST(BoardPanes, WhiteboardStrokeAppearsIsRemovedAndCleared) {
  BundleBuilder b;
  b.Event(0, "layout", kMaximized4)
      .Event(0.3, "whiteboard.add",
             Shape("dot", "line", "#0000ff", 0.01, {{0.45, 0.5}, {0.55, 0.5}}))
      .Event(1, "whiteboard.add", RedZigzag("r1"))
      .Event(2, "whiteboard.remove", {{"id", "r1"}})
      .Event(2.5, "whiteboard.add", RedZigzag("r2"))
      .Event(3.5, "whiteboard.clear")
      .Event(4, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  const CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  OutputProbe probe(out.string());
  const auto red = [&](double t) { return probe.ColourFraction(t, 0.1, 0.1, 0.9, 0.9, kRed); };
  const auto white = [&](double t) {
    return probe.ColourFraction(t, 0.1, 0.1, 0.9, 0.4, kWhite, 20);
  };
  EXPECT_LT(white(0.15), 0.01); // an empty whiteboard shows nothing
  EXPECT_GT(white(0.6), 0.95);  // the board, with a small blue line
  EXPECT_LT(red(0.6), 0.01);
  EXPECT_LT(red(0.95), 0.01);
  EXPECT_GT(red(1.1), 0.9);
  EXPECT_GT(red(1.9), 0.9);
  EXPECT_LT(red(2.1), 0.01); // removed by id; the board stays
  EXPECT_GT(white(2.1), 0.95);
  EXPECT_GT(red(3.0), 0.9);
  EXPECT_LT(red(3.6), 0.01); // cleared: the pane is gone
  EXPECT_LT(white(3.6), 0.01);
  EXPECT_GT(probe.ColourFraction(3.6, 0.1, 0.1, 0.9, 0.9, kCanvas, 12), 0.95);
}

TEST(BoardPanes, EveryShapeKindPaintsItsColourWhereItsPointsAre) {
  BundleBuilder b;
  b.Event(0, "layout", kMaximized4)
      .Event(0.1, "whiteboard.add",
             Shape("pen", "pen", "#ff0000", 0.04, {{0.05, 0.15}, {0.28, 0.15}}))
      .Event(0.1, "whiteboard.add",
             Shape("hl", "highlighter", "#ffff00", 0.06, {{0.38, 0.15}, {0.62, 0.15}}))
      .Event(0.1, "whiteboard.add",
             Shape("ln", "line", "#0000ff", 0.04, {{0.72, 0.15}, {0.95, 0.15}}))
      .Event(0.1, "whiteboard.add",
             Shape("ar", "arrow", "#00ff00", 0.04, {{0.05, 0.5}, {0.28, 0.5}}))
      .Event(0.1, "whiteboard.add",
             Shape("rc", "rect", "#ff00ff", 0.03, {{0.38, 0.35}, {0.62, 0.65}}))
      .Event(0.1, "whiteboard.add",
             Shape("el", "ellipse", "#ff8000", 0.03, {{0.72, 0.35}, {0.95, 0.65}}))
      .Event(0.1, "whiteboard.add",
             Shape("tx", "text", "#800080", 0.02, {{0.05, 0.75}}, "WWMMWWMM"))
      .Event(1, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  const CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  OutputProbe probe(out.string());
  const BoardMap m;
  // The fraction of a board region (normalized board coordinates) in a colour at t = 0.5.
  const auto in = [&](double x0, double y0, double x1, double y1, uint32_t rgb, int tol = 50) {
    return probe.ColourFraction(0.5, m.X(x0), m.Y(y0), m.X(x1), m.Y(y1), rgb, tol);
  };
  EXPECT_GT(in(0.08, 0.14, 0.25, 0.16, kRed), 0.9); // pen
  EXPECT_LT(in(0.08, 0.25, 0.25, 0.30, kRed), 0.01);
  // Highlighter: 35 % yellow over the white board, never solid yellow.
  EXPECT_GT(in(0.42, 0.14, 0.58, 0.16, 0xffffa6, 30), 0.9);
  EXPECT_LT(in(0.42, 0.14, 0.58, 0.16, 0xffff00, 40), 0.01);
  EXPECT_GT(in(0.76, 0.14, 0.92, 0.16, kBlue), 0.9);       // line
  EXPECT_GT(in(0.08, 0.49, 0.20, 0.51, 0x00ff00), 0.9);    // arrow shaft
  EXPECT_GT(in(0.376, 0.45, 0.384, 0.55, 0xff00ff), 0.8);  // rect: its left side...
  EXPECT_GT(in(0.45, 0.45, 0.55, 0.55, kWhite, 20), 0.95); // ...an outline only
  EXPECT_GT(in(0.716, 0.48, 0.724, 0.52, 0xff8000), 0.8);  // ellipse: its leftmost point
  EXPECT_GT(in(0.80, 0.45, 0.87, 0.55, kWhite, 20), 0.95);
  EXPECT_GT(in(0.72, 0.35, 0.745, 0.37, kWhite, 20), 0.95); // corner of its box: not drawn
  EXPECT_GT(in(0.05, 0.75, 0.5, 0.87, 0x800080, 60), 0.05); // text, right of and below its point
  EXPECT_LT(in(0.05, 0.60, 0.5, 0.73, 0x800080, 60), 0.01);
  // Each colour only in its own region.
  EXPECT_LT(in(0.05, 0.30, 0.95, 0.34, kRed), 0.01);
  EXPECT_LT(in(0.70, 0.05, 0.98, 0.30, kRed), 0.01);
}

TEST(BoardPanes, NoteboardTextInAnyScriptOnPaper) {
  std::string long_text;
  for (int i = 0; i < 3000; ++i) {
    long_text += "word" + std::to_string(i) + (i % 11 == 10 ? "\n" : " ");
  }
  BundleBuilder b;
  b.Event(0, "layout", kMaximized3)
      .Event(0.5, "noteboard.update", {{"text", "Hello noteboard\nSecond line of the board"}})
      .Event(1.5, "noteboard.update", {{"text", "مرحبا بالعالم\n你好，世界 😀👍\nשלום עולם"}})
      .Event(2.5, "noteboard.update", {{"text", long_text}})
      .Event(3.2, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  const CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  OutputProbe probe(out.string());
  const auto paper = [&](double t) {
    return probe.ColourFraction(t, 0.03, 0.03, 0.97, 0.97, kWhite, 20);
  };
  // Dark pixels on the paper (the text is small at 640x360: anti-aliased, rarely pure ink).
  const auto ink = [&](double t, double x0, double y0, double x1, double y1) {
    return probe.ColourFraction(t, x0, y0, x1, y1, 0x000000, 150);
  };
  // How dark a region is on average: 255 for bare paper.
  const auto grey = [&](double t, double x0, double y0, double x1, double y1) {
    const uint32_t rgb = probe.MeanColour(t, x0, y0, x1, y1);
    return (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3;
  };
  EXPECT_LT(paper(0.3), 0.01); // no noteboard yet: nothing
  EXPECT_GT(paper(1.0), 0.7);
  EXPECT_GT(ink(1.0, 0.02, 0.04, 0.3, 0.15), 0.03); // two left-aligned lines at the top
  EXPECT_LT(ink(1.0, 0.35, 0.03, 0.97, 0.97), 0.001);
  EXPECT_LT(ink(1.0, 0.02, 0.2, 0.97, 0.97), 0.001);
  EXPECT_GT(paper(2.0), 0.7);
  EXPECT_GT(ink(2.0, 0.8, 0.03, 0.98, 0.1), 0.02); // the Arabic first line sits on the right
  EXPECT_GT(ink(2.0, 0.02, 0.1, 0.2, 0.16), 0.02); // the CJK line on the left
  EXPECT_LT(ink(2.0, 0.02, 0.2, 0.97, 0.97), 0.001);
  // Long text: shrunk and cut, still on the paper and filling it.
  EXPECT_GT(paper(3.0), 0.3);
  EXPECT_LT(grey(3.0, 0.02, 0.03, 0.6, 0.9), 235);
  EXPECT_GT(grey(1.0, 0.5, 0.5, 0.97, 0.97), 250);
}

TEST(BoardPanes, ImageFillsPane3UntilHidden) {
  BundleBuilder b;
  ColourPng(b, "blue.png", "blue");
  b.Event(0, "layout", kMaximized3)
      .Event(0.5, "image.show", {{"asset", "blue.png"}})
      .Event(1.5, "image.hide")
      .Event(2.2, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  const CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, ::testing::Not(HasSubstr("blue.png"))); // no warning
  OutputProbe probe(out.string());
  const auto blue = [&](double t) {
    return probe.ColourFraction(t, 0.02, 0.02, 0.98, 0.98, kBlue);
  };
  EXPECT_LT(blue(0.3), 0.01);
  EXPECT_GT(blue(0.6), 0.97);
  EXPECT_GT(blue(1.4), 0.97);
  EXPECT_LT(blue(1.7), 0.01);
}

TEST(BoardPanes, NoteboardAndWhiteboardSideBySide) {
  BundleBuilder b;
  ColourPng(b, "blue.png", "blue");
  b.Event(0, "layout", {{"sidebar", "minimized"}})
      .Event(0.2, "image.show", {{"asset", "blue.png"}})
      .Event(0.2, "whiteboard.add", RedZigzag("r"))
      .Event(1.5, "image.hide")
      .Event(2, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  const CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  OutputProbe probe(out.string());
  // Pane 3 the left half, pane 4 the right half; both 16:9 content centred vertically.
  EXPECT_GT(probe.ColourFraction(1.0, 0.03, 0.3, 0.47, 0.7, kBlue), 0.95);
  EXPECT_LT(probe.ColourFraction(1.0, 0.03, 0.3, 0.47, 0.7, kRed), 0.01);
  EXPECT_GT(probe.ColourFraction(1.0, 0.55, 0.35, 0.95, 0.65, kRed), 0.9);
  EXPECT_LT(probe.ColourFraction(1.0, 0.53, 0.3, 0.97, 0.7, kBlue), 0.01);
  // Image hidden: the whiteboard takes the whole canvas.
  EXPECT_GT(probe.ColourFraction(1.8, 0.1, 0.1, 0.9, 0.9, kRed), 0.9);
}

TEST(BoardPanes, BrokenTruncatedOrMissingImageIsAPlaceholderAndOneWarning) {
  BundleBuilder b;
  ColourPng(b, "good.png", "0x20a040");
  const std::string png = ReadFile(b.dir() / "assets" / "good.png");
  b.WriteFile("assets/truncated.png", png.substr(0, png.size() / 2));
  b.WriteFile("assets/broken.png", "\x89PNG\r\n\x1a\nthis is not a picture");
  b.Event(0, "layout", kMaximized3)
      .Event(0.2, "image.show", {{"asset", "broken.png"}})
      .Event(0.8, "noteboard.update", {{"text", "between"}})
      .Event(1.0, "image.show", {{"asset", "broken.png"}}) // shown again: no new warning
      .Event(1.4, "image.show", {{"asset", "truncated.png"}})
      .Event(2.0, "image.show", {{"asset", "missing.png"}})
      .Event(2.6, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  const CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* name :
       {"assets/broken.png: ", "assets/truncated.png: ", "assets/missing.png: "}) {
    EXPECT_EQ(Count(r.output, name), 1) << name << "\n" << r.output;
  }
  OutputProbe probe(out.string());
  for (double t : {0.5, 1.2, 1.8, 2.4}) {
    // The card in the middle (above its label), the pane background around it.
    EXPECT_GT(probe.ColourFraction(t, 0.3, 0.41, 0.7, 0.45, kCard, 20), 0.8) << t;
    EXPECT_GT(probe.ColourFraction(t, 0.02, 0.02, 0.2, 0.2, 0x252a37, 20), 0.9) << t;
    EXPECT_LT(probe.ColourFraction(t, 0.02, 0.02, 0.98, 0.98, 0x20a040, 30), 0.01) << t;
  }
  // Its label is light text on the card.
  EXPECT_GT(probe.ColourFraction(0.5, 0.3, 0.46, 0.7, 0.54, 0xe8eaf0, 110), 0.01);
}

} // namespace
} // namespace ssr::test
