#pragma once
// A pane draws itself into the rectangle the layout engine gives it, in two layers:
// a static layer (backgrounds, text, slides, name cards), redrawn only when its StaticKey
// changes, and a live layer (video) drawn over it on every frame.

#include "events/room_state.h"
#include "media/feeds.h"
#include "media/i420_frame.h"

#include <cairo.h>

#include <array>
#include <cstdint>
#include <memory>

namespace ssr::compose {

struct FrameContext {
  const events::SessionState& session;
  const events::RoomState& room;
  double t = 0; // session time of the frame
};

class Pane {
 public:
  virtual ~Pane() = default;

  // Looks at the room at the frame's time (fetching pictures where the pane shows video).
  // Returns whether the pane has something to show.
  virtual bool Prepare(const FrameContext& ctx) = 0;

  // Changes whenever DrawStatic would draw something different (for the same rectangle).
  virtual uint64_t StaticKey() const = 0;

  // `scale` is the canvas height / 720, for sizes of text and decorations.
  virtual void DrawStatic(cairo_t* cr, media::Rect rect, double scale) = 0;

  virtual void DrawLive(media::I420Frame& /*frame*/, media::Rect /*rect*/, double /*scale*/) {}
};

// Slot 0 is the side bar, 1..4 the panes of the same number; a null slot never shows.
using PaneSet = std::array<std::unique_ptr<Pane>, 5>;

// The one place where pane kinds are registered.
PaneSet CreatePanes(media::MediaProvider& media);

// Combines a value into a running hash (for StaticKey).
inline uint64_t HashCombine(uint64_t seed, uint64_t value) {
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

} // namespace ssr::compose
