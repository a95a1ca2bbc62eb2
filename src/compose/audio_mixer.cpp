#include "compose/audio_mixer.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace ssr::compose {

namespace {
constexpr float kCeiling = 0.89F;         // -1 dBFS: headroom for the Opus codec's overshoot
constexpr float kReleasePerBlock = 0.02F; // gain recovery per 20 ms block (~1 s to unity)
} // namespace

void AudioMixer::Mix(const events::RoomState& room, double t, int frames, float* out) {
  std::fill(out, out + static_cast<size_t>(frames) * media::kChannels, 0.0F);
  for (const auto& [id, track] : room.tracks) {
    if (track.kind != MediaKind::kAudio || track.muted || t < track.publish_t) {
      continue;
    }
    if (media::AudioFeed* feed = media_.Audio(id)) {
      feed->MixInto(t - track.publish_t, frames, out);
    }
  }
  media_player_.Follow(room.media, t);
  media_player_.MixInto(frames, out);
  stream_player_.Follow(room.stream, t);
  stream_player_.MixInto(frames, out);
  Limit(frames, out);
}

void AudioMixer::Limit(int frames, float* samples) {
  const size_t n = static_cast<size_t>(frames) * media::kChannels;
  float peak = 0;
  for (size_t i = 0; i < n; ++i) {
    peak = std::max(peak, std::fabs(samples[i]));
  }
  const float needed = peak > kCeiling ? kCeiling / peak : 1.0F;
  // Attack at once (a block never clips); release gradually, ramping across the block.
  const float start = needed < gain_ ? needed : gain_;
  const float end = needed < gain_ ? needed : std::min(needed, gain_ + kReleasePerBlock);
  for (int f = 0; f < frames; ++f) {
    const float g = start + (end - start) * static_cast<float>(f) / static_cast<float>(frames);
    float* frame = samples + static_cast<std::ptrdiff_t>(f) * 2; // left, right
    frame[0] = std::clamp(frame[0] * g, -1.0F, 1.0F);
    frame[1] = std::clamp(frame[1] * g, -1.0F, 1.0F);
  }
  gain_ = end;
}

} // namespace ssr::compose
