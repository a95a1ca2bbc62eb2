#include "render/offline_renderer.h"

#include "common/cpu_clock.h"
#include "compose/audio_mixer.h"
#include "compose/composer.h"
#include "encode/audio_encoder.h"
#include "encode/keyframe_planner.h"
#include "encode/vtt_writer.h"
#include "encode/webm_writer.h"
#include "events/room_state.h"
#include "media/av_util.h"
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

std::filesystem::path SidecarPath(const std::filesystem::path& webm) {
  std::filesystem::path vtt = webm;
  vtt.replace_extension(".vtt");
  return vtt;
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

  BundleMediaProvider media(bundle, warn);
  compose::Composer composer(o.width, o.height, media);
  compose::AudioMixer mixer(media);

  encode::VideoEncoderOptions video_options;
  video_options.codec = o.codec;
  video_options.width = o.width;
  video_options.height = o.height;
  video_options.fps = o.fps;
  // VP9 scales over cores with row-mt and tile columns; libvpx's VP8 gets slower with more
  // than one thread on these machines (bench/RESULTS.md), so it keeps one.
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  video_options.profile = o.encoder_profile;
  video_options.bitrate_bps = o.video_bitrate_bps;
  video_options.screen_content = o.screen_content;
  video_options.extra = o.encoder_extra;
  video_options.threads = o.encoder_threads > 0                 ? o.encoder_threads
                          : o.codec == encode::VideoCodec::kVp8 ? 1
                                                                : cores;
  encode::VideoEncoder video_encoder(video_options);
  report.video_bitrate_bps = video_encoder.context()->bit_rate;
  // The legacy profile leaves keyframes to libvpx's clock.
  const bool plan_keyframes = o.encoder_profile != encode::EncoderProfile::kLegacy;
  encode::KeyframePlan plan;
  plan.interval_frames = video_encoder.keyframe_interval_frames();
  plan.min_distance_frames = o.fps / 2;
  if (!o.scene_keyframes) {
    plan.change_threshold = 2; // never reached
  }
  encode::KeyframePlanner keyframes(plan);
  encode::AudioEncoder audio_encoder;

  encode::WebmWriter writer(o.output.string());
  const int video_stream = writer.AddStream(video_encoder.context());
  const int audio_stream = writer.AddStream(audio_encoder.context());
  writer.AddChatStream();
  writer.Start();
  encode::VttWriter vtt(SidecarPath(o.output).string());

  EncodeWorker worker(video_encoder, writer, video_stream);
  // Applies every event up to session time t; new chat lines of the room become cues.
  record::RoomTimeline timeline(
      o.room, span.start_t, warn,
      [&](const encode::ChatCue& cue) {
        ScopedCpuTimer timer(report.mux_cpu_s);
        writer.WriteCue(cue);
        vtt.Write(cue);
        ++report.chat_cues;
      },
      report.media_s);
  size_t next_event = 0;
  auto advance_to = [&](double t) {
    while (next_event < bundle.events.size() && bundle.events[next_event].t <= t + 1e-9) {
      timeline.Apply(bundle.events[next_event++]);
    }
  };
  const events::SessionState& state = timeline.state();

  const AVRational audio_time_base{1, media::kSampleRate};
  double audio_mux_cpu_s = 0; // nested in the audio encoder's time
  auto audio_sink = [&](AVPacket* packet) {
    ScopedCpuTimer timer(audio_mux_cpu_s);
    writer.WritePacket(packet, audio_time_base, audio_stream);
  };
  std::vector<float> block(encode::AudioEncoder::kFrameSamples * media::kChannels);
  auto last_progress = wall_start;

  int64_t frame = 0;
  int64_t audio_block = 0;
  while (frame < total_frames || audio_block < total_blocks) {
    const double video_t = static_cast<double>(frame) / o.fps;
    const double audio_t =
        static_cast<double>(audio_block * encode::AudioEncoder::kFrameSamples) / media::kSampleRate;
    if (frame < total_frames && (audio_block >= total_blocks || video_t <= audio_t)) {
      advance_to(span.start_t + video_t);
      media::I420Frame* canvas = worker.AcquireFrame();
      {
        ScopedCpuTimer timer(report.compose_cpu_s);
        composer.Compose(state, o.room, span.start_t + video_t, canvas);
      }
      const bool key = plan_keyframes && keyframes.Next(frame, composer.static_change());
      worker.Submit(canvas, frame, key);
      ++frame;
    } else {
      advance_to(span.start_t + audio_t);
      const events::RoomState* room = state.Room(o.room);
      {
        ScopedCpuTimer timer(report.mix_cpu_s);
        if (room != nullptr) {
          mixer.Mix(*room, span.start_t + audio_t, encode::AudioEncoder::kFrameSamples,
                    block.data());
        } else {
          std::fill(block.begin(), block.end(), 0.0F);
        }
      }
      ScopedCpuTimer timer(report.audio_encode_cpu_s);
      audio_encoder.Encode(block.data(), audio_block * encode::AudioEncoder::kFrameSamples,
                           audio_sink);
      ++audio_block;
    }
    const auto now = std::chrono::steady_clock::now();
    if (o.on_progress && now - last_progress > std::chrono::milliseconds(250)) {
      last_progress = now;
      const double wall = std::chrono::duration<double>(now - wall_start).count();
      o.on_progress(static_cast<double>(frame) / total_frames, video_t / std::max(wall, 1e-6));
    }
  }
  advance_to(span.end_t); // the remaining events still report their warnings
  worker.Finish();
  audio_encoder.Flush(audio_sink);
  writer.Finish();
  vtt.Close();

  report.frames = frame;
  report.static_redraws = composer.stats().static_redraws;
  report.keyframes = keyframes.keyframes();
  report.scene_keyframes = keyframes.scene_keyframes();
  // Decoding happens inside composing (video) and mixing (audio), muxing inside the audio
  // encoder's sink: each is counted once, in its own stage.
  report.decode_cpu_s = media.video_decode_cpu_s() + media.audio_decode_cpu_s();
  report.compose_cpu_s = std::max(0.0, report.compose_cpu_s - media.video_decode_cpu_s());
  report.mix_cpu_s = std::max(0.0, report.mix_cpu_s - media.audio_decode_cpu_s());
  report.audio_encode_cpu_s = std::max(0.0, report.audio_encode_cpu_s - audio_mux_cpu_s);
  report.mux_cpu_s += audio_mux_cpu_s;
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
