// Live recording on the real-time clock: media pushed as it "arrives", events posted as they
// happen, the part written as it goes; the result is probed like a rendered file.

#include "../support/output_probe.h"
#include "../support/temp_dir.h"
#include "bundle_builder.h"

#include "events/event_parser.h"
#include "record/live_recorder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <thread>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

events::Event Ev(double t, const std::string& type, nlohmann::json fields) {
  fields["t"] = t;
  fields["type"] = type;
  return events::ParseEvent(fields);
}

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Ada, the host, joins at 0 with a camera track "cam".
void PostHostWithCamera(record::LiveRecorder& recorder) {
  recorder.PostEvent(Ev(0, "participant.join", {{"id", "a"}, {"name", "Ada"}, {"role", "host"}}));
  recorder.PostEvent(
      Ev(0, "track.publish",
         {{"track", "cam"}, {"participant", "a"}, {"kind", "video"}, {"source", "camera"}}));
}

TEST(LiveRecorder, RecordsPushedMediaAndEventsInRealTime) {
  TempDir dir;
  dir.KeepIfTestFailed();
  record::LiveMediaProvider media;
  record::LiveRecorderOptions options;
  options.width = 640;
  options.height = 360;
  options.output = dir / "part.webm";
  const Clock::time_point session_start = Clock::now();
  record::LiveRecorder recorder(options, media, session_start, 0);
  PostHostWithCamera(recorder);
  recorder.PostEvent(
      Ev(0, "track.publish",
         {{"track", "mic"}, {"participant", "a"}, {"kind", "audio"}, {"source", "microphone"}}));
  recorder.Start();

  // The "ingest": 30 fps pictures (red, then blue from 1.5 s) and 20 ms of a 440 Hz tone,
  // each stamped with the session time at which it arrives.
  media::I420Frame red(320, 180);
  red.Fill(81, 90, 240);
  media::I420Frame blue(320, 180);
  blue.Fill(41, 240, 110);
  record::LiveVideoFeed& cam = media.VideoFeedFor("cam");
  record::LiveAudioFeed& mic = media.AudioFeedFor("mic");
  std::vector<float> tone(960 * 2);
  bool chat_posted = false;
  int64_t frames_pushed = 0;
  int64_t blocks_pushed = 0;
  while (Since(session_start) < 3.0) {
    const double now = Since(session_start);
    while (frames_pushed / 30.0 <= now) {
      const media::I420Frame& f = frames_pushed / 30.0 < 1.5 ? red : blue;
      cam.Push(frames_pushed / 30.0, {f.y(), f.u(), f.v(), f.stride_y(), f.stride_uv(),
                                      f.stride_uv(), f.width(), f.height()});
      ++frames_pushed;
    }
    while (blocks_pushed * 0.02 <= now) {
      for (int i = 0; i < 960; ++i) {
        const double t = (blocks_pushed * 960 + i) / 48000.0;
        tone[i * 2] = tone[i * 2 + 1] = static_cast<float>(0.3 * std::sin(2 * M_PI * 440 * t));
      }
      mic.Push(blocks_pushed * 0.02, tone.data(), 960);
      ++blocks_pushed;
    }
    if (!chat_posted && now >= 1.0) {
      recorder.PostEvent(Ev(now, "chat.message", {{"from", "a"}, {"text", "live hello"}}));
      chat_posted = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const record::LiveRecorderStats stats = recorder.Stop();

  OutputProbe probe(options.output.string());
  EXPECT_NEAR(probe.video_end_s, 3.0, 0.5); // the part lasts as long as the wall clock ran
  EXPECT_NEAR(stats.media_s, probe.video_end_s, 0.05);
  EXPECT_LE(stats.late_frames, stats.frames / 10);
  EXPECT_GT(probe.ColourFraction(0.7, 0.25, 0.4, 0.5, 0.6, 0xff0000), 0.9);
  EXPECT_GT(probe.ColourFraction(2.5, 0.25, 0.4, 0.5, 0.6, 0x0000ff), 0.9);
  // The switch at 1.5 s lands on its frame: the latency absorbs the push thread's jitter.
  EXPECT_GT(probe.ColourFraction(1.45, 0.25, 0.4, 0.5, 0.6, 0xff0000), 0.9);
  EXPECT_GT(probe.ColourFraction(1.55, 0.25, 0.4, 0.5, 0.6, 0x0000ff), 0.9);
  EXPECT_GT(probe.ToneLevel(440, 0.3, 2.7), 0.15);
  ASSERT_EQ(probe.cues.size(), 1U);
  EXPECT_NEAR(probe.cues[0].start_s, 1.0, 0.05);
  EXPECT_EQ(probe.cues[0].text, "<v Ada>live hello");
}

// Graceful overload: a recorder asked for more than the machine can do (1080p at 240 frames a
// second, a camera of noise) sheds frames instead of falling behind. Without shedding it would
// end seconds behind the wall clock; with it every composed frame starts within the shed
// allowance of its deadline, the part lasts as long as the wall clock ran, and it plays.
TEST(LiveRecorder, AnOverloadedRecorderShedsFramesAndStaysNearLive) {
  TempDir dir;
  dir.KeepIfTestFailed();
  record::LiveMediaProvider media;
  record::LiveRecorderOptions options;
  options.width = 1920;
  options.height = 1080;
  options.fps = 240;
  options.shed_after_s = 0.15;
  options.output = dir / "part.webm";
  const Clock::time_point session_start = Clock::now();
  record::LiveRecorder recorder(options, media, session_start, 0);
  PostHostWithCamera(recorder);
  recorder.Start();
  media::I420Frame noise(640, 360);
  record::LiveVideoFeed& cam = media.VideoFeedFor("cam");
  uint32_t seed = 1;
  int64_t pushed = 0;
  while (Since(session_start) < 3.0) {
    for (int i = 0; i < noise.stride_y() * noise.height(); i += 7) {
      seed = seed * 1664525U + 1013904223U;
      noise.y()[i] = static_cast<uint8_t>(seed >> 24);
    }
    cam.Push(pushed / 30.0, {noise.y(), noise.u(), noise.v(), noise.stride_y(), noise.stride_uv(),
                             noise.stride_uv(), noise.width(), noise.height()});
    ++pushed;
    std::this_thread::sleep_until(session_start + std::chrono::milliseconds(pushed * 1000 / 30));
  }
  const Clock::time_point stop_asked = Clock::now();
  const record::LiveRecorderStats stats = recorder.Stop();
  const double stop_s = Since(stop_asked);

  EXPECT_GT(stats.shed_frames, stats.frames / 4) << "far more than the machine can compose";
  EXPECT_LT(stats.shed_frames, stats.frames);
  // Each composed frame starts within the allowance, so it ends within it plus one frame's
  // work (a 1080p compose and encode: well under a second).
  EXPECT_LT(stats.max_lag_ms, 150 + 1000) << stats.late_frames << " late";
  EXPECT_LT(stop_s, 1.5) << "the stop does not wait for a backlog";
  OutputProbe probe(options.output.string());
  EXPECT_NEAR(probe.video_end_s, 3.0, 0.5);
  EXPECT_EQ(probe.video_frames, stats.frames - stats.shed_frames);
}

} // namespace
} // namespace ssr::test
