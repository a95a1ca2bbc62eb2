#pragma once
// An AudioFeed that decodes a media file forward and resamples it to 48 kHz stereo float.

#include "media/av_util.h"
#include "media/feeds.h"
#include "media/stream_decoder.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <string>

struct SwrContext;

namespace ssr::media {

class FileAudioFeed : public AudioFeed {
 public:
  // Throws std::runtime_error with the reason when the file has no decodable audio.
  // `start_s` seeks first (a media file played from a position).
  FileAudioFeed(const std::string& path, std::function<void(const std::string&)> on_warning,
                double start_s = 0, const OpenOptions& options = {});
  ~FileAudioFeed() override;

  void MixInto(double track_t, int frames, float* mix) override;
  // The input has ended (or broke); what is left is at most one decoded frame.
  bool ended() const { return decoder_.at_end(); }

 private:
  bool DecodeMore(); // appends resampled samples to fifo_; false at the end

  StreamDecoder decoder_;
  FramePtr frame_;
  SwrContext* swr_ = nullptr;
  bool started_ = false;
  int64_t fifo_start_ = 0; // 48 kHz sample index of fifo_.front()
  std::deque<float> fifo_; // interleaved stereo
};

} // namespace ssr::media
