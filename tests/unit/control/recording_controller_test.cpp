// Recording control without rooms: titles (R1), attempts (R2), started/stopped/ready (R3),
// rollover (R6), handover (R8), storage of parts (R9).
#include "controller_fixture.h"

#include "storage/storage_backend.h"

namespace ssr::control {
namespace {

using S = RecordingStatus;
using Call = FakeRecorder::Call;

TEST_F(ControllerTest, TitlesFollowR1) {
  Boot();
  Join(0, "h1", "host");
  OpenRoom(1, "b1", "Group A");
  const Recording main = Start(2);
  EXPECT_EQ(main.title, "Biology 101");
  EXPECT_EQ(main.status, S::kRecording);
  EXPECT_EQ(main.room, "main");
  const Recording breakout = Start(3, "b1", "   ");
  EXPECT_EQ(breakout.title, "Biology 101 - Group A");
  Stop(4, main.id);
  EXPECT_EQ(Start(5, "main", "  Week 3: cells ").title, "Week 3: cells");
}

// A name at start follows the one title rule (common/title.h): 200 characters, not bytes.
TEST_F(ControllerTest, NamesAtStartFollowTheTitleRule) {
  Boot();
  Join(0, "h1", "host");
  std::string long_name;
  for (int i = 0; i < 200; ++i)
    long_name += "é"; // 400 bytes
  const Recording r = Start(1, "main", " " + long_name + " ");
  EXPECT_EQ(r.title, long_name);
  Stop(2, r.id);
  for (const std::string& bad : {long_name + "é", std::string("a\nb")}) {
    try {
      Start(3, "main", bad);
      FAIL() << "name " << bad;
    } catch (const ControlError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInvalid);
      EXPECT_EQ(e.field(), "name");
    }
  }
}

// Parts are made at the organization's video settings as they are when each part starts.
TEST_F(ControllerTest, PartsAreMadeAtTheVideoSettingsOfTheirStart) {
  Boot();
  Join(0, "h1", "host");
  const Recording first = Start(1);
  Stop(2, first.id);
  OrgSettings smaller = controller_->settings();
  smaller.video = PartVideo{640, 360, 15, 200000};
  controller_->UpdateSettings(smaller);
  const Recording second = Start(3);
  Stop(4, second.id);
  ASSERT_EQ(recorder_->videos.size(), 2u);
  EXPECT_EQ(recorder_->videos[0], (PartVideo{1280, 720, 30, 0}));
  EXPECT_EQ(recorder_->videos[1], (PartVideo{640, 360, 15, 200000}));
}

TEST_F(ControllerTest, StartRejectsWhatCannotBeRecorded) {
  Boot();
  Join(0, "h1", "host");
  const Recording r = Start(1);
  try {
    Start(2);
    FAIL() << "second recording of main";
  } catch (const ControlError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConflict);
    EXPECT_NE(std::string(e.what()).find(r.id), std::string::npos) << e.what();
  }
  try {
    Start(2, "b9");
    FAIL() << "unknown room";
  } catch (const ControlError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  }
  try {
    controller_->Start(W(2), "nope", "main", "", "h1");
    FAIL() << "unknown session";
  } catch (const ControlError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  }
  End(3);
  try {
    Start(4);
    FAIL() << "ended session";
  } catch (const ControlError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConflict);
  }
}

TEST_F(ControllerTest, StartedStoppedReadyWithVerifiedParts) {
  Boot();
  Join(0, "h1", "host");
  const Recording r = Start(2);
  Tick(3);
  Stop(12, r.id);
  EXPECT_EQ(Status(r.id), S::kProcessing);
  Tick(12);
  EXPECT_EQ(Status(r.id), S::kReady);
  EXPECT_EQ(Types(r.id), (std::vector<std::string>{"recording.initializing#1", "recording.started",
                                                   "recording.stopped", "recording.ready"}));
  EXPECT_EQ(Moves(r.id), (std::vector<std::string>{"none>initializing", "initializing>recording",
                                                   "recording>processing", "processing>ready"}));
  EXPECT_EQ(recorder_->calls, (std::vector<Call>{{"start", r.id, 1, 2}, {"stop", r.id, 0, 12}}));
  const auto parts = controller_->Parts(r.id);
  ASSERT_EQ(parts.size(), 1u);
  const Part& p = parts[0];
  EXPECT_EQ(p.status, PartStatus::kReady);
  EXPECT_EQ(p.duration_s, 10);
  EXPECT_EQ(p.storage_key, "recordings/" + r.id + "/part-1.webm");
  const auto stored = storage_->Path(p.storage_key);
  ASSERT_TRUE(stored);
  const storage::StoredObject check = storage::HashFile(*stored);
  EXPECT_EQ(p.size_bytes, check.size_bytes);
  EXPECT_EQ(p.sha256, check.sha256);
  EXPECT_EQ(p.sha256.size(), 64u);
  EXPECT_TRUE(storage_->Path("recordings/" + r.id + "/part-1.vtt"));
  EXPECT_FALSE(std::filesystem::exists(p.local_path)) << "the live copy is removed once stored";
  // A second stop changes nothing.
  EXPECT_EQ(Stop(13, r.id).status, S::kReady);
  EXPECT_EQ(recorder_->calls.size(), 2u);
}

TEST_F(ControllerTest, FiveAttemptsThatNeverFlowFail) {
  Boot();
  recorder_->flows = [](int) { return false; };
  Join(0, "h1", "host");
  const Recording r = Start(0);
  EXPECT_EQ(r.status, S::kInitializing);
  EXPECT_EQ(r.attempt, 1);
  EXPECT_EQ(r.countdown_ends_at, W(10));
  TickThrough(1, 49);
  EXPECT_EQ(Status(r.id), S::kInitializing);
  EXPECT_EQ(controller_->Find(r.id)->attempt, 5);
  Tick(50);
  EXPECT_EQ(Status(r.id), S::kFailed);
  EXPECT_EQ(Types(r.id),
            (std::vector<std::string>{"recording.initializing#1", "recording.attempt_failed#1",
                                      "recording.initializing#2", "recording.attempt_failed#2",
                                      "recording.initializing#3", "recording.attempt_failed#3",
                                      "recording.initializing#4", "recording.attempt_failed#4",
                                      "recording.initializing#5", "recording.attempt_failed#5",
                                      "recording.failed#5"}));
  std::vector<Call> expected;
  for (int a = 0; a < 5; ++a) {
    expected.push_back({"start", r.id, 1, 10.0 * a});
    expected.push_back({"stop", r.id, 0, 10.0 * (a + 1)});
  }
  EXPECT_EQ(recorder_->calls, expected);
  EXPECT_EQ(Moves(r.id), (std::vector<std::string>{"none>initializing", "initializing>failed"}));
  EXPECT_EQ(controller_->Find(r.id)->error, "recording did not begin after 5 attempts");
  EXPECT_TRUE(controller_->Parts(r.id).empty());
  // The room may be recorded again.
  recorder_->flows = [](int) { return true; };
  EXPECT_EQ(Start(51).status, S::kRecording);
}

TEST_F(ControllerTest, FiveAttemptsWithAThrowingRecorderFail) {
  Boot();
  recorder_->fail_start = true;
  Join(0, "h1", "host");
  const Recording r = Start(0);
  TickThrough(1, 60);
  EXPECT_EQ(Status(r.id), S::kFailed);
  int attempt_failed = 0;
  for (const notify::Notification& n : notes_) {
    if (n.type == "recording.attempt_failed") {
      ++attempt_failed;
      EXPECT_EQ(*n.attempt, attempt_failed);
      EXPECT_EQ(n.detail, "recorder unavailable: no recorder left");
      EXPECT_EQ(*n.max_attempts, 5);
      EXPECT_EQ(n.message, "Recording did not start within 10 s (attempt " +
                               std::to_string(attempt_failed) + " of 5)" +
                               (attempt_failed < 5 ? "; trying again." : "."));
      EXPECT_EQ(n.at, FormatRfc3339(W(10.0 * attempt_failed)));
    }
  }
  EXPECT_EQ(attempt_failed, 5);
  EXPECT_EQ(Types(r.id).back(), "recording.failed#5");
  EXPECT_EQ(recorder_->calls.size(), 5u) << "five starts, nothing to stop";
  EXPECT_EQ(controller_->Find(r.id)->error,
            "recording did not begin after 5 attempts (recorder unavailable: no recorder left)");
}

TEST_F(ControllerTest, ThirdAttemptSucceeds) {
  Boot();
  recorder_->flows = [](int starts) { return starts >= 3; };
  Join(0, "h1", "host");
  const Recording r = Start(0);
  TickThrough(1, 25);
  EXPECT_EQ(Status(r.id), S::kRecording);
  EXPECT_EQ(Types(r.id),
            (std::vector<std::string>{"recording.initializing#1", "recording.attempt_failed#1",
                                      "recording.initializing#2", "recording.attempt_failed#2",
                                      "recording.initializing#3", "recording.started"}));
  Stop(30, r.id);
  Tick(30);
  EXPECT_EQ(Spans(r.id), (std::vector<Span>{{1, 20, 30}}));
  EXPECT_EQ(Status(r.id), S::kReady);
}

TEST_F(ControllerTest, RecorderThatFlowsLaterStartsOnATick) {
  Boot();
  bool flowing = false;
  recorder_->flows = [&flowing](int) { return flowing; };
  Join(0, "h1", "host");
  const Recording r = Start(0);
  Tick(1);
  EXPECT_EQ(Status(r.id), S::kInitializing);
  flowing = true;
  Tick(2);
  EXPECT_EQ(Status(r.id), S::kRecording);
  Stop(5, r.id);
  Tick(5);
  EXPECT_EQ(Spans(r.id), (std::vector<Span>{{1, 0, 5}}))
      << "the part records from the attempt's start";
}

TEST_F(ControllerTest, StopWhileInitializingFails) {
  Boot();
  recorder_->flows = [](int) { return false; };
  Join(0, "h1", "host");
  const Recording r = Start(0);
  EXPECT_EQ(Stop(3, r.id).status, S::kFailed);
  EXPECT_EQ(controller_->Find(r.id)->error, "stopped by request before recording began");
  EXPECT_EQ(Types(r.id),
            (std::vector<std::string>{"recording.initializing#1", "recording.failed#1"}));
}

TEST_F(ControllerTest, PresenterChangeNeverInterruptsAPart) {
  Boot();
  Join(0, "h1", "host");
  Join(0, "p1", "presenter");
  const Recording r = Start(1);
  Event(5, {{"type", "presenter.change"}, {"id", "p1"}});
  Tick(6);
  Event(8, {{"type", "presenter.change"}, {"id", "h1"}});
  Stop(20, r.id);
  Tick(20);
  EXPECT_EQ(Spans(r.id), (std::vector<Span>{{1, 1, 20}}));
  EXPECT_EQ(recorder_->calls, (std::vector<Call>{{"start", r.id, 1, 1}, {"stop", r.id, 0, 20}}));
  EXPECT_EQ(Types(r.id), (std::vector<std::string>{"recording.initializing#1", "recording.started",
                                                   "recording.stopped", "recording.ready"}));
}

TEST_F(ControllerTest, RollsOverEveryMaxPartDurationWithoutGaps) {
  settings_.max_part_duration_s = 10;
  Boot();
  Join(0, "h1", "host");
  const Recording r = Start(0);
  TickThrough(1, 11);
  // Part 1 is stored while part 2 records.
  ASSERT_EQ(controller_->Parts(r.id).size(), 2u);
  EXPECT_EQ(controller_->Parts(r.id)[0].status, PartStatus::kReady);
  EXPECT_EQ(controller_->Parts(r.id)[1].status, PartStatus::kRecording);
  TickThrough(12, 35);
  Stop(35, r.id);
  Tick(35);
  const std::vector<Span> spans = Spans(r.id);
  EXPECT_EQ(spans, (std::vector<Span>{{1, 0, 10}, {2, 10, 20}, {3, 20, 30}, {4, 30, 35}}));
  double total = 0;
  for (size_t i = 0; i < spans.size(); ++i) {
    total += std::get<2>(spans[i]) - std::get<1>(spans[i]);
    if (i > 0) {
      EXPECT_EQ(std::get<1>(spans[i]), std::get<2>(spans[i - 1])) << "gap before part " << i + 1;
    }
  }
  EXPECT_EQ(total, 35);
  EXPECT_EQ(recorder_->calls, (std::vector<Call>{{"start", r.id, 1, 0},
                                                 {"stop", r.id, 0, 10},
                                                 {"start", r.id, 2, 10},
                                                 {"stop", r.id, 0, 20},
                                                 {"start", r.id, 3, 20},
                                                 {"stop", r.id, 0, 30},
                                                 {"start", r.id, 4, 30},
                                                 {"stop", r.id, 0, 35}}));
  EXPECT_EQ(Status(r.id), S::kReady);
  for (const Part& p : controller_->Parts(r.id)) {
    EXPECT_EQ(p.status, PartStatus::kReady) << "part " << p.n;
  }
  EXPECT_EQ(Types(r.id), (std::vector<std::string>{"recording.initializing#1", "recording.started",
                                                   "recording.stopped", "recording.ready"}));
}

TEST_F(ControllerTest, ALateTickCatchesUpWithEveryBoundary) {
  settings_.max_part_duration_s = 10;
  Boot();
  Join(0, "h1", "host");
  const Recording r = Start(0);
  Tick(34.5);
  EXPECT_EQ(Spans(r.id), (std::vector<Span>{{1, 0, 10}, {2, 10, 20}, {3, 20, 30}, {4, 30, 30}}));
}

TEST_F(ControllerTest, EveryTransitionIsLoggedWithTimeAndReason) {
  Boot();
  Join(0, "h1", "host");
  const Recording r = Start(2);
  Stop(7.25, r.id);
  Tick(8);
  const auto log = store_->Transitions(r.id);
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[0].reason, "started by h1");
  EXPECT_EQ(log[1].reason, "recorder running (attempt 1)");
  EXPECT_EQ(log[2].reason, "stopped by request");
  EXPECT_EQ(log[2].at, FormatRfc3339(W(7.25)));
  EXPECT_EQ(log[2].at, "2025-06-15T15:06:47.250Z");
  EXPECT_EQ(log[3].reason, "1 part(s) stored and verified");
}

} // namespace
} // namespace ssr::control
