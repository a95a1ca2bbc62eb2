#pragma once
// Decodes a still image (PNG, JPEG, WebP, GIF, BMP: whatever FFmpeg decodes) into a Cairo
// ARGB32 surface.

#include <cairo.h>

#include <memory>
#include <string>

namespace ssr::media {

struct CairoSurfaceFree {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using CairoSurfacePtr = std::unique_ptr<cairo_surface_t, CairoSurfaceFree>;

// Throws std::runtime_error with a readable reason (not an image, truncated, too large).
CairoSurfacePtr LoadImage(const std::string& path);

} // namespace ssr::media
