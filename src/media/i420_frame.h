#pragma once
// A planar YUV 4:2:0 picture that owns its pixels, and the rectangles drawn into it.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ssr::media {

// An axis-aligned rectangle in pixels. Composer rectangles are kept on even coordinates
// so that they map exactly onto the half-resolution chroma planes.
struct Rect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
  bool Empty() const { return width <= 0 || height <= 0; }
  bool operator==(const Rect&) const = default;
};

// Rounds a rectangle inwards to even coordinates and sizes.
Rect EvenRect(Rect r);

// The largest rectangle of aspect `src_w:src_h` centred inside `box`, on even coordinates.
Rect FitRect(Rect box, int src_w, int src_h);

class I420Frame {
 public:
  I420Frame() = default;
  I420Frame(int width, int height) { Resize(width, height); }

  void Resize(int width, int height); // width and height must be even
  void Fill(uint8_t y, uint8_t u, uint8_t v);

  int width() const { return width_; }
  int height() const { return height_; }
  bool empty() const { return width_ == 0; }
  uint8_t* y() { return data_.data(); }
  uint8_t* u() { return data_.data() + y_size(); }
  uint8_t* v() { return data_.data() + y_size() + uv_size(); }
  const uint8_t* y() const { return data_.data(); }
  const uint8_t* u() const { return data_.data() + y_size(); }
  const uint8_t* v() const { return data_.data() + y_size() + uv_size(); }
  int stride_y() const { return width_; }
  int stride_uv() const { return width_ / 2; }

  // Copies `src` whole into `dst_rect` of this frame (no scaling; sizes must match).
  void Blit(const I420Frame& src, int dst_x, int dst_y);
  // Scales `src` into `dst_rect` of this frame (bilinear, libyuv).
  void ScaleInto(const uint8_t* y, int stride_y, const uint8_t* u, int stride_u, const uint8_t* v,
                 int stride_v, int src_w, int src_h, Rect dst_rect);

 private:
  size_t y_size() const { return static_cast<size_t>(width_) * height_; }
  size_t uv_size() const { return static_cast<size_t>(width_ / 2) * (height_ / 2); }

  int width_ = 0;
  int height_ = 0;
  std::vector<uint8_t> data_;
};

} // namespace ssr::media
