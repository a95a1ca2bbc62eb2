#include "record/live_feeds.h"

#include "common/log.h"

#include <algorithm>
#include <cmath>

namespace ssr::record {

void LiveVideoFeed::Push(double track_t, const media::VideoPicture& p) {
  std::lock_guard lock(mutex_);
  media::I420Frame frame;
  if (!spare_.empty()) {
    frame = std::move(spare_.back());
    spare_.pop_back();
  }
  const int w = p.width & ~1;
  const int h = p.height & ~1;
  if (frame.width() != w || frame.height() != h) {
    frame.Resize(w, h);
  }
  frame.ScaleInto(p.y, p.stride_y, p.u, p.stride_u, p.v, p.stride_v, p.width, p.height,
                  {0, 0, w, h});
  // Pictures arrive in order; one stamped earlier than the last queued replaces nothing.
  if (!queue_.empty() && track_t < queue_.back().t) {
    Recycle(std::move(frame));
    return;
  }
  queue_.push_back({track_t, std::move(frame)});
  // Nobody reads a track that is not (yet) in the recorded room: keep a bounded backlog
  // (the live latency needs about a dozen pictures at 30 fps).
  while (queue_.size() > kMaxQueued) {
    Recycle(std::move(queue_.front().frame));
    queue_.pop_front();
  }
}

void LiveVideoFeed::Recycle(media::I420Frame frame) {
  if (spare_.size() < kMaxSpare)
    spare_.push_back(std::move(frame));
}

const media::VideoPicture* LiveVideoFeed::PictureAt(double track_t) {
  {
    std::lock_guard lock(mutex_);
    while (!queue_.empty() && queue_.front().t <= track_t + 1e-6) {
      if (has_shown_) {
        Recycle(std::move(shown_.frame));
      }
      shown_ = std::move(queue_.front());
      queue_.pop_front();
      has_shown_ = true;
    }
  }
  if (!has_shown_ || track_t - shown_.t > kFreezeSeconds) {
    return nullptr;
  }
  const media::I420Frame& f = shown_.frame;
  view_ = {f.y(), f.u(), f.v(), f.stride_y(), f.stride_uv(), f.stride_uv(), f.width(), f.height()};
  return &view_;
}

void LiveAudioFeed::Push(double track_t, const float* samples, int frames) {
  std::lock_guard lock(mutex_);
  int64_t at = std::llround(track_t * media::kSampleRate);
  if (start_sample_ < 0) {
    start_sample_ = at;
  }
  const int64_t end = start_sample_ + static_cast<int64_t>(samples_.size() / media::kChannels);
  // Packet times carry the jitter of their arrival: audio that continues the last packet
  // within kResyncSamples is placed right after it (no clicks, no pitch wobble); a larger
  // difference is a real gap or overlap and moves the audio to its stamped time.
  if (std::abs(at - end) <= kResyncSamples) {
    at = end;
  }
  if (at > end) { // a gap: silence until this packet
    samples_.insert(samples_.end(), static_cast<size_t>(at - end) * media::kChannels, 0.0F);
  }
  int skip = at < end ? static_cast<int>(std::min<int64_t>(end - at, frames)) : 0; // overlap
  samples_.insert(samples_.end(), samples + static_cast<ptrdiff_t>(skip) * media::kChannels,
                  samples + static_cast<ptrdiff_t>(frames) * media::kChannels);
  constexpr size_t kMaxBuffered = size_t{10} * media::kSampleRate * media::kChannels; // 10 s
  if (samples_.size() > kMaxBuffered) {
    const size_t drop = (samples_.size() - kMaxBuffered) / media::kChannels;
    samples_.erase(samples_.begin(),
                   samples_.begin() + static_cast<ptrdiff_t>(drop) * media::kChannels);
    start_sample_ += static_cast<int64_t>(drop);
  }
}

void LiveAudioFeed::MixInto(double track_t, int frames, float* mix) {
  std::lock_guard lock(mutex_);
  if (start_sample_ < 0) {
    return;
  }
  const int64_t want = std::llround(track_t * media::kSampleRate);
  // Drop what lies before the wanted range (it was mixed, or came too late).
  const int64_t drop = std::min<int64_t>(want - start_sample_,
                                         static_cast<int64_t>(samples_.size() / media::kChannels));
  if (drop > 0) {
    samples_.erase(samples_.begin(), samples_.begin() + drop * media::kChannels);
    start_sample_ += drop;
  }
  const int64_t available = static_cast<int64_t>(samples_.size() / media::kChannels);
  for (int64_t s = std::max(want, start_sample_); s < want + frames; ++s) {
    const int64_t i = s - start_sample_;
    if (i >= available) {
      break;
    }
    mix[(s - want) * 2] += samples_[i * 2];
    mix[(s - want) * 2 + 1] += samples_[i * 2 + 1];
  }
}

LiveVideoFeed& LiveMediaProvider::VideoFeedFor(const std::string& track_id) {
  std::lock_guard lock(mutex_);
  auto& slot = video_[track_id];
  if (!slot) {
    slot = std::make_unique<LiveVideoFeed>();
  }
  return *slot;
}

LiveAudioFeed& LiveMediaProvider::AudioFeedFor(const std::string& track_id) {
  std::lock_guard lock(mutex_);
  auto& slot = audio_[track_id];
  if (!slot) {
    slot = std::make_unique<LiveAudioFeed>();
  }
  return *slot;
}

std::optional<std::string> LiveMediaProvider::AssetPath(const std::string& name) {
  std::error_code ec;
  const auto path = assets_dir_ / name;
  if (assets_dir_.empty() || name.empty() || !std::filesystem::is_regular_file(path, ec)) {
    return std::nullopt;
  }
  return path.string();
}

void LiveMediaProvider::Warn(const std::string& message) {
  std::lock_guard lock(mutex_);
  if (std::find(warned_.begin(), warned_.end(), message) == warned_.end()) {
    warned_.push_back(message);
    Logger("record")->warn("{}", message);
  }
}

} // namespace ssr::record
