#pragma once
// Pane 2: presentations and documents (PDF pages or images) with their annotations, and
// screen share.
//
// A page is fitted into the pane with its aspect kept, centred on a neutral background, and
// rendered at exactly the size it is shown (PDFs as vectors, so text stays sharp). Rendered
// pages are cached by (asset, page, size): a static redraw caused by another pane only paints
// the cached page again. A screen share is video, drawn in the live layer like a webcam.
// An asset that cannot be shown (missing, damaged, encrypted, no such page) gives a
// placeholder card naming it, and one warning.

#include "compose/pane.h"
#include "media/image_loader.h"
#include "media/pdf_document.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ssr::compose {

class PresentationPane : public Pane {
 public:
  explicit PresentationPane(media::MediaProvider& media) : media_(media) {}

  bool Prepare(const FrameContext& ctx) override;
  uint64_t StaticKey() const override { return key_; }
  void DrawStatic(cairo_t* cr, media::Rect rect, double scale) override;
  void DrawLive(media::I420Frame& frame, media::Rect rect, double scale) override;

  // Pages rendered so far (PDF pages drawn by Poppler plus images scaled): stays put while
  // nothing in the pane changes.
  uint64_t page_renders() const { return page_renders_; }

 private:
  // An opened asset: a PDF, an image, or why it cannot be shown.
  struct Asset {
    std::unique_ptr<media::PdfDocument> pdf;
    media::CairoSurfacePtr image;
    std::string error; // non-empty: cannot be shown
  };
  struct CachedPage {
    std::string asset;
    int page = 0;
    int width = 0;
    int height = 0;
    media::CairoSurfacePtr surface;
  };

  Asset& Open(const std::string& name);
  // Checks the shown (asset, page) once per change; sets error_ and warns.
  void CheckPage(const std::string& name, int page);
  bool PageSize(double* width, double* height) const;
  cairo_surface_t* RenderedPage(int width, int height);
  void DrawPage(cairo_t* cr, media::Rect rect);
  void DrawCard(cairo_t* cr, media::Rect rect, double scale, const std::string& title,
                const std::string& detail);

  media::MediaProvider& media_;
  std::map<std::string, Asset> assets_; // by name, opened on first show
  std::deque<CachedPage> cache_;        // most recent first, a few entries

  // What Prepare saw (valid until the next Prepare).
  events::Pane2Kind kind_ = events::Pane2Kind::kNone;
  std::string asset_;
  int page_ = 0;
  std::string error_; // why the shown page cannot be shown
  const std::vector<events::Shape>* annotations_ = nullptr;
  const media::VideoPicture* picture_ = nullptr;
  std::string sharer_;   // name of who shares the screen
  bool checked_ = false; // error_ is for (asset_, page_)

  uint64_t key_ = 0;
  uint64_t page_renders_ = 0;
};

} // namespace ssr::compose
