#pragma once
// VP9 (default) or VP8 through libavcodec's libvpx wrappers, at realtime-class speed, with a
// rate that holds (see EncoderProfile).

#include "media/av_util.h"
#include "media/i420_frame.h"

#include <functional>
#include <map>
#include <string>

namespace ssr::encode {

enum class VideoCodec { kVp9, kVp8 };

// "vp9" / "vp8"; throws std::invalid_argument for anything else.
VideoCodec ParseVideoCodec(const std::string& name);

// How the encoder spends bits.
//  kHeld:   constant bitrate held by libvpx's buffer model (rc_min_rate = rc_max_rate =
//           bit_rate: libvpx CBR), 0.58 Mb/s at 720p30, keyframes every 10 s and wherever the
//           caller forces one (a slide or layout change). Chosen from bench/quality-bench.
//  kLegacy: the settings before rate control: a target of 1.5 Mb/s at 720p30 that libvpx's
//           realtime VBR overshoots about 2x on classroom content, a keyframe every 5 s.
//           Kept so that the benchmark can compare both in one run.
enum class EncoderProfile { kHeld, kLegacy };

// "default" / "legacy"; throws std::invalid_argument for anything else.
EncoderProfile ParseEncoderProfile(const std::string& name);

// A bitrate in bits per second from "600k", "1.5M", "800000" (50k to 50M); throws
// std::invalid_argument naming what is wrong.
int64_t ParseBitrate(const std::string& text);

// The default video bitrate of a profile for a canvas size and frame rate (scaled from its
// 720p30 figure by pixels per second).
int64_t DefaultVideoBitrate(EncoderProfile profile, int width, int height, int fps);

struct VideoEncoderOptions {
  VideoCodec codec = VideoCodec::kVp9;
  int width = 1280;
  int height = 720;
  int fps = 30;
  int threads = 1;         // a live recording gets one; offline rendering may use more
  int64_t bitrate_bps = 0; // 0: DefaultVideoBitrate
  EncoderProfile profile = EncoderProfile::kHeld;
  double keyframe_interval_s = 0; // 0: the profile's (10 s held, 5 s legacy)
  bool screen_content = false;    // VP9 tune-content screen
  // libvpx private options of libavcodec (e.g. "undershoot-pct" = "50") for experiments;
  // an unknown name or bad value throws std::invalid_argument naming it.
  std::map<std::string, std::string> extra;
};

class VideoEncoder {
 public:
  using PacketSink = std::function<void(AVPacket* packet)>; // packet time base: 1/fps

  explicit VideoEncoder(const VideoEncoderOptions& options);

  // Encodes picture number `frame_index` (a keyframe when `keyframe`); packets that come out
  // go to `sink`.
  void Encode(const media::I420Frame& frame, int64_t frame_index, const PacketSink& sink,
              bool keyframe = false);
  // Drains the encoder at the end.
  void Flush(const PacketSink& sink);

  const AVCodecContext* context() const { return codec_.get(); }
  // The periodic keyframe distance in frames (the encoder's own, without forced ones).
  int keyframe_interval_frames() const { return codec_->gop_size; }

 private:
  void Drain(const PacketSink& sink);

  media::CodecContextPtr codec_;
  media::FramePtr frame_;
  media::PacketPtr packet_;
};

} // namespace ssr::encode
