#pragma once
// Pane 2: presentations and documents (PDF pages or images) with their annotations, and screen share.

#include "compose/pane.h"

namespace ssr::compose {

class PresentationPane : public Pane {
 public:
  explicit PresentationPane(media::MediaProvider& media) : media_(media) {}

  bool Prepare(const FrameContext& ctx) override;
  uint64_t StaticKey() const override { return key_; }
  void DrawStatic(cairo_t* cr, media::Rect rect, double scale) override;

 private:
  media::MediaProvider& media_;
  uint64_t key_ = 0;
};

}  // namespace ssr::compose
