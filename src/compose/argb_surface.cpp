#include "compose/argb_surface.h"

#include <libyuv/convert.h>

namespace ssr::compose {

ArgbSurface::ArgbSurface(int width, int height)
    : width_(width), height_(height),
      surface_(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height)),
      cr_(cairo_create(surface_)) {}

ArgbSurface::~ArgbSurface() {
  cairo_destroy(cr_);
  cairo_surface_destroy(surface_);
}

void ArgbSurface::ToI420(media::I420Frame* out) {
  cairo_surface_flush(surface_);
  if (out->width() != width_ || out->height() != height_) {
    out->Resize(width_, height_);
  }
  // Cairo's ARGB32 is native-endian 0xAARRGGBB: B, G, R, A in memory, libyuv's "ARGB".
  libyuv::ARGBToI420(cairo_image_surface_get_data(surface_),
                     cairo_image_surface_get_stride(surface_), out->y(), out->stride_y(), out->u(),
                     out->stride_uv(), out->v(), out->stride_uv(), width_, height_);
}

} // namespace ssr::compose
