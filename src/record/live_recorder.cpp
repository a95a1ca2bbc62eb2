#include "record/live_recorder.h"

#include "common/log.h"
#include "compose/audio_mixer.h"
#include "compose/composer.h"
#include "record/part_writer.h"
#include "record/room_timeline.h"

#include <deque>

namespace ssr::record {

namespace {

PartWriterOptions PartOptions(const LiveRecorderOptions& o) {
  PartWriterOptions part;
  part.output = o.output;
  part.video.codec = o.codec;
  part.video.width = o.width;
  part.video.height = o.height;
  part.video.fps = o.fps;
  part.video.threads = o.encoder_threads;
  part.video.profile = o.encoder_profile;
  part.video.bitrate_bps = o.video_bitrate_bps;
  part.video.screen_content = o.screen_content;
  part.keyframe_phase_frames = o.keyframe_phase_frames; // -1: staggered
  part.max_interleave_delay_us = 500'000; // crash safety: at most ~1.5 s of media unwritten
  return part;
}

} // namespace

struct LiveRecorder::Impl {
  LiveRecorderOptions options;
  LiveMediaProvider& media;
  Clock::time_point session_start;
  double start_t;

  compose::Composer composer;
  compose::AudioMixer mixer;
  std::unique_ptr<PartWriter> part; // null when the part could not even be opened
  RoomTimeline timeline;

  std::mutex mutex;
  std::deque<events::Event> pending;     // posted, not applied yet
  std::deque<encode::ChatCue> open_cues; // chat lines whose cue has not ended yet
  double stop_at = -1;                   // recording time to stop at (set by Stop)
  std::string error;                     // why the part failed (under mutex)
  std::thread thread;
  LiveRecorderStats stats;
  std::atomic<int64_t> frames_written{0};

  Impl(LiveRecorderOptions o, LiveMediaProvider& m, Clock::time_point start, double t0)
      : options(std::move(o)), media(m), session_start(start), start_t(t0),
        composer(options.width, options.height, m), mixer(m),
        timeline(
            options.room, t0, [](const std::string& w) { Logger("record")->warn("{}", w); },
            [this](const encode::ChatCue& cue) { open_cues.push_back(cue); }) {
    try {
      part = std::make_unique<PartWriter>(PartOptions(options));
    } catch (const std::exception& e) {
      Fail(e.what());
    }
  }

  void Fail(const std::string& why) {
    Logger("record")->error("part {} failed: {}", options.output.string(), why);
    std::lock_guard lock(mutex);
    if (error.empty()) {
      error = why;
    }
  }

  Clock::time_point WallAt(double recording_t) const {
    const double session_t = start_t + recording_t + options.latency_s;
    return session_start +
           std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(session_t));
  }

  // A cue is written once its end is known: when the recording passes it, or cut at the
  // part's end (a live part does not know its end in advance, and a cue running past it
  // would make the file look longer than its video).
  void WriteCuesEndingBy(double recording_t, bool cut) {
    while (!open_cues.empty() && (cut || open_cues.front().end_s <= recording_t)) {
      encode::ChatCue cue = open_cues.front();
      open_cues.pop_front();
      cue.end_s = std::min(cue.end_s, recording_t);
      if (cue.end_s > cue.start_s) {
        part->WriteCue(cue);
      }
    }
  }

  void ApplyUpTo(double session_t) {
    std::lock_guard lock(mutex);
    while (!pending.empty() && pending.front().t <= session_t + 1e-9) {
      timeline.Apply(pending.front());
      pending.pop_front();
    }
  }

  bool StopsBefore(double recording_t) {
    std::lock_guard lock(mutex);
    return stop_at >= 0 && recording_t >= stop_at;
  }

  // Frames and audio blocks in time order, each at its wall-clock deadline, until Stop's time.
  void WriteUntilStopped() {
    std::vector<float> samples(static_cast<size_t>(encode::AudioEncoder::kFrameSamples) *
                               media::kChannels);
    while (true) {
      const PartWriter::Unit unit = *part->NextUnit();
      if (StopsBefore(unit.t)) {
        break;
      }
      const Clock::time_point deadline = WallAt(unit.t);
      std::this_thread::sleep_until(deadline);
      ApplyUpTo(start_t + unit.t);
      if (unit.video && ShedsFrame(deadline, part->frames())) {
        part->SkipFrame();
        frames_written = part->frames();
        WriteCuesEndingBy(unit.t, /*cut=*/false);
      } else if (unit.video) {
        media::I420Frame* canvas = part->AcquireFrame();
        composer.Compose(timeline.state(), options.room, start_t + unit.t, canvas);
        part->SubmitFrame(canvas, composer.static_change());
        frames_written = part->frames();
        WriteCuesEndingBy(unit.t, /*cut=*/false);
        CountLag(deadline);
      } else {
        std::fill(samples.begin(), samples.end(), 0.0F);
        if (const events::RoomState* room = timeline.room()) {
          mixer.Mix(*room, start_t + unit.t, encode::AudioEncoder::kFrameSamples, samples.data());
        }
        part->WriteAudio(samples.data());
      }
    }
    WriteCuesEndingBy(static_cast<double>(part->frames()) / options.fps, /*cut=*/true);
    part->Finish();
  }

  // Sheds a frame whose compose would begin too late (never the first: the part must have a
  // picture). Each shed frame costs nothing, so a recorder behind its clock catches up.
  bool ShedsFrame(Clock::time_point deadline, int64_t index) const {
    if (options.shed_after_s <= 0 || index == 0) {
      return false;
    }
    return std::chrono::duration<double>(Clock::now() - deadline).count() > options.shed_after_s;
  }

  void CountLag(Clock::time_point deadline) {
    const double lag_ms =
        std::chrono::duration<double, std::milli>(Clock::now() - deadline).count();
    stats.max_lag_ms = std::max(stats.max_lag_ms, lag_ms);
    if (lag_ms > 1000.0 / options.fps) {
      ++stats.late_frames;
    }
  }

  // Nothing escapes the thread: a failing part (disk full, an encoder error) stops, keeps
  // what it wrote, and reports why through error().
  void Run() {
    if (part) {
      try {
        WriteUntilStopped();
      } catch (const std::exception& e) {
        Fail(e.what());
        try {
          part->Finish(); // what it can: a playable file when only a frame was lost
        } catch (const std::exception&) {
          // The file stays as it is; the part is reported failed.
        }
      }
      stats.frames = part->frames();
      stats.shed_frames = part->skipped_frames();
      stats.keyframes = part->keyframes();
    }
    stats.media_s = static_cast<double>(stats.frames) / options.fps;
  }
};

LiveRecorder::LiveRecorder(LiveRecorderOptions options, LiveMediaProvider& media,
                           Clock::time_point session_start, double start_t)
    : impl_(std::make_unique<Impl>(std::move(options), media, session_start, start_t)) {}

LiveRecorder::~LiveRecorder() {
  if (impl_->thread.joinable()) {
    Stop();
  }
}

void LiveRecorder::PostEvent(const events::Event& event) {
  std::lock_guard lock(impl_->mutex);
  impl_->pending.push_back(event);
}

void LiveRecorder::Start() {
  // Events already due (the room as it is when recording starts) apply at once.
  impl_->thread = std::thread([this] { impl_->Run(); });
}

int64_t LiveRecorder::frames_written() const { return impl_->frames_written; }

std::optional<std::string> LiveRecorder::error() const {
  std::lock_guard lock(impl_->mutex);
  if (impl_->error.empty()) {
    return std::nullopt;
  }
  return impl_->error;
}

LiveRecorderStats LiveRecorder::Stop(std::optional<double> end_t) {
  {
    std::lock_guard lock(impl_->mutex);
    const double now_t = std::chrono::duration<double>(Clock::now() - impl_->session_start).count();
    impl_->stop_at = std::max(0.0, end_t.value_or(now_t) - impl_->start_t);
  }
  if (impl_->thread.joinable()) {
    impl_->thread.join();
  }
  LiveRecorderStats stats = impl_->stats;
  stats.error = error().value_or("");
  return stats;
}

} // namespace ssr::record
