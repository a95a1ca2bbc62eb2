#pragma once
// The rows of recording control: a recording (one title), its parts (the playlist) and the
// log of its status transitions. Wall times are Unix seconds; part boundaries are session
// time (seconds since the session started, the "t" of session events).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ssr::control {

// initializing -> recording <-> paused -> processing -> ready; failed from initializing
// (no attempt began) or from processing (storing failed). recording_state.h enforces it.
enum class RecordingStatus { kInitializing, kRecording, kPaused, kProcessing, kReady, kFailed };
enum class PartStatus { kRecording, kProcessing, kReady, kFailed };

std::string_view StatusName(RecordingStatus status);
std::string_view StatusName(PartStatus status);
// Throws std::invalid_argument for a name that is not a status (a corrupt row).
RecordingStatus RecordingStatusFromName(std::string_view name);
PartStatus PartStatusFromName(std::string_view name);

struct Recording {
  std::string id;
  std::string session_id;
  std::string room = "main";
  std::string title;
  RecordingStatus status = RecordingStatus::kInitializing;
  std::string created_at;        // RFC 3339 UTC
  std::string requested_by;      // who asked ("" for automatic starts)
  bool automatic = false;        // autostart (R10) or a breakout's auto_record (R11)
  int attempt = 1;               // 1-based, while initializing (R2)
  double attempt_start_t = 0;    // session time the current attempt records from
  bool attempt_started = false;  // the recorder accepted StartPart for this attempt
  bool waiting_for_slot = false; // not kept: admission had no recorder for the attempt yet
  double countdown_ends_at = 0;  // wall time the current attempt gives up
  double grace_ends_at = 0;      // wall time a host disconnect ends the recording (R7); 0: none
  std::string error;             // why it failed, or why it was stopped by itself

  bool Active() const {
    return status == RecordingStatus::kInitializing || status == RecordingStatus::kRecording ||
           status == RecordingStatus::kPaused;
  }
};

// How storing a part that is not yet stored is going (not kept in the database: the
// controller and the storage backend know it while the server runs).
struct PartUpload {
  uint64_t stored_bytes = 0;        // of it in storage already (S3 stores a part as it grows)
  bool waiting_for_storage = false; // the last try failed (storage unreachable): tried again
  std::string error;                // that failure
};

struct Part {
  std::string recording_id;
  int n = 1; // 1-based playback order
  PartStatus status = PartStatus::kRecording;
  double start_t = 0; // session time
  double end_t = 0;   // session time; while recording, the last time it was seen alive
  double duration_s = 0;
  uint64_t size_bytes = 0;
  std::string sha256;       // hex, of the stored file
  std::string local_path;   // where the recorder writes it (removed once stored)
  std::string storage_key;  // where the storage backend keeps it, once ready
  bool interrupted = false; // cut short by a restart: repaired before it is stored
  int64_t shed_frames = 0;  // composite frames left out to keep up (an overloaded machine)
  // Why the recorder could not write this part (status failed, never stored). A part that
  // failed in storing has none: that is the recording's error.
  std::string error;
  // While recording or processing, from RecordingController::Parts; nullopt otherwise.
  std::optional<PartUpload> upload;
};

struct Transition {
  std::string recording_id;
  std::string from;
  std::string to;
  std::string at; // RFC 3339 UTC, milliseconds
  std::string reason;
};

// RFC 3339 UTC with milliseconds ("2026-03-01T09:00:00.250Z") of a Unix time in seconds.
std::string FormatRfc3339(double wall_s);

} // namespace ssr::control
