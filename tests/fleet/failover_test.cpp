// The fleet survives a worker's death and a storage outage mid-recording: four live classes
// with GStreamer RTP publishers on two workers behind one api; the worker holding two of them
// is SIGKILLed, the other one takes its sessions over within a few heartbeats, and the
// publishers move to it — while S3 is away for 30 s, so that the parts the dead worker left
// wait on the shared disk and are stored when it is back. Every recording ends ready, each
// part downloads and decodes, and the failover costs at most 3 s of media.

#include "../support/output_probe.h"
#include "fleet_fixture.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <numeric>
#include <optional>
#include <thread>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

// The recording canvas: small and slow, since three servers, eight senders and four
// recorders share a 2-core machine.
constexpr int kFps = 15;
const json kRecordingSettings = {{"video_size", "640x360"}, {"video_fps", kFps}};

constexpr auto kMediaBeforeRecording = std::chrono::milliseconds(1500);
constexpr auto kRecordBeforeFailover = std::chrono::seconds(6);
constexpr auto kStorageOutage = std::chrono::seconds(30);
constexpr auto kRecordAfterOutage = std::chrono::seconds(2);
constexpr double kFailoverDeadline_s = 5;
constexpr double kMaxMediaLost_s = 3;
constexpr double kReadyTimeout_s = 120;

double SecondsBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

std::string E2e(const std::string& tool) {
  return std::string(SSR_SOURCE_DIR) + "/tests/e2e/" + tool;
}

std::string SdpOf(const std::string& kind) {
  BackgroundCommand sdp(E2e("rtp_send.sh") + " --kind " + kind + " --print-sdp");
  if (sdp.Wait(10) != 0) {
    throw std::runtime_error("rtp_send.sh --print-sdp failed: " + sdp.Output());
  }
  return sdp.Output();
}

// What tells the classes apart in their recordings.
struct ClassLook {
  std::string sid;
  uint32_t colour;
  int tone_hz;
};

// A class's camera and microphone: forwards opened through the api on the session's worker,
// and GStreamer senders aimed at them. Destroying it stops the senders.
class Publisher {
 public:
  Publisher(ServeProcess& api, const LiveClass& live, const ClassLook& look) {
    static const std::string video_sdp = SdpOf("video");
    static const std::string audio_sdp = SdpOf("audio");
    const RtpForward video = PostRtpForward(api, live, "cam-h1", video_sdp);
    const RtpForward audio = PostRtpForward(api, live, "mic-h1", audio_sdp);
    // Long enough for the whole test; killed when done. 320x180 at 15 fps: cheap to encode
    // and decode, and a solid colour all the same once scaled into the tile.
    char colour[8];
    std::snprintf(colour, sizeof colour, "%06X", look.colour);
    video_ = std::make_unique<BackgroundCommand>(
        E2e("rtp_send.sh") + " --kind video --host " + video.address + " --port " +
        std::to_string(video.port) + " --seconds 120 --size 320x180 --fps " + std::to_string(kFps) +
        " --color " + colour);
    audio_ = std::make_unique<BackgroundCommand>(
        E2e("rtp_send.sh") + " --kind audio --host " + audio.address + " --port " +
        std::to_string(audio.port) + " --seconds 120 --tone-hz " + std::to_string(look.tone_hz));
  }

 private:
  std::unique_ptr<BackgroundCommand> video_;
  std::unique_ptr<BackgroundCommand> audio_;
};

struct ClassRun {
  ClassLook look;
  LiveClass live;
  std::string worker_id; // where it was placed
  std::unique_ptr<Publisher> publisher;
  std::string rid;
  Clock::time_point start_requested;
  Clock::time_point stop_requested;
  bool affected = false; // its worker was killed
};

// What the probe of one part says.
struct ProbedPart {
  double duration_s = 0;
  double colour_fraction = 0; // of the class's colour in the camera tile, late in the part
  uint32_t mean_colour = 0;
  double tone_level = 0;
};

ProbedPart ProbePart(const fs::path& file, const ClassLook& look) {
  const OutputProbe probe(file.string());
  ProbedPart part;
  part.duration_s = probe.duration_s;
  // Late in the part: after a failover the publishers came back in its first seconds.
  const double t = std::max(0.0, probe.duration_s - 1.5);
  part.colour_fraction = probe.ColourFraction(t, kTileX0, kTileY0, kTileX1, kTileY1, look.colour);
  part.mean_colour = probe.MeanColour(t, kTileX0, kTileY0, kTileX1, kTileY1);
  part.tone_level = probe.ToneLevel(look.tone_hz, std::max(0.0, t - 1), t);
  return part;
}

class FleetFailover : public ::testing::Test {
 protected:
  void SetUp() override { temp_dir_.KeepIfTestFailed(); }
  void TearDown() override {
    if (HasFailure() && fleet_) {
      std::cerr << fleet_->Logs();
    }
  }

  // Polls until session `sid` names worker `worker_id`; the seconds it took, or -1 after
  // `timeout_s`.
  double WaitForWorker(const std::string& sid, const std::string& worker_id, double timeout_s) {
    const auto started = Clock::now();
    while (SecondsBetween(started, Clock::now()) < timeout_s) {
      if (fleet_->WorkerOf(sid) == worker_id) {
        return SecondsBetween(started, Clock::now());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }

  TempDir temp_dir_; // downloaded parts; kept when the test failed
  std::unique_ptr<Fleet> fleet_;
};

TEST_F(FleetFailover, AKilledWorkerAndAStorageOutageLoseAtMostThreeSecondsOfMedia) {
  fleet_ = std::make_unique<Fleet>(2, kRecordingSettings);
  ServeProcess& api = fleet_->api();
  fleet_->WaitForActiveWorkers(2, 10);

  // Four classes, placed by the api on the worker with the fewest sessions: two each.
  std::vector<ClassRun> classes;
  for (const ClassLook& look :
       {ClassLook{"fleet-red", 0xE03020, 440}, ClassLook{"fleet-green", 0x20B040, 550},
        ClassLook{"fleet-blue", 0x2050E0, 660}, ClassLook{"fleet-yellow", 0xE0D020, 770}}) {
    ClassRun run{look, StartClass(api, look.sid)};
    run.worker_id = fleet_->WorkerOf(look.sid);
    ASSERT_NE(run.worker_id, "") << look.sid << " has no worker";
    classes.push_back(std::move(run));
  }
  std::map<std::string, int> sessions_per_worker;
  for (const ClassRun& c : classes) {
    ++sessions_per_worker[c.worker_id];
  }
  ASSERT_EQ(sessions_per_worker.size(), 2u) << "classes on one worker only";
  for (const auto& [worker_id, sessions] : sessions_per_worker) {
    EXPECT_EQ(sessions, 2) << worker_id;
  }
  const std::string victim_id = classes[0].worker_id;
  ServeProcess* victim = fleet_->WorkerWithId(victim_id);
  ASSERT_NE(victim, nullptr) << "no worker of ours advertises worker " << victim_id << ": "
                             << fleet_->Workers().dump();
  std::string survivor_id;
  for (ClassRun& c : classes) {
    c.affected = c.worker_id == victim_id;
    if (!c.affected) {
      survivor_id = c.worker_id;
    }
  }

  for (ClassRun& c : classes) {
    c.publisher = std::make_unique<Publisher>(api, c.live, c.look);
  }
  std::this_thread::sleep_for(kMediaBeforeRecording);
  for (ClassRun& c : classes) {
    c.start_requested = Clock::now();
    c.rid = StartRecording(api, c.live.sid).at("id");
  }
  for (const ClassRun& c : classes) {
    WaitForStatus(api, c.rid, "recording", 15);
  }
  std::this_thread::sleep_for(kRecordBeforeFailover -
                              (Clock::now() - classes.front().start_requested));

  // The storage outage begins: parts keep recording on the shared data directory.
  fleet_->s3().Kill();
  const auto outage_began = Clock::now();
  // The failover: the survivor claims the victim's sessions once its lease has run out.
  victim->StopWith(SIGKILL);
  ASSERT_EQ(victim->pid(), -1) << "the victim did not die";
  const auto killed_at = Clock::now();
  for (ClassRun& c : classes) {
    if (!c.affected) {
      continue;
    }
    const double remaining_s = kFailoverDeadline_s - SecondsBetween(killed_at, Clock::now());
    ASSERT_GE(WaitForWorker(c.live.sid, survivor_id, remaining_s), 0)
        << c.live.sid << " still names worker '" << fleet_->WorkerOf(c.live.sid) << "' "
        << kFailoverDeadline_s << " s after its worker was killed";
  }
  const double failover_s = SecondsBetween(killed_at, Clock::now());
  // Its publishers move too: new forwards on the survivor, through the api as before.
  for (ClassRun& c : classes) {
    if (c.affected) {
      c.publisher.reset();
      c.publisher = std::make_unique<Publisher>(api, c.live, c.look);
    }
  }
  const double publishers_back_s = SecondsBetween(killed_at, Clock::now());
  const json workers = fleet_->Workers();
  for (const json& w : workers.at("workers")) {
    if (w.at("id") == victim_id) {
      EXPECT_EQ(w.at("state"), "dead") << w.dump();
    } else if (w.at("id") == survivor_id) {
      EXPECT_EQ(w.at("state"), "active") << w.dump();
      EXPECT_EQ(w.at("sessions"), 4) << w.dump();
    }
  }

  // The dead worker's parts, repaired by the survivor, wait for the storage: still processing
  // well into the outage (stored, they would be ready), and every recording goes on.
  std::this_thread::sleep_for(kStorageOutage / 2 - (Clock::now() - outage_began));
  for (const ClassRun& c : classes) {
    const json r = fleet_->Get("/api/v1/recordings/" + c.rid);
    EXPECT_EQ(r.at("status"), "recording") << "without S3: " << r.dump();
    if (c.affected) {
      ASSERT_GE(r.at("parts").size(), 2u) << r.dump();
      EXPECT_EQ(r.at("parts").at(0).at("status"), "processing") << "S3 is away: " << r.dump();
    }
  }
  std::this_thread::sleep_for(kStorageOutage - (Clock::now() - outage_began));
  fleet_->s3().Restart();
  std::this_thread::sleep_for(kRecordAfterOutage);

  for (ClassRun& c : classes) {
    c.stop_requested = Clock::now();
    auto res = api.Client().Post("/api/v1/recordings/" + c.rid + "/stop", api.Auth(), "",
                                 "application/json");
    ASSERT_TRUE(res) << "stop of " << c.rid << ": no answer";
    ASSERT_EQ(res->status, 200) << "stop of " << c.rid << ": " << res->body;
  }
  std::map<std::string, json> ready;
  for (const ClassRun& c : classes) {
    ready[c.rid] = WaitForStatus(api, c.rid, "ready", kReadyTimeout_s);
  }
  for (ClassRun& c : classes) {
    c.publisher.reset();
  }

  // One part more where the worker died: the repaired part it left, marked interrupted, then
  // the survivor's.
  std::optional<size_t> unaffected_parts;
  for (const ClassRun& c : classes) {
    if (!c.affected) {
      const size_t parts = ready[c.rid].at("parts").size();
      EXPECT_TRUE(!unaffected_parts || *unaffected_parts == parts) << ready[c.rid].dump();
      unaffected_parts = parts;
    }
  }
  ASSERT_TRUE(unaffected_parts);
  for (const ClassRun& c : classes) {
    const json& parts = ready[c.rid].at("parts");
    if (c.affected) {
      EXPECT_EQ(parts.size(), *unaffected_parts + 1) << ready[c.rid].dump();
      if (parts.size() >= 2) {
        EXPECT_EQ(parts[parts.size() - 2].at("interrupted"), true) << ready[c.rid].dump();
      }
    }
    EXPECT_EQ(parts.back().at("interrupted"), false) << ready[c.rid].dump();
  }

  // Every part is in storage: it downloads through the api, decodes, and shows its class.
  // Media lost = (wall time from the start request to the stop request) - (what the parts
  // hold).
  std::map<std::string, double> lost_s;
  for (const ClassRun& c : classes) {
    double recorded_s = 0;
    const size_t parts = ready[c.rid].at("parts").size();
    for (size_t n = 1; n <= parts; ++n) {
      const fs::path file = DownloadPart(api, c.rid, int(n), temp_dir_.path());
      EXPECT_EQ(DecodeErrors(file), "") << c.rid << " part " << n;
      const ProbedPart part = ProbePart(file, c.look);
      recorded_s += part.duration_s;
      EXPECT_GT(part.colour_fraction, 0.7)
          << c.live.sid << " part " << n << " of " << parts << ": mean colour " << std::hex
          << part.mean_colour << ", not " << c.look.colour;
      EXPECT_GT(part.tone_level, 0.05)
          << c.live.sid << " part " << n << ": no " << c.look.tone_hz << " Hz tone";
      std::cout << "fleet: " << c.live.sid << " part " << n << ": " << part.duration_s
                << " s, colour " << part.colour_fraction << ", tone " << part.tone_level << "\n";
    }
    lost_s[c.rid] = SecondsBetween(c.start_requested, c.stop_requested) - recorded_s;
  }

  // The unaffected recordings measure what any recording misses between its start and stop
  // requests (the recorder starting); their spread, and a frame at each end of the extra
  // part, are what the measure itself is sure to within.
  std::vector<double> baseline;
  for (const ClassRun& c : classes) {
    if (!c.affected) {
      baseline.push_back(lost_s[c.rid]);
      // The storage outage costs nothing: parts wait on disk.
      EXPECT_LT(lost_s[c.rid], 1.5) << c.live.sid << " lost media without a failover";
    }
  }
  const double baseline_s =
      std::accumulate(baseline.begin(), baseline.end(), 0.0) / static_cast<double>(baseline.size());
  double spread_s = 0;
  for (double b : baseline) {
    spread_s = std::max(spread_s, std::abs(b - baseline_s));
  }
  const double tolerance_s = spread_s + 2.0 / kFps;
  for (const ClassRun& c : classes) {
    std::cout << "fleet: " << c.live.sid << (c.affected ? " (failed over)" : "") << ": wall "
              << SecondsBetween(c.start_requested, c.stop_requested) << " s, missing "
              << lost_s[c.rid] << " s\n";
    if (c.affected) {
      EXPECT_LE(lost_s[c.rid] - baseline_s, kMaxMediaLost_s + tolerance_s)
          << c.live.sid << ": " << lost_s[c.rid] << " s missing, the unaffected recordings "
          << baseline_s << " s (tolerance " << tolerance_s << " s)";
    }
  }
  std::cout << "fleet: sessions moved " << failover_s << " s after the kill, publishers back at "
            << publishers_back_s << " s; baseline " << baseline_s << " s, tolerance " << tolerance_s
            << " s\n";
}

} // namespace
} // namespace ssr::test
