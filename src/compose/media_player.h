#pragma once
// Pane 1's prerecorded media (media.play/pause/stop) and video stream (stream.start/stop),
// on the decoding side: a MediaPlayer follows one of them in the room's state and keeps a
// feed open on what plays now. It opens the asset (or URL) at the position the state says,
// reopens on a new media.play that jumps, freezes while paused, closes on stop, and retries
// a stream that cannot be opened or breaks every few seconds of session time.
//
// A stream is opened and decoded by a StreamReader on a thread of its own. In a live
// recording (MediaProvider::RealTime) the player never waits for it: it shows what has
// arrived, and stream time 0 is placed when the stream opened, plus kStreamBufferSeconds to
// ride out the network's jitter. An offline render waits for it instead (bounded by its
// timeouts) and places stream time 0 at the attempt, so a render is the same every time.
//
// A player serves one kind: the webcam pane holds video players, the mixer audio players.
// Each follows the same room state with its own clock, as a track's separate video and audio
// feeds do, so neither depends on the other being called (why: audio_mixer.h).

#include "events/room_state.h"
#include "media/av_util.h"
#include "media/feeds.h"
#include "media/file_audio_feed.h"
#include "media/file_video_feed.h"
#include "media/stream_reader.h"

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace ssr::compose {

class MediaPlayer {
 public:
  enum class Kind { kVideo, kAudio };
  enum class State {
    kIdle,        // nothing to play
    kOpening,     // a stream being opened (live recordings only; renders wait for it)
    kOpen,        // the feed is open (playing or paused)
    kNoFeed,      // plays, but has nothing of this kind (the picture of an audio file)
    kEnded,       // a stream of known length played to its end
    kUnavailable, // a stream that cannot be opened or broke; retried
    kBroken,      // an asset that is missing or cannot be decoded (reported once)
  };

  static constexpr double kRetrySeconds = 5;           // of session time, between stream attempts
  static constexpr double kTimeoutSeconds = 2;         // a stream's connect and read timeout
  static constexpr double kOpenDeadlineSeconds = 10;   // a stream's whole open, however slow
  static constexpr double kJumpSeconds = 3;            // a forward jump decoded through, not seeked
  static constexpr double kStreamBufferSeconds = 0.25; // live: how far behind its arrival a
                                                       // stream plays
  MediaPlayer(media::MediaProvider& media, Kind kind) : media_(media), kind_(kind) {}

  // Follows the room's media, or its stream, at session time t.
  void Follow(const events::MediaState& media, double t);
  void Follow(const events::StreamState& stream, double t);

  // Video players: the picture at the position of the last Follow (the same one while
  // paused), or nullptr (before the first picture, after the end, or no feed).
  const media::VideoPicture* Picture();
  // Audio players: adds the audio of [t, t + frames / 48 kHz) of the last Follow into `mix`;
  // nothing while paused.
  void MixInto(int frames, float* mix);

  State state() const { return state_; }
  bool active() const { return state_ != State::kIdle; }
  bool stream() const { return stream_; }
  bool paused() const { return paused_; }
  const std::string& name() const { return name_; } // asset name or URL
  double position_s() const { return position_s_; } // in the asset (stream: since opened)
  double duration_s() const { return duration_s_; } // negative when unknown
  double started_t() const { return started_t_; }   // session time the source started
  // Video: opened under a second ago with no picture yet (the pane need not show a card).
  bool starting() const {
    return state_ == State::kOpening ||
           (state_ == State::kOpen && !had_picture_ && position_s_ - opened_s_ < 1.0);
  }

 private:
  void Close();
  void OpenAsset(double position_s);
  void AttemptStream(double attempt_t);
  // A stream being opened: takes the open's outcome once there is one.
  void PollStreamOpen();
  void StreamBroke(double t, const std::string& why);
  // Opens the feed of an asset of this player's kind (state kOpen, or kNoFeed when the asset
  // has none of it); returns why it failed, or an empty string.
  std::string OpenFeed(const std::string& path, const media::InputInfo& info, double start_s);
  void Warn(const std::string& what);

  media::MediaProvider& media_;
  Kind kind_;
  State state_ = State::kIdle;
  std::string name_;
  bool stream_ = false;
  bool paused_ = false;
  double started_t_ = 0;
  double position_s_ = 0;
  double fed_s_ = 0;    // the last position asked of the feed (feeds only move forward)
  double opened_s_ = 0; // the position the feed opened at
  bool had_picture_ = false;
  double duration_s_ = -1;
  double origin_t_ = 0;   // streams: session time of stream time 0
  double next_try_t_ = 0; // streams: next attempt
  std::unique_ptr<media::FileVideoFeed> video_;
  std::unique_ptr<media::FileAudioFeed> audio_;
  std::unique_ptr<media::StreamReader> opening_;   // a stream's reader until it has opened
  double attempt_t_ = 0;                           // streams: session time of the attempt
  std::map<std::string, media::InputInfo> probed_; // assets do not change during a session
};

} // namespace ssr::compose
