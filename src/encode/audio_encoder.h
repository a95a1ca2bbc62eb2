#pragma once
// Opus, 48 kHz stereo, 20 ms frames, through libavcodec's libopus wrapper.

#include "media/av_util.h"

#include <functional>

namespace ssr::encode {

class AudioEncoder {
 public:
  using PacketSink = std::function<void(AVPacket* packet)>; // packet time base: 1/48000
  static constexpr int kFrameSamples = 960;                 // 20 ms at 48 kHz

  explicit AudioEncoder(int64_t bitrate_bps = 96000);

  // Encodes one frame of kFrameSamples interleaved stereo float samples starting at sample
  // `first_sample` of the recording.
  void Encode(const float* samples, int64_t first_sample, const PacketSink& sink);
  void Flush(const PacketSink& sink);

  const AVCodecContext* context() const { return codec_.get(); }

 private:
  void Drain(const PacketSink& sink);

  media::CodecContextPtr codec_;
  media::FramePtr frame_;
  media::PacketPtr packet_;
};

} // namespace ssr::encode
