// WHIP ingest end to end: real WebRTC publishers (aiortc, Chromium) → ssr serve → recorded
// WebM, probed for the publisher's picture in its tile and its sound in the mix.

#include "live_fixture.h"
#include "output_probe.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

class WhipIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/ssr-live-XXXXXX";
    dir_ = ::mkdtemp(pattern);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }
  fs::path dir_;
};

bool WaitUntil(const std::function<bool()>& condition, double timeout_s) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(static_cast<int>(timeout_s * 1000));
  while (Clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST_F(WhipIngestTest, AiortcPatternAndToneAreRecorded) {
  ServeProcess server;
  const LiveClass live = StartClass(server, "whip-aiortc");
  BackgroundCommand publisher(WhipPublisherCommand(
      server, live, "cam-h1+mic-h1", "--seconds 9 --video pattern --color 20C040 --audio tone --tone-hz 440"));
  ASSERT_TRUE(WaitUntil([&] { return MetricValue(server, "ssr_ingest_active") == 1; }, 10))
      << publisher.Output() << server.Log();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // media flowing

  const auto started = Clock::now();
  const auto recording = StartRecording(server, live.sid);
  std::this_thread::sleep_for(std::chrono::seconds(5));
  const auto stopped_json = StopRecording(server, recording.at("id"));
  const double wall_s = std::chrono::duration<double>(Clock::now() - started).count();
  EXPECT_EQ(publisher.Wait(20), 0) << publisher.Output();

  ASSERT_EQ(stopped_json.at("status"), "ready");
  const fs::path part = DownloadPart(server, recording.at("id"), 1, dir_);
  OutputProbe probe(part.string());
  EXPECT_NEAR(probe.duration_s, wall_s, 0.5) << "recorded " << probe.duration_s << " s in " << wall_s << " s";
  for (double t : {1.0, 2.5, 4.0}) {
    EXPECT_GT(probe.ColourFraction(t, kTileX0, kTileY0, kTileX1, kTileY1, 0x20C040), 0.8)
        << "tile at " << t << " s: mean " << std::hex << probe.MeanColour(t, kTileX0, kTileY0, kTileX1, kTileY1);
  }
  EXPECT_GT(probe.ToneLevel(440, 1.0, 4.0), 0.1);
  EXPECT_LT(probe.ToneLevel(1000, 1.0, 4.0), 0.02);

  // The bundle's raw tracks: what `ssr render` reproduces the class from.
  EXPECT_TRUE(fs::exists(server.SessionDir(live.sid) / "tracks" / "cam-h1.webm"));
  EXPECT_TRUE(fs::exists(server.SessionDir(live.sid) / "tracks" / "mic-h1.webm"));
}

}  // namespace
}  // namespace ssr::test
