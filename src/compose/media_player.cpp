#include "compose/media_player.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>

namespace ssr::compose {

namespace {

constexpr double kBackSeconds = 0.05; // a play this far behind the feed seeks back

} // namespace

void MediaPlayer::Close() {
  video_.reset();
  audio_.reset();
  state_ = State::kIdle;
  name_.clear();
  stream_ = false;
  paused_ = false;
  position_s_ = 0;
  duration_s_ = -1;
}

void MediaPlayer::Warn(const std::string& what) {
  media_.Warn((stream_ ? "stream " + name_ : "assets/" + name_) + ": " + what);
}

void MediaPlayer::Follow(const events::MediaState& media, double t) {
  if (media.asset.empty()) {
    if (state_ != State::kIdle) {
      Close();
    }
    return;
  }
  const double position = std::max(0.0, media.PositionAt(t));
  if (state_ == State::kIdle || stream_ || name_ != media.asset) {
    Close();
    name_ = media.asset;
    started_t_ = media.since_t;
    OpenAsset(position);
  } else if (state_ == State::kOpen &&
             (position < fed_s_ - kBackSeconds || position > fed_s_ + kJumpSeconds)) {
    OpenAsset(position); // a media.play that moved back, or far ahead
  }
  paused_ = !media.playing;
  position_s_ = position;
}

void MediaPlayer::OpenAsset(double position_s) {
  video_.reset();
  audio_.reset();
  const std::optional<std::string> path = media_.AssetPath(name_);
  if (!path) {
    state_ = State::kBroken;
    Warn("no such file in the bundle; pane 1 shows a card");
    return;
  }
  auto probed = probed_.find(*path);
  if (probed == probed_.end()) {
    try {
      probed = probed_.emplace(*path, media::ProbeInput(*path)).first;
    } catch (const std::exception& e) {
      state_ = State::kBroken;
      Warn(std::string(e.what()) + "; pane 1 shows a card");
      return;
    }
  }
  const media::InputInfo& info = probed->second;
  duration_s_ = info.duration_s;
  if (!info.has_video && !info.has_audio) {
    state_ = State::kBroken;
    Warn("no video or audio to play; pane 1 shows a card");
    return;
  }
  const std::string error = OpenFeed(*path, info, position_s, {});
  if (!error.empty()) {
    state_ = State::kBroken;
    Warn(error + (kind_ == Kind::kVideo ? "; pane 1 shows a card" : "; its sound is not played"));
  }
}

std::string MediaPlayer::OpenFeed(const std::string& path, const media::InputInfo& info,
                                  double start_s, const media::OpenOptions& options) {
  if (!(kind_ == Kind::kVideo ? info.has_video : info.has_audio)) {
    state_ = State::kNoFeed; // e.g. the picture of an audio file: the pane shows a card
    return "";
  }
  const std::string prefix = (stream_ ? "stream " : "assets/") + name_ + ": ";
  auto on_warning = [&media = media_, prefix](const std::string& what) {
    media.Warn(prefix + what);
  };
  try {
    if (kind_ == Kind::kVideo) {
      video_ = std::make_unique<media::FileVideoFeed>(path, on_warning, start_s, options);
    } else {
      audio_ = std::make_unique<media::FileAudioFeed>(path, on_warning, start_s, options);
    }
  } catch (const std::exception& e) {
    return e.what();
  }
  state_ = State::kOpen;
  fed_s_ = start_s;
  opened_s_ = start_s;
  had_picture_ = false;
  return "";
}

void MediaPlayer::Follow(const events::StreamState& stream, double t) {
  if (stream.url.empty()) {
    if (state_ != State::kIdle) {
      Close();
    }
    return;
  }
  if (state_ == State::kIdle || !stream_ || name_ != stream.url || started_t_ != stream.started_t) {
    Close();
    stream_ = true;
    name_ = stream.url;
    started_t_ = stream.started_t;
    next_try_t_ = stream.started_t;
    state_ = State::kUnavailable; // until the first attempt, just below
  }
  if (state_ == State::kUnavailable && t >= next_try_t_) {
    AttemptStream(next_try_t_);
  }
  const bool playing = state_ == State::kOpen || state_ == State::kNoFeed;
  position_s_ = playing ? std::max(0.0, t - origin_t_) : 0;
}

void MediaPlayer::AttemptStream(double attempt_t) {
  // A URL the policy refuses (a local file, an internal host) is never opened, nor retried;
  // a host name that does not resolve now is retried like a stream that is down.
  if (const media::OpenVerdict verdict = media_.StreamUrls().CheckForOpen(name_);
      !verdict.refused.empty()) {
    if (verdict.retry) {
      StreamBroke(attempt_t, verdict.refused);
      return;
    }
    state_ = State::kBroken;
    Warn("refused: " + verdict.refused); // the same words from the video and the audio player
    return;
  }
  // Bounded waits: an unreachable URL costs the render at most the timeout per attempt, a
  // server that drips its bytes at most the open deadline. Live streams keep their own
  // clock: time 0 is their first timestamp.
  media::OpenOptions options;
  options.timeout_s = kTimeoutSeconds;
  options.zero_at_start = true;
  options.remote_stream = true;
  options.open_deadline_s = kOpenDeadlineSeconds;
  std::string error;
  try {
    const media::InputInfo info = media::ProbeInput(name_, options);
    duration_s_ = info.duration_s;
    error = !info.has_video && !info.has_audio ? "no video or audio to play"
                                               : OpenFeed(name_, info, 0, options);
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (error.empty()) {
    origin_t_ = attempt_t; // both players of a stream open on the same schedule: in sync
    return;
  }
  StreamBroke(attempt_t, error);
}

void MediaPlayer::StreamBroke(double t, const std::string& why) {
  video_.reset();
  audio_.reset();
  // A stream of known length that reached its end is over; anything else is retried on a
  // grid of session time shared by the video and the audio player.
  if (duration_s_ > 0 && position_s_ >= duration_s_ - 1.0) {
    state_ = State::kEnded;
    return;
  }
  state_ = State::kUnavailable;
  next_try_t_ = started_t_ + (std::floor((t - started_t_) / kRetrySeconds) + 1) * kRetrySeconds;
  char retry[64];
  std::snprintf(retry, sizeof(retry), "; retrying every %g s", kRetrySeconds);
  Warn(why + retry);
}

const media::VideoPicture* MediaPlayer::Picture() {
  if (state_ != State::kOpen || video_ == nullptr) {
    return nullptr;
  }
  const media::VideoPicture* picture = video_->PictureAt(position_s_);
  fed_s_ = std::max(fed_s_, position_s_);
  had_picture_ = had_picture_ || picture != nullptr;
  if (stream_ && video_->ended()) {
    char why[80];
    std::snprintf(why, sizeof(why), "stopped after %.1f s", position_s_);
    StreamBroke(origin_t_ + position_s_, why);
    return nullptr;
  }
  return picture;
}

void MediaPlayer::MixInto(int frames, float* mix) {
  if (state_ != State::kOpen || audio_ == nullptr || paused_) {
    return;
  }
  audio_->MixInto(position_s_, frames, mix);
  fed_s_ = std::max(fed_s_, position_s_);
  if (stream_ && audio_->ended()) {
    char why[80];
    std::snprintf(why, sizeof(why), "stopped after %.1f s", position_s_);
    StreamBroke(origin_t_ + position_s_, why);
  }
}

} // namespace ssr::compose
