// Recording control and where people are: pause and resume (R7), AutoStart and its failure
// notifications (R10), breakout rooms (R11).
#include "controller_fixture.h"

namespace ssr::control {
namespace {

using S = RecordingStatus;
using Call = FakeRecorder::Call;

std::vector<std::string> Recipients(const std::vector<notify::Notification>& notes) {
  std::vector<std::string> out;
  for (const notify::Notification& n : notes) {
    if (n.type == "autostart.failed") {
      out.push_back(n.recipient + "@" + n.host_location.value_or("?") + ": " + n.message);
    }
  }
  return out;
}

TEST_F(ControllerTest, HostToBreakoutAndBackGivesTwoPartsOfOneRecording) {
  Boot();
  OpenRoom(0, "b1", "Group A");
  Join(0, "h1", "host");
  Join(0, "a1", "attendee");
  const Recording r = Start(1);
  Move(10, "h1", "b1");
  EXPECT_EQ(Status(r.id), S::kPaused);
  TickThrough(11, 199); // far past the disconnect grace: a breakout pause lasts
  EXPECT_EQ(Status(r.id), S::kPaused);
  Move(200, "h1", "main");
  EXPECT_EQ(Status(r.id), S::kRecording);
  Stop(215, r.id);
  Tick(215);
  EXPECT_EQ(Spans(r.id), (std::vector<Span>{{1, 1, 10}, {2, 200, 215}}));
  EXPECT_EQ(Status(r.id), S::kReady);
  EXPECT_EQ(Types(r.id), (std::vector<std::string>{"recording.initializing#1", "recording.started",
                                                   "recording.paused", "recording.resumed",
                                                   "recording.stopped", "recording.ready"}));
  EXPECT_EQ(Moves(r.id), (std::vector<std::string>{"none>initializing", "initializing>recording",
                                                   "recording>paused", "paused>recording",
                                                   "recording>processing", "processing>ready"}));
  EXPECT_EQ(store_->Transitions(r.id)[2].reason, "host or co-host h1 moved to Group A");
}

TEST_F(ControllerTest, ACohostInMainKeepsItRecording) {
  Boot();
  OpenRoom(0, "b1", "Group A");
  Join(0, "h1", "host");
  Join(0, "c1", "cohost");
  const Recording r = Start(1);
  Move(10, "h1", "b1");
  Leave(12, "c1", "left"); // now nobody: pause
  EXPECT_EQ(Status(r.id), S::kPaused);
  Event(15, {{"type", "participant.role"}, {"id", "h1"}, {"role", "attendee"}});
  Move(16, "h1", "main"); // back, but no longer a host
  EXPECT_EQ(Status(r.id), S::kPaused);
  Event(20, {{"type", "participant.role"}, {"id", "h1"}, {"role", "cohost"}});
  EXPECT_EQ(Status(r.id), S::kRecording);
  Stop(30, r.id);
  Tick(30);
  EXPECT_EQ(Spans(r.id), (std::vector<Span>{{1, 1, 12}, {2, 20, 30}}));
}

TEST_F(ControllerTest, ShortDisconnectPausesAndResumes) {
  Boot();
  Join(0, "h1", "host");
  const Recording r = Start(0);
  Leave(10, "h1", "disconnected");
  EXPECT_EQ(Status(r.id), S::kPaused);
  EXPECT_EQ(controller_->Find(r.id)->grace_ends_at, W(130));
  TickThrough(11, 39);
  Join(40, "h1", "host");
  EXPECT_EQ(Status(r.id), S::kRecording);
  EXPECT_EQ(controller_->Find(r.id)->grace_ends_at, 0);
  TickThrough(41, 200); // the old grace deadline passes harmlessly
  EXPECT_EQ(Status(r.id), S::kRecording);
  Stop(200, r.id);
  Tick(200);
  EXPECT_EQ(Spans(r.id), (std::vector<Span>{{1, 0, 10}, {2, 40, 200}}));
  EXPECT_EQ(Types(r.id), (std::vector<std::string>{"recording.initializing#1", "recording.started",
                                                   "recording.paused", "recording.resumed",
                                                   "recording.stopped", "recording.ready"}));
}

TEST_F(ControllerTest, DisconnectPastGraceStopsAndProcesses) {
  Boot();
  Join(0, "h1", "host");
  Join(0, "a1", "attendee");
  const Recording r = Start(0);
  Leave(10, "h1", "disconnected");
  TickThrough(11, 129);
  EXPECT_EQ(Status(r.id), S::kPaused);
  Tick(130);
  EXPECT_EQ(Status(r.id), S::kReady);
  EXPECT_EQ(Spans(r.id), (std::vector<Span>{{1, 0, 10}}));
  const auto log = store_->Transitions(r.id);
  ASSERT_EQ(log.size(), 5u);
  EXPECT_EQ(log[2].reason, "host or co-host h1 disconnected");
  EXPECT_EQ(log[3].from + ">" + log[3].to, "paused>processing");
  EXPECT_EQ(log[3].reason, "host disconnected for longer than 120 s");
  EXPECT_EQ(log[3].at, FormatRfc3339(W(130)));
  EXPECT_EQ(Types(r.id),
            (std::vector<std::string>{"recording.initializing#1", "recording.started",
                                      "recording.paused", "recording.stopped", "recording.ready"}));
}

TEST_F(ControllerTest, ReconnectingIntoABreakoutEndsTheGraceButNotThePause) {
  Boot();
  OpenRoom(0, "b1", "Group A");
  Join(0, "h1", "host");
  const Recording r = Start(0);
  Leave(10, "h1", "disconnected");
  Join(20, "h1", "host", "b1");
  EXPECT_EQ(controller_->Find(r.id)->grace_ends_at, 0);
  TickThrough(21, 300);
  EXPECT_EQ(Status(r.id), S::kPaused);
}

TEST_F(ControllerTest, AutostartOnFirstEventAndPerSessionOverride) {
  settings_.autostart = true;
  Boot();
  Join(3, "h1", "host");
  auto recordings = store_->RecordingsOfSession("s1");
  ASSERT_EQ(recordings.size(), 1u);
  EXPECT_TRUE(recordings[0].automatic);
  EXPECT_EQ(recordings[0].status, S::kRecording);
  EXPECT_EQ(recordings[0].title, "Biology 101");
  EXPECT_EQ(Spans(recordings[0].id), (std::vector<Span>{{1, 3, 3}}));
}

TEST_F(ControllerTest, AutostartOffForThisSession) {
  settings_.autostart = true;
  Boot(/*session_autostart=*/false);
  Join(3, "h1", "host");
  EXPECT_TRUE(store_->RecordingsOfSession("s1").empty());
}

TEST_F(ControllerTest, AutostartFailureInMainWithHostsInMain) { // R10 (a)
  settings_.autostart = true;
  settings_.attempts = 2;
  Boot();
  recorder_->flows = [](int) { return false; };
  Join(0, "h1", "host");
  Join(1, "c1", "cohost");
  Join(1, "a1", "attendee");
  TickThrough(1, 20);
  EXPECT_EQ(Recipients(notes_),
            (std::vector<std::string>{
                "c1@main: Automatic recording of the main room did not start. You can start it "
                "yourself with Record.",
                "h1@main: Automatic recording of the main room did not start. You can start it "
                "yourself with Record."}));
  EXPECT_EQ(notes_.back().room, "main");
  EXPECT_EQ(notes_.back().title, "Biology 101");
}

TEST_F(ControllerTest, AutostartFailureInMainWithAHostInABreakout) { // R10 (b)
  settings_.autostart = true;
  settings_.attempts = 2;
  Boot();
  recorder_->flows = [](int) { return false; };
  Join(0, "h1", "host");
  OpenRoom(1, "b1", "Group A");
  Join(1, "c1", "cohost");
  Move(2, "c1", "b1");
  TickThrough(1, 20);
  EXPECT_EQ(Recipients(notes_),
            (std::vector<std::string>{
                "c1@b1: Automatic recording of the main room did not start. You are in "
                "breakout room Group A: go back to the main room to start it with Record.",
                "h1@main: Automatic recording of the main room did not start. You can start it "
                "yourself with Record."}));
}

TEST_F(ControllerTest, AutostartFailureInABreakoutWithHostsElsewhere) { // R10 (c)
  settings_.attempts = 2;
  Boot();
  recorder_->flows = [](int) { return false; };
  Join(0, "h1", "host");
  Join(0, "c1", "cohost");
  OpenRoom(1, "b2", "Group B");
  Move(1, "c1", "b2");
  OpenRoom(2, "b1", "Group A", /*auto_record=*/true);
  TickThrough(3, 30);
  EXPECT_EQ(
      Recipients(notes_),
      (std::vector<std::string>{
          "c1@b2: Automatic recording of breakout room Group A did not start. You are in "
          "breakout room Group B; a host or co-host in breakout room Group A can start it with "
          "Record.",
          "h1@main: Automatic recording of breakout room Group A did not start. You are in the "
          "main room; a host or co-host in breakout room Group A can start it with Record."}));
  for (const notify::Notification& n : notes_) {
    if (n.type == "autostart.failed") {
      EXPECT_EQ(n.room, "b1");
      EXPECT_EQ(n.title, "Biology 101 - Group A");
    }
  }
}

TEST_F(ControllerTest, AManualStartThatFailsIsNoAutostartFailure) {
  settings_.attempts = 1;
  Boot();
  recorder_->flows = [](int) { return false; };
  Join(0, "h1", "host");
  const Recording r = Start(0);
  TickThrough(1, 12);
  EXPECT_EQ(Status(r.id), S::kFailed);
  EXPECT_TRUE(Recipients(notes_).empty());
}

TEST_F(ControllerTest, AutoRecordedBreakoutIsHeldUntilRoomClose) {
  settings_.max_part_duration_s = 10;
  Boot();
  Join(0, "h1", "host");
  OpenRoom(5, "b1", "Group A", true);
  const auto recordings = store_->RecordingsOfSession("s1");
  ASSERT_EQ(recordings.size(), 1u);
  const Recording r = recordings[0];
  EXPECT_EQ(r.room, "b1");
  EXPECT_EQ(r.title, "Biology 101 - Group A");
  EXPECT_EQ(r.status, S::kRecording);
  TickThrough(6, 30);
  auto parts = controller_->Parts(r.id);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].status, PartStatus::kProcessing) << "held, not stored";
  EXPECT_EQ(parts[1].status, PartStatus::kProcessing);
  EXPECT_TRUE(parts[0].storage_key.empty());
  CloseRoom(40, "b1");
  EXPECT_EQ(Status(r.id), S::kProcessing);
  Tick(40);
  EXPECT_EQ(Status(r.id), S::kReady);
  EXPECT_EQ(Spans(r.id), (std::vector<Span>{{1, 5, 15}, {2, 15, 25}, {3, 25, 40}}));
  for (const Part& p : controller_->Parts(r.id)) {
    EXPECT_EQ(p.status, PartStatus::kReady);
  }
  EXPECT_EQ(Types(r.id), (std::vector<std::string>{"recording.initializing#1", "recording.started",
                                                   "recording.stopped", "recording.ready"}));
}

TEST_F(ControllerTest, BreakoutStoppedByHandWaitsForSessionEnd) {
  Boot();
  Join(0, "h1", "host");
  OpenRoom(1, "b1", "Group A");
  const Recording main_room = Start(1.5);
  Move(2, "h1", "b1"); // main pauses
  const Recording r = Start(3, "b1");
  Stop(10, r.id);
  Tick(11);
  EXPECT_EQ(Status(r.id), S::kProcessing);
  EXPECT_EQ(controller_->Parts(r.id)[0].status, PartStatus::kProcessing);
  End(20);
  Tick(20);
  EXPECT_EQ(Status(r.id), S::kReady);
  EXPECT_EQ(Status(main_room.id), S::kReady);
  EXPECT_EQ(Spans(r.id), (std::vector<Span>{{1, 3, 10}}));
  EXPECT_EQ(Spans(main_room.id), (std::vector<Span>{{1, 1.5, 2}}));
}

TEST_F(ControllerTest, RoomCloseBringsTheHostBackAndResumesMain) {
  Boot();
  Join(0, "h1", "host");
  OpenRoom(1, "b1", "Group A");
  const Recording main_room = Start(1);
  Move(5, "h1", "b1");
  const Recording b = Start(6, "b1");
  CloseRoom(30, "b1");
  EXPECT_EQ(Status(main_room.id), S::kRecording);
  EXPECT_EQ(Status(b.id), S::kProcessing);
  End(50);
  Tick(50);
  EXPECT_EQ(Spans(main_room.id), (std::vector<Span>{{1, 1, 5}, {2, 30, 50}}));
  EXPECT_EQ(Spans(b.id), (std::vector<Span>{{1, 6, 30}}));
  EXPECT_EQ(Status(b.id), S::kReady);
}

TEST_F(ControllerTest, SessionEndStopsEverything) {
  Boot();
  Join(0, "h1", "host");
  recorder_->flows = [](int) { return false; };
  const Recording initializing = Start(0);
  recorder_->flows = [](int) { return true; };
  OpenRoom(1, "b1", "Group A", true);
  End(5);
  Tick(5);
  EXPECT_EQ(Status(initializing.id), S::kFailed);
  EXPECT_EQ(controller_->Find(initializing.id)->error, "session ended before recording began");
  const auto all = store_->RecordingsOfSession("s1");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].status, S::kReady);
  EXPECT_EQ(Spans(all[1].id), (std::vector<Span>{{1, 1, 5}}));
}

} // namespace
} // namespace ssr::control
