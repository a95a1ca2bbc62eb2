#include "media/stream_reader.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace ssr::media {

namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Decoded frames a reader keeps ahead of its consumer: enough to ride out a burst, few
// enough to bound memory (a 1080p picture is about 3 MB).
constexpr size_t kVideoFramesAhead = 8;
constexpr size_t kAudioFramesAhead = 64; // about 1.4 s of 1024-sample frames

std::chrono::duration<double> Seconds(double s) { return std::chrono::duration<double>(s); }

std::string BitrateText(double bps) {
  char text[32];
  if (bps >= 1e6) {
    std::snprintf(text, sizeof(text), "%.1f Mbit/s", bps / 1e6);
  } else {
    std::snprintf(text, sizeof(text), "%.0f kbit/s", bps / 1e3);
  }
  return text;
}

} // namespace

struct StreamReader::Shared {
  AVMediaType type = AVMEDIA_TYPE_VIDEO;
  StreamUrlPolicy policy;
  OpenOptions options;
  StreamLimits limits;
  std::atomic<bool> cancel{false}; // OpenOptions::cancel: every blocking call gives up

  std::mutex mutex;
  std::condition_variable changed;
  // Under mutex:
  Opened opened = Opened::kPending;
  std::string error;
  bool retry = false;
  InputInfo info;
  double open_seconds = 0;
  int64_t declared_duration = AV_NOPTS_VALUE;
  std::deque<std::pair<FramePtr, double>> frames; // decoded, with their seconds
  bool ended = false;                             // no frame will be added
  std::vector<std::string> warnings;

  const char* kind() const { return type == AVMEDIA_TYPE_VIDEO ? "video" : "audio"; }

  void Finish(Opened outcome, std::string why, bool may_retry) {
    const std::lock_guard<std::mutex> lock(mutex);
    if (opened == Opened::kPending) {
      opened = outcome;
    }
    error = std::move(why);
    retry = may_retry;
    ended = true;
    changed.notify_all();
  }
};

StreamReader::StreamReader(const std::string& url, AVMediaType type, StreamUrlPolicy policy,
                           OpenOptions options, StreamLimits limits,
                           StreamDecoder::WarningSink warn, double wait_s)
    : shared_(std::make_shared<Shared>()), warn_(std::move(warn)), wait_s_(wait_s) {
  shared_->type = type;
  shared_->policy = std::move(policy);
  shared_->options = options;
  shared_->options.cancel = &shared_->cancel;
  if (type == AVMEDIA_TYPE_VIDEO) {
    shared_->options.max_pixels = limits.max_pixels;
  }
  shared_->limits = limits;
  // Detached: closing never waits for a read or a name lookup (see the header).
  std::thread(Run, shared_, url).detach();
}

StreamReader::~StreamReader() {
  const std::lock_guard<std::mutex> lock(shared_->mutex);
  shared_->cancel = true;
  shared_->changed.notify_all();
}

void StreamReader::Run(const std::shared_ptr<Shared>& shared, const std::string& url) {
  Shared& s = *shared;
  const Clock::time_point started = Clock::now();
  const OpenVerdict verdict = s.policy.CheckForOpen(url);
  if (!verdict.refused.empty()) {
    // A name that does not resolve now is retried like a stream that is down; a URL the
    // policy refuses, never.
    s.Finish(Opened::kFailed, verdict.retry ? verdict.refused : "refused: " + verdict.refused,
             verdict.retry);
    return;
  }
  std::unique_ptr<StreamDecoder> decoder;
  InputInfo info;
  try {
    std::optional<DecoderInput> input = OpenDecoderIfAny(url, s.type, s.options, info);
    if (!input) {
      const std::lock_guard<std::mutex> lock(s.mutex);
      s.info = info;
      s.open_seconds = SecondsSince(started);
      s.opened = Opened::kNone;
      s.ended = true;
      s.changed.notify_all();
      return;
    }
    const int64_t declared = input->format->duration;
    decoder = std::make_unique<StreamDecoder>(
        std::move(*input),
        [&s](const std::string& warning) {
          const std::lock_guard<std::mutex> lock(s.mutex);
          s.warnings.push_back(warning);
        },
        s.kind());
    const std::lock_guard<std::mutex> lock(s.mutex);
    s.declared_duration = declared;
  } catch (const std::exception& e) {
    s.Finish(Opened::kFailed, e.what(), true);
    return;
  }

  const size_t ahead = s.type == AVMEDIA_TYPE_VIDEO ? kVideoFramesAhead : kAudioFramesAhead;
  Clock::time_point opened_at;
  double first_seconds = NAN;
  bool first = true;
  for (;;) {
    FramePtr frame(av_frame_alloc());
    double seconds = NAN;
    const Pull pulled = decoder->Next(frame.get(), seconds);
    if (s.cancel) {
      return;
    }
    if (pulled != Pull::kFrame) {
      if (first) {
        s.Finish(Opened::kFailed, std::string("no decodable ") + s.kind(), true);
      } else {
        s.Finish(Opened::kOpen, "", true);
      }
      return;
    }
    if (first) {
      opened_at = Clock::now();
      first_seconds = seconds;
    }
    // The bitrate, from the window's end on: bytes of all packets since the open, over the
    // stream's own time (a render reads faster than real time) or the wall clock's, whichever
    // is longer (a stream whose timestamps stand still).
    const double media_s = std::isnan(seconds - first_seconds) ? 0 : seconds - first_seconds;
    const double elapsed = std::max(SecondsSince(opened_at), media_s);
    if (elapsed >= s.limits.bitrate_window_s) {
      const double bps = static_cast<double>(decoder->bytes_read()) * 8 / elapsed;
      if (bps > s.limits.max_bitrate_bps) {
        const std::string why = "its bitrate of " + BitrateText(bps) + " is over the limit of " +
                                BitrateText(s.limits.max_bitrate_bps) + "; stopped";
        {
          const std::lock_guard<std::mutex> lock(s.mutex);
          s.warnings.push_back(why);
        }
        s.Finish(Opened::kOpen, why, true);
        return;
      }
    }
    std::unique_lock<std::mutex> lock(s.mutex);
    if (first) {
      s.info = info;
      s.open_seconds = SecondsSince(started);
      s.opened = Opened::kOpen;
      first = false;
    }
    s.changed.wait(lock, [&] { return s.cancel || s.frames.size() < ahead; });
    if (s.cancel) {
      return;
    }
    s.frames.emplace_back(std::move(frame), seconds);
    s.changed.notify_all();
  }
}

StreamReader::Opened StreamReader::WaitOpened(double wait_s) {
  std::unique_lock<std::mutex> lock(shared_->mutex);
  shared_->changed.wait_for(lock, Seconds(wait_s),
                            [&] { return shared_->opened != Opened::kPending; });
  return shared_->opened;
}

std::string StreamReader::error() const {
  const std::lock_guard<std::mutex> lock(shared_->mutex);
  return shared_->error;
}

bool StreamReader::retry() const {
  const std::lock_guard<std::mutex> lock(shared_->mutex);
  return shared_->retry;
}

InputInfo StreamReader::info() const {
  const std::lock_guard<std::mutex> lock(shared_->mutex);
  return shared_->info;
}

double StreamReader::open_seconds() const {
  const std::lock_guard<std::mutex> lock(shared_->mutex);
  return shared_->open_seconds;
}

void StreamReader::DeliverWarnings() {
  std::vector<std::string> warnings;
  {
    const std::lock_guard<std::mutex> lock(shared_->mutex);
    warnings.swap(shared_->warnings);
  }
  for (const std::string& w : warnings) {
    Warn(w);
  }
}

FrameSource::Pull StreamReader::Next(AVFrame* frame, double& seconds) {
  Pull pulled = Pull::kNotYet;
  {
    std::unique_lock<std::mutex> lock(shared_->mutex);
    if (wait_s_ > 0) {
      shared_->changed.wait_for(lock, Seconds(wait_s_),
                                [&] { return !shared_->frames.empty() || shared_->ended; });
    }
    if (!shared_->frames.empty()) {
      av_frame_unref(frame);
      av_frame_move_ref(frame, shared_->frames.front().first.get());
      seconds = shared_->frames.front().second;
      shared_->frames.pop_front();
      shared_->changed.notify_all(); // room for the reader's thread
      pulled = Pull::kFrame;
    } else if (shared_->ended) {
      pulled = Pull::kEnd;
    }
  }
  DeliverWarnings();
  return pulled;
}

bool StreamReader::at_end() const {
  const std::lock_guard<std::mutex> lock(shared_->mutex);
  return shared_->ended && shared_->frames.empty();
}

std::string StreamReader::TruncationWarning(double last_media_t) const {
  const std::lock_guard<std::mutex> lock(shared_->mutex);
  return media::TruncationWarning(shared_->declared_duration, last_media_t);
}

void StreamReader::Warn(const std::string& message) const {
  if (warn_) {
    warn_(message);
  }
}

} // namespace ssr::media
