#pragma once
// Feeds for live recording: an ingest thread pushes decoded media stamped with session-clock
// times; the composer and the mixer read them a fixed latency behind real time. Both sides
// may run on different threads.

#include "media/feeds.h"
#include "media/i420_frame.h"

#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ssr::record {

class LiveVideoFeed : public media::VideoFeed {
 public:
  // How long the last picture stays when no newer one comes (a stalled track), before the
  // tile shows the name card.
  static constexpr double kFreezeSeconds = 2.0;

  // Copies a picture shown from `track_t` on (seconds from the track's time 0).
  void Push(double track_t, const media::VideoPicture& picture);

  const media::VideoPicture* PictureAt(double track_t) override;

  // Pictures waiting to be shown at most (1 s at 30 fps), and buffers kept for reuse: what
  // a track costs in memory is bounded by these (a 640x360 picture is 345 KB).
  static constexpr size_t kMaxQueued = 30;
  static constexpr size_t kMaxSpare = 2;

 private:
  void Recycle(media::I420Frame frame); // called with mutex_ held

  struct Timed {
    double t = 0;
    media::I420Frame frame;
  };
  std::mutex mutex_;
  std::deque<Timed> queue_;             // pictures not shown yet, in time order
  std::vector<media::I420Frame> spare_; // recycled buffers
  Timed shown_;                         // read by the composer thread only after PictureAt
  bool has_shown_ = false;
  media::VideoPicture view_;
};

class LiveAudioFeed : public media::AudioFeed {
 public:
  // Interleaved stereo 48 kHz samples starting at `track_t`. Audio that arrives late for a
  // range already mixed is dropped; a gap is silence.
  void Push(double track_t, const float* samples, int frames);

  void MixInto(double track_t, int frames, float* mix) override;

  // 40 ms: below it, a packet stamped away from where the last one ended continues it.
  static constexpr int64_t kResyncSamples = media::kSampleRate / 25;

 private:
  std::mutex mutex_;
  int64_t start_sample_ = -1; // 48 kHz sample index of samples_.front()
  std::deque<float> samples_;
};

// The live recorder's MediaProvider: feeds created on first use by either side.
class LiveMediaProvider : public media::MediaProvider {
 public:
  explicit LiveMediaProvider(std::filesystem::path assets_dir = {},
                             media::StreamUrlPolicy stream_urls = media::StreamUrlPolicy())
      : assets_dir_(std::move(assets_dir)), stream_urls_(std::move(stream_urls)) {}

  LiveVideoFeed& VideoFeedFor(const std::string& track_id);
  LiveAudioFeed& AudioFeedFor(const std::string& track_id);

  media::VideoFeed* Video(const std::string& track_id) override { return &VideoFeedFor(track_id); }
  media::AudioFeed* Audio(const std::string& track_id) override { return &AudioFeedFor(track_id); }
  std::optional<std::string> AssetPath(const std::string& name) override;
  void Warn(const std::string& message) override;
  const media::StreamUrlPolicy& StreamUrls() override { return stream_urls_; }
  // The recorder runs on the wall clock: a stream's frames are never waited for.
  bool RealTime() const override { return true; }

 private:
  std::filesystem::path assets_dir_;
  const media::StreamUrlPolicy stream_urls_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<LiveVideoFeed>> video_;
  std::map<std::string, std::unique_ptr<LiveAudioFeed>> audio_;
  std::vector<std::string> warned_;
};

} // namespace ssr::record
