#include "control/recording_state.h"

#include "common/log.h"

namespace ssr::control {

bool RecordingState::Allowed(RecordingStatus from, RecordingStatus to) {
  using S = RecordingStatus;
  switch (from) {
  case S::kInitializing:
    return to == S::kRecording || to == S::kFailed;
  case S::kRecording:
    return to == S::kPaused || to == S::kProcessing;
  case S::kPaused:
    return to == S::kRecording || to == S::kProcessing;
  case S::kProcessing:
    return to == S::kReady || to == S::kFailed;
  case S::kReady:
  case S::kFailed:
    return false;
  }
  return false;
}

void RecordingState::Create(Recording& recording, double wall_s, const std::string& reason) {
  if (recording.status != RecordingStatus::kInitializing) {
    throw IllegalTransition("recording " + recording.id +
                            ": a new recording starts initializing, not " +
                            std::string(StatusName(recording.status)));
  }
  store_.SaveTransition(recording,
                        {recording.id, "none", "initializing", FormatRfc3339(wall_s), reason});
  Logger("control")->info("recording {} ({}, room {}): none -> initializing ({})", recording.id,
                          recording.session_id, recording.room, reason);
}

void RecordingState::Move(Recording& recording, RecordingStatus to, double wall_s,
                          const std::string& reason) {
  const RecordingStatus from = recording.status;
  if (!Allowed(from, to)) {
    throw IllegalTransition("recording " + recording.id + ": illegal transition " +
                            std::string(StatusName(from)) + " -> " + std::string(StatusName(to)) +
                            " (" + reason + ")");
  }
  Recording next = recording;
  next.status = to;
  store_.SaveTransition(next, {recording.id, std::string(StatusName(from)),
                               std::string(StatusName(to)), FormatRfc3339(wall_s), reason});
  recording = std::move(next);
  Logger("control")->info("recording {}: {} -> {} ({})", recording.id, StatusName(from),
                          StatusName(to), reason);
}

} // namespace ssr::control
