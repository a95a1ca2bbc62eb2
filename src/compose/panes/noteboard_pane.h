#pragma once
// Pane 3: the noteboard (wrapped, shaped text) or an image.

#include "compose/pane.h"

namespace ssr::compose {

class NoteboardPane : public Pane {
 public:
  explicit NoteboardPane(media::MediaProvider& media) : media_(media) {}

  bool Prepare(const FrameContext& ctx) override;
  uint64_t StaticKey() const override { return key_; }
  void DrawStatic(cairo_t* cr, media::Rect rect, double scale) override;

 private:
  media::MediaProvider& media_;
  uint64_t key_ = 0;
};

}  // namespace ssr::compose
