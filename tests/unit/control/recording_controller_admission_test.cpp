// Admission (max_live_recordings) and what an overloaded recorder reports (shed frames):
// a recording over the capacity waits in its countdown without a recorder, starts as soon as
// a slot frees, and fails like any attempt that does not start when none does.

#include "controller_fixture.h"

#include <gmock/gmock.h>

namespace ssr::control {
namespace {

using S = RecordingStatus;
using Call = FakeRecorder::Call;
using ::testing::HasSubstr;

TEST_F(ControllerTest, ARecordingOverTheCapacityWaitsForASlotAndStartsWhenOneFrees) {
  max_live_recordings_ = 2;
  Boot();
  Join(0, "h1", "host");
  OpenRoom(0, "b1", "Group A");
  OpenRoom(0, "b2", "Group B");
  const Recording main = Start(1);
  const Recording a = Start(1, "b1");
  Tick(2);
  ASSERT_EQ(Status(main.id), S::kRecording);
  ASSERT_EQ(Status(a.id), S::kRecording);

  const Recording b = Start(3, "b2");
  EXPECT_EQ(b.status, S::kInitializing);
  EXPECT_THAT(b.error, HasSubstr("this server records 2 of 2 recordings at once "
                                 "(max_live_recordings)"));
  Tick(4);
  EXPECT_EQ(Status(b.id), S::kInitializing);
  EXPECT_EQ(recorder_->calls.size(), 2u) << "no recorder is asked for the third";
  RecorderLoad load = controller_->Load();
  EXPECT_EQ(load.capacity, 2);
  EXPECT_EQ(load.admitted, 2);
  EXPECT_EQ(load.waiting, 1);

  // A paused recording keeps its slot: it will resume.
  Move(5, "h1", "b1");
  Tick(5);
  ASSERT_EQ(Status(main.id), S::kPaused);
  EXPECT_EQ(Status(b.id), S::kInitializing);
  // A recording that ends frees its slot.
  Stop(6, a.id);
  Tick(7);
  EXPECT_EQ(Status(b.id), S::kRecording) << "started on the tick after the slot freed";
  EXPECT_EQ(recorder_->calls.back(), (Call{"start", b.id, 1, 7}));
  EXPECT_EQ(Spans(b.id), (std::vector<Span>{{1, 7, 7}})) << "the part begins when admitted";
  EXPECT_TRUE(controller_->Find(b.id)->error.empty());
  load = controller_->Load();
  EXPECT_EQ(load.admitted, 2);
  EXPECT_EQ(load.waiting, 0);
  EXPECT_EQ(Types(b.id),
            (std::vector<std::string>{"recording.initializing#1", "recording.started"}));
}

TEST_F(ControllerTest, ARecordingThatNeverGetsASlotFailsAfterItsAttempts) {
  max_live_recordings_ = 1;
  settings_.attempts = 2;
  settings_.countdown_s = 5;
  Boot();
  Join(0, "h1", "host");
  OpenRoom(0, "b1", "Group A");
  const Recording main = Start(1);
  Tick(1);
  ASSERT_EQ(Status(main.id), S::kRecording);
  const Recording waiting = Start(2, "b1");
  TickThrough(3, 14);
  EXPECT_EQ(Status(waiting.id), S::kFailed);
  EXPECT_THAT(controller_->Find(waiting.id)->error,
              HasSubstr("did not begin after 2 attempts (waiting for a recorder"));
  EXPECT_EQ(Types(waiting.id),
            (std::vector<std::string>{"recording.initializing#1", "recording.attempt_failed#1",
                                      "recording.initializing#2", "recording.attempt_failed#2",
                                      "recording.failed#2"}));
  EXPECT_EQ(Status(main.id), S::kRecording) << "the admitted one is untouched";
}

TEST_F(ControllerTest, ShedAndLateFramesAreReportedPerPartAndCounted) {
  Boot();
  Join(0, "h1", "host");
  recorder_->stats_on_stop.shed_frames = 42;
  recorder_->stats_on_stop.late_frames = 7;
  const Recording r = Start(0);
  Tick(1);
  Stop(10, r.id);
  Tick(10);
  ASSERT_EQ(Status(r.id), S::kReady);
  const std::vector<Part> parts = controller_->Parts(r.id);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].shed_frames, 42) << "kept in the store";
  EXPECT_EQ(controller_->Counters().shed_frames, 42);
  EXPECT_EQ(controller_->Counters().late_frames, 7);
  EXPECT_EQ(controller_->Counters().store_failures, 0);
  EXPECT_EQ(controller_->Load().capacity, 0) << "no limit unless configured";
}

} // namespace
} // namespace ssr::control
