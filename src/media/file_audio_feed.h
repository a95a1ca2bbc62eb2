#pragma once
// An AudioFeed that decodes a media file forward, or takes the audio of a stream decoded on
// another thread (a StreamReader) as it arrives, and resamples it to 48 kHz stereo float.

#include "media/av_util.h"
#include "media/feeds.h"
#include "media/stream_decoder.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

struct SwrContext;

namespace ssr::media {

class FileAudioFeed : public AudioFeed {
 public:
  // Throws std::runtime_error with the reason when the file has no decodable audio.
  // `start_s` seeks first (a media file played from a position).
  FileAudioFeed(const std::string& path, std::function<void(const std::string&)> on_warning,
                double start_s = 0, const OpenOptions& options = {});
  // Audio from `source` (a stream): samples that have not arrived when they are due are
  // silence, and dropped when they come.
  explicit FileAudioFeed(std::unique_ptr<FrameSource> source);
  ~FileAudioFeed() override;

  void MixInto(double track_t, int frames, float* mix) override;
  // The input has ended (or broke); what is left is at most one decoded frame.
  bool ended() const { return source_->at_end(); }

 private:
  // Appends resampled samples to fifo_; false at the end or when nothing has arrived yet.
  bool DecodeMore();
  // Converts from the format of `frame_` (set up at the first frame, again if it changes);
  // false when that format cannot be converted.
  bool ConverterFor();

  std::unique_ptr<FrameSource> source_;
  FramePtr frame_;
  SwrContext* swr_ = nullptr;
  int swr_format_ = -1; // the input format swr_ converts from
  int swr_rate_ = 0;
  int swr_channels_ = 0;
  bool broken_ = false; // the audio format cannot be converted: silence
  bool started_ = false;
  int64_t fifo_start_ = 0; // 48 kHz sample index of fifo_.front()
  std::deque<float> fifo_; // interleaved stereo
};

} // namespace ssr::media
