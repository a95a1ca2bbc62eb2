#pragma once
// Mixes all audio of one room: every published, unmuted audio track, with a limiter so that
// the sum never clips.

#include "events/room_state.h"
#include "media/feeds.h"

#include <string>

namespace ssr::compose {

class AudioMixer {
 public:
  explicit AudioMixer(media::MediaProvider& media) : media_(media) {}

  // Writes `frames` interleaved stereo 48 kHz samples for [t, t + frames/48000) into `out`.
  void Mix(const events::RoomState& room, double t, int frames, float* out);

 private:
  void Limit(int frames, float* samples);

  media::MediaProvider& media_;
  float gain_ = 1.0F;  // limiter gain, recovers slowly after a loud passage
};

}  // namespace ssr::compose
