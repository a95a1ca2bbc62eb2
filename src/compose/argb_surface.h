#pragma once
// A Cairo ARGB32 image surface and its conversion to I420.

#include "media/i420_frame.h"

#include <cairo.h>

namespace ssr::compose {

class ArgbSurface {
 public:
  ArgbSurface(int width, int height);
  ~ArgbSurface();
  ArgbSurface(const ArgbSurface&) = delete;
  ArgbSurface& operator=(const ArgbSurface&) = delete;

  cairo_t* cr() { return cr_; }
  int width() const { return width_; }
  int height() const { return height_; }

  // Converts the whole surface (width and height even) into `out`, resizing it.
  void ToI420(media::I420Frame* out);

 private:
  int width_;
  int height_;
  cairo_surface_t* surface_;
  cairo_t* cr_;
};

} // namespace ssr::compose
