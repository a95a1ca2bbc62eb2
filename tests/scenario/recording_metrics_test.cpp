// /metrics about recordings on the real `ssr serve`, checked against what happened: recordings
// by state, late and shed frames (the sums of the server's own per-part log lines), parts
// whose storing failed, webhook POSTs that failed and the webhook backlog (the outbox's rows).

#include "control_fixture.h"

#include <gtest/gtest.h>

#include <httplib.h>

#include <regex>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string RecordBriefly(ServeProcess& server, const std::string& sid) {
  Classroom c(server, sid, "Measured class");
  c.StartHeartbeat();
  c.Join("h1", "host");
  const std::string rid = c.Start()["id"];
  EXPECT_EQ(WaitStatus(server, rid, "recording", 8)["status"], "recording");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(StopRecording(server, rid)->status, 200);
  return rid;
}

// Late and shed frames of every finished part, from the server's log lines
// "... part part-1.webm finished: 45 frames, 0 late (max lag 12 ms), 0 shed".
std::pair<int64_t, int64_t> LateAndShedFromLog(const std::string& log) {
  const std::regex finished(R"(finished: \d+ frames, (\d+) late \(max lag \d+ ms\), (\d+) shed)");
  int64_t late = 0;
  int64_t shed = 0;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), finished);
       it != std::sregex_iterator(); ++it) {
    late += std::stoll((*it)[1]);
    shed += std::stoll((*it)[2]);
  }
  return {late, shed};
}

double State(ServeProcess& server, const std::string& state) {
  return MetricValue(server, "ssr_recordings{state=\"" + state + "\"}");
}

TEST(RecordingMetrics, StatesFramesStoringAndWebhooksAfterRecordings) {
  const TempDir scratch("metrics");
  const fs::path storage = scratch / "storage";
  auto env = ControlEnv();
  env["SSR_STORAGE_DIR"] = storage.string();
  ServeProcess server(env);
  const int hook_port = FreePort(); // nothing listens there yet: every POST fails
  ASSERT_EQ(PutSettings(server, {{"countdown_s", 1},
                                 {"max_part_duration_s", 0},
                                 {"webhook_url",
                                  "http://127.0.0.1:" + std::to_string(hook_port) + "/hooks"},
                                 {"webhook_secret", "metrics-webhook-secret-0123"}})
                ->status,
            200);
  for (const char* state :
       {"initializing", "recording", "paused", "processing", "ready", "failed"}) {
    EXPECT_EQ(State(server, state), 0) << state;
  }

  // One recording stored as usual.
  const std::string stored = RecordBriefly(server, "m1");
  EXPECT_EQ(WaitStatus(server, stored, "ready", 10)["status"], "ready");
  EXPECT_EQ(State(server, "ready"), 1);
  EXPECT_EQ(MetricValue(server, "ssr_storage_failures_total"), 0);

  // One whose storing fails: the storage directory has become a file.
  fs::remove_all(storage);
  std::ofstream(storage) << "not a directory";
  const std::string lost = RecordBriefly(server, "m2");
  EXPECT_EQ(WaitStatus(server, lost, "failed", 10)["status"], "failed");
  EXPECT_EQ(State(server, "ready"), 1);
  EXPECT_EQ(State(server, "failed"), 1);
  EXPECT_EQ(State(server, "recording"), 0);
  EXPECT_EQ(MetricValue(server, "ssr_storage_failures_total"), 1);

  // Frames: what the recorders reported for their parts, summed.
  const auto [late, shed] = LateAndShedFromLog(server.Log());
  EXPECT_EQ(MetricValue(server, "ssr_recorder_late_frames_total"), static_cast<double>(late));
  EXPECT_EQ(MetricValue(server, "ssr_recorder_shed_frames_total"), static_cast<double>(shed));

  // Webhooks: every notification so far waits in the outbox, after failed POSTs.
  const fs::path db = server.data_dir() / "ssr.db";
  const std::string undelivered = "SELECT COUNT(*) FROM webhook_outbox WHERE delivered = ?;";
  const auto failures_before = MetricValue(server, "ssr_webhook_failures_total");
  EXPECT_GE(failures_before, 1);
  const double backlog = MetricValue(server, "ssr_webhook_backlog");
  EXPECT_GE(backlog, 4) << "initializing, started, stopped, ready... of two recordings";
  EXPECT_EQ(backlog, static_cast<double>(CountRows(db, undelivered, "0")));
  EXPECT_EQ(MetricValue(server, "ssr_webhook_abandoned_total"), 0);

  // The receiver comes up: the backlog drains to 0 and no POST fails any more.
  httplib::Server receiver;
  receiver.Post("/hooks",
                [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
  std::thread serving([&] { receiver.listen("127.0.0.1", hook_port); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (MetricValue(server, "ssr_webhook_backlog") != 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(MetricValue(server, "ssr_webhook_backlog"), 0);
  const double failures = MetricValue(server, "ssr_webhook_failures_total");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(MetricValue(server, "ssr_webhook_failures_total"), failures);
  receiver.stop();
  serving.join();
  if (HasFailure())
    std::cerr << server.Log();
}

} // namespace
} // namespace ssr::test
