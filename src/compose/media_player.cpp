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
  opening_.reset();
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
  const std::string error = OpenFeed(*path, info, position_s);
  if (!error.empty()) {
    state_ = State::kBroken;
    Warn(error + (kind_ == Kind::kVideo ? "; pane 1 shows a card" : "; its sound is not played"));
  }
}

std::string MediaPlayer::OpenFeed(const std::string& path, const media::InputInfo& info,
                                  double start_s) {
  if (!(kind_ == Kind::kVideo ? info.has_video : info.has_audio)) {
    state_ = State::kNoFeed; // e.g. the picture of an audio file: the pane shows a card
    return "";
  }
  const std::string prefix = "assets/" + name_ + ": ";
  auto on_warning = [&media = media_, prefix](const std::string& what) {
    media.Warn(prefix + what);
  };
  try {
    if (kind_ == Kind::kVideo) {
      video_ = std::make_unique<media::FileVideoFeed>(path, on_warning, start_s);
    } else {
      audio_ = std::make_unique<media::FileAudioFeed>(path, on_warning, start_s);
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
  if (state_ == State::kOpening) {
    PollStreamOpen();
  }
  const bool playing = state_ == State::kOpen || state_ == State::kNoFeed;
  position_s_ = playing ? std::max(0.0, t - origin_t_) : 0;
}

void MediaPlayer::AttemptStream(double attempt_t) {
  // Bounded waits: an unreachable URL costs at most the timeout per attempt, a server that
  // drips its bytes at most the open deadline, and in a live recording neither costs the
  // composer anything (the reader's thread waits). Live streams keep their own clock: time 0
  // is their first timestamp.
  media::OpenOptions options;
  options.timeout_s = kTimeoutSeconds;
  options.zero_at_start = true;
  options.remote_stream = true;
  options.open_deadline_s = kOpenDeadlineSeconds;
  const std::string prefix = "stream " + name_ + ": ";
  auto on_warning = [&media = media_, prefix](const std::string& what) {
    media.Warn(prefix + what);
  };
  // Renders wait for each frame up to a read's timeout and a bit: the reader's thread gets
  // a frame or gives up within that.
  const double frame_wait = media_.RealTime() ? 0 : kTimeoutSeconds + 1;
  opening_ = std::make_unique<media::StreamReader>(
      name_, kind_ == Kind::kVideo ? AVMEDIA_TYPE_VIDEO : AVMEDIA_TYPE_AUDIO, media_.StreamUrls(),
      options, media_.StreamCaps(), on_warning, frame_wait);
  attempt_t_ = attempt_t;
  state_ = State::kOpening;
  PollStreamOpen();
}

void MediaPlayer::PollStreamOpen() {
  const bool live = media_.RealTime();
  const double open_wait = live ? 0 : kOpenDeadlineSeconds + kTimeoutSeconds + 1;
  const media::StreamReader::Opened opened = opening_->WaitOpened(open_wait);
  if (opened == media::StreamReader::Opened::kPending) {
    return; // live: the next Follow looks again
  }
  if (opened == media::StreamReader::Opened::kFailed) {
    const std::string error = opening_->error();
    const bool retry = opening_->retry();
    opening_.reset();
    if (!retry) {
      state_ = State::kBroken;
      Warn(error); // the same words from the video and the audio player
      return;
    }
    StreamBroke(attempt_t_, error);
    return;
  }
  const media::InputInfo info = opening_->info();
  duration_s_ = info.duration_s;
  // Both players of a stream attempt on the same schedule; live, each places time 0 where its
  // stream opened (they open at about the same moment), renders at the attempt: in sync.
  origin_t_ = live ? attempt_t_ + opening_->open_seconds() + kStreamBufferSeconds : attempt_t_;
  fed_s_ = 0;
  opened_s_ = 0;
  had_picture_ = false;
  if (opened == media::StreamReader::Opened::kNone) {
    opening_.reset();
    state_ = info.has_video || info.has_audio ? State::kNoFeed : State::kUnavailable;
    if (state_ == State::kUnavailable) {
      StreamBroke(attempt_t_, "no video or audio to play");
    }
    return;
  }
  if (kind_ == Kind::kVideo) {
    video_ = std::make_unique<media::FileVideoFeed>(std::move(opening_));
  } else {
    audio_ = std::make_unique<media::FileAudioFeed>(std::move(opening_));
  }
  state_ = State::kOpen;
}

void MediaPlayer::StreamBroke(double t, const std::string& why) {
  video_.reset();
  audio_.reset();
  opening_.reset();
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
