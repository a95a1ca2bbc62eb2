#pragma once
// Pane 4: the whiteboard and its shapes.

#include "compose/pane.h"

namespace ssr::compose {

class WhiteboardPane : public Pane {
 public:
  explicit WhiteboardPane(media::MediaProvider& media) : media_(media) {}

  bool Prepare(const FrameContext& ctx) override;
  uint64_t StaticKey() const override { return key_; }
  void DrawStatic(cairo_t* cr, media::Rect rect, double scale) override;

 private:
  media::MediaProvider& media_;
  uint64_t key_ = 0;
};

}  // namespace ssr::compose
