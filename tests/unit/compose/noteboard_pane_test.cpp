// Pane 3: the noteboard's text fitted on its paper (shrunk, then cut with an ellipsis, never
// past the pane), images scaled to fit and cached, broken images as a placeholder card with
// one warning.

#include "compose/panes/noteboard_pane.h"
#include "compose/text.h"
#include "events/event_parser.h"

#include "../../support/temp_dir.h"

#include <gtest/gtest.h>

#include <cairo.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace ssr::compose {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class Assets : public media::MediaProvider {
 public:
  media::VideoFeed* Video(const std::string&) override { return nullptr; }
  media::AudioFeed* Audio(const std::string&) override { return nullptr; }
  std::optional<std::string> AssetPath(const std::string& name) override {
    const auto it = files.find(name);
    return it == files.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  void Warn(const std::string& message) override { warnings.push_back(message); }

  std::map<std::string, std::string> files;
  std::vector<std::string> warnings;
};

std::string SolidPng(const fs::path& file, int w, int h, double r, double g, double b) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, r, g, b);
  cairo_paint(cr);
  cairo_destroy(cr);
  const std::string path = file.string();
  cairo_surface_write_to_png(s, path.c_str());
  cairo_surface_destroy(s);
  return path;
}

class Pane3 {
 public:
  Pane3() : pane_(assets) {}
  void Show(const std::string& type, json fields = json::object()) {
    fields["t"] = 0;
    fields["type"] = type;
    state_.Apply(events::ParseEvent(fields, ++line_), nullptr);
  }
  bool Prepare() { return pane_.Prepare({state_, *state_.Room("main"), 0}); }
  cairo_surface_t* Draw(media::Rect rect, int w, int h) {
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t* cr = cairo_create(s);
    pane_.DrawStatic(cr, rect, h / 720.0);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
  }
  NoteboardPane& pane() { return pane_; }
  Assets assets;

 private:
  NoteboardPane pane_;
  events::SessionState state_;
  int line_ = 0;
};

uint32_t Pixel(cairo_surface_t* s, int x, int y) {
  const uint8_t* row = cairo_image_surface_get_data(s) + y * cairo_image_surface_get_stride(s);
  return *reinterpret_cast<const uint32_t*>(row + x * 4) & 0xffffff;
}

// Pixels of a region darker than mid grey (ink on the paper).
int Dark(cairo_surface_t* s, media::Rect r) {
  int n = 0;
  for (int y = r.y; y < r.y + r.height; ++y) {
    for (int x = r.x; x < r.x + r.width; ++x) {
      const uint32_t p = Pixel(s, x, y);
      n += ((p >> 16) & 0xff) + ((p >> 8) & 0xff) + (p & 0xff) < 3 * 100 ? 1 : 0;
    }
  }
  return n;
}

std::string Words(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    s += "word" + std::to_string(i) + (i % 17 == 16 ? "\n" : " ");
  }
  return s;
}

double HeightAt(cairo_t* cr, const NoteboardPane::FittedText& f, double width) {
  TextStyle style{f.size_px};
  style.wrap = true;
  double w = 0;
  double h = 0;
  MeasureText(cr, f.text, width, style, &w, &h);
  return h;
}

TEST(NoteboardPane, NoContentUntilShownAndAfterImageHide) {
  Pane3 p;
  EXPECT_FALSE(p.Prepare());
  p.Show("image.show", {{"asset", "x.png"}});
  EXPECT_TRUE(p.Prepare());
  const uint64_t k = p.pane().StaticKey();
  EXPECT_TRUE(p.Prepare());
  EXPECT_EQ(p.pane().StaticKey(), k);
  p.Show("image.hide");
  EXPECT_FALSE(p.Prepare());
  p.Show("noteboard.update", {{"text", "hi"}});
  EXPECT_TRUE(p.Prepare());
  EXPECT_NE(p.pane().StaticKey(), k);
}

TEST(NoteboardPane, FitTextShrinksThenCutsAndAlwaysFits) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
  cairo_t* cr = cairo_create(s);
  const auto short_fit = NoteboardPane::FitText(cr, "Short note", 400, 300, 1.0);
  EXPECT_FALSE(short_fit.cut);
  EXPECT_EQ(short_fit.text, "Short note");
  const auto medium = NoteboardPane::FitText(cr, Words(60), 400, 300, 1.0);
  EXPECT_FALSE(medium.cut);
  EXPECT_LT(medium.size_px, short_fit.size_px);
  EXPECT_LE(HeightAt(cr, medium, 400), 300);
  for (const std::string& text : {Words(5000), std::string(800, '\n') + "end",
                                  std::string(3000, 'x'), std::string(200, ' ') + Words(3000)}) {
    const auto cut = NoteboardPane::FitText(cr, text, 400, 300, 1.0);
    EXPECT_TRUE(cut.cut);
    EXPECT_LE(cut.size_px, medium.size_px);
    EXPECT_LE(HeightAt(cr, cut, 400), 300);
    EXPECT_GT(HeightAt(cr, cut, 400), 200); // the space is used, not cut too early
    EXPECT_EQ(cut.text.substr(cut.text.size() - 3), "\u2026");
  }
  // Any script, right to left, emoji: fits too.
  std::string mixed;
  for (int i = 0; i < 400; ++i) {
    mixed += "مرحبا بالعالم 你好世界 👋🎉 ";
  }
  const auto m = NoteboardPane::FitText(cr, mixed, 400, 300, 1.0);
  EXPECT_LE(HeightAt(cr, m, 400), 300);
  // Stacked combining marks (many characters, little room): fits as well.
  std::string zalgo;
  for (int i = 0; i < 3000; ++i) {
    zalgo += "a\u0301\u0302\u0303\u0304\u0306\u0307\u0308\u030a";
  }
  const auto z = NoteboardPane::FitText(cr, zalgo, 400, 300, 1.0);
  EXPECT_TRUE(z.cut);
  EXPECT_LE(HeightAt(cr, z, 400), 300);
  cairo_destroy(cr);
  cairo_surface_destroy(s);
}

TEST(NoteboardPane, NoteboardIsInkOnPaperInsideThePane) {
  for (const std::string& text : {std::string("Hello noteboard\nsecond line"),
                                  std::string("مرحبا بالعالم\n你好世界 👋"), Words(20000)}) {
    Pane3 p;
    p.Show("noteboard.update", {{"text", text}});
    ASSERT_TRUE(p.Prepare());
    const media::Rect pane{100, 40, 300, 200};
    cairo_surface_t* s = p.Draw(pane, 480, 300);
    EXPECT_EQ(Pixel(s, pane.x + 150, pane.y + pane.height - 12), 0xffffffU) << text; // paper
    EXPECT_GT(Dark(s, pane), 30) << text;
    // Nothing outside the pane's rectangle (the surface starts black: count non-black).
    int outside = 0;
    for (int y = 0; y < 300; ++y) {
      for (int x = 0; x < 480; ++x) {
        const bool in =
            x >= pane.x && x < pane.x + pane.width && y >= pane.y && y < pane.y + pane.height;
        outside += !in && Pixel(s, x, y) != 0 ? 1 : 0;
      }
    }
    EXPECT_EQ(outside, 0) << text;
    cairo_surface_destroy(s);
  }
}

TEST(NoteboardPane, PaperIsLaidOutOnlyWhenTextOrSizeChanges) {
  Pane3 p;
  p.Show("noteboard.update", {{"text", Words(300)}});
  p.Prepare();
  cairo_surface_destroy(p.Draw({0, 0, 320, 180}, 320, 180));
  p.Prepare();
  cairo_surface_destroy(p.Draw({0, 0, 320, 180}, 320, 180));
  cairo_surface_destroy(p.Draw({0, 0, 320, 180}, 320, 180));
  EXPECT_EQ(p.pane().stats().papers, 1U);
  cairo_surface_destroy(p.Draw({0, 0, 160, 180}, 320, 180));
  EXPECT_EQ(p.pane().stats().papers, 2U);
  p.Show("noteboard.update", {{"text", "changed"}});
  p.Prepare();
  cairo_surface_destroy(p.Draw({0, 0, 160, 180}, 320, 180));
  EXPECT_EQ(p.pane().stats().papers, 3U);
}

TEST(NoteboardPane, ImageScaledToFitCentredDecodedAndScaledOnce) {
  const test::TempDir dir;
  Pane3 p;
  p.assets.files["wide.png"] = SolidPng(dir / "wide.png", 200, 100, 0, 0, 1);
  p.Show("image.show", {{"asset", "wide.png"}});
  ASSERT_TRUE(p.Prepare());
  const media::Rect pane{0, 0, 400, 400};
  cairo_surface_t* s = p.Draw(pane, 400, 400); // scale 400/720: a 4 px margin
  EXPECT_EQ(Pixel(s, 200, 200), 0x0000ffU);
  EXPECT_EQ(Pixel(s, 5, 104), 0x0000ffU); // 392x196 centred: x 4..395, y 102..297
  EXPECT_EQ(Pixel(s, 394, 296), 0x0000ffU);
  EXPECT_NE(Pixel(s, 2, 200), 0x0000ffU);  // the margin
  EXPECT_NE(Pixel(s, 200, 90), 0x0000ffU); // the pane background above
  EXPECT_NE(Pixel(s, 200, 310), 0x0000ffU);
  cairo_surface_destroy(s);
  cairo_surface_destroy(p.Draw(pane, 400, 400));
  EXPECT_EQ(p.pane().stats().decodes, 1U);
  EXPECT_EQ(p.pane().stats().scalings, 1U);
  cairo_surface_destroy(p.Draw({0, 0, 200, 400}, 400, 400)); // a new size: scaled again
  EXPECT_EQ(p.pane().stats().scalings, 2U);
  // Away and back: still decoded.
  p.Show("noteboard.update", {{"text", "x"}});
  p.Prepare();
  cairo_surface_destroy(p.Draw(pane, 400, 400));
  p.Show("image.show", {{"asset", "wide.png"}});
  p.Prepare();
  cairo_surface_destroy(p.Draw(pane, 400, 400));
  EXPECT_EQ(p.pane().stats().decodes, 1U);
  EXPECT_TRUE(p.assets.warnings.empty());
}

TEST(NoteboardPane, BrokenOrMissingImageIsAPlaceholderWithOneWarning) {
  const test::TempDir dir;
  std::ofstream(dir / "broken.png", std::ios::binary) << "\x89PNG\r\n\x1a\n not really";
  Pane3 p;
  p.assets.files["broken.png"] = (dir / "broken.png").string();
  for (const std::string asset : {"broken.png", "missing.png"}) {
    p.Show("image.show", {{"asset", asset}});
    ASSERT_TRUE(p.Prepare());
    const media::Rect pane{0, 0, 640, 360};
    for (int i = 0; i < 3; ++i) {
      cairo_surface_t* s = p.Draw(pane, 640, 360);
      const uint32_t centre = Pixel(s, 320, 180);
      EXPECT_NE(centre, Pixel(s, 10, 10)); // the card stands out from the pane background
      EXPECT_NE(centre, 0U);
      cairo_surface_destroy(s);
    }
  }
  ASSERT_EQ(p.assets.warnings.size(), 2U);
  EXPECT_EQ(p.assets.warnings[0].rfind("assets/broken.png: ", 0), 0U) << p.assets.warnings[0];
  EXPECT_EQ(p.assets.warnings[1].rfind("assets/missing.png: ", 0), 0U) << p.assets.warnings[1];
}

} // namespace
} // namespace ssr::compose
