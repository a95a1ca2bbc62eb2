#pragma once
// Mixes all audio of one room: every published, unmuted audio track, the sound of the media
// that plays in pane 1 (media.play) and of its stream (stream.start), with a limiter so that
// the sum never clips.
//
// The mixer keeps its own audio players rather than sharing the webcam pane's: the reducer's
// state (asset, position, pause, stream start) is the only shared truth, and each consumer
// decodes it on its own clock, as tracks already do (a track's video and audio are separate
// feeds). So the mixer works without a composer (audio-only tests, a live recorder mixing on
// its own thread) and neither side depends on the other being called first. The cost is a
// second open of the asset or URL; both players retry a stream on the same grid of session
// time, so they reconnect together.

#include "compose/media_player.h"
#include "events/room_state.h"
#include "media/feeds.h"

#include <string>

namespace ssr::compose {

class AudioMixer {
 public:
  explicit AudioMixer(media::MediaProvider& media)
      : media_(media), media_player_(media, MediaPlayer::Kind::kAudio),
        stream_player_(media, MediaPlayer::Kind::kAudio) {}

  // Writes `frames` interleaved stereo 48 kHz samples for [t, t + frames/48000) into `out`.
  void Mix(const events::RoomState& room, double t, int frames, float* out);

 private:
  void Limit(int frames, float* samples);

  media::MediaProvider& media_;
  MediaPlayer media_player_;  // media.play: the asset's sound, silent while paused
  MediaPlayer stream_player_; // stream.start: the stream's sound
  float gain_ = 1.0F;         // limiter gain, recovers slowly after a loud passage
};

} // namespace ssr::compose
