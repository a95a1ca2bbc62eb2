#include "render/bundle_media_provider.h"

#include "common/cpu_clock.h"
#include "media/file_audio_feed.h"
#include "media/file_video_feed.h"

#include <stdexcept>

namespace ssr::render {

namespace {

// Wraps a feed to account the CPU time spent decoding it.
class TimedVideoFeed : public media::VideoFeed {
 public:
  TimedVideoFeed(std::unique_ptr<media::VideoFeed> inner, double& cpu)
      : inner_(std::move(inner)), cpu_(cpu) {}
  const media::VideoPicture* PictureAt(double t) override {
    ScopedCpuTimer timer(cpu_);
    return inner_->PictureAt(t);
  }

 private:
  std::unique_ptr<media::VideoFeed> inner_;
  double& cpu_;
};

class TimedAudioFeed : public media::AudioFeed {
 public:
  TimedAudioFeed(std::unique_ptr<media::AudioFeed> inner, double& cpu)
      : inner_(std::move(inner)), cpu_(cpu) {}
  void MixInto(double t, int frames, float* mix) override {
    ScopedCpuTimer timer(cpu_);
    inner_->MixInto(t, frames, mix);
  }

 private:
  std::unique_ptr<media::AudioFeed> inner_;
  double& cpu_;
};

template <typename Feed> struct TimedFor;
template <> struct TimedFor<media::FileVideoFeed> { using Type = TimedVideoFeed; };
template <> struct TimedFor<media::FileAudioFeed> { using Type = TimedAudioFeed; };

} // namespace

template <typename Feed, typename Base>
Base* BundleMediaProvider::Open(std::map<std::string, std::unique_ptr<Base>>& feeds,
                                const std::string& track_id, MediaKind kind, double& decode_cpu_s) {
  auto it = feeds.find(track_id);
  if (it != feeds.end()) {
    return it->second.get(); // may be null: already reported
  }
  std::unique_ptr<Base>& slot = feeds[track_id];
  const auto file = bundle_.TrackFile(track_id);
  if (!file) {
    warn_("tracks/" + track_id + ".*: no media file for track '" + track_id + "'; " +
          (kind == MediaKind::kVideo ? "showing a name card" : "silent"));
    return nullptr;
  }
  const std::string name = "tracks/" + file->filename().string();
  try {
    ScopedCpuTimer timer(decode_cpu_s);
    auto feed = std::make_unique<Feed>(
        file->string(), [this, name](const std::string& what) { warn_(name + ": " + what); });
    slot = std::make_unique<typename TimedFor<Feed>::Type>(std::move(feed), decode_cpu_s);
  } catch (const std::exception& e) {
    warn_(name + ": " + e.what() + "; " +
          (kind == MediaKind::kVideo ? "showing a name card" : "silent"));
  }
  return slot.get();
}

media::VideoFeed* BundleMediaProvider::Video(const std::string& track_id) {
  return Open<media::FileVideoFeed>(video_, track_id, MediaKind::kVideo, video_decode_cpu_s_);
}

media::AudioFeed* BundleMediaProvider::Audio(const std::string& track_id) {
  return Open<media::FileAudioFeed>(audio_, track_id, MediaKind::kAudio, audio_decode_cpu_s_);
}

std::optional<std::string> BundleMediaProvider::AssetPath(const std::string& name) {
  const std::filesystem::path path = bundle_.AssetPath(name);
  std::error_code ec;
  if (name.empty() || !std::filesystem::is_regular_file(path, ec)) {
    return std::nullopt;
  }
  return path.string();
}

void BundleMediaProvider::Warn(const std::string& message) {
  if (warned_.insert(message).second) {
    warn_(message);
  }
}

} // namespace ssr::render
