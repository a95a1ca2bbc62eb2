// server::EventIntake on a real events.jsonl: a batch is logged all or nothing, every
// listener gets it in the order it was logged, a failing listener keeps no other from it,
// and sessions do not wait for each other.

#include "server/event_intake.h"

#include "../../support/temp_dir.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <future>
#include <thread>

namespace ssr::server {
namespace {

using nlohmann::json;

// What a listener saw, in order: "before:<session>" and "<session>:<t>,<t>...".
class RecordingListener : public SessionEventListener {
 public:
  explicit RecordingListener(const char* name, bool fail = false) : name_(name), fail_(fail) {}
  const char* Name() const override { return name_; }
  void BeforeLogged(const std::string& session_id) override {
    std::lock_guard lock(mutex_);
    seen_.push_back("before:" + session_id);
  }
  void OnSessionEvents(const std::string& session_id, const std::vector<events::Event>& events,
                       double /*wall_s*/) override {
    std::string line = session_id + ":";
    for (const events::Event& e : events)
      line += std::to_string(static_cast<int>(e.t)) + ",";
    {
      std::lock_guard lock(mutex_);
      seen_.push_back(line);
    }
    if (fail_)
      throw std::runtime_error("listener broke");
  }
  std::vector<std::string> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  const char* name_;
  bool fail_;
  std::mutex mutex_;
  std::vector<std::string> seen_;
};

json Chat(double t) { return {{"t", t}, {"type", "chat.message"}, {"from", "u1"}, {"text", "hi"}}; }

class EventIntakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.path() / "s1");
    std::filesystem::create_directories(dir_.path() / "s2");
  }
  size_t LoggedLines(const std::string& session) {
    std::ifstream in(dir_.path() / session / "events.jsonl");
    size_t n = 0;
    for (std::string line; std::getline(in, line);)
      n += !line.empty();
    return n;
  }
  test::TempDir dir_;
  events::EventLogs logs_{dir_.path()};
  EventIntake intake_{logs_};
};

TEST_F(EventIntakeTest, EveryListenerGetsTheBatchAsLoggedInTheOrderAdded) {
  RecordingListener first("first", /*fail=*/true);
  RecordingListener second("second");
  intake_.AddListener(first);
  intake_.AddListener(second);
  const auto logged = intake_.Accept("s1", {Chat(1), Chat(2)}, 100);
  ASSERT_EQ(logged.size(), 2u);
  intake_.Accept("s1", {Chat(3)}, 101);
  EXPECT_EQ(LoggedLines("s1"), 3u);
  const std::vector<std::string> expected = {"before:s1", "s1:1,2,", "before:s1", "s1:3,"};
  EXPECT_EQ(first.seen(), expected);
  EXPECT_EQ(second.seen(), expected) << "a failing listener before it must not starve it";
}

// Accepted events that name what the session does not know are logged, and each unknown
// thing is named in a warning; what earlier batches (or, after a restart, events.jsonl)
// introduced is known.
TEST_F(EventIntakeTest, UnknownParticipantsTracksAndAssetsAreWarnedAbout) {
  std::filesystem::create_directories(dir_.path() / "s1" / "assets");
  std::ofstream(dir_.path() / "s1" / "assets" / "slides.pdf") << "%PDF-1.4";
  const json join = {
      {"t", 0}, {"type", "participant.join"}, {"id", "u1"}, {"name", "Ann"}, {"role", "host"}};
  std::vector<std::string> warnings{"stale"};
  intake_.Accept("s1", {join}, 100, &warnings);
  EXPECT_TRUE(warnings.empty());
  const json publish = {{"t", 1},           {"type", "track.publish"},
                        {"track", "cam-9"}, {"participant", "p9"},
                        {"kind", "video"},  {"source", "camera"}};
  const json mute = {{"t", 1}, {"type", "track.mute"}, {"track", "mic-7"}, {"muted", true}};
  const json shown = {{"t", 2}, {"type", "presentation.show"}, {"asset", "slides.pdf"}};
  const json missing = {{"t", 2}, {"type", "image.show"}, {"asset", "map.png"}};
  const json to_bob = {
      {"t", 3}, {"type", "chat.message"}, {"from", "u1"}, {"to", "bob"}, {"text", "hi"}};
  const auto logged =
      intake_.Accept("s1", {publish, mute, shown, missing, to_bob, Chat(4)}, 101, &warnings);
  EXPECT_EQ(logged.size(), 6u); // logged all the same
  const std::vector<std::string> expected = {
      "event 0: track.publish: participant 'p9' has not joined",
      "event 1: track.mute: track 'mic-7' was not published",
      "event 3: image.show: asset 'map.png' has not been uploaded: its pane shows a card until "
      "it is",
      "event 4: chat.message: participant 'bob' has not joined"};
  EXPECT_EQ(warnings, expected);

  // A new intake (a restart) learns the session from events.jsonl: cam-9 was published.
  EventIntake restarted(logs_);
  const json unmute = {{"t", 5}, {"type", "track.mute"}, {"track", "cam-9"}, {"muted", false}};
  restarted.Accept("s1", {unmute, Chat(5)}, 102, &warnings);
  EXPECT_TRUE(warnings.empty()) << warnings.front();
}

TEST_F(EventIntakeTest, ABadEventLogsNothingAndReachesNoListener) {
  RecordingListener listener("only");
  intake_.AddListener(listener);
  json bad = Chat(2);
  bad.erase("text");
  try {
    intake_.Accept("s1", {Chat(1), bad}, 100);
    FAIL() << "a batch with a bad event was accepted";
  } catch (const events::EventLogError& e) {
    EXPECT_EQ(e.index(), 1u);
  }
  EXPECT_EQ(LoggedLines("s1"), 0u);
  for (const std::string& seen : listener.seen()) {
    EXPECT_EQ(seen.rfind("before:", 0), 0u) << "handed on: " << seen;
  }
}

// A listener that holds session s1's batch until s2's has gone through: with one lock for
// all sessions this would never finish (the test's future would time out).
class BlockingListener : public SessionEventListener {
 public:
  const char* Name() const override { return "blocking"; }
  void OnSessionEvents(const std::string& session_id, const std::vector<events::Event>&,
                       double) override {
    if (session_id == "s1") {
      s1_inside.set_value();
      s2_done_future.wait();
    }
  }
  std::promise<void> s1_inside;
  std::promise<void> s2_done;
  std::shared_future<void> s2_done_future = s2_done.get_future().share();
};

TEST_F(EventIntakeTest, OneSessionsBatchDoesNotWaitForAnothers) {
  BlockingListener listener;
  intake_.AddListener(listener);
  auto s1 = std::async(std::launch::async, [&] { intake_.Accept("s1", {Chat(1)}, 100); });
  listener.s1_inside.get_future().wait();
  auto s2 = std::async(std::launch::async, [&] { intake_.Accept("s2", {Chat(1)}, 100); });
  const bool s2_finished = s2.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  listener.s2_done.set_value();
  s1.get();
  EXPECT_TRUE(s2_finished) << "session s2 waited for session s1's listener";
  if (s2_finished)
    s2.get();
  EXPECT_EQ(LoggedLines("s1"), 1u);
  EXPECT_EQ(LoggedLines("s2"), 1u);
}

} // namespace
} // namespace ssr::server
