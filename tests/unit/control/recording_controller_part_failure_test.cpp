// Recording control when a running part's recorder fails (disk full, an encoder error): the
// part ends failed with its error and is not stored, `recording.part_failed` says why, the
// recording goes on in a new part, and it ends ready with what was saved.
#include "controller_fixture.h"

namespace ssr::control {
namespace {

using S = RecordingStatus;
using Call = FakeRecorder::Call;

TEST_F(ControllerTest, AFailedPartIsLeftOutAndTheRecordingGoesOnInANewPart) {
  Boot();
  Join(0, "h1", "host");
  const Recording r = Start(2);
  Tick(3);
  recorder_->part_errors[r.id] = "part-1.webm: write failed: No space left on device";
  Tick(5);
  EXPECT_EQ(Status(r.id), S::kRecording);
  EXPECT_EQ(
      recorder_->calls,
      (std::vector<Call>{{"start", r.id, 1, 2}, {"stop", r.id, 0, 5}, {"start", r.id, 2, 5}}));
  auto parts = controller_->Parts(r.id);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].status, PartStatus::kFailed);
  EXPECT_EQ(parts[0].error, "part-1.webm: write failed: No space left on device");
  EXPECT_EQ(parts[0].end_t, 5);
  EXPECT_FALSE(std::filesystem::exists(parts[0].local_path)) << "a failed part is not kept";
  EXPECT_EQ(parts[1].status, PartStatus::kRecording);
  EXPECT_EQ(controller_->Find(r.id)->error,
            "part 1 failed: part-1.webm: write failed: No space left on device");
  const notify::Notification& failed = notes_.back();
  EXPECT_EQ(failed.type, "recording.part_failed");
  EXPECT_EQ(failed.detail, "part-1.webm: write failed: No space left on device");
  EXPECT_EQ(failed.message,
            "Part 1 of the recording of the main room could not be written; it is left out.");

  Stop(12, r.id);
  Tick(12);
  EXPECT_EQ(Status(r.id), S::kReady);
  parts = controller_->Parts(r.id);
  EXPECT_EQ(parts[0].status, PartStatus::kFailed);
  EXPECT_EQ(parts[1].status, PartStatus::kReady);
  EXPECT_EQ(Spans(r.id), (std::vector<Span>{{1, 2, 5}, {2, 5, 12}}));
  EXPECT_EQ(Types(r.id), (std::vector<std::string>{"recording.initializing#1", "recording.started",
                                                   "recording.part_failed", "recording.stopped",
                                                   "recording.ready"}));
  EXPECT_EQ(store_->Transitions(r.id).back().reason, "1 part(s) stored and verified, 1 failed");
}

TEST_F(ControllerTest, TwoFailedPartsInARowStopTheRecording) {
  Boot();
  Join(0, "h1", "host");
  const Recording r = Start(0);
  recorder_->part_errors[r.id] = "disk full";
  Tick(1);
  recorder_->part_errors[r.id] = "disk full again";
  Tick(2);
  EXPECT_EQ(recorder_->calls.size(), 4u) << "start 1, stop 1, start 2, stop 2: no part 3";
  // Nothing was saved: the recording fails and says why.
  EXPECT_EQ(Status(r.id), S::kFailed);
  EXPECT_EQ(controller_->Find(r.id)->error, "part 2 failed: disk full again");
  EXPECT_EQ(Types(r.id), (std::vector<std::string>{"recording.initializing#1", "recording.started",
                                                   "recording.part_failed", "recording.part_failed",
                                                   "recording.stopped", "recording.failed"}));
  EXPECT_EQ(notes_.back().message,
            "The recording \"Biology 101\" could not be written, so it cannot be played.");
}

TEST_F(ControllerTest, AnAttemptWhoseRecorderFailedSaysWhy) {
  settings_.attempts = 1;
  Boot();
  recorder_->flows = [](int) { return false; };
  Join(0, "h1", "host");
  const Recording r = Start(0);
  recorder_->part_errors[r.id] = "cannot write the WebM header";
  TickThrough(1, 10);
  EXPECT_EQ(Status(r.id), S::kFailed);
  EXPECT_EQ(controller_->Find(r.id)->error,
            "recording did not begin after 1 attempts (recorder failed: cannot write the WebM "
            "header)");
}

} // namespace
} // namespace ssr::control
