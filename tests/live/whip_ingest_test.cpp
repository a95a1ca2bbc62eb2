// WHIP ingest end to end: real WebRTC publishers (aiortc, Chromium) → ssr serve → recorded
// WebM, probed for the publisher's picture in its tile and its sound in the mix.

#include "../support/output_probe.h"
#include "../support/temp_dir.h"
#include "live_fixture.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

class WhipIngestTest : public ::testing::Test {
 protected:
  void SetUp() override { temp_dir_.KeepIfTestFailed(); }
  TempDir temp_dir_; // kept when the test failed
  const fs::path dir_ = temp_dir_.path();
};

bool WaitUntil(const std::function<bool()>& condition, double timeout_s) {
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(static_cast<int>(timeout_s * 1000));
  while (Clock::now() < deadline) {
    if (condition())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST_F(WhipIngestTest, AiortcPatternAndToneAreRecorded) {
  ServeProcess server;
  const LiveClass live = StartClass(server, "whip-aiortc");
  BackgroundCommand publisher(WhipPublisherCommand(
      server, live, "cam-h1+mic-h1",
      "--seconds 9 --video pattern --color 20C040 --audio tone --tone-hz 440"));
  ASSERT_TRUE(WaitUntil([&] { return MetricValue(server, "ssr_ingest_active") == 1; }, 10))
      << publisher.Output() << server.Log();
  std::this_thread::sleep_for(std::chrono::seconds(1)); // media flowing

  const auto started = Clock::now();
  const auto recording = StartRecording(server, live.sid);
  std::this_thread::sleep_for(std::chrono::seconds(5));
  // The part ends when the stop request arrives; waiting for "ready" is not part of it.
  const double wall_s = std::chrono::duration<double>(Clock::now() - started).count();
  const auto stopped_json = StopRecording(server, recording.at("id"));
  EXPECT_EQ(publisher.Wait(20), 0) << publisher.Output();

  ASSERT_EQ(stopped_json.at("status"), "ready");
  ASSERT_EQ(stopped_json.at("parts").size(), 1u) << stopped_json.dump();
  EXPECT_EQ(stopped_json.at("parts").at(0).at("sha256").get<std::string>().size(), 64u);
  const fs::path part = DownloadPart(server, recording.at("id"), 1, dir_);
  OutputProbe probe(part.string());
  EXPECT_NEAR(probe.duration_s, wall_s, 0.5)
      << "recorded " << probe.duration_s << " s in " << wall_s << " s";
  for (double t : {1.0, 2.5, 4.0}) {
    EXPECT_GT(probe.ColourFraction(t, kTileX0, kTileY0, kTileX1, kTileY1, 0x20C040), 0.8)
        << "tile at " << t << " s: mean " << std::hex
        << probe.MeanColour(t, kTileX0, kTileY0, kTileX1, kTileY1);
  }
  EXPECT_GT(probe.ToneLevel(440, 1.0, 4.0), 0.1);
  EXPECT_LT(probe.ToneLevel(1000, 1.0, 4.0), 0.02);

  // The bundle's raw tracks: `ssr render` of the session reproduces the class from them.
  EXPECT_TRUE(fs::exists(server.SessionDir(live.sid) / "tracks" / "cam-h1.webm"));
  EXPECT_TRUE(fs::exists(server.SessionDir(live.sid) / "tracks" / "mic-h1.webm"));
  const fs::path rendered = dir_ / "rendered.webm";
  BackgroundCommand render(std::string(SSR_BINARY) + " render " +
                           server.SessionDir(live.sid).string() + " -o " + rendered.string() +
                           " 2>&1");
  ASSERT_EQ(render.Wait(120), 0) << render.Output();
  OutputProbe replay(rendered.string());
  const double part_start_t = stopped_json.at("parts").at(0).at("start_t"); // session time
  for (double t : {1.0, 2.5, 4.0}) {
    EXPECT_GT(replay.ColourFraction(part_start_t + t, kTileX0, kTileY0, kTileX1, kTileY1, 0x20C040),
              0.8)
        << "rendered bundle at session t " << part_start_t + t;
  }
  EXPECT_GT(replay.ToneLevel(440, part_start_t + 1.0, part_start_t + 4.0), 0.1);
}

TEST_F(WhipIngestTest, AiortcH264IsRecordedAndKeptAsReceived) {
  ServeProcess server;
  const LiveClass live = StartClass(server, "whip-h264");
  BackgroundCommand publisher(WhipPublisherCommand(
      server, live, "cam-h1+mic-h1",
      "--seconds 8 --codec h264 --video pattern --color E0C020 --audio tone --tone-hz 440"));
  ASSERT_TRUE(WaitUntil([&] { return MetricValue(server, "ssr_ingest_active") == 1; }, 10))
      << publisher.Output() << server.Log();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const auto recording = StartRecording(server, live.sid);
  std::this_thread::sleep_for(std::chrono::seconds(4));
  StopRecording(server, recording.at("id"));
  EXPECT_EQ(publisher.Wait(20), 0) << publisher.Output();
  OutputProbe probe(DownloadPart(server, recording.at("id"), 1, dir_).string());
  EXPECT_GT(probe.ColourFraction(2.0, kTileX0, kTileY0, kTileX1, kTileY1, 0xE0C020), 0.8)
      << std::hex << probe.MeanColour(2.0, kTileX0, kTileY0, kTileX1, kTileY1);
  // H.264 is kept as received, in Matroska.
  BackgroundCommand codec("ffprobe -v error -show_entries stream=codec_name -of csv=p=0 " +
                          (server.SessionDir(live.sid) / "tracks" / "cam-h1.mkv").string());
  EXPECT_EQ(codec.Wait(10), 0);
  EXPECT_EQ(codec.Output(), "h264\n");
}

TEST_F(WhipIngestTest, ChromiumCameraAndMicrophoneAreRecorded) {
  ServeProcess server;
  const LiveClass live = StartClass(server, "whip-chromium");
  BackgroundCommand publisher(std::string("node ") + SSR_SOURCE_DIR +
                              "/tests/e2e/chromium_whip/chromium-publish.mjs --url " +
                              server.BaseUrl() + "/whip/" + live.sid +
                              "/cam-h1+mic-h1 --token=" + live.ingest_token + " --seconds 10");
  ASSERT_TRUE(WaitUntil([&] { return MetricValue(server, "ssr_ingest_active") == 1; }, 20))
      << publisher.Output() << server.Log();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const auto started = Clock::now();
  const auto recording = StartRecording(server, live.sid);
  std::this_thread::sleep_for(std::chrono::seconds(5));
  // The part ends when the stop request arrives; waiting for "ready" is not part of it.
  const double wall_s = std::chrono::duration<double>(Clock::now() - started).count();
  StopRecording(server, recording.at("id"));
  EXPECT_EQ(publisher.Wait(30), 0) << publisher.Output();

  OutputProbe probe(DownloadPart(server, recording.at("id"), 1, dir_).string());
  EXPECT_NEAR(probe.duration_s, wall_s, 0.5);
  // Chromium's fake camera: a green picture (≈ 0,135,0) with a turning disc in the middle;
  // its fake microphone beeps at 400 Hz twice a second.
  for (double t : {1.0, 3.0}) {
    EXPECT_GT(probe.ColourFraction(t, kTileX0, kTileY0, kTileX1, 0.35, 0x008700, 40), 0.7)
        << "at " << t << " s: " << std::hex << probe.MeanColour(t, kTileX0, kTileY0, kTileX1, 0.35);
  }
  int beeps = 0;
  double last_beep = -1;
  for (double t = 0.5; t < 4.5; t += 0.01) {
    if (probe.ToneLevel(400, t, t + 0.04) > 0.2 && t - last_beep > 0.3) {
      ++beeps;
      last_beep = t;
    }
    EXPECT_LT(probe.ToneLevel(1000, t, t + 0.04), 0.05) << "at " << t << " s";
  }
  EXPECT_GE(beeps, 7) << "400 Hz beeps in 4 s (two a second)";
}

TEST_F(WhipIngestTest, LossAndJitterRecoverThroughKeyframeRequests) {
  ServeProcess server;
  const LiveClass live = StartClass(server, "whip-loss");
  BackgroundCommand publisher(
      WhipPublisherCommand(server, live, "cam-h1+mic-h1",
                           "--seconds 11 --video pattern --color 2040C0 --audio tone --tone-hz 440 "
                           "--drop-probability 0.05 --jitter-ms 50"));
  ASSERT_TRUE(WaitUntil([&] { return MetricValue(server, "ssr_ingest_active") == 1; }, 10))
      << publisher.Output() << server.Log();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const auto started = Clock::now();
  const auto recording = StartRecording(server, live.sid);
  std::this_thread::sleep_for(std::chrono::seconds(7));
  // The part ends when the stop request arrives; waiting for "ready" is not part of it.
  const double wall_s = std::chrono::duration<double>(Clock::now() - started).count();
  StopRecording(server, recording.at("id"));
  ASSERT_EQ(publisher.Wait(30), 0) << publisher.Output();

  // The publisher saw our keyframe requests (PLI) for what it lost.
  const std::string out = publisher.Output();
  const size_t at = out.find("pli_received=");
  ASSERT_NE(at, std::string::npos) << out;
  EXPECT_GE(std::stoi(out.substr(at + 13)), 1) << out;
  const fs::path part = DownloadPart(server, recording.at("id"), 1, dir_);
  OutputProbe probe(part.string());
  EXPECT_NEAR(probe.duration_s, wall_s, 0.5);
  EXPECT_GE(probe.video_frames, static_cast<int64_t>((wall_s - 0.5) * 30));
  // aiortc sends keyframes only when asked: a picture at the end means PLIs repaired loss.
  const double end = probe.duration_s - 0.5;
  EXPECT_GT(probe.ColourFraction(end, kTileX0, kTileY0, kTileX1, kTileY1, 0x2040C0), 0.6)
      << std::hex << probe.MeanColour(end, kTileX0, kTileY0, kTileX1, kTileY1);
  // Lost audio packets and jitter break the tone's phase, so a level measured over the whole
  // recording says little: count the 100 ms windows in which the tone is clearly there.
  int windows = 0;
  int with_tone = 0;
  for (double t = 1.0; t + 0.1 <= end; t += 0.1, ++windows) {
    if (probe.ToneLevel(440, t, t + 0.1) > 0.1) {
      ++with_tone;
    }
  }
  EXPECT_GE(with_tone, windows * 8 / 10)
      << with_tone << " of " << windows << " windows carry 440 Hz";
  EXPECT_EQ(DecodeErrors(part), "") << "the recording decodes without errors";
}

TEST_F(WhipIngestTest, AStalledPublisherFreezesOnlyItsTileThenShowsItsNameCard) {
  ServeProcess server;
  const LiveClass live = StartClass(server, "whip-stall");
  // A second publisher, an attendee.
  auto res = server.PostEvents(live.sid, nlohmann::json::array({
                                             {{"t", 0.1},
                                              {"type", "participant.join"},
                                              {"id", "a1"},
                                              {"name", "Ann Attendee"},
                                              {"role", "attendee"}},
                                             {{"t", 0.1},
                                              {"type", "track.publish"},
                                              {"track", "cam-a1"},
                                              {"participant", "a1"},
                                              {"kind", "video"},
                                              {"source", "camera"}},
                                         }));
  ASSERT_TRUE(res && res->status == 202);
  BackgroundCommand host(
      WhipPublisherCommand(server, live, "cam-h1", "--seconds 12 --audio none --color 20C040"));
  BackgroundCommand attendee(std::string("/usr/bin/python3 ") + SSR_SOURCE_DIR +
                             "/tests/e2e/whip_publish.py --url " + server.BaseUrl() + "/whip/" +
                             live.sid + "/cam-a1 --token=" + live.ingest_token +
                             " --seconds 5 --audio none --color C02020");
  ASSERT_TRUE(WaitUntil([&] { return MetricValue(server, "ssr_ingest_active") == 2; }, 10))
      << host.Output() << attendee.Output() << server.Log();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const auto started = Clock::now();
  const auto recording = StartRecording(server, live.sid);
  ASSERT_EQ(attendee.Wait(20), 0) << attendee.Output(); // the attendee's publisher leaves
  const double gone_at = std::chrono::duration<double>(Clock::now() - started).count();
  std::this_thread::sleep_for(std::chrono::seconds(4));
  const double wall_s = std::chrono::duration<double>(Clock::now() - started).count();
  StopRecording(server, recording.at("id"));
  EXPECT_EQ(host.Wait(20), 0) << host.Output();

  OutputProbe probe(DownloadPart(server, recording.at("id"), 1, dir_).string());
  auto red = [&](double t) { return probe.ColourFraction(t, 0, 0, 0.75, 1, 0xC02020); };
  auto green = [&](double t) { return probe.ColourFraction(t, 0, 0, 0.75, 1, 0x20C040); };
  ASSERT_GT(gone_at, 2.0) << "the attendee published during the recording";
  EXPECT_GT(red(gone_at - 1.0), 0.1) << "the attendee's picture while it publishes";
  EXPECT_GT(red(gone_at + 0.5), 0.1) << "frozen on its last picture for a while";
  EXPECT_LT(red(gone_at + 3.0), 0.01) << "then its name card";
  for (double t : {gone_at - 1.0, gone_at + 0.5, gone_at + 3.0}) {
    EXPECT_GT(green(t), 0.1) << "the host's tile goes on at " << t << " s";
  }
  // The canvas keeps its frame rate.
  EXPECT_NEAR(static_cast<double>(probe.video_frames), wall_s * 30, 20);
}

} // namespace
} // namespace ssr::test
