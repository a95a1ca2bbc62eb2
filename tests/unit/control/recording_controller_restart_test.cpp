// A new controller on the same database file resumes what the old one was doing: status, part
// numbering and timers (countdown, grace, rollover).
#include "controller_fixture.h"

namespace ssr::control {
namespace {

using S = RecordingStatus;
using Call = FakeRecorder::Call;

TEST_F(ControllerTest, RestartMidRecordingContinuesWithTheNextPart) {
  settings_.max_part_duration_s = 10;
  Boot();
  Join(0, "h1", "host");
  const Recording r = Start(0);
  TickThrough(1, 14); // part 1 (0-10) stored, part 2 seen alive at 14
  Boot();             // the process died; a new one starts on the same database
  controller_->Resume(W(15));
  EXPECT_EQ(Status(r.id), S::kRecording);
  EXPECT_EQ(recorder_->calls, (std::vector<Call>{{"start", r.id, 3, 15}}));
  TickThrough(15, 26);
  Stop(27, r.id);
  Tick(27);
  EXPECT_EQ(Spans(r.id), (std::vector<Span>{{1, 0, 10}, {2, 10, 14}, {3, 15, 25}, {4, 25, 27}}));
  EXPECT_EQ(recorder_->calls, (std::vector<Call>{{"start", r.id, 3, 15},
                                                 {"stop", r.id, 0, 25},
                                                 {"start", r.id, 4, 25},
                                                 {"stop", r.id, 0, 27}}));
  EXPECT_EQ(Status(r.id), S::kReady);
  const auto parts = controller_->Parts(r.id);
  EXPECT_FALSE(parts[0].interrupted);
  EXPECT_TRUE(parts[1].interrupted);
  EXPECT_EQ(repaired_, (std::vector<std::filesystem::path>{parts[1].local_path}));
  // The new process's notifications go on from there.
  EXPECT_EQ(Types(r.id), (std::vector<std::string>{"recording.initializing#1", "recording.started",
                                                   "recording.stopped", "recording.ready"}));
}

TEST_F(ControllerTest, RestartWhileInitializingKeepsTheAttemptAndItsCountdown) {
  Boot();
  recorder_->flows = [](int) { return false; };
  Join(0, "h1", "host");
  const Recording r = Start(0);
  TickThrough(1, 12); // attempt 2, countdown to 20
  Boot();
  recorder_->flows = [](int) { return false; };
  controller_->Resume(W(13));
  EXPECT_EQ(recorder_->calls, (std::vector<Call>{{"start", r.id, 1, 13}}));
  TickThrough(13, 19);
  EXPECT_EQ(controller_->Find(r.id)->attempt, 2);
  Tick(20);
  EXPECT_EQ(controller_->Find(r.id)->attempt, 3);
  EXPECT_EQ(Types(r.id),
            (std::vector<std::string>{"recording.initializing#1", "recording.attempt_failed#1",
                                      "recording.initializing#2", "recording.initializing#2",
                                      "recording.attempt_failed#2", "recording.initializing#3"}));
}

TEST_F(ControllerTest, RestartDuringADisconnectKeepsTheGraceDeadline) {
  Boot();
  Join(0, "h1", "host");
  const Recording r = Start(0);
  Leave(10, "h1", "disconnected");
  Boot();
  controller_->Resume(W(50));
  EXPECT_TRUE(recorder_->calls.empty()) << "a paused recording has no part to restart";
  TickThrough(50, 129);
  EXPECT_EQ(Status(r.id), S::kPaused);
  Tick(130);
  EXPECT_EQ(Status(r.id), S::kReady);
  EXPECT_EQ(Spans(r.id), (std::vector<Span>{{1, 0, 10}}));
}

TEST_F(ControllerTest, RestartRemembersWhoIsWhere) {
  Boot();
  OpenRoom(0, "b1", "Group A");
  Join(0, "h1", "host");
  const Recording r = Start(0);
  Move(5, "h1", "b1");
  Boot();
  controller_->Resume(W(6));
  Move(9, "h1", "main"); // resumes: the new controller knows h1 was in b1
  EXPECT_EQ(Status(r.id), S::kRecording);
  EXPECT_EQ(recorder_->calls, (std::vector<Call>{{"start", r.id, 2, 9}}));
  EXPECT_EQ(Start(10, "b1").title, "Biology 101 - Group A");
}

} // namespace
} // namespace ssr::control
