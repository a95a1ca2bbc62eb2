#pragma once
// Where one ingested track's media goes: the decoded pictures or samples (for the live
// composer and mixer) and the encoded units as received (for the bundle's raw track file).
// Times are CLOCK_MONOTONIC nanoseconds (std::chrono::steady_clock on Linux) at which the
// media was captured as seen by the receiver: RTP timestamps mapped through the jitter
// buffer, with audio and video of one publisher aligned by RTCP sender reports.
// Called on GStreamer streaming threads; implementations must not block for long.

#include "common/media_kind.h"
#include "media/feeds.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ssr::ingest {

// The codec of an ingested track, as the raw track file needs it.
struct CodecInfo {
  std::string name;               // "VP8", "VP9", "H264", "OPUS"
  std::vector<uint8_t> extradata; // H.264 avcC (from caps codec_data); empty otherwise
};

struct EncodedUnit {
  const uint8_t* data = nullptr;
  size_t size = 0;
  int64_t mono_ns = 0;
  bool keyframe = false;
};

class TrackSink {
 public:
  virtual ~TrackSink() = default;
  virtual void OnCodec(const CodecInfo& codec) = 0;
  virtual void OnEncoded(const EncodedUnit& unit) = 0;
  virtual void OnVideo(int64_t mono_ns, const media::VideoPicture& picture) = 0;
  // Interleaved stereo float samples at 48 kHz.
  virtual void OnAudio(int64_t mono_ns, const float* samples, int frames) = 0;
  // The ingest of this track ended (DELETE, connection lost, pipeline error).
  virtual void OnEnded(const std::string& reason) = 0;
};

} // namespace ssr::ingest
