#include "render/offline_renderer.h"

#include "common/cpu_clock.h"
#include "compose/audio_mixer.h"
#include "compose/composer.h"
#include "events/room_state.h"
#include "media/av_util.h"
#include "record/part_writer.h"
#include "record/room_timeline.h"
#include "render/bundle_media_provider.h"
#include "render/encode_worker.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

namespace ssr::render {

double RoomStartTime(const events::Bundle& bundle, const std::string& room) {
  if (room == "main") {
    return 0;
  }
  for (const events::Event& e : bundle.events) {
    if (e.type == events::EventType::kRoomOpen && e.Str("id") == room) {
      return e.t;
    }
  }
  throw events::BundleError("events.jsonl: room '" + room + "' is never opened");
}

RenderSpan ComputeSpan(const events::Bundle& bundle, const std::string& room) {
  RenderSpan span;
  span.start_t = RoomStartTime(bundle, room);
  std::map<std::string, double> publish_t; // tracks of the room
  std::map<std::string, double> track_end;
  for (const events::Event& e : bundle.events) {
    span.end_t = std::max(span.end_t, e.t);
    if (e.type == events::EventType::kTrackPublish && e.room == room) {
      publish_t[e.Str("track")] = e.t;
    }
    if (e.type == events::EventType::kTrackUnpublish && publish_t.count(e.Str("track")) != 0) {
      track_end[e.Str("track")] = e.t;
    }
  }
  for (const auto& [track, t0] : publish_t) {
    auto file = bundle.TrackFile(track);
    double duration = file ? media::ProbeDurationSeconds(file->string()) : -1;
    if (duration > 0) {
      double end = t0 + duration;
      auto unpublished = track_end.find(track);
      if (unpublished != track_end.end()) {
        end = std::min(end, unpublished->second);
      }
      span.end_t = std::max(span.end_t, end);
    }
  }
  // A breakout room's recording ends when it closes.
  for (const events::Event& e : bundle.events) {
    if (room != "main" && e.type == events::EventType::kRoomClose && e.Str("id") == room &&
        e.t >= span.start_t) {
      span.end_t = std::min(span.end_t, e.t);
      break;
    }
  }
  return span;
}

namespace {

record::PartWriterOptions PartOptions(const RenderOptions& o) {
  record::PartWriterOptions part;
  part.output = o.output;
  part.video.codec = o.codec;
  part.video.width = o.width;
  part.video.height = o.height;
  part.video.fps = o.fps;
  part.video.profile = o.encoder_profile;
  part.video.bitrate_bps = o.video_bitrate_bps;
  part.video.screen_content = o.screen_content;
  part.video.extra = o.encoder_extra;
  // VP9 scales over cores with row-mt and tile columns; libvpx's VP8 gets slower with more
  // than one thread on these machines (bench/RESULTS.md), so it keeps one.
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  part.video.threads = o.encoder_threads > 0                 ? o.encoder_threads
                       : o.codec == encode::VideoCodec::kVp8 ? 1
                                                             : cores;
  part.scene_keyframes = o.scene_keyframes;
  // Composing frame n+1 overlaps encoding frame n.
  part.video_stage = [](encode::VideoEncoder& encoder, encode::WebmWriter& writer, int stream) {
    return std::make_unique<EncodeWorker>(encoder, writer, stream);
  };
  return part;
}

// At most every 250 ms: the share of frames done and the speed (media seconds per second).
void ReportProgress(const RenderOptions& o, int64_t frames, int64_t total_frames,
                    std::chrono::steady_clock::time_point wall_start,
                    std::chrono::steady_clock::time_point& last_progress) {
  const auto now = std::chrono::steady_clock::now();
  if (!o.on_progress || now - last_progress <= std::chrono::milliseconds(250)) {
    return;
  }
  last_progress = now;
  const double wall = std::chrono::duration<double>(now - wall_start).count();
  const double video_t = static_cast<double>(frames) / o.fps;
  o.on_progress(static_cast<double>(frames) / static_cast<double>(total_frames),
                video_t / std::max(wall, 1e-6));
}

// What the part holds, and CPU time by stage. Decoding happens inside composing (video) and
// mixing (audio), muxing inside the audio encoder's sink: each is counted once, in its own
// stage.
void CountPart(const record::PartWriter& part, const compose::Composer& composer,
               const BundleMediaProvider& media, RenderReport& report) {
  report.frames = part.frames();
  report.chat_cues = part.chat_cues();
  report.static_redraws = composer.stats().static_redraws;
  report.keyframes = part.keyframes();
  report.scene_keyframes = part.scene_keyframes();
  report.decode_cpu_s = media.video_decode_cpu_s() + media.audio_decode_cpu_s();
  report.compose_cpu_s = std::max(0.0, report.compose_cpu_s - media.video_decode_cpu_s());
  report.mix_cpu_s = std::max(0.0, report.mix_cpu_s - media.audio_decode_cpu_s());
  report.audio_encode_cpu_s = part.cpu().audio_encode_s;
  report.mux_cpu_s = part.cpu().mux_s;
}

} // namespace

RenderReport RenderBundle(const events::Bundle& bundle, const RenderOptions& o) {
  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = ProcessCpuSeconds();
  const double thread_cpu_start = ThreadCpuSeconds();
  auto warn = [&](const std::string& message) {
    if (o.on_warning) {
      o.on_warning(message);
    }
  };

  const RenderSpan span = ComputeSpan(bundle, o.room);
  RenderReport report;
  const int64_t total_frames =
      std::max<int64_t>(1, std::llround((span.end_t - span.start_t) * o.fps));
  report.media_s = static_cast<double>(total_frames) / o.fps;
  const int64_t total_samples = std::llround(report.media_s * media::kSampleRate);
  const int64_t total_blocks = (total_samples + encode::AudioEncoder::kFrameSamples - 1) /
                               encode::AudioEncoder::kFrameSamples;

  BundleMediaProvider media(bundle, warn, media::StreamUrlPolicy(o.stream_url_allow));
  compose::Composer composer(o.width, o.height, media);
  compose::AudioMixer mixer(media);
  record::PartWriter part(PartOptions(o));
  report.video_bitrate_bps = part.video_bitrate_bps();

  // Applies every event up to session time t; new chat lines of the room become cues.
  record::RoomTimeline timeline(
      o.room, span.start_t, warn, [&](const encode::ChatCue& cue) { part.WriteCue(cue); },
      report.media_s);
  size_t next_event = 0;
  auto advance_to = [&](double t) {
    while (next_event < bundle.events.size() && bundle.events[next_event].t <= t + 1e-9) {
      timeline.Apply(bundle.events[next_event++]);
    }
  };
  const events::SessionState& state = timeline.state();

  std::vector<float> block(static_cast<size_t>(encode::AudioEncoder::kFrameSamples) *
                           media::kChannels);
  auto last_progress = wall_start;
  while (const auto unit = part.NextUnit(total_frames, total_blocks)) {
    const double t = span.start_t + unit->t;
    advance_to(t);
    if (unit->video) {
      media::I420Frame* canvas = part.AcquireFrame();
      {
        ScopedCpuTimer timer(report.compose_cpu_s);
        composer.Compose(state, o.room, t, canvas);
      }
      part.SubmitFrame(canvas, composer.static_change());
    } else {
      const events::RoomState* room = state.Room(o.room);
      {
        ScopedCpuTimer timer(report.mix_cpu_s);
        if (room != nullptr) {
          mixer.Mix(*room, t, encode::AudioEncoder::kFrameSamples, block.data());
        } else {
          std::fill(block.begin(), block.end(), 0.0F);
        }
      }
      part.WriteAudio(block.data());
    }
    ReportProgress(o, part.frames(), total_frames, wall_start, last_progress);
  }
  advance_to(span.end_t); // the remaining events still report their warnings
  part.Finish();

  CountPart(part, composer, media, report);
  report.total_cpu_s = ProcessCpuSeconds() - cpu_start;
  report.video_encode_cpu_s =
      std::max(0.0, report.total_cpu_s - (ThreadCpuSeconds() - thread_cpu_start));
  report.wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  if (o.on_progress) {
    o.on_progress(1.0, report.media_s / std::max(report.wall_s, 1e-6));
  }
  return report;
}

} // namespace ssr::render
