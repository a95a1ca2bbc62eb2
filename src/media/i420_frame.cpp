#include "media/i420_frame.h"

#include <libyuv/planar_functions.h>
#include <libyuv/scale.h>

#include <algorithm>
#include <cstring>

namespace ssr::media {

Rect EvenRect(Rect r) {
  int x0 = (r.x + 1) & ~1;
  int y0 = (r.y + 1) & ~1;
  int x1 = (r.x + r.width) & ~1;
  int y1 = (r.y + r.height) & ~1;
  return {x0, y0, std::max(0, x1 - x0), std::max(0, y1 - y0)};
}

Rect FitRect(Rect box, int src_w, int src_h) {
  if (src_w <= 0 || src_h <= 0 || box.Empty()) {
    return {};
  }
  double scale =
      std::min(static_cast<double>(box.width) / src_w, static_cast<double>(box.height) / src_h);
  int w = static_cast<int>(src_w * scale) & ~1;
  int h = static_cast<int>(src_h * scale) & ~1;
  int x = (box.x + (box.width - w) / 2) & ~1;
  int y = (box.y + (box.height - h) / 2) & ~1;
  return {x, y, w, h};
}

void I420Frame::Resize(int width, int height) {
  width_ = width;
  height_ = height;
  data_.assign(y_size() + 2 * uv_size(), 0);
}

void I420Frame::Fill(uint8_t y_value, uint8_t u_value, uint8_t v_value) {
  std::memset(y(), y_value, y_size());
  std::memset(u(), u_value, uv_size());
  std::memset(v(), v_value, uv_size());
}

namespace {

// The byte at column x of row y of a plane; the row offset is computed in ptrdiff_t.
uint8_t* At(uint8_t* plane, int stride, int x, int y) {
  return plane + static_cast<ptrdiff_t>(y) * stride + x;
}

} // namespace

void I420Frame::Blit(const I420Frame& src, int dst_x, int dst_y) {
  int w = std::min(src.width(), width_ - dst_x);
  int h = std::min(src.height(), height_ - dst_y);
  if (w <= 0 || h <= 0 || dst_x < 0 || dst_y < 0) {
    return;
  }
  libyuv::CopyPlane(src.y(), src.stride_y(), At(y(), stride_y(), dst_x, dst_y), stride_y(), w, h);
  int cx = dst_x / 2;
  int cy = dst_y / 2;
  libyuv::CopyPlane(src.u(), src.stride_uv(), At(u(), stride_uv(), cx, cy), stride_uv(), w / 2,
                    h / 2);
  libyuv::CopyPlane(src.v(), src.stride_uv(), At(v(), stride_uv(), cx, cy), stride_uv(), w / 2,
                    h / 2);
}

void I420Frame::ScaleInto(const uint8_t* src_y, int src_stride_y, const uint8_t* src_u,
                          int src_stride_u, const uint8_t* src_v, int src_stride_v, int src_w,
                          int src_h, Rect r) {
  r = EvenRect(r);
  if (r.Empty() || r.x + r.width > width_ || r.y + r.height > height_) {
    return;
  }
  libyuv::I420Scale(src_y, src_stride_y, src_u, src_stride_u, src_v, src_stride_v, src_w, src_h,
                    At(y(), stride_y(), r.x, r.y), stride_y(),
                    At(u(), stride_uv(), r.x / 2, r.y / 2), stride_uv(),
                    At(v(), stride_uv(), r.x / 2, r.y / 2), stride_uv(), r.width, r.height,
                    libyuv::kFilterBilinear);
}

} // namespace ssr::media
