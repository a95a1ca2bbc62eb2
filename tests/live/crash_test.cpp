// A live recording survives its server: kill -9 mid-recording, start again on the same data,
// and the part is there, recovered (cues, duration), playable and seekable, missing at most
// ~1 s before the kill. And SIGTERM (an upgrade, a restart) finishes the part properly before
// the server exits, and the recording goes on in a new part when it is back.

#include "../support/output_probe.h"
#include "../support/temp_dir.h"
#include "live_fixture.h"

#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <thread>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

class LiveCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    temp_dir_.KeepIfTestFailed();
    fs::create_directories(dir_ / "data");
  }

  // Records while publishing for `record_s`, then stops the server with `signal`; returns the
  // recording id and the wall time from the start request to the signal.
  std::pair<std::string, double> RecordThenStop(int signal, double record_s) {
    ServeProcess server({}, dir_ / "data");
    const LiveClass live = StartClass(server, "crash");
    BackgroundCommand publisher(WhipPublisherCommand(
        server, live, "cam-h1+mic-h1",
        "--seconds 14 --video pattern --color C02020 --audio tone --tone-hz 440"));
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const auto started = Clock::now();
    const json recording = StartRecording(server, live.sid);
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(record_s * 1000)));
    const double wall_s = std::chrono::duration<double>(Clock::now() - started).count();
    const int exit_code = server.StopWith(signal, 20);
    if (signal == SIGTERM) {
      EXPECT_EQ(exit_code, 0) << server.Log();
    }
    return {recording.at("id"), wall_s};
  }

  // The restarted server's part 1, probed; `interrupted`: cut by a crash and repaired.
  void CheckRecoveredPart(const std::string& rid, double wall_s, double max_lost_s,
                          bool interrupted) {
    ServeProcess server({}, dir_ / "data");
    // After a kill or a stop the recording resumes with a new part; the first one (repaired
    // after a kill) is stored.
    json recording;
    const auto deadline = Clock::now() + std::chrono::seconds(15);
    while (Clock::now() < deadline) {
      auto res = server.Client().Get("/api/v1/recordings/" + rid, server.Auth());
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 200) << res->body;
      recording = json::parse(res->body);
      if (!recording.at("parts").empty() && recording.at("parts").at(0).at("status") == "ready")
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_FALSE(recording.at("parts").empty()) << recording.dump();
    const json& part = recording.at("parts").at(0);
    ASSERT_EQ(part.at("status"), "ready") << recording.dump();
    EXPECT_EQ(part.at("interrupted"), interrupted) << recording.dump();
    EXPECT_EQ(recording.at("status"), "recording") << "it goes on: " << recording.dump();
    EXPECT_GE(recording.at("parts").size(), 2u) << recording.dump();
    const fs::path file = DownloadPart(server, rid, 1, dir_);
    OutputProbe probe(file.string());
    EXPECT_GT(probe.duration_s, wall_s - max_lost_s)
        << "recorded " << wall_s << " s before the stop";
    EXPECT_LT(probe.duration_s, wall_s + 0.5);
    EXPECT_NEAR(part.at("duration_s").get<double>(), probe.duration_s, 0.1);
    const double mid = probe.duration_s / 2;
    EXPECT_GT(probe.ColourFraction(mid, kTileX0, kTileY0, kTileX1, kTileY1, 0xC02020), 0.8);
    EXPECT_GT(probe.ToneLevel(440, 1.0, mid), 0.1);
    // Seekable: a seek to the middle lands on a frame (needs the rewritten cues).
    BackgroundCommand seek("ffmpeg -v error -ss " + std::to_string(mid) + " -i " + file.string() +
                           " -frames:v 1 -f null - 2>&1 && ffprobe -v error -show_entries "
                           "format=duration -of csv=p=0 " +
                           file.string());
    EXPECT_EQ(seek.Wait(30), 0) << seek.Output();
  }
  TempDir temp_dir_; // kept when the test failed
  const fs::path dir_ = temp_dir_.path();
};

TEST_F(LiveCrashTest, KillDashNineLosesAtMostAboutOneSecond) {
  const auto [rid, wall_s] = RecordThenStop(SIGKILL, 6);
  // At most the last unflushed cluster (1 s) plus the live latency (0.4 s) is lost.
  CheckRecoveredPart(rid, wall_s, 1.5, /*interrupted=*/true);
}

TEST_F(LiveCrashTest, SigtermFinishesThePartBeforeExitAndTheRecordingGoesOnAfterARestart) {
  const auto [rid, wall_s] = RecordThenStop(SIGTERM, 5);
  CheckRecoveredPart(rid, wall_s, 0.6, /*interrupted=*/false);
}

} // namespace
} // namespace ssr::test
