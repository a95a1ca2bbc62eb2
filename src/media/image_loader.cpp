#include "media/image_loader.h"

#include "media/av_util.h"

extern "C" {
#include <libswscale/swscale.h>
}

#include <stdexcept>

namespace ssr::media {

namespace {
constexpr int kMaxSide = 8192; // larger images are refused rather than eating memory
}

CairoSurfacePtr LoadImage(const std::string& path) {
  DecoderInput in = OpenDecoder(path, AVMEDIA_TYPE_VIDEO);
  PacketPtr packet(av_packet_alloc());
  FramePtr frame(av_frame_alloc());
  bool got = false;
  while (!got && av_read_frame(in.format.get(), packet.get()) >= 0) {
    if (packet->stream_index == in.stream_index &&
        avcodec_send_packet(in.codec.get(), packet.get()) >= 0) {
      got = avcodec_receive_frame(in.codec.get(), frame.get()) == 0;
    }
    av_packet_unref(packet.get());
  }
  if (!got) {
    avcodec_send_packet(in.codec.get(), nullptr);
    got = avcodec_receive_frame(in.codec.get(), frame.get()) == 0;
  }
  if (!got || frame->width <= 0 || frame->height <= 0) {
    throw std::runtime_error("no picture could be decoded (truncated or corrupt image)");
  }
  if (frame->width > kMaxSide || frame->height > kMaxSide) {
    throw std::runtime_error("image is larger than 8192 pixels on a side");
  }
  CairoSurfacePtr surface(
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, frame->width, frame->height));
  SwsContext* sws = sws_getContext(
      frame->width, frame->height, static_cast<AVPixelFormat>(frame->format), frame->width,
      frame->height, AV_PIX_FMT_BGRA, SWS_BILINEAR, nullptr, nullptr, nullptr);
  if (sws == nullptr) {
    throw std::runtime_error("unsupported pixel format");
  }
  cairo_surface_flush(surface.get());
  uint8_t* dst[1] = {cairo_image_surface_get_data(surface.get())};
  int stride[1] = {cairo_image_surface_get_stride(surface.get())};
  sws_scale(sws, frame->data, frame->linesize, 0, frame->height, dst, stride);
  sws_freeContext(sws);
  // Cairo wants premultiplied alpha.
  const int h = frame->height;
  const int w = frame->width;
  for (int y = 0; y < h; ++y) {
    uint8_t* row = dst[0] + static_cast<ptrdiff_t>(y) * stride[0];
    for (int x = 0; x < w; ++x) {
      uint8_t* p = row + static_cast<ptrdiff_t>(x) * 4;
      const unsigned a = p[3];
      if (a != 255) {
        p[0] = static_cast<uint8_t>(p[0] * a / 255);
        p[1] = static_cast<uint8_t>(p[1] * a / 255);
        p[2] = static_cast<uint8_t>(p[2] * a / 255);
      }
    }
  }
  cairo_surface_mark_dirty(surface.get());
  return surface;
}

} // namespace ssr::media
