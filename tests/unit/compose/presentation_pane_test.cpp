// Pane 2 without rendering a file: PdfDocument (Poppler), and PresentationPane drawn into a
// 1280x720 surface — pages rendered once per (asset, page, size), StaticKey stable while
// nothing in the pane changes, placeholders and one warning for assets that cannot be shown,
// and what DrawStatic of a PDF page costs.

#include "compose/argb_surface.h"
#include "compose/panes/presentation_pane.h"
#include "events/event_parser.h"
#include "media/pdf_document.h"

#include "../../support/temp_dir.h"

#include <gtest/gtest.h>

#include <cairo-pdf.h>
#include <cairo.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

namespace ssr::compose {
namespace {

namespace fs = std::filesystem;

constexpr uint32_t kRed = 0xff0000;
constexpr uint32_t kBlue = 0x0000ff;
constexpr uint32_t kGreen = 0x00ff00;
constexpr media::Rect kCanvas{0, 0, 1280, 720};

// One 640x360 pt page per colour (the scenario tests have the same in pdf_fixture).
fs::path ColourPdf(const fs::path& path, const std::vector<uint32_t>& colours) {
  cairo_surface_t* surface = cairo_pdf_surface_create(path.c_str(), 640, 360);
  cairo_t* cr = cairo_create(surface);
  for (uint32_t rgb : colours) {
    cairo_set_source_rgb(cr, (rgb >> 16) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                         (rgb & 0xff) / 255.0);
    cairo_paint(cr);
    cairo_show_page(cr);
  }
  cairo_destroy(cr);
  cairo_surface_destroy(surface);
  return path;
}

// A slide-like page: a title, 24 lines of text and 400 curves (fonts embedded by Cairo).
fs::path BusyPdf(const fs::path& path) {
  cairo_surface_t* surface = cairo_pdf_surface_create(path.c_str(), 640, 360);
  cairo_t* cr = cairo_create(surface);
  cairo_select_font_face(cr, "Noto Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 24);
  cairo_move_to(cr, 20, 40);
  cairo_show_text(cr, "Quarterly review: results and next steps");
  cairo_set_font_size(cr, 10);
  for (int i = 0; i < 24; ++i) {
    cairo_move_to(cr, 20, 60 + i * 12);
    cairo_show_text(cr, "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.");
  }
  for (int i = 0; i < 400; ++i) {
    cairo_set_source_rgba(cr, (i % 7) / 7.0, (i % 5) / 5.0, (i % 3) / 3.0, 0.5);
    cairo_move_to(cr, 400 + i % 200, 60 + i % 280);
    cairo_curve_to(cr, 450, 20 + i % 300, 600 - i % 100, 340, 620, 100 + i % 200);
    cairo_stroke(cr);
  }
  cairo_destroy(cr);
  cairo_surface_destroy(surface);
  return path;
}

uint32_t Pixel(cairo_surface_t* s, int x, int y) {
  cairo_surface_flush(s);
  const uint8_t* row = cairo_image_surface_get_data(s) + y * cairo_image_surface_get_stride(s);
  return reinterpret_cast<const uint32_t*>(row)[x] & 0xffffff;
}

class FakeMedia : public media::MediaProvider {
 public:
  media::VideoFeed* Video(const std::string&) override { return nullptr; }
  media::AudioFeed* Audio(const std::string&) override { return nullptr; }
  std::optional<std::string> AssetPath(const std::string& name) override {
    const auto it = assets.find(name);
    return it == assets.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  void Warn(const std::string& message) override { warnings.push_back(message); }

  std::map<std::string, std::string> assets;
  std::vector<std::string> warnings; // every call, not deduplicated
};

// A session fed JSON lines, and the pane prepared and drawn as the composer would.
class Pane2 {
 public:
  Pane2() : pane(media), canvas(kCanvas.width, kCanvas.height) {}
  Pane2& operator()(const std::string& line) {
    state.Apply(events::ParseEventLine(line, ++line_), nullptr);
    return *this;
  }
  bool Prepare(double t = 0) { return pane.Prepare({state, *state.Room("main"), t}); }
  void Draw(media::Rect rect = kCanvas) { pane.DrawStatic(canvas.cr(), rect, 1.0); }
  uint32_t At(int x, int y) { return Pixel(cairo_get_target(canvas.cr()), x, y); }

  FakeMedia media;
  PresentationPane pane;
  events::SessionState state;
  ArgbSurface canvas;

 private:
  int line_ = 0;
};

std::string Show(const std::string& asset, int page) {
  return R"({"t":0,"type":"presentation.show","asset":")" + asset + R"(","page":)" +
         std::to_string(page) + "}";
}
const char* kStroke =
    R"({"t":0,"type":"annotation.add","id":"s1","shape":"pen","color":"#ffff00","width":0.05,"points":[[0.1,0.5],[0.9,0.5]]})";

TEST(PdfDocument, CountsSizesAndRendersPages) {
  const test::TempDir dir;
  const fs::path pdf = ColourPdf(dir / "a.pdf", {kRed, kBlue, kGreen});
  ASSERT_TRUE(media::PdfDocument::LooksLikePdf(pdf));
  media::PdfDocument doc(pdf);
  EXPECT_EQ(doc.page_count(), 3);
  double w = 0;
  double h = 0;
  ASSERT_TRUE(doc.PageSize(2, &w, &h));
  EXPECT_DOUBLE_EQ(w, 640);
  EXPECT_DOUBLE_EQ(h, 360);
  EXPECT_FALSE(doc.PageSize(4, &w, &h));
  EXPECT_FALSE(doc.PageSize(0, &w, &h));
  media::CairoSurfacePtr page = doc.Render(2, 160, 90);
  ASSERT_NE(page, nullptr);
  EXPECT_EQ(cairo_image_surface_get_width(page.get()), 160);
  EXPECT_EQ(Pixel(page.get(), 80, 45), kBlue);
  EXPECT_EQ(Pixel(page.get(), 0, 0), kBlue);
  EXPECT_EQ(Pixel(doc.Render(3, 160, 90).get(), 10, 10), kGreen);
  EXPECT_EQ(doc.Render(4, 160, 90), nullptr);
  EXPECT_EQ(doc.renders(), 2U);
}

TEST(PdfDocument, BrokenFilesThrowReadableReasons) {
  const test::TempDir dir;
  std::ofstream(dir / "bad.pdf") << "%PDF-1.7\n" << std::string(500, '#') << "\n%%EOF\n";
  std::ofstream(dir / "text.txt") << "hello";
  EXPECT_TRUE(media::PdfDocument::LooksLikePdf(dir / "bad.pdf"));
  EXPECT_FALSE(media::PdfDocument::LooksLikePdf(dir / "text.txt"));
  EXPECT_FALSE(media::PdfDocument::LooksLikePdf(dir / "absent.pdf"));
  try {
    media::PdfDocument doc(dir / "bad.pdf");
    FAIL() << "a damaged PDF opened";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("damaged"), std::string::npos) << e.what();
  }
  EXPECT_THROW(media::PdfDocument(dir / "absent.pdf"), std::runtime_error);
}

TEST(PresentationPane, RendersEachPageOncePerSize) {
  const test::TempDir dir;
  Pane2 p;
  p.media.assets["s.pdf"] = ColourPdf(dir / "s.pdf", {kRed, kBlue, kGreen});
  EXPECT_FALSE(p.Prepare()); // nothing shown: the pane gives its space away
  p(Show("s.pdf", 2));
  ASSERT_TRUE(p.Prepare());
  p.Draw();
  EXPECT_EQ(p.At(640, 100), kBlue);
  EXPECT_EQ(p.At(0, 0), kBlue); // a 16:9 page fills a 16:9 pane
  EXPECT_EQ(p.pane.page_renders(), 1U);
  for (int i = 0; i < 10; ++i) { // static redraws caused by other panes
    p.Prepare(i * 0.1);
    p.Draw();
  }
  EXPECT_EQ(p.pane.page_renders(), 1U);
  p(kStroke).Prepare();
  p.Draw();
  EXPECT_EQ(p.At(640, 360), 0xffff00U);
  EXPECT_EQ(p.pane.page_renders(), 1U); // annotations are drawn over the cached page
  p(Show("s.pdf", 3)).Prepare();
  p.Draw();
  EXPECT_EQ(p.At(640, 360), kGreen);
  EXPECT_EQ(p.pane.page_renders(), 2U);
  p(Show("s.pdf", 2)).Prepare();
  p.Draw();
  EXPECT_EQ(p.At(640, 360), 0xffff00U);
  EXPECT_EQ(p.pane.page_renders(), 2U); // page 2 still cached
  p.Draw({0, 0, 960, 720});             // another pane size: rendered at that size
  EXPECT_EQ(p.pane.page_renders(), 3U);
  EXPECT_TRUE(p.media.warnings.empty());
}

TEST(PresentationPane, StaticKeyMovesOnlyWithPageAnnotationsOrMode) {
  const test::TempDir dir;
  Pane2 p;
  p.media.assets["s.pdf"] = ColourPdf(dir / "s.pdf", {kRed, kBlue});
  p(R"({"t":0,"type":"participant.join","id":"a","name":"Ann","role":"host"})");
  p(Show("s.pdf", 1)).Prepare(0);
  const uint64_t page1 = p.pane.StaticKey();
  p.Prepare(5);
  p(R"({"t":6,"type":"chat.message","from":"a","text":"hi"})").Prepare(6);
  EXPECT_EQ(p.pane.StaticKey(), page1);
  p(R"({"t":7,"type":"document.show","asset":"s.pdf","page":1})").Prepare(7);
  const uint64_t document = p.pane.StaticKey();
  EXPECT_NE(document, page1);
  p(kStroke).Prepare(8);
  const uint64_t annotated = p.pane.StaticKey();
  EXPECT_NE(annotated, document);
  p(Show("s.pdf", 2)).Prepare(9);
  EXPECT_NE(p.pane.StaticKey(), annotated);
}

TEST(PresentationPane, AssetsThatCannotBeShownWarnOnceAndShowACard) {
  const test::TempDir dir;
  Pane2 p;
  p.media.assets["s.pdf"] = ColourPdf(dir / "s.pdf", {kRed});
  p(Show("gone.pdf", 1));
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(p.Prepare(i));
    p.Draw();
  }
  ASSERT_EQ(p.media.warnings.size(), 1U);
  EXPECT_EQ(p.media.warnings[0].rfind("assets/gone.pdf: ", 0), 0U) << p.media.warnings[0];
  EXPECT_EQ(p.At(10, 10), 0x252a37U); // pane background around the card
  p(Show("s.pdf", 7)).Prepare();
  p.Draw();
  ASSERT_EQ(p.media.warnings.size(), 2U);
  EXPECT_NE(p.media.warnings[1].find("page 7 does not exist"), std::string::npos);
  EXPECT_NE(p.At(640, 360), kRed);
  EXPECT_EQ(p.pane.page_renders(), 0U);
}

// Reports what DrawStatic costs at 1280x720: a new page (Poppler renders it) and a static
// redraw with nothing new in the pane (the cached page is painted).
TEST(PresentationPane, DrawStaticTimeAt720p) {
  const test::TempDir dir;
  Pane2 p;
  p.media.assets["s.pdf"] = BusyPdf(dir / "s.pdf");
  p(Show("s.pdf", 1)).Prepare();
  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  p.Draw();
  const double new_page_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  constexpr int kRuns = 50;
  t0 = Clock::now();
  for (int i = 0; i < kRuns; ++i) {
    p.Prepare(i);
    p.Draw();
  }
  const double cached_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / kRuns;
  EXPECT_EQ(p.pane.page_renders(), 1U);
  int inked = 0; // the page is drawn: white paper with text and curves on it
  for (int y = 0; y < 720; y += 4) {
    for (int x = 0; x < 1280; x += 4) {
      inked += p.At(x, y) != 0xffffffU ? 1 : 0;
    }
  }
  EXPECT_GT(inked, 1000);
  EXPECT_LT(inked, 1280 * 720 / 16 / 2);
  std::cout << "DrawStatic 1280x720 PDF page (text and 400 curves): new page " << new_page_ms
            << " ms, cached " << cached_ms << " ms\n";
  RecordProperty("new_page_ms", std::to_string(new_page_ms));
  RecordProperty("cached_ms", std::to_string(cached_ms));
}

} // namespace
} // namespace ssr::compose
