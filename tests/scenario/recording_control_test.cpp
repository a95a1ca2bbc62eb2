// Recording control through the real `ssr serve` (issue 5): requests, session events posted
// as time passes, the notification stream (SSE), signed webhooks, storage, restarts. Settings
// are scaled down (countdowns of 1-2 s, grace of 3 s, parts of 5 s); no media is published:
// a room whose events flow is a room that records.

#include "../support/output_probe.h"
#include "control_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <csignal>
#include <fstream>
#include <set>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using Strings = std::vector<std::string>;

constexpr double kFrame = 1.0 / 30; // the live recorder's frame
// A part file may outlast its span by the rounding to whole frames and by its last 20 ms
// Opus block, which ends after the last video frame.
constexpr double kPartFileSlack = kFrame + 0.021;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A finished WebM ends with its Cues (the seek index) after the last Cluster.
bool HasTrailingCues(const fs::path& p) {
  const std::string bytes = ReadAll(p);
  const size_t cues = bytes.rfind("\x1C\x53\xBB\x6B");
  const size_t cluster = bytes.rfind("\x1F\x43\xB6\x75");
  return cues != std::string::npos && cluster != std::string::npos && cues > cluster;
}

void Sleep(double s) {
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(s * 1000)));
}

std::string ErrorCode(const httplib::Result& res) {
  return json::parse(res->body)["error"]["code"].get<std::string>();
}

class RecordingControl : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServeProcess>(ControlEnv());
    // A 3 s countdown: the first attempt begins in < 1 s even with other tests encoding beside.
    Settings({{"countdown_s", 3},
              {"attempts", 5},
              {"disconnect_grace_s", 3},
              {"max_part_duration_s", 0}});
    dir_ = server_->data_dir().parent_path() / "out";
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (HasFailure() && server_)
      std::cerr << "--- server log ---\n" << server_->Log();
  }
  void Settings(const json& s) {
    auto res = PutSettings(*server_, s);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }
  void Faults(const std::string& sid, const json& faults) {
    auto res = server_->Client().Put("/api/v1/sessions/" + sid + "/test-faults", server_->Auth(),
                                     faults.dump(), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }
  // Stops `rid` and waits for ready: returns the recording; checks ready ≤ 5 s after stop (R9).
  json StopAndWaitReady(const std::string& rid) {
    const auto stopped_at = std::chrono::steady_clock::now();
    auto res = StopRecording(*server_, rid);
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    json r = WaitStatus(*server_, rid, "ready", 5);
    const double took =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - stopped_at).count();
    EXPECT_EQ(r["status"], "ready") << r.dump();
    EXPECT_LE(took, 5.0) << "stop -> ready";
    return r;
  }
  static std::vector<double> PartSpans(const json& r, const char* field) {
    std::vector<double> v;
    for (const json& p : r["parts"])
      v.push_back(p[field].get<double>());
    return v;
  }

  std::unique_ptr<ServeProcess> server_;
  fs::path dir_;
};

TEST_F(RecordingControl, StartWithOrWithoutANameAndBreakoutTitles) {
  Classroom c(*server_, "bio", "Biology 101");
  NotificationStream notes(*server_, "bio");
  c.StartHeartbeat();
  c.Join("h1", "host");
  c.OpenRoom("b1", "Group A");
  const json main = c.Start();
  EXPECT_EQ(main["status"], "initializing");
  EXPECT_EQ(main["attempt"], 1);
  EXPECT_EQ(main["countdown_s"], 3);
  EXPECT_EQ(main["title"], "Biology 101");
  EXPECT_EQ(main["room"], "main");
  EXPECT_EQ(main["session_id"], "bio");
  EXPECT_EQ(main["parts"], json::array());
  const json breakout = c.Start({{"room", "b1"}, {"name", "   "}});
  EXPECT_EQ(breakout["title"], "Biology 101 - Group A");
  EXPECT_EQ(breakout["room"], "b1");
  const std::string rid = main["id"];
  ASSERT_EQ(WaitStatus(*server_, rid, "recording", 6)["status"], "recording");
  Sleep(1);
  const json done = StopAndWaitReady(rid);
  ASSERT_EQ(done["parts"].size(), 1u);
  EXPECT_EQ(done["parts"][0]["status"], "ready");
  EXPECT_EQ(done["parts"][0]["sha256"].get<std::string>().size(), 64u);
  EXPECT_GT(done["parts"][0]["size_bytes"].get<int64_t>(), 1000);
  // The status is saved before the notification goes out: a poll may see "ready" first.
  EXPECT_TRUE(notes.WaitForType(rid, "recording.ready", 2)) << notes.Raw();
  EXPECT_THAT(notes.Types(rid), ElementsAre("recording.initializing#1", "recording.started",
                                            "recording.stopped", "recording.ready"));
  Strings moves;
  for (const json& t : done["transitions"])
    moves.push_back(t["from"].get<std::string>() + ">" + t["to"].get<std::string>());
  EXPECT_THAT(moves, ElementsAre("none>initializing", "initializing>recording",
                                 "recording>processing", "processing>ready"));
  // The file downloaded is the one verified: same size, and it plays to its stated length.
  ASSERT_EQ(DownloadPart(*server_, rid, 1, dir_ / "main.webm"), 200);
  EXPECT_EQ(fs::file_size(dir_ / "main.webm"), done["parts"][0]["size_bytes"].get<uint64_t>());
  const OutputProbe probe((dir_ / "main.webm").string());
  EXPECT_NEAR(probe.duration_s, done["parts"][0]["duration_s"].get<double>(), kPartFileSlack);
  auto vtt =
      server_->Client().Get("/api/v1/recordings/" + rid + "/parts/1/chat.vtt", server_->Auth());
  ASSERT_TRUE(vtt);
  EXPECT_EQ(vtt->status, 200);
  EXPECT_THAT(vtt->body, ::testing::StartsWith("WEBVTT"));
  // A name of its own, once main is free again.
  EXPECT_EQ(c.Start({{"name", "  Week 3: cells "}})["title"], "Week 3: cells");
}

// The organization's video settings make the next part: size, frame rate and a held rate.
TEST_F(RecordingControl, VideoSettingsMakeTheNextPartsSizeFrameRateAndBitrate) {
  auto bad = PutSettings(*server_, {{"video_size", "1281x720"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(json::parse(bad->body)["error"]["field"], "video_size") << bad->body;
  Settings({{"video_size", "640x360"}, {"video_fps", 15}, {"video_bitrate_bps", 150000}});
  auto got = server_->Client().Get("/api/v1/settings", server_->Auth());
  ASSERT_TRUE(got && got->status == 200);
  EXPECT_EQ(json::parse(got->body)["video_size"], "640x360");

  Classroom c(*server_, "small", "Small picture");
  c.StartHeartbeat();
  c.Join("h1", "host");
  const std::string rid = c.Start()["id"];
  ASSERT_EQ(WaitStatus(*server_, rid, "recording", 6)["status"], "recording");
  Sleep(3);
  const json done = StopAndWaitReady(rid);
  ASSERT_EQ(DownloadPart(*server_, rid, 1, dir_ / "small.webm"), 200);
  const OutputProbe probe((dir_ / "small.webm").string());
  EXPECT_EQ(probe.video_width, 640);
  EXPECT_EQ(probe.video_height, 360);
  const double seconds = done["parts"][0]["duration_s"].get<double>();
  ASSERT_GT(seconds, 2.0);
  EXPECT_NEAR(static_cast<double>(probe.video_frames) / seconds, 15.0, 1.0);
  // Whatever the start's keyframe costs, the held rate keeps the file near 150 kb/s.
  EXPECT_LT(done["parts"][0]["size_bytes"].get<double>() * 8 / seconds, 2 * 150000.0);
}

TEST_F(RecordingControl, BadRequestsGetClearErrors) {
  Classroom c(*server_, "bad", "Chemistry");
  c.Join("h1", "host");
  auto post = [&](const std::string& path, const std::string& body) {
    return server_->Client().Post(path, server_->Auth(), body, "application/json");
  };
  auto res = post("/api/v1/sessions/bad/recordings", "{not json");
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(ErrorCode(res), "invalid_json");
  res = post("/api/v1/sessions/bad/recordings", R"({"room": "nope"})");
  EXPECT_EQ(res->status, 404);
  EXPECT_THAT(res->body, HasSubstr("no open room 'nope'"));
  res = post("/api/v1/sessions/bad/recordings", R"({"name": 7})");
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(json::parse(res->body)["error"]["field"], "name");
  res = post("/api/v1/sessions/bad/recordings", R"({"title": "x"})");
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(json::parse(res->body)["error"]["field"], "title");
  res = post("/api/v1/sessions/bad/recordings", json{{"name", std::string(201, 'x')}}.dump());
  EXPECT_EQ(res->status, 400);
  // requested_by goes into logs and transitions: one line of at most 200 characters (L11).
  for (const std::string& who : Strings{"ann\n2026-01-01 [info] forged", std::string(201, 'x')}) {
    res = post("/api/v1/sessions/bad/recordings", json{{"requested_by", who}}.dump());
    EXPECT_EQ(res->status, 400) << who;
    EXPECT_EQ(json::parse(res->body)["error"]["field"], "requested_by") << who;
  }
  res = post("/api/v1/sessions/nobody/recordings", "{}");
  EXPECT_EQ(res->status, 404);
  const json r = c.Start();
  res = post("/api/v1/sessions/bad/recordings", "{}");
  EXPECT_EQ(res->status, 409);
  EXPECT_THAT(res->body, HasSubstr(r["id"].get<std::string>()));
  res = post("/api/v1/recordings/" + r["id"].get<std::string>() + "/stop", "");
  EXPECT_EQ(res->status, 200);
  res = post("/api/v1/recordings/" + r["id"].get<std::string>() + "/stop", "");
  EXPECT_EQ(res->status, 409);
  EXPECT_EQ(ErrorCode(res), "already_stopped");
  for (const std::string& id : Strings{"nope", "a%2Fb", std::string(65, 'a')}) {
    EXPECT_EQ(post("/api/v1/recordings/" + id + "/stop", "")->status, 404) << id;
    EXPECT_EQ(server_->Client().Get("/api/v1/recordings/" + id, server_->Auth())->status, 404)
        << id;
  }
  auto get = [&](const std::string& path) { return server_->Client().Get(path, server_->Auth()); };
  const std::string base = "/api/v1/recordings/" + r["id"].get<std::string>();
  EXPECT_EQ(get(base + "/parts/0/download")->status, 404);
  EXPECT_EQ(get(base + "/parts/x/download")->status, 404);
  EXPECT_EQ(get(base + "/parts/9/download")->status, 404);
  EXPECT_EQ(get(base + "/parts/1/chat.vtt")->status, 404); // it never began: no part at all
  EXPECT_EQ(server_->Client().Get(base)->status, 401);     // no API key
  EXPECT_EQ(server_->Client().Delete(base + "/stop", server_->Auth())->status, 405);
  // Settings: the field is named.
  res = PutSettings(*server_, {{"countdown_s", "soon"}});
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(json::parse(res->body)["error"]["field"], "countdown_s");
  res = PutSettings(*server_, {{"max_part_duration_s", 2}});
  EXPECT_EQ(json::parse(res->body)["error"]["field"], "max_part_duration_s");
  res = PutSettings(*server_, {{"colour", "red"}});
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(json::parse(res->body)["error"]["field"], "colour");
  res = PutSettings(
      *server_, {{"webhook_url", "https://hooks.example.org/ssr"}, {"webhook_secret", "short"}});
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(json::parse(res->body)["error"]["field"], "webhook_secret") << res->body;
  res = server_->Client().Put("/api/v1/settings", server_->Auth(), "[1", "application/json");
  EXPECT_EQ(res->status, 400);
  res = server_->Client().Put("/api/v1/sessions/bad/test-faults", server_->Auth(),
                              R"({"no_media": "x"})", "application/json");
  EXPECT_EQ(res->status, 400);
  // What was refused changed nothing.
  const json settings = json::parse(get("/api/v1/settings")->body);
  EXPECT_EQ(settings["countdown_s"], 3);
  EXPECT_EQ(settings["webhook_secret_set"], false);
  EXPECT_EQ(get("/livez")->status, 200);
}

TEST_F(RecordingControl, FiveAttemptsThatNeverBeginEndFailedWithANotificationEach) {
  Settings({{"countdown_s", 1}});
  Classroom c(*server_, "s", "Physics");
  Faults("s", {{"no_media", true}});
  NotificationStream notes(*server_, "s");
  c.Join("h1", "host");
  const std::string rid = c.Start()["id"];
  ASSERT_TRUE(notes.WaitForType(rid, "recording.failed", 12)) << notes.Raw();
  EXPECT_THAT(notes.Types(rid),
              ElementsAre("recording.initializing#1", "recording.attempt_failed#1",
                          "recording.initializing#2", "recording.attempt_failed#2",
                          "recording.initializing#3", "recording.attempt_failed#3",
                          "recording.initializing#4", "recording.attempt_failed#4",
                          "recording.initializing#5", "recording.attempt_failed#5",
                          "recording.failed#5"));
  const json r = GetRecording(*server_, rid);
  EXPECT_EQ(r["status"], "failed");
  EXPECT_EQ(r["attempt"], 5);
  EXPECT_EQ(r["parts"], json::array());
  EXPECT_EQ(r["error"], "recording did not begin after 5 attempts");
  // A recorder that cannot even start fails the same way, naming why.
  Settings({{"attempts", 2}});
  Faults("s", {{"recorder_unavailable", true}});
  const std::string rid2 = c.Start()["id"];
  ASSERT_TRUE(notes.WaitForType(rid2, "recording.failed", 6));
  EXPECT_THAT(notes.Types(rid2),
              ElementsAre("recording.initializing#1", "recording.attempt_failed#1",
                          "recording.initializing#2", "recording.attempt_failed#2",
                          "recording.failed#2"));
  EXPECT_THAT(GetRecording(*server_, rid2)["error"].get<std::string>(),
              HasSubstr("recorder unavailable"));
}

TEST_F(RecordingControl, TheThirdAttemptSucceeds) {
  Classroom c(*server_, "s", "Physics");
  Faults("s", {{"no_media", 2}});
  NotificationStream notes(*server_, "s");
  c.StartHeartbeat();
  c.Join("h1", "host");
  const std::string rid = c.Start()["id"];
  ASSERT_TRUE(notes.WaitForType(rid, "recording.started", 12)) << notes.Raw();
  const json r = GetRecording(*server_, rid);
  EXPECT_EQ(r["status"], "recording");
  EXPECT_EQ(r["attempt"], 3);
  Sleep(1);
  const json done = StopAndWaitReady(rid);
  ASSERT_EQ(done["parts"].size(), 1u);
  // Part 1 is attempt 3's: it starts when that attempt began (two 3 s countdowns in).
  EXPECT_NEAR(done["parts"][0]["start_t"].get<double>(), 6, 0.6);
  EXPECT_THAT(notes.Types(rid),
              ElementsAre("recording.initializing#1", "recording.attempt_failed#1",
                          "recording.initializing#2", "recording.attempt_failed#2",
                          "recording.initializing#3", "recording.started", "recording.stopped",
                          "recording.ready"));
}

TEST_F(RecordingControl, HostInABreakoutRoomAndBackMakesTwoPartsOfOneTitle) {
  Classroom c(*server_, "s", "History");
  NotificationStream notes(*server_, "s");
  c.StartHeartbeat();
  c.Join("h1", "host");
  c.Join("a1", "attendee");
  c.OpenRoom("b1", "Group A");
  const std::string rid = c.Start()["id"];
  ASSERT_EQ(WaitStatus(*server_, rid, "recording", 6)["status"], "recording");
  Sleep(1.5);
  const double out = c.Move("h1", "b1");
  EXPECT_EQ(WaitStatus(*server_, rid, "paused", 2)["status"], "paused");
  c.Post(
      {{"type", "chat.message"}, {"room", "b1"}, {"from", "h1"}, {"text", "said in the breakout"}});
  Sleep(1.5);
  const double back = c.Move("h1", "main");
  EXPECT_EQ(WaitStatus(*server_, rid, "recording", 2)["status"], "recording");
  Sleep(0.5);
  c.Post({{"type", "chat.message"}, {"from", "a1"}, {"text", "said in the main room"}});
  Sleep(1);
  const json done = StopAndWaitReady(rid);
  // Nothing of the breakout room reaches the main room's recording; the main room's chat does.
  std::string chat;
  for (int n : {1, 2}) {
    auto vtt = server_->Client().Get(
        "/api/v1/recordings/" + rid + "/parts/" + std::to_string(n) + "/chat.vtt", server_->Auth());
    ASSERT_TRUE(vtt);
    ASSERT_EQ(vtt->status, 200);
    chat += vtt->body;
  }
  EXPECT_THAT(chat, HasSubstr("said in the main room"));
  EXPECT_THAT(chat, Not(HasSubstr("said in the breakout")));
  ASSERT_EQ(done["parts"].size(), 2u);
  EXPECT_NEAR(done["parts"][0]["end_t"].get<double>(), out, 0.001);
  EXPECT_NEAR(done["parts"][1]["start_t"].get<double>(), back, 0.001);
  EXPECT_EQ(done["title"], "History");
  EXPECT_THAT(notes.Types(rid),
              ElementsAre("recording.initializing#1", "recording.started", "recording.paused",
                          "recording.resumed", "recording.stopped", "recording.ready"));
  for (int n : {1, 2}) {
    const fs::path file = dir_ / ("part" + std::to_string(n) + ".webm");
    ASSERT_EQ(DownloadPart(*server_, rid, n, file), 200);
    EXPECT_NEAR(OutputProbe(file.string()).duration_s,
                done["parts"][n - 1]["duration_s"].get<double>(), kPartFileSlack);
  }
}

TEST_F(RecordingControl, AShortDisconnectPausesAndALongOneStops) {
  Classroom c(*server_, "s", "Maths");
  NotificationStream notes(*server_, "s");
  c.StartHeartbeat();
  c.Join("h1", "host");
  const std::string rid = c.Start()["id"];
  ASSERT_EQ(WaitStatus(*server_, rid, "recording", 6)["status"], "recording");
  Sleep(1);
  c.Leave("h1", "disconnected");
  EXPECT_EQ(WaitStatus(*server_, rid, "paused", 2)["status"], "paused");
  Sleep(1.5); // within the 3 s grace
  c.Join("h1", "host");
  EXPECT_EQ(WaitStatus(*server_, rid, "recording", 2)["status"], "recording");
  Sleep(1);
  const double gone = c.Leave("h1", "disconnected");
  // Past the grace: stopped and processed as if stopped by hand.
  const json done = WaitStatus(*server_, rid, "ready", 3 + 5);
  ASSERT_EQ(done["status"], "ready") << done.dump();
  EXPECT_GE(c.Now() - gone, 3.0 - 0.1);
  ASSERT_EQ(done["parts"].size(), 2u);
  EXPECT_THAT(done["transitions"][5]["reason"].get<std::string>(),
              HasSubstr("disconnected for longer than 3 s"));
  // The notification may reach the stream a moment after the status reads ready.
  EXPECT_TRUE(notes.WaitForType(rid, "recording.ready", 5)) << notes.Raw();
  EXPECT_THAT(notes.Types(rid),
              ElementsAre("recording.initializing#1", "recording.started", "recording.paused",
                          "recording.resumed", "recording.paused", "recording.stopped",
                          "recording.ready"));
}

TEST_F(RecordingControl, APresenterHandoverKeepsOnePart) {
  Classroom c(*server_, "s", "Art");
  NotificationStream notes(*server_, "s");
  c.StartHeartbeat();
  c.Join("h1", "host");
  c.Join("p1", "presenter");
  const std::string rid = c.Start()["id"];
  ASSERT_EQ(WaitStatus(*server_, rid, "recording", 6)["status"], "recording");
  Sleep(1);
  c.Post({{"type", "presenter.change"}, {"id", "p1"}});
  Sleep(1);
  c.Post({{"type", "presenter.change"}, {"id", "h1"}});
  Sleep(1);
  const json done = StopAndWaitReady(rid);
  EXPECT_EQ(done["parts"].size(), 1u);
  EXPECT_THAT(notes.Types(rid), ElementsAre("recording.initializing#1", "recording.started",
                                            "recording.stopped", "recording.ready"));
}

TEST_F(RecordingControl, AReconnectingNotificationStreamGetsWhatItMissed) {
  Classroom c(*server_, "s", "Art");
  c.StartHeartbeat();
  c.Join("h1", "host");
  std::string last_seen;
  std::string rid;
  {
    NotificationStream first(*server_, "s");
    rid = c.Start()["id"];
    ASSERT_TRUE(first.WaitForType(rid, "recording.started", 6)) << first.Raw();
    last_seen = first.Notes().back().id;
  } // the browser lost its connection here
  StopAndWaitReady(rid);
  NotificationStream again(*server_, "s", "", last_seen);
  ASSERT_TRUE(again.WaitForType(rid, "recording.ready", 5)) << again.Raw();
  EXPECT_THAT(again.Types(rid), ElementsAre("recording.stopped", "recording.ready"));
  NotificationStream fresh(*server_, "s"); // no Last-Event-ID: nothing from before
  Sleep(0.5);
  EXPECT_TRUE(fresh.Types(rid).empty()) << fresh.Raw();
}

TEST_F(RecordingControl, LongRecordingsRollOverIntoPartsWithNoGap) {
  // The issue's case as it is: 10 s parts on a 35 s recording.
  Settings({{"max_part_duration_s", 10}});
  Classroom c(*server_, "s", "Long");
  c.StartHeartbeat();
  c.Join("h1", "host");
  const auto asked = std::chrono::steady_clock::now();
  const std::string rid = c.Start()["id"];
  ASSERT_EQ(WaitStatus(*server_, rid, "recording", 6)["status"], "recording");
  // R2: normally recording begins in under 2 s.
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - asked).count(), 2.0);
  Sleep(35 - std::chrono::duration<double>(std::chrono::steady_clock::now() - asked).count());
  const json done = StopAndWaitReady(rid);
  ASSERT_EQ(done["parts"].size(), 4u) << done.dump();
  const auto starts = PartSpans(done, "start_t");
  const auto ends = PartSpans(done, "end_t");
  for (int n = 0; n < 3; ++n) {
    EXPECT_DOUBLE_EQ(ends[n], starts[n] + 10) << n;
    EXPECT_DOUBLE_EQ(starts[n + 1], ends[n]) << "no gap, no overlap after part " << n + 1;
  }
  double files_s = 0;
  for (int n = 1; n <= 4; ++n) {
    const fs::path file = dir_ / ("part" + std::to_string(n) + ".webm");
    ASSERT_EQ(DownloadPart(*server_, rid, n, file), 200);
    const OutputProbe probe(file.string());
    EXPECT_NEAR(probe.duration_s, done["parts"][n - 1]["duration_s"].get<double>(), kPartFileSlack)
        << n;
    files_s += probe.duration_s;
  }
  // The parts add up to the recording (≈ 35 s), within one frame per boundary.
  EXPECT_NEAR(done["duration_s"].get<double>(), 35, 0.7);
  EXPECT_NEAR(files_s, done["duration_s"].get<double>(), 3 * kPartFileSlack);
  EXPECT_NEAR(done["duration_s"].get<double>(),
              ends[2] - starts[0] + done["parts"][3]["duration_s"].get<double>(), 0.002);
}

// R10: one notification per host and co-host, naming the room that failed and fitting where
// they are. Three sessions on one server, one per variant.
TEST_F(RecordingControl, AutostartFailuresTellEachHostWhereItFailed) {
  Settings({{"autostart", true}, {"countdown_s", 1}, {"attempts", 1}});
  Classroom a(*server_, "a", "Case A");
  Classroom b(*server_, "b", "Case B");
  Classroom c(*server_, "c", "Case C", {{"autostart", false}});
  for (const char* sid : {"a", "b", "c"})
    Faults(sid, {{"recorder_unavailable", true}});
  NotificationStream na(*server_, "a"), nb(*server_, "b"), nc(*server_, "c");
  NotificationStream nb_h1(*server_, "b", "h1");
  // (a) main failed, hosts in main.
  a.Join("h1", "host");
  a.Join("c1", "cohost");
  a.Join("x1", "attendee");
  // (b) main failed, the host is in a breakout room by then, the co-host in main.
  b.Join("h1", "host");
  b.Join("c1", "cohost");
  b.OpenRoom("b1", "Group B");
  b.Move("h1", "b1");
  // (c) a breakout failed: host in main, co-host in another breakout room.
  c.Join("h1", "host");
  c.Join("c1", "cohost");
  c.OpenRoom("r2", "Quiet room");
  c.Move("c1", "r2");
  c.OpenRoom("r1", "Group C", /*auto_record=*/true);
  auto autostart_notes = [](const NotificationStream& s) {
    std::map<std::string, json> by_recipient;
    for (const Note& n : s.Notes()) {
      if (n.event == "autostart.failed")
        by_recipient[n.data["recipient"]] = n.data;
    }
    return by_recipient;
  };
  for (auto* s : {&na, &nb, &nc}) {
    ASSERT_TRUE(s->WaitFor([](const Note& n) { return n.event == "autostart.failed"; }, 6))
        << s->Raw();
  }
  Sleep(0.3); // one per host: the second follows the first at once
  const auto fa = autostart_notes(na);
  ASSERT_EQ(fa.size(), 2u); // host and co-host, not the attendee
  EXPECT_EQ(fa.at("h1")["room"], "main");
  EXPECT_EQ(fa.at("h1")["host_location"], "main");
  EXPECT_EQ(
      fa.at("h1")["message"],
      "Automatic recording of the main room did not start. You can start it yourself with Record.");
  EXPECT_EQ(fa.at("c1")["host_location"], "main");
  EXPECT_EQ(fa.at("h1")["title"], "Case A");

  const auto fb = autostart_notes(nb);
  ASSERT_EQ(fb.size(), 2u);
  EXPECT_EQ(fb.at("h1")["room"], "main");
  EXPECT_EQ(fb.at("h1")["host_location"], "b1");
  EXPECT_EQ(fb.at("h1")["message"],
            "Automatic recording of the main room did not start. You are in breakout room Group B: "
            "go back to the main room to start it with Record.");
  EXPECT_EQ(fb.at("c1")["host_location"], "main");
  EXPECT_EQ(
      fb.at("c1")["message"],
      "Automatic recording of the main room did not start. You can start it yourself with Record.");
  // A host's own stream leaves out what is addressed to someone else.
  for (const Note& n : nb_h1.Notes()) {
    if (n.event == "autostart.failed") {
      EXPECT_EQ(n.data["recipient"], "h1");
    }
  }
  EXPECT_EQ(nb_h1.Types().back(), "autostart.failed");

  const auto fc = autostart_notes(nc);
  ASSERT_EQ(fc.size(), 2u);
  EXPECT_EQ(fc.at("h1")["room"], "r1");
  EXPECT_EQ(fc.at("h1")["title"], "Case C - Group C");
  EXPECT_EQ(fc.at("h1")["host_location"], "main");
  EXPECT_EQ(fc.at("h1")["message"],
            "Automatic recording of breakout room Group C did not start. You are in the main room; "
            "a host or co-host in breakout room Group C can start it with Record.");
  EXPECT_EQ(fc.at("c1")["message"],
            "Automatic recording of breakout room Group C did not start. You are in breakout room "
            "Quiet room; a host or co-host in breakout room Group C can start it with Record.");
  // Session c does not autostart its main room (its own setting beats the organization's).
  for (const Note& n : nc.Notes())
    EXPECT_NE(n.data.value("room", ""), "main") << n.data.dump();
}

TEST_F(RecordingControl, AnAutoRecordedBreakoutIsHeldUntilItsRoomCloses) {
  Classroom c(*server_, "s", "Geography");
  NotificationStream notes(*server_, "s");
  c.StartHeartbeat();
  c.Join("h1", "host");
  c.OpenRoom("b1", "Group A", /*auto_record=*/true);
  c.Move("h1", "b1");
  ASSERT_TRUE(notes.WaitFor([](const Note& n) { return n.event == "recording.started"; }, 5))
      << notes.Raw();
  const std::string rid = notes.Notes().front().data["recording_id"];
  json r = GetRecording(*server_, rid);
  EXPECT_EQ(r["room"], "b1");
  EXPECT_EQ(r["title"], "Geography - Group A");
  EXPECT_EQ(r["automatic"], true);
  Sleep(1.5);
  ASSERT_EQ(StopRecording(*server_, rid)->status, 200);
  Sleep(2);
  r = GetRecording(*server_, rid);
  EXPECT_EQ(r["status"], "processing") << "not published before the room closes (R11)";
  EXPECT_EQ(r["parts"][0]["status"], "processing");
  EXPECT_EQ(DownloadPart(*server_, rid, 1, dir_ / "b1.webm"), 409);
  c.CloseRoom("b1");
  r = WaitStatus(*server_, rid, "ready", 5);
  EXPECT_EQ(r["status"], "ready");
  EXPECT_EQ(DownloadPart(*server_, rid, 1, dir_ / "b1.webm"), 200);
  EXPECT_TRUE(notes.WaitForType(rid, "recording.ready", 5)) << notes.Raw();
  EXPECT_THAT(notes.Types(rid), ElementsAre("recording.initializing#1", "recording.started",
                                            "recording.stopped", "recording.ready"));
}

// A receiver on 127.0.0.1 that answers 500 twice to the first event it sees.
class WebhookReceiver {
 public:
  struct Delivery {
    std::string event_id, signature, body;
    int status = 0;
  };
  WebhookReceiver() {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      Delivery d{req.get_header_value("X-SSR-Event-Id"), req.get_header_value("X-SSR-Signature"),
                 req.body};
      if (first_.empty())
        first_ = d.event_id;
      const int tries = ++tries_[d.event_id];
      d.status = d.event_id == first_ && tries <= 2 ? 500 : 200;
      res.status = d.status;
      deliveries_.push_back(d);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~WebhookReceiver() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  std::vector<Delivery> Deliveries() {
    std::lock_guard lock(mutex_);
    return deliveries_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::string first_;
  std::map<std::string, int> tries_;
  std::vector<Delivery> deliveries_;
};

// HMAC-SHA256 of "t.body", checked here with libsodium on its own.
bool SignatureValid(const std::string& header, const std::string& secret, const std::string& body) {
  const size_t comma = header.find(',');
  if (header.rfind("t=", 0) != 0 || comma == std::string::npos || header.substr(comma, 4) != ",v1=")
    return false;
  const std::string t = header.substr(2, comma - 2);
  const std::string message = t + "." + body;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return header.substr(comma + 4) == hex && std::abs(std::stoll(t) - std::time(nullptr)) < 60;
}

TEST_F(RecordingControl, WebhooksAreSignedAndRetriedUntilDelivered) {
  ASSERT_GE(sodium_init(), 0);
  WebhookReceiver receiver;
  const std::string secret = "whsec-test-0123456789";
  Settings({{"webhook_url", "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook"},
            {"webhook_secret", secret}});
  EXPECT_EQ(
      json::parse(
          server_->Client().Get("/api/v1/settings", server_->Auth())->body)["webhook_secret_set"],
      true);
  Classroom c(*server_, "s", "Music");
  c.StartHeartbeat();
  c.Join("h1", "host");
  const std::string rid = c.Start()["id"];
  ASSERT_EQ(WaitStatus(*server_, rid, "recording", 6)["status"], "recording");
  Sleep(1);
  StopAndWaitReady(rid);
  // Every notification arrives, delivered once with a 200; the first after two 500s.
  std::map<std::string, std::vector<int>> statuses;
  std::vector<std::string> types;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  while (std::chrono::steady_clock::now() < deadline) {
    statuses.clear();
    types.clear();
    for (const auto& d : receiver.Deliveries()) {
      statuses[d.event_id].push_back(d.status);
      EXPECT_TRUE(SignatureValid(d.signature, secret, d.body)) << d.signature;
      EXPECT_FALSE(SignatureValid(d.signature, "wrong-secret", d.body));
      if (d.status == 200)
        types.push_back(json::parse(d.body)["type"]);
    }
    if (types.size() >= 4)
      break;
    Sleep(0.1);
  }
  std::sort(types.begin(), types.end());
  EXPECT_THAT(types, ElementsAre("recording.initializing", "recording.ready", "recording.started",
                                 "recording.stopped"));
  const auto first = receiver.Deliveries().front();
  EXPECT_EQ(json::parse(first.body)["type"], "recording.initializing");
  EXPECT_THAT(statuses[first.event_id], ElementsAre(500, 500, 200));
  for (const auto& [id, s] : statuses) {
    if (id != first.event_id) {
      EXPECT_THAT(s, ElementsAre(200)) << id;
    }
  }
}

TEST_F(RecordingControl, AKilledServerResumesTheRecordingAfterARestart) {
  const fs::path data = server_->data_dir();
  Classroom c(*server_, "s", "Restart");
  c.Join("h1", "host");
  const std::string rid = c.Start()["id"];
  ASSERT_EQ(WaitStatus(*server_, rid, "recording", 6)["status"], "recording");
  Sleep(3);
  c.Post({{"type", "layout"}, {"sidebar", "open"}});
  ::kill(server_->pid(), SIGKILL);
  Sleep(0.5);
  ServeProcess second(ControlEnv(), data);
  json r = GetRecording(second, rid);
  EXPECT_EQ(r["status"], "recording") << r.dump();
  ASSERT_EQ(r["parts"].size(), 2u);
  EXPECT_EQ(r["parts"][1]["status"], "recording");
  EXPECT_EQ(r["parts"][0]["interrupted"], true);
  // The interrupted part is repaired and stored while part 2 records.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (GetRecording(second, rid)["parts"][0]["status"] != "ready" &&
         std::chrono::steady_clock::now() < deadline) {
    Sleep(0.1);
  }
  Sleep(1.5);
  auto res = StopRecording(second, rid);
  ASSERT_EQ(res->status, 200);
  r = WaitStatus(second, rid, "ready", 5);
  ASSERT_EQ(r["status"], "ready") << r.dump() << second.Log();
  ASSERT_EQ(r["parts"].size(), 2u);
  EXPECT_GE(r["parts"][1]["start_t"].get<double>(), r["parts"][0]["end_t"].get<double>());
  const fs::path part1 = dir_ / "recovered.webm";
  ASSERT_EQ(DownloadPart(second, rid, 1, part1), 200);
  EXPECT_TRUE(HasTrailingCues(part1)) << "seekable";
  const OutputProbe probe(part1.string());
  // At most ~1 s lost: the part ran 3 s before the kill.
  EXPECT_GT(probe.duration_s, 1.5);
  EXPECT_LT(probe.duration_s, 4.5);
  EXPECT_GT(probe.video_frames, 40);
  // The repaired part has its chapters too, ending where what survived of it ends.
  auto chapters =
      second.Client().Get("/api/v1/recordings/" + rid + "/parts/1/chapters.vtt", second.Auth());
  ASSERT_EQ(chapters->status, 200) << chapters->body;
  EXPECT_THAT(chapters->body, HasSubstr("00:00:00.000 --> "));
  EXPECT_THAT(chapters->body, HasSubstr("\nStart\n"));
  ASSERT_EQ(DownloadPart(second, rid, 2, dir_ / "after.webm"), 200);
  EXPECT_NEAR(OutputProbe((dir_ / "after.webm").string()).duration_s,
              r["parts"][1]["duration_s"].get<double>(), kPartFileSlack);
}

TEST_F(RecordingControl, AGracefulStopStoresTheRunningPartAndTheRecordingGoesOnAfterARestart) {
  const fs::path data = server_->data_dir();
  Classroom c(*server_, "s", "Stop");
  c.Join("h1", "host");
  const std::string rid = c.Start()["id"];
  ASSERT_EQ(WaitStatus(*server_, rid, "recording", 6)["status"], "recording");
  NotificationStream notes(*server_, "s");
  Sleep(1.5);
  const auto t0 = std::chrono::steady_clock::now();
  ::kill(server_->pid(), SIGTERM);
  EXPECT_TRUE(notes.WaitClosed(1.0)) << "the notification stream ends at once";
  EXPECT_EQ(server_->StopWith(SIGTERM, 10), 0);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 6);
  // Stored before the exit: the part is ready and whole (not a crash's repaired part).
  ServeProcess second(ControlEnv(), data);
  const json r = WaitStatus(second, rid, "recording", 6);
  EXPECT_EQ(r["status"], "recording") << "an upgrade does not end the class's recording";
  ASSERT_GE(r["parts"].size(), 2u) << r.dump();
  EXPECT_EQ(r["parts"][0]["status"], "ready");
  EXPECT_EQ(r["parts"][0]["interrupted"], false);
  EXPECT_EQ(r["parts"][1]["status"], "recording") << "it goes on in a new part";
  ASSERT_EQ(DownloadPart(second, rid, 1, dir_ / "stopped.webm"), 200);
  EXPECT_TRUE(HasTrailingCues(dir_ / "stopped.webm"));
  ASSERT_EQ(StopRecording(second, rid)->status, 200);
  const json done = WaitStatus(second, rid, "ready", 10);
  EXPECT_EQ(done["status"], "ready") << done.dump();
  EXPECT_EQ(done["parts"].size(), 2u) << done.dump();
}

// Admission on the real server: with max_live_recordings 1, a second class's recording waits
// in its countdown (its JSON and /readyz say so) and starts once the first one stops.
TEST(Admission, ASecondRecordingWaitsForTheSlotAndStartsWhenItFrees) {
  auto env = ControlEnv();
  env["SSR_MAX_LIVE_RECORDINGS"] = "1";
  ServeProcess server(env);
  ASSERT_EQ(PutSettings(server, {{"countdown_s", 20}})->status, 200);
  Classroom first(server, "a1", "First class");
  Classroom second(server, "a2", "Second class");
  for (Classroom* c : {&first, &second}) {
    c->StartHeartbeat();
  }
  first.Join("h-a1", "host");
  second.Join("h-a2", "host");
  const std::string rid1 = first.Start()["id"];
  ASSERT_EQ(WaitStatus(server, rid1, "recording", 10)["status"], "recording");
  const json waiting = second.Start();
  const std::string rid2 = waiting["id"];
  EXPECT_EQ(waiting["status"], "initializing");
  EXPECT_THAT(waiting["error"].get<std::string>(),
              HasSubstr("records 1 of 1 recordings at once (max_live_recordings)"));
  const json ready = json::parse(server.Client().Get("/readyz")->body);
  EXPECT_EQ(ready["recordings"],
            json({{"capacity", 1}, {"recording", 1}, {"spare", 0}, {"waiting", 1}}));
  const std::string metrics = server.Client().Get("/metrics", server.Auth())->body;
  EXPECT_THAT(metrics, HasSubstr("\nssr_recorder_capacity 1\n"));
  EXPECT_THAT(metrics, HasSubstr("\nssr_recorder_waiting 1\n"));

  ASSERT_EQ(StopRecording(server, rid1)->status, 200);
  const json started = WaitStatus(server, rid2, "recording", 10);
  EXPECT_EQ(started["status"], "recording") << started.dump();
  EXPECT_TRUE(started["error"].is_null()) << started.dump();
  ASSERT_EQ(StopRecording(server, rid2)->status, 200);
  const json done = WaitStatus(server, rid2, "ready", 15);
  ASSERT_EQ(done["status"], "ready") << done.dump();
  EXPECT_GE(done["parts"][0]["shed_frames"].get<int>(), 0) << "reported for every part";
}

} // namespace
} // namespace ssr::test
