#pragma once
// One published track's live media, whatever ingest it comes from (WHIP or RTP): decoded
// pictures and samples go to the live recorder's feeds on the track's own clock (session
// time − its track.publish time), encoded units to the bundle's raw track file. Media that
// arrives before the track's track.publish event is known is not part of the track: dropped.

#include "ingest/track_sink.h"
#include "live/session_clock.h"
#include "record/live_feeds.h"
#include "record/track_file_writer.h"

#include <atomic>
#include <cmath>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ssr::live {

class IngestedTrack : public ingest::TrackSink {
 public:
  IngestedTrack(std::string track_id, MediaKind kind, SessionClock& clock,
                record::LiveMediaProvider& media, std::filesystem::path tracks_dir);
  ~IngestedTrack() override;

  // The session time of the track's track.publish event.
  void SetOrigin(double publish_t) { origin_t_ = publish_t; }

  void OnCodec(const ingest::CodecInfo& codec) override;
  void OnEncoded(const ingest::EncodedUnit& unit) override;
  void OnVideo(int64_t mono_ns, const media::VideoPicture& picture) override;
  void OnAudio(int64_t mono_ns, const float* samples, int frames) override;
  void OnEnded(const std::string& reason) override;

  // Monotonic ns of the last decoded media, 0 if none yet (for "is media flowing").
  int64_t last_media_ns() const { return last_media_ns_; }
  MediaKind kind() const { return kind_; }
  // Finishes the raw track file (cues, duration).
  void FinishFile();

 private:
  std::optional<double> TrackTime(int64_t mono_ns) const;
  void WriteEncoded(const uint8_t* data, size_t size, double t, bool keyframe);

  const std::string track_id_;
  const MediaKind kind_;
  SessionClock& clock_;
  record::LiveMediaProvider& media_;
  const std::filesystem::path tracks_dir_;
  std::atomic<double> origin_t_{NAN};
  std::atomic<int64_t> last_media_ns_{0};

  std::mutex file_mutex_;
  record::TrackCodec codec_;
  bool has_codec_ = false;
  std::unique_ptr<record::TrackFileWriter> file_;
  bool file_failed_ = false;
  struct Pending {
    std::vector<uint8_t> data;
    double t;
    bool keyframe;
  };
  std::vector<Pending> pending_; // encoded video held until the picture size is known
};

} // namespace ssr::live
