#pragma once
// Pane 4: the whiteboard. A white board of fixed 16:9 aspect, centred in the pane, so that
// normalized shape coordinates land on the same board shape at any pane size; its shapes are
// painted in order with PaintShape.
//
// The board is kept as a picture: when shapes are only appended (the usual case while
// someone draws) just the new ones are painted, so a long session does not repaint every
// earlier stroke on each new one.

#include "compose/pane.h"
#include "media/image_loader.h"

#include <string>
#include <vector>

namespace ssr::compose {

class WhiteboardPane : public Pane {
 public:
  // Shapes need no assets: the provider is not used.
  explicit WhiteboardPane(media::MediaProvider& /*media*/) {}

  bool Prepare(const FrameContext& ctx) override;
  uint64_t StaticKey() const override { return key_; }
  void DrawStatic(cairo_t* cr, media::Rect rect, double scale) override;

  // Where the board lies in a pane rectangle: 16:9, centred, inside a small margin.
  static media::Rect BoardRect(media::Rect pane, double scale);

  // Shapes painted since the pane was made (tests check that unchanged ones are not).
  uint64_t shapes_painted() const { return shapes_painted_; }

 private:
  // Brings board_ up to date with shapes_ at the given size.
  void UpdateBoard(int width, int height);

  bool prepared_ = false;
  std::string room_id_;
  uint64_t rev_ = 0;
  uint64_t key_ = 0;
  std::vector<events::Shape> shapes_;
  media::CairoSurfacePtr board_;
  size_t painted_ = 0; // shapes_[0, painted_) are on board_
  uint64_t shapes_painted_ = 0;
};

} // namespace ssr::compose
