#include "encode/video_encoder.h"

extern "C" {
#include <libavutil/opt.h>
}

#include <cmath>
#include <stdexcept>

namespace ssr::encode {

VideoCodec ParseVideoCodec(const std::string& name) {
  if (name == "vp9") {
    return VideoCodec::kVp9;
  }
  if (name == "vp8") {
    return VideoCodec::kVp8;
  }
  throw std::invalid_argument("unknown video codec '" + name + "' (use vp9 or vp8)");
}

VideoEncoder::VideoEncoder(const VideoEncoderOptions& o)
    : frame_(av_frame_alloc()), packet_(av_packet_alloc()) {
  const char* name = o.codec == VideoCodec::kVp9 ? "libvpx-vp9" : "libvpx";
  const AVCodec* codec = avcodec_find_encoder_by_name(name);
  if (codec == nullptr) {
    throw std::runtime_error(std::string("encoder ") + name + " is not available");
  }
  codec_.reset(avcodec_alloc_context3(codec));
  AVCodecContext* c = codec_.get();
  c->width = o.width;
  c->height = o.height;
  c->pix_fmt = AV_PIX_FMT_YUV420P;
  c->time_base = AVRational{1, o.fps};
  c->framerate = AVRational{o.fps, 1};
  c->gop_size = std::max(1, static_cast<int>(std::lround(o.keyframe_interval_s * o.fps)));
  const double pixels_per_second = static_cast<double>(o.width) * o.height * o.fps;
  c->bit_rate = o.bitrate_bps > 0 ? o.bitrate_bps
                                  : static_cast<int64_t>(1.5e6 * pixels_per_second /
                                                         (1280.0 * 720 * 30));
  c->thread_count = o.threads;
  c->color_range = AVCOL_RANGE_MPEG;
  c->colorspace = AVCOL_SPC_BT470BG;  // libyuv converts with BT.601 coefficients
  c->color_primaries = AVCOL_PRI_BT709;
  c->color_trc = AVCOL_TRC_BT709;

  av_opt_set(c->priv_data, "deadline", "realtime", 0);
  av_opt_set_int(c->priv_data, "cpu-used", 8, 0);
  av_opt_set_int(c->priv_data, "lag-in-frames", 0, 0);
  av_opt_set_int(c->priv_data, "error-resilient", 0, 0);
  if (o.codec == VideoCodec::kVp9) {
    av_opt_set_int(c->priv_data, "row-mt", o.threads > 1 ? 1 : 0, 0);
    av_opt_set_int(c->priv_data, "tile-columns", o.threads > 1 ? 1 : 0, 0);
    av_opt_set_int(c->priv_data, "aq-mode", 3, 0);  // cyclic refresh: cheap, good for screens
  }
  int rc = avcodec_open2(c, codec, nullptr);
  if (rc < 0) {
    throw std::runtime_error(std::string("cannot open ") + name + ": " + media::AvErrorText(rc));
  }
  frame_->format = AV_PIX_FMT_YUV420P;
  frame_->width = o.width;
  frame_->height = o.height;
}

void VideoEncoder::Encode(const media::I420Frame& frame, int64_t frame_index,
                          const PacketSink& sink) {
  // The encoder copies the picture, so the frame points at our buffer without a copy here.
  frame_->data[0] = const_cast<uint8_t*>(frame.y());
  frame_->data[1] = const_cast<uint8_t*>(frame.u());
  frame_->data[2] = const_cast<uint8_t*>(frame.v());
  frame_->linesize[0] = frame.stride_y();
  frame_->linesize[1] = frame.stride_uv();
  frame_->linesize[2] = frame.stride_uv();
  frame_->pts = frame_index;
  int rc = avcodec_send_frame(codec_.get(), frame_.get());
  if (rc < 0) {
    throw std::runtime_error("video encoder rejected a frame: " + media::AvErrorText(rc));
  }
  Drain(sink);
}

void VideoEncoder::Flush(const PacketSink& sink) {
  avcodec_send_frame(codec_.get(), nullptr);
  Drain(sink);
}

void VideoEncoder::Drain(const PacketSink& sink) {
  while (avcodec_receive_packet(codec_.get(), packet_.get()) == 0) {
    sink(packet_.get());
    av_packet_unref(packet_.get());
  }
}

}  // namespace ssr::encode
