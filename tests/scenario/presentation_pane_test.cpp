// Pane 2 scenarios: PDF pages and images with annotations, documents, screen share, and
// assets that cannot be shown. Rendered by the ssr binary at 640x360 and probed.

#include "../support/output_probe.h"
#include "bundle_builder.h"
#include "pdf_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

namespace ssr::test {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr uint32_t kRed = 0xff0000;
constexpr uint32_t kBlue = 0x0000ff;
constexpr uint32_t kGreen = 0x00ff00;
constexpr uint32_t kYellow = 0xffff00;
constexpr uint32_t kMagenta = 0xff00ff;
constexpr uint32_t kPaneBackground = 0x252a37; // theme::kPaneBackground
constexpr uint32_t kCardBackground = 0x343a4a; // the placeholder card

// Pane 2 alone on the whole canvas.
json Maximized() { return {{"maximized", 2}, {"sidebar", "minimized"}}; }

json Show(const std::string& asset, int page) { return {{"asset", asset}, {"page", page}}; }

// A thick horizontal pen stroke across the middle of the page.
json Stroke(const std::string& id) {
  return {{"id", id},
          {"shape", "pen"},
          {"color", "#ffff00"},
          {"width", 0.06},
          {"points", json::array({json::array({0.1, 0.5}), json::array({0.9, 0.5})})}};
}

// The whole frame is `rgb`, corners included.
void ExpectFills(const OutputProbe& p, double t, uint32_t rgb) {
  SCOPED_TRACE("t=" + std::to_string(t));
  EXPECT_GT(p.ColourFraction(t, 0.1, 0.1, 0.9, 0.4, rgb), 0.95);
  EXPECT_GT(p.ColourFraction(t, 0.0, 0.0, 0.06, 0.06, rgb), 0.9);
  EXPECT_GT(p.ColourFraction(t, 0.94, 0.94, 1.0, 1.0, rgb), 0.9);
  EXPECT_GT(p.ColourFraction(t, 0.94, 0.0, 1.0, 0.06, rgb), 0.9);
  EXPECT_GT(p.ColourFraction(t, 0.0, 0.94, 0.06, 1.0, rgb), 0.9);
}

double StrokeFraction(const OutputProbe& p, double t) {
  return p.ColourFraction(t, 0.3, 0.48, 0.7, 0.52, kYellow);
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(PresentationPane, PagesChangeAndAnnotationsBelongToTheirPage) {
  BundleBuilder b;
  WriteColourPdf(b.dir() / "assets" / "slides.pdf", {kRed, kBlue, kGreen});
  b.Event(0, "layout", Maximized())
      .Event(0, "presentation.show", Show("slides.pdf", 1))
      .Event(1, "presentation.show", Show("slides.pdf", 2))
      .Event(1.5, "annotation.add", Stroke("a1"))
      .Event(2, "presentation.show", Show("slides.pdf", 3))
      .Event(3, "presentation.show", Show("slides.pdf", 2))
      .Event(4, "annotation.remove", {{"id", "a1"}})
      .Event(4.5, "annotation.add", Stroke("a2"))
      .Event(5, "annotation.clear")
      .Event(5.5, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  const auto report = b.dir() / "bench.json";
  CommandResult r = Render(b.dir(), out, "--bench-report '" + report.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, ::testing::Not(HasSubstr("slides.pdf"))) << "no warning expected";
  // The static layer is drawn again only for the 8 changes of pane 2, not per frame.
  EXPECT_LE(json::parse(ReadFile(report)).at("static_redraws").get<int>(), 8);
  OutputProbe p(out.string());
  ExpectFills(p, 0.5, kRed);
  ExpectFills(p, 1.25, kBlue);
  EXPECT_LT(StrokeFraction(p, 1.25), 0.01);
  EXPECT_GT(StrokeFraction(p, 1.75), 0.9); // drawn on page 2
  EXPECT_GT(p.ColourFraction(1.75, 0.1, 0.1, 0.9, 0.3, kBlue), 0.95);
  ExpectFills(p, 2.5, kGreen);
  EXPECT_LT(StrokeFraction(p, 2.5), 0.01); // not on page 3
  EXPECT_GT(StrokeFraction(p, 3.5), 0.9);  // back with page 2
  EXPECT_GT(p.ColourFraction(3.5, 0.1, 0.1, 0.9, 0.3, kBlue), 0.95);
  EXPECT_LT(StrokeFraction(p, 4.25), 0.01); // removed
  EXPECT_GT(StrokeFraction(p, 4.75), 0.9);
  EXPECT_LT(StrokeFraction(p, 5.25), 0.01); // cleared
  ExpectFills(p, 5.25, kBlue);
}

TEST(PresentationPane, DocumentShowsLikeAPresentation) {
  BundleBuilder b;
  WriteColourPdf(b.dir() / "assets" / "handout.pdf", {kRed, kBlue});
  b.Event(0, "layout", Maximized())
      .Event(0, "document.show", Show("handout.pdf", 2))
      .Event(1, "annotation.add", Stroke("d1"))
      .Event(1.5, "document.show", Show("handout.pdf", 1))
      .Event(2, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  OutputProbe p(out.string());
  ExpectFills(p, 0.5, kBlue);
  EXPECT_GT(StrokeFraction(p, 1.25), 0.9);
  ExpectFills(p, 1.75, kRed);
  EXPECT_LT(StrokeFraction(p, 1.75), 0.01);
}

TEST(PresentationPane, PageKeepsItsAspectBesideOtherPanes) {
  BundleBuilder b;
  // A square page in the 480x360 main area beside the side bar: 360x360, centred.
  WriteColourPdf(b.dir() / "assets" / "square.pdf", {kGreen}, 300, 300);
  b.Event(0, "presentation.show", Show("square.pdf", 1)).Event(1, "session.end").Write();
  const auto out = b.dir() / "out.webm";
  ASSERT_EQ(Render(b.dir(), out).exit_code, 0);
  OutputProbe p(out.string());
  // Page spans x 60..420 of 640 (0.094..0.656).
  EXPECT_GT(p.ColourFraction(0.5, 0.11, 0.02, 0.64, 0.98, kGreen), 0.95);
  EXPECT_LT(p.ColourFraction(0.5, 0.0, 0.0, 0.08, 1.0, kGreen), 0.01);
  EXPECT_LT(p.ColourFraction(0.5, 0.67, 0.0, 1.0, 1.0, kGreen), 0.01);
  EXPECT_GT(p.ColourFraction(0.5, 0.0, 0.0, 0.08, 1.0, kPaneBackground, 16), 0.9);
}

TEST(PresentationPane, ImageAssetShows) {
  BundleBuilder b;
  WriteColourImage(b.dir() / "assets" / "photo.png", "0xff00ff", 320, 180);
  WriteColourImage(b.dir() / "assets" / "photo.jpg", "0x0000ff", 320, 180);
  b.Event(0, "layout", Maximized())
      .Event(0, "presentation.show", {{"asset", "photo.png"}})
      .Event(1, "annotation.add", Stroke("i1"))
      .Event(1.5, "presentation.show", {{"asset", "photo.jpg"}})
      .Event(2, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  OutputProbe p(out.string());
  ExpectFills(p, 0.5, kMagenta);
  EXPECT_GT(StrokeFraction(p, 1.25), 0.9);
  ExpectFills(p, 1.75, kBlue);
}

TEST(PresentationPane, ScreenShareFillsTheCanvasWhenMaximized) {
  BundleBuilder b;
  b.ColourVideo("scr", "0xff00ff", 4);
  b.Event(0, "participant.join", {{"id", "a"}, {"name", "Ada"}, {"role", "host"}})
      .Event(0, "track.publish",
             {{"track", "scr"}, {"participant", "a"}, {"kind", "video"}, {"source", "screen"}})
      .Event(0, "layout", Maximized())
      .Event(0.5, "screenshare.start", {{"track", "scr"}})
      .Event(2, "layout", {{"sidebar", "open"}})
      .Event(3, "screenshare.stop")
      .Event(3.5, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  OutputProbe p(out.string());
  EXPECT_LT(p.ColourFraction(0.25, 0, 0, 1, 1, kMagenta), 0.01);
  ExpectFills(p, 1.0, kMagenta);
  ExpectFills(p, 1.9, kMagenta);
  // Side bar open: the share keeps to the main area (left 75 %), its aspect kept.
  EXPECT_GT(p.ColourFraction(2.5, 0.02, 0.2, 0.73, 0.8, kMagenta), 0.95);
  EXPECT_LT(p.ColourFraction(2.5, 0.77, 0, 1, 1, kMagenta), 0.01);
  EXPECT_LT(p.ColourFraction(3.25, 0, 0, 1, 1, kMagenta), 0.01); // stopped
}

TEST(PresentationPane, ScreenShareWithoutVideoShowsWaitingCard) {
  BundleBuilder b; // no tracks/scr.* file
  b.Event(0, "participant.join", {{"id", "a"}, {"name", "Ada"}, {"role", "host"}})
      .Event(0, "track.publish",
             {{"track", "scr"}, {"participant", "a"}, {"kind", "video"}, {"source", "screen"}})
      .Event(0, "layout", Maximized())
      .Event(0, "screenshare.start", {{"track", "scr"}})
      .Event(1, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("tracks/scr"));
  OutputProbe p(out.string());
  EXPECT_GT(p.ColourFraction(0.5, 0.3, 0.47, 0.7, 0.53, kCardBackground, 16), 0.3);
}

// Page 1 (red) of good.pdf, then at t=1 the bad asset: a placeholder card (no red), exit 0
// and a warning naming the asset.
void ExpectPlaceholder(BundleBuilder& b, const std::string& asset, int page,
                       const std::string& reason) {
  WriteColourPdf(b.dir() / "assets" / "good.pdf", {kRed, kBlue});
  b.Event(0, "layout", Maximized())
      .Event(0, "presentation.show", Show("good.pdf", 1))
      .Event(1, "presentation.show", Show(asset, page))
      .Event(2, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("assets/" + asset + ": "));
  EXPECT_THAT(r.output, HasSubstr(reason));
  OutputProbe p(out.string());
  ExpectFills(p, 0.5, kRed);
  EXPECT_LT(p.ColourFraction(1.5, 0, 0, 1, 1, kRed), 0.001);
  EXPECT_GT(p.ColourFraction(1.5, 0.3, 0.47, 0.7, 0.53, kCardBackground, 16), 0.3);
  EXPECT_GT(p.ColourFraction(1.5, 0.0, 0.0, 0.2, 0.2, kPaneBackground, 16), 0.9);
}

TEST(PresentationPaneBadInput, MissingAsset) {
  BundleBuilder b;
  ExpectPlaceholder(b, "missing.pdf", 1, "missing");
}

TEST(PresentationPaneBadInput, CorruptPdf) {
  BundleBuilder b;
  b.WriteFile("assets/corrupt.pdf", "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R\n" +
                                        std::string(2000, '\x7f') + "\n%%EOF\n");
  ExpectPlaceholder(b, "corrupt.pdf", 1, "damaged");
}

TEST(PresentationPaneBadInput, EncryptedPdf) {
  BundleBuilder b;
  WriteColourPdf(b.dir() / "plain.pdf", {kRed});
  WriteEncryptedPdf(b.dir() / "plain.pdf", b.dir() / "assets" / "locked.pdf");
  ExpectPlaceholder(b, "locked.pdf", 1, "encrypted");
}

TEST(PresentationPaneBadInput, PageBeyondTheLast) {
  BundleBuilder b;
  ExpectPlaceholder(b, "good.pdf", 9, "page 9 does not exist (the PDF has 2 pages)");
}

TEST(PresentationPaneBadInput, TruncatedImage) {
  BundleBuilder b;
  WriteColourImage(b.dir() / "full.png", "0xff0000", 320, 180);
  const std::string png = ReadFile(b.dir() / "full.png");
  b.WriteFile("assets/cut.png", png.substr(0, png.size() / 3));
  ExpectPlaceholder(b, "cut.png", 1, "assets/cut.png");
}

TEST(PresentationPaneBadInput, NotAnImage) {
  BundleBuilder b;
  b.WriteFile("assets/notes.png", "this is plain text, not a picture\n");
  ExpectPlaceholder(b, "notes.png", 1, "not a PDF or a readable image");
}

} // namespace
} // namespace ssr::test
