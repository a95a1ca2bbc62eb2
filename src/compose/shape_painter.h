#pragma once
// Draws whiteboard and annotation shapes (pen, highlighter, line, arrow, rect, ellipse, text)
// onto a surface rectangle. Shape coordinates are normalized to that surface; a stroke's
// width is a fraction of the surface width.

#include "events/room_state.h"
#include "media/i420_frame.h"

#include <cairo.h>

#include <cstdint>

namespace ssr::compose {

// `surface` is where the page or board lies on the canvas (in pixels).
void PaintShape(cairo_t* cr, const events::Shape& shape, media::Rect surface);

// "#rrggbb" → 0xrrggbb (black for anything else; the parser has validated colours).
uint32_t ParseColour(const std::string& hex);

} // namespace ssr::compose
