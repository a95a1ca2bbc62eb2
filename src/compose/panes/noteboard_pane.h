#pragma once
// Pane 3: the noteboard (its text wrapped and shaped on a white paper, shrunk to fit, cut
// with an ellipsis past a minimum size) or an image (scaled to fit, aspect kept, centred).
//
// Both are kept as pictures: the paper by text and size, the image decoded by asset and
// scaled by size, so a redraw of the static layer caused by another pane only copies them.
// An image that cannot be shown gives a placeholder card and one warning naming it.

#include "compose/pane.h"
#include "media/image_loader.h"

#include <map>
#include <string>

namespace ssr::compose {

class NoteboardPane : public Pane {
 public:
  explicit NoteboardPane(media::MediaProvider& media) : media_(media) {}

  bool Prepare(const FrameContext& ctx) override;
  uint64_t StaticKey() const override { return key_; }
  void DrawStatic(cairo_t* cr, media::Rect rect, double scale) override;

  // Text fitted to a box: the largest size from the noteboard's down to its minimum at which
  // the wrapped text fits, or the minimum size and the longest start of the text that fits
  // with an ellipsis.
  struct FittedText {
    double size_px = 0;
    std::string text;
    bool cut = false;
  };
  static FittedText FitText(cairo_t* cr, const std::string& text, double width, double height,
                            double scale);

  // Work done since the pane was made (tests check that unchanged content is not redone).
  struct Stats {
    uint64_t decodes = 0;  // images decoded (or found unusable)
    uint64_t scalings = 0; // images scaled to a pane size
    uint64_t papers = 0;   // noteboard texts laid out
  };
  const Stats& stats() const { return stats_; }

 private:
  struct CachedImage {
    media::CairoSurfacePtr decoded; // null: cannot be shown
    media::CairoSurfacePtr scaled;  // `decoded` at the size last asked for
    uint64_t last_used = 0;
  };

  CachedImage& Image(const std::string& asset); // decodes on first use
  void EvictImages();
  void DrawNoteboard(cairo_t* cr, media::Rect rect, double scale);
  void DrawImage(cairo_t* cr, media::Rect rect, double scale);

  media::MediaProvider& media_;
  bool prepared_ = false;
  std::string room_id_;
  uint64_t rev_ = 0;
  uint64_t key_ = 0;
  events::Pane3Kind kind_ = events::Pane3Kind::kNone;
  std::string text_;
  std::string asset_;

  media::CairoSurfacePtr paper_; // the noteboard as drawn, for paper_key_ at its size
  uint64_t paper_key_ = 0;
  std::map<std::string, CachedImage> images_; // by asset; a few recent ones
  uint64_t use_clock_ = 0;
  Stats stats_;
};

} // namespace ssr::compose
