// The fleet on real processes without media (postgres tier only: the fleet's roles refuse
// SQLite): an api and workers sharing a data directory and a PostgreSQL database. A session
// that no worker holds yet waits for one (503, then the next worker takes it); a worker
// drained with SIGTERM hands its recording over — the part ends finished, another worker
// stores it and goes on in a new part, and the platform is told where the session went.
// The multi-process failover with media and an S3 outage is tests/fleet.

#include "../support/serve_fixture.h"
#include "control_fixture.h"

#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <thread>

namespace ssr::test {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// Webhook deliveries on 127.0.0.1, all answered 200.
class WebhookInbox {
 public:
  WebhookInbox() {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      bodies_.push_back(json::parse(req.body, nullptr, false));
      res.status = 200;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~WebhookInbox() {
    server_.stop();
    thread_.join();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  // The first delivery of `type` for session `sid` naming worker `url`, within `timeout_s`
  // (null if none came).
  json WaitForMove(const std::string& sid, const std::string& url, double timeout_s) {
    const auto deadline = Clock::now() + std::chrono::duration<double>(timeout_s);
    while (Clock::now() < deadline) {
      {
        std::lock_guard lock(mutex_);
        for (const json& body : bodies_) {
          if (body.is_object() && body.value("type", "") == "session.worker_changed" &&
              body.value("session_id", "") == sid && body["worker"].is_object() &&
              body["worker"].value("url", "") == url)
            return body;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return nullptr;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<json> bodies_;
};

class FleetDrain : public ::testing::Test {
 protected:
  void TearDown() override {
    if (!HasFailure())
      return;
    for (const auto& [name, process] :
         {std::pair{"api", api_.get()}, {"worker 1", w1_.get()}, {"worker 2", w2_.get()}}) {
      if (process != nullptr)
        std::cerr << "--- " << name << " log ---\n" << process->Log();
    }
  }
  std::unique_ptr<ServeProcess> Start(const std::string& role) {
    auto env = ControlEnv();
    env["SSR_ROLE"] = role;
    env["SSR_WORKER_HEARTBEAT_MS"] = "100";
    env["SSR_WORKER_LEASE_MS"] = "1000";
    return std::make_unique<ServeProcess>(env, data_.path());
  }
  json Session(const std::string& sid) {
    auto res = api_->Client().Get("/api/v1/sessions/" + sid, api_->Auth());
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    return res && res->status == 200 ? json::parse(res->body) : json();
  }
  // The session's worker URL once it is `url`, within `timeout_s` ("" if it never was).
  std::string WaitForWorker(const std::string& sid, const std::string& url, double timeout_s) {
    const auto deadline = Clock::now() + std::chrono::duration<double>(timeout_s);
    while (Clock::now() < deadline) {
      const json worker = Session(sid)["worker"];
      if (worker.is_object() && worker["url"] == url)
        return url;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return "";
  }

  TempDir data_{"fleet-data"}; // the fleet's shared data directory
  std::unique_ptr<ServeProcess> api_, w1_, w2_;
};

TEST_F(FleetDrain, ASessionWaitsForAWorkerAndADrainedWorkerHandsItsRecordingOver) {
  api_ = Start("api");
  WebhookInbox inbox;
  ASSERT_EQ(PutSettings(*api_, {{"webhook_url", inbox.Url()},
                                {"webhook_secret", "fleet-webhook-secret-0123"}})
                ->status,
            200);

  // No worker yet: the session is made, its media has nowhere to go, its events are refused
  // with a reason (nothing recorded) until a worker takes it.
  Classroom biology(*api_, "bio", "Biology");
  EXPECT_TRUE(Session("bio")["worker"].is_null());
  EXPECT_TRUE(Session("bio")["ingest"].is_null());
  auto refused = api_->PostEvents(
      "bio",
      {{"t", 0.0}, {"type", "participant.join"}, {"id", "h1"}, {"name", "Hana"}, {"role", "host"}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503) << refused->body;
  EXPECT_EQ(json::parse(refused->body)["error"]["code"], "no_worker") << refused->body;

  w1_ = Start("worker");
  ASSERT_EQ(WaitForWorker("bio", w1_->BaseUrl(), 5), w1_->BaseUrl());
  EXPECT_EQ(Session("bio")["ingest"]["whip_url"], w1_->BaseUrl() + "/whip/bio");
  EXPECT_TRUE(inbox.WaitForMove("bio", w1_->BaseUrl(), 10).is_object())
      << "the platform is told where the session's media goes";
  biology.Join("h1", "host");
  const std::string rid = biology.Start()["id"];
  ASSERT_EQ(WaitStatus(*api_, rid, "recording", 20)["status"], "recording");

  // Streams are the worker's: the api says where.
  auto stream = api_->Client().Get("/api/v1/sessions/bio/notifications", api_->Auth());
  ASSERT_TRUE(stream);
  EXPECT_EQ(stream->status, 421) << stream->body;
  EXPECT_EQ(json::parse(stream->body)["error"]["worker"]["url"], w1_->BaseUrl()) << stream->body;

  w2_ = Start("worker");
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const auto drain_started = Clock::now();
  EXPECT_EQ(w1_->StopWith(SIGTERM, 20), 0) << "a drain ends cleanly";
  const double drain_s = std::chrono::duration<double>(Clock::now() - drain_started).count();
  EXPECT_LT(drain_s, 5.0) << "the drain leaves storing the part to the next worker";
  ASSERT_EQ(WaitForWorker("bio", w2_->BaseUrl(), 5), w2_->BaseUrl());

  // The platform is told, with the new ingest URLs.
  const json moved = inbox.WaitForMove("bio", w2_->BaseUrl(), 10);
  ASSERT_TRUE(moved.is_object()) << "no session.worker_changed webhook";
  EXPECT_EQ(moved["ingest"]["rtp_url"], w2_->BaseUrl() + "/api/v1/sessions/bio/tracks/{track}/rtp");

  // The recording went on in a new part at once; the drained part is whole and stored.
  json recording;
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < deadline) {
    recording = GetRecording(*api_, rid);
    if (recording["parts"].size() >= 2 && recording["parts"][0]["status"] == "ready")
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GE(recording["parts"].size(), 2u) << recording.dump();
  const json& drained = recording["parts"][0];
  EXPECT_EQ(drained["status"], "ready") << recording.dump();
  EXPECT_EQ(drained["interrupted"], false) << "finished by the drain, not repaired";
  const double gap_s = recording["parts"][1]["start_t"].get<double>() -
                       (drained["start_t"].get<double>() + drained["duration_s"].get<double>());
  EXPECT_LT(gap_s, 1.5) << recording.dump();
  EXPECT_EQ(recording["status"], "recording");

  // Stopping through the api reaches the new worker; both parts end ready.
  ASSERT_EQ(StopRecording(*api_, rid)->status, 200);
  recording = WaitStatus(*api_, rid, "ready", 30);
  ASSERT_EQ(recording["status"], "ready") << recording.dump();
  EXPECT_EQ(recording["parts"].size(), 2u) << recording.dump();
  const json workers = json::parse(api_->Client().Get("/api/v1/workers", api_->Auth())->body);
  ASSERT_EQ(workers["workers"].size(), 1u) << workers << " (a drained worker leaves the list)";
  EXPECT_EQ(workers["workers"][0]["url"], w2_->BaseUrl());
}

// A worker frozen past its lease (as a long pause or a cut-off network would leave it) finds,
// when it wakes, that another worker took its session: it lets go and writes nothing, and the
// recording goes on, whole, on the other worker.
TEST_F(FleetDrain, AWorkerFrozenPastItsLeaseLetsGoOfTheSessionAnotherTookOver) {
  api_ = Start("api");
  w1_ = Start("worker");
  Classroom chemistry(*api_, "chem", "Chemistry");
  ASSERT_EQ(WaitForWorker("chem", w1_->BaseUrl(), 5), w1_->BaseUrl());
  chemistry.Join("h1", "host");
  const std::string rid = chemistry.Start()["id"];
  ASSERT_EQ(WaitStatus(*api_, rid, "recording", 20)["status"], "recording");
  w2_ = Start("worker");
  std::this_thread::sleep_for(std::chrono::seconds(2));

  ASSERT_EQ(kill(w1_->pid(), SIGSTOP), 0);
  const std::string taken = WaitForWorker("chem", w2_->BaseUrl(), 5);
  std::this_thread::sleep_for(std::chrono::seconds(1)); // the part is repaired and stored
  ASSERT_EQ(kill(w1_->pid(), SIGCONT), 0);
  ASSERT_EQ(taken, w2_->BaseUrl());

  // Awake, the frozen worker lets go (its log says so) and stays out of the session's rows.
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (Clock::now() < deadline &&
         w1_->Log().find("taken over by another worker") == std::string::npos)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_NE(w1_->Log().find("taken over by another worker"), std::string::npos);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  json recording = GetRecording(*api_, rid);
  ASSERT_EQ(recording["parts"].size(), 2u) << recording.dump();
  EXPECT_EQ(recording["parts"][0]["interrupted"], true) << recording.dump();
  EXPECT_EQ(recording["parts"][0]["status"], "ready") << "the frozen worker wrote it back";
  EXPECT_EQ(recording["parts"][1]["status"], "recording") << recording.dump();

  ASSERT_EQ(StopRecording(*api_, rid)->status, 200);
  recording = WaitStatus(*api_, rid, "ready", 30);
  ASSERT_EQ(recording["status"], "ready") << recording.dump();
  EXPECT_EQ(recording["parts"].size(), 2u) << recording.dump();
  EXPECT_EQ(Session("chem")["worker"]["url"], w2_->BaseUrl());
}

} // namespace
} // namespace ssr::test
