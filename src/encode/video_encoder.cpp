#include "encode/video_encoder.h"

extern "C" {
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
}

#include <cmath>
#include <regex>
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

EncoderProfile ParseEncoderProfile(const std::string& name) {
  if (name == "default") {
    return EncoderProfile::kHeld;
  }
  if (name == "legacy") {
    return EncoderProfile::kLegacy;
  }
  throw std::invalid_argument("unknown encoder profile '" + name + "' (use default or legacy)");
}

int64_t ParseBitrate(const std::string& text) {
  static const std::regex kPattern(R"(([0-9]+(?:\.[0-9]+)?)([kKmM]?))");
  std::smatch m;
  if (!std::regex_match(text, m, kPattern)) {
    throw std::invalid_argument("bitrate '" + text +
                                "' must be a number of bits per second, optionally with k or M "
                                "(e.g. 600k, 1.5M)");
  }
  double value = std::stod(m[1]);
  const std::string unit = m[2];
  if (unit == "k" || unit == "K") {
    value *= 1e3;
  } else if (unit == "m" || unit == "M") {
    value *= 1e6;
  }
  if (value < 50e3 || value > 50e6) {
    throw std::invalid_argument("bitrate '" + text + "' is out of range (50k to 50M)");
  }
  return static_cast<int64_t>(std::llround(value));
}

int64_t DefaultVideoBitrate(EncoderProfile profile, int width, int height, int fps) {
  const double at_720p30 = profile == EncoderProfile::kLegacy ? 1.5e6 : 0.58e6;
  const double pixels_per_second = static_cast<double>(width) * height * fps;
  return static_cast<int64_t>(at_720p30 * pixels_per_second / (1280.0 * 720 * 30));
}

namespace {

void SetOption(AVCodecContext* c, const std::string& name, const std::string& value) {
  // Searches the codec context ("maxrate", "bufsize", ...) and libvpx's own options.
  const int rc = av_opt_set(c, name.c_str(), value.c_str(), AV_OPT_SEARCH_CHILDREN);
  if (rc == AVERROR_OPTION_NOT_FOUND) {
    throw std::invalid_argument("unknown encoder option '" + name + "'");
  }
  if (rc < 0) {
    throw std::invalid_argument("encoder option '" + name + "': bad value '" + value +
                                "': " + media::AvErrorText(rc));
  }
}

} // namespace

VideoEncoder::VideoEncoder(const VideoEncoderOptions& o)
    : frame_(av_frame_alloc()), packet_(av_packet_alloc()) {
  const char* name = o.codec == VideoCodec::kVp9 ? "libvpx-vp9" : "libvpx";
  const AVCodec* codec = avcodec_find_encoder_by_name(name);
  if (codec == nullptr) {
    throw std::runtime_error(std::string("encoder ") + name + " is not available");
  }
  const bool legacy = o.profile == EncoderProfile::kLegacy;
  codec_.reset(avcodec_alloc_context3(codec));
  AVCodecContext* c = codec_.get();
  c->width = o.width;
  c->height = o.height;
  c->pix_fmt = AV_PIX_FMT_YUV420P;
  c->time_base = AVRational{1, o.fps};
  c->framerate = AVRational{o.fps, 1};
  const double keyframe_s = o.keyframe_interval_s > 0 ? o.keyframe_interval_s : legacy ? 5 : 10;
  c->gop_size = std::max(1, static_cast<int>(std::lround(keyframe_s * o.fps)));
  c->bit_rate =
      o.bitrate_bps > 0 ? o.bitrate_bps : DefaultVideoBitrate(o.profile, o.width, o.height, o.fps);
  if (!legacy) {
    // libvpx's realtime VBR runs ~2x over its target on classroom frames; equal min, max and
    // target make libavcodec select CBR, whose buffer model holds the rate over seconds.
    c->rc_min_rate = c->bit_rate;
    c->rc_max_rate = c->bit_rate;
    c->rc_buffer_size = static_cast<int>(c->bit_rate); // 1 s of buffer (libvpx: ms)
  }
  c->thread_count = o.threads;
  c->color_range = AVCOL_RANGE_MPEG;
  c->colorspace = AVCOL_SPC_BT470BG; // libyuv converts with BT.601 coefficients
  c->color_primaries = AVCOL_PRI_BT709;
  c->color_trc = AVCOL_TRC_BT709;

  av_opt_set(c->priv_data, "deadline", "realtime", 0);
  if (!legacy) {
    // libvpx's default adaptation (50 %) leaves CBR 6-12 % over its target on classroom
    // frames and 30 % over in a scrolling screen share (bench/RESULTS.md); letting it take
    // back all of an overshoot holds every 10 s window within a few percent.
    av_opt_set_int(c->priv_data, "undershoot-pct", 100, 0);
    av_opt_set_int(c->priv_data, "overshoot-pct", 100, 0);
    // A keyframe of at most 3 average frames: a slide change does not starve the frames
    // after it (worst sampled SSIM 0.952 -> 0.956 on the classroom).
    av_opt_set_int(c->priv_data, "max-intra-rate", 300, 0);
  }
  av_opt_set_int(c->priv_data, "cpu-used", 8, 0);
  av_opt_set_int(c->priv_data, "lag-in-frames", 0, 0);
  av_opt_set_int(c->priv_data, "error-resilient", 0, 0);
  if (o.codec == VideoCodec::kVp9) {
    av_opt_set_int(c->priv_data, "row-mt", o.threads > 1 ? 1 : 0, 0);
    av_opt_set_int(c->priv_data, "tile-columns", o.threads > 1 ? 1 : 0, 0);
    av_opt_set_int(c->priv_data, "aq-mode", 3, 0); // cyclic refresh: cheap, good for screens
    if (o.screen_content) {
      av_opt_set(c->priv_data, "tune-content", "screen", 0);
    }
  }
  for (const auto& [key, value] : o.extra) {
    SetOption(c, key, value);
  }
  int rc = avcodec_open2(c, codec, nullptr);
  if (rc < 0) {
    throw std::runtime_error(std::string("cannot open ") + name + ": " + media::AvErrorText(rc));
  }
  frame_->format = AV_PIX_FMT_YUV420P;
  frame_->width = o.width;
  frame_->height = o.height;
  rc = av_frame_get_buffer(frame_.get(), 0);
  if (rc < 0) {
    throw std::runtime_error("cannot allocate the encoder's picture: " + media::AvErrorText(rc));
  }
}

void VideoEncoder::Encode(const media::I420Frame& frame, int64_t frame_index,
                          const PacketSink& sink, bool keyframe) {
  // libavcodec keeps a reference to what it is sent, and copies a picture it cannot reference
  // into a buffer it allocates: 1.4 MB at 720p, mapped and unmapped per frame under the
  // server's mmap threshold (a tenth of a live recording's CPU went to page faults). One
  // reference-counted picture of our own is reused instead; make_writable gives it a new
  // buffer only if the encoder still held the last one.
  int rc = av_frame_make_writable(frame_.get());
  if (rc < 0) {
    throw std::runtime_error("cannot reuse the encoder's picture: " + media::AvErrorText(rc));
  }
  const uint8_t* planes[4] = {frame.y(), frame.u(), frame.v(), nullptr};
  const int strides[4] = {frame.stride_y(), frame.stride_uv(), frame.stride_uv(), 0};
  av_image_copy(frame_->data, frame_->linesize, planes, strides, AV_PIX_FMT_YUV420P, frame.width(),
                frame.height());
  frame_->pts = frame_index;
  // libavcodec's libvpx wrapper forces a keyframe for an I picture.
  frame_->pict_type = keyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
  rc = avcodec_send_frame(codec_.get(), frame_.get());
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

} // namespace ssr::encode
