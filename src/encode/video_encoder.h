#pragma once
// VP9 (default) or VP8 through libavcodec's libvpx wrappers, at realtime-class speed.

#include "media/av_util.h"
#include "media/i420_frame.h"

#include <functional>
#include <string>

namespace ssr::encode {

enum class VideoCodec { kVp9, kVp8 };

// "vp9" / "vp8"; throws std::invalid_argument for anything else.
VideoCodec ParseVideoCodec(const std::string& name);

struct VideoEncoderOptions {
  VideoCodec codec = VideoCodec::kVp9;
  int width = 1280;
  int height = 720;
  int fps = 30;
  int threads = 1;               // a live recording gets one; offline rendering may use more
  double keyframe_interval_s = 5;  // keyframes are costly; a seek decodes at most this far
  int64_t bitrate_bps = 0;       // 0: scaled from 1.5 Mb/s at 720p30
};

class VideoEncoder {
 public:
  using PacketSink = std::function<void(AVPacket* packet)>;  // packet time base: 1/fps

  explicit VideoEncoder(const VideoEncoderOptions& options);

  // Encodes picture number `frame_index`; packets that come out go to `sink`.
  void Encode(const media::I420Frame& frame, int64_t frame_index, const PacketSink& sink);
  // Drains the encoder at the end.
  void Flush(const PacketSink& sink);

  const AVCodecContext* context() const { return codec_.get(); }

 private:
  void Drain(const PacketSink& sink);

  media::CodecContextPtr codec_;
  media::FramePtr frame_;
  media::PacketPtr packet_;
};

}  // namespace ssr::encode
