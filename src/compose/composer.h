#pragma once
// Draws one room at a time t into a canvas: the layout engine places the panes, each pane
// draws its static layer (cached, redrawn only when its content changes) and its live layer
// (video) on every frame. The same composer serves offline rendering and live recording.

#include "compose/argb_surface.h"
#include "compose/layout_engine.h"
#include "compose/pane.h"
#include "events/room_state.h"
#include "media/feeds.h"
#include "media/i420_frame.h"

#include <memory>
#include <string>
#include <vector>

namespace ssr::compose {

struct ComposerStats {
  uint64_t frames = 0;
  uint64_t static_redraws = 0; // frames whose static layer had to be drawn again
};

// Share of the 16x16 blocks of two luma planes (same size, stride = width) that differ.
double ChangedBlockShare(const uint8_t* before, const uint8_t* after, int width, int height);

class Composer {
 public:
  Composer(int width, int height, media::MediaProvider& media);

  // Draws room `room_id` as it is in `session` (advanced to time t) into `out`.
  // A room that does not exist (yet, or any more) gives an empty canvas.
  void Compose(const events::SessionState& session, const std::string& room_id, double t,
               media::I420Frame* out);

  const ComposerStats& stats() const { return stats_; }
  // Share of the canvas (in 16x16 luma blocks) that the last Compose's static redraw changed:
  // 0 when the static layer was kept, ~1 for a new layout or a new slide filling the canvas.
  // The encoder places keyframes on large changes.
  double static_change() const { return static_change_; }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  void RedrawStatic(const LayoutResult& layout);

  int width_;
  int height_;
  double scale_;
  PaneSet panes_;
  ArgbSurface static_surface_;
  media::I420Frame static_layer_;
  uint64_t static_key_ = ~0ULL;
  std::vector<uint8_t> previous_static_y_;
  double static_change_ = 0;
  ComposerStats stats_;
};

} // namespace ssr::compose
