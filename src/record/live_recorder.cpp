#include "record/live_recorder.h"

#include "common/log.h"
#include "compose/audio_mixer.h"
#include "compose/composer.h"
#include "encode/audio_encoder.h"
#include "encode/keyframe_planner.h"
#include "encode/vtt_writer.h"
#include "encode/webm_writer.h"
#include "record/room_timeline.h"

#include <deque>

namespace ssr::record {

namespace {

encode::VideoEncoderOptions EncoderOptions(const LiveRecorderOptions& o) {
  encode::VideoEncoderOptions v;
  v.codec = o.codec;
  v.width = o.width;
  v.height = o.height;
  v.fps = o.fps;
  v.threads = o.encoder_threads;
  v.profile = o.encoder_profile;
  v.bitrate_bps = o.video_bitrate_bps;
  v.screen_content = o.screen_content;
  return v;
}

std::atomic<int64_t> recordings_started{0};

encode::KeyframePlan PlanFor(const LiveRecorderOptions& o, const encode::VideoEncoder& encoder) {
  encode::KeyframePlan plan;
  plan.interval_frames = encoder.keyframe_interval_frames();
  plan.min_distance_frames = o.fps / 2;
  plan.phase_frames = o.keyframe_phase_frames >= 0
                          ? o.keyframe_phase_frames
                          : encode::StaggeredPhase(recordings_started++, plan.interval_frames);
  return plan;
}

} // namespace

struct LiveRecorder::Impl {
  LiveRecorderOptions options;
  LiveMediaProvider& media;
  Clock::time_point session_start;
  double start_t;

  compose::Composer composer;
  compose::AudioMixer mixer;
  encode::VideoEncoder video_encoder;
  encode::KeyframePlanner keyframes;
  encode::AudioEncoder audio_encoder;
  encode::WebmWriter writer;
  encode::VttWriter vtt;
  int video_stream = -1;
  int audio_stream = -1;
  RoomTimeline timeline;

  std::mutex mutex;
  std::deque<events::Event> pending;     // posted, not applied yet
  std::deque<encode::ChatCue> open_cues; // chat lines whose cue has not ended yet
  double stop_at = -1;                   // recording time to stop at (set by Stop)
  std::thread thread;
  LiveRecorderStats stats;
  std::atomic<int64_t> frames_written{0};

  Impl(LiveRecorderOptions o, LiveMediaProvider& m, Clock::time_point start, double t0)
      : options(std::move(o)), media(m), session_start(start), start_t(t0),
        composer(options.width, options.height, m), mixer(m),
        video_encoder(EncoderOptions(options)), keyframes(PlanFor(options, video_encoder)),
        writer(options.output.string()),
        vtt(std::filesystem::path(options.output).replace_extension(".vtt").string()),
        timeline(
            options.room, t0, [](const std::string& w) { Logger("record")->warn("{}", w); },
            [this](const encode::ChatCue& cue) { open_cues.push_back(cue); }) {
    video_stream = writer.AddStream(video_encoder.context());
    audio_stream = writer.AddStream(audio_encoder.context());
    writer.AddChatStream();
    writer.SetMaxInterleaveDelay(500'000); // crash safety: at most ~1.5 s of media unwritten
    writer.Start();
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
        writer.WriteCue(cue);
        vtt.Write(cue);
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

  void Run() {
    const int block = encode::AudioEncoder::kFrameSamples;
    const AVRational video_tb{1, options.fps};
    const AVRational audio_tb{1, media::kSampleRate};
    auto video_sink = [&](AVPacket* p) { writer.WritePacket(p, video_tb, video_stream); };
    auto audio_sink = [&](AVPacket* p) { writer.WritePacket(p, audio_tb, audio_stream); };
    std::vector<float> samples(static_cast<size_t>(block) * media::kChannels);
    media::I420Frame canvas;
    int64_t frame = 0;
    int64_t audio_block = 0;
    while (true) {
      const double video_t = static_cast<double>(frame) / options.fps;
      const double audio_t = static_cast<double>(audio_block * block) / media::kSampleRate;
      const bool video_next = video_t <= audio_t;
      const double due = video_next ? video_t : audio_t;
      {
        std::lock_guard lock(mutex);
        if (stop_at >= 0 && due >= stop_at) {
          break;
        }
      }
      const Clock::time_point deadline = WallAt(due);
      std::this_thread::sleep_until(deadline);
      ApplyUpTo(start_t + due);
      const events::RoomState* room = timeline.room();
      if (video_next) {
        composer.Compose(timeline.state(), options.room, start_t + due, &canvas);
        const bool key = options.encoder_profile != encode::EncoderProfile::kLegacy &&
                         keyframes.Next(frame, composer.static_change());
        video_encoder.Encode(canvas, frame, video_sink, key);
        ++frame;
        frames_written = frame;
        WriteCuesEndingBy(video_t, /*cut=*/false);
        const double lag_ms =
            std::chrono::duration<double, std::milli>(Clock::now() - deadline).count();
        stats.max_lag_ms = std::max(stats.max_lag_ms, lag_ms);
        if (lag_ms > 1000.0 / options.fps) {
          ++stats.late_frames;
        }
      } else {
        std::fill(samples.begin(), samples.end(), 0.0F);
        if (room != nullptr) {
          mixer.Mix(*room, start_t + due, block, samples.data());
        }
        audio_encoder.Encode(samples.data(), audio_block * block, audio_sink);
        ++audio_block;
      }
    }
    WriteCuesEndingBy(static_cast<double>(frame) / options.fps, /*cut=*/true);
    video_encoder.Flush(video_sink);
    audio_encoder.Flush(audio_sink);
    writer.Finish();
    vtt.Close();
    stats.frames = frame;
    stats.keyframes = keyframes.keyframes();
    stats.media_s = static_cast<double>(frame) / options.fps;
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

LiveRecorderStats LiveRecorder::Stop(std::optional<double> end_t) {
  {
    std::lock_guard lock(impl_->mutex);
    const double now_t = std::chrono::duration<double>(Clock::now() - impl_->session_start).count();
    impl_->stop_at = std::max(0.0, end_t.value_or(now_t) - impl_->start_t);
  }
  if (impl_->thread.joinable()) {
    impl_->thread.join();
  }
  return impl_->stats;
}

} // namespace ssr::record
