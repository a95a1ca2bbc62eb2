#pragma once
// Recording control (R1-R3, R6-R8, R10, R11): turns requests, session events and the passing
// of time into recorder calls (RecorderPort), status transitions (RecordingState), stored
// parts (StorageBackend) and notifications (NotificationHub).
//
// Time is always an argument. `wall_s` (Unix seconds) drives timers and timestamps; session
// time ("t" of events, seconds since the session started) places part boundaries. A session's
// `start_wall_s` links them: t = wall_s - start_wall_s. Events bring their own t.
//
// No threads here: the runtime calls Tick and ProcessPending regularly (every ~250 ms).
// Calls are serialized by one mutex; ProcessPending releases it while it hashes files.

#include "control/control_error.h"
#include "control/org_settings.h"
#include "control/recorder_port.h"
#include "control/recording.h"
#include "control/recording_state.h"
#include "control/recording_store.h"
#include "control/session_presence.h"
#include "events/event.h"
#include "notify/notification_hub.h"
#include "storage/storage_backend.h"

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ssr::control {

struct ControllerOptions {
  std::filesystem::path parts_dir; // live parts: parts_dir/<recording id>/part-<n>.webm (+ .vtt)
  // Makes a part cut short by a restart playable before it is stored (record::RecoverPart).
  // Returns the repaired part's duration in seconds (what survived), or a negative number
  // when it cannot tell; the part then keeps the duration its times give.
  std::function<double(const std::filesystem::path& webm)> repair_part;
  // The WebVTT chapters of a part that is about to be stored ("" for none): stored beside it
  // as part-<n>.chapters.vtt. A failure is logged; the part is stored all the same.
  std::function<std::string(const Recording& recording, const Part& part)> chapters_vtt;
  // Ids of recordings and notifications; random URL-safe tokens unless set (tests).
  std::function<std::string()> new_id;
  // Admission: recordings this server records at once (recording or paused, or initializing
  // with its recorder started); 0 for no limit. One more waits in its countdown for a slot
  // and starts as soon as one frees; its attempts fail as any attempt that does not start.
  int max_live_recordings = 0;
  // In a fleet: the sessions this worker holds, loaded at the start (others are another
  // worker's, or taken over later with AdoptSession). Unset: every session (one process).
  std::function<bool(const std::string& session_id)> holds_session;
};

// What admission sees now (/readyz, /metrics).
struct RecorderLoad {
  int capacity = 0; // max_live_recordings (0: no limit)
  int admitted = 0; // recordings holding a slot
  int waiting = 0;  // initializing recordings waiting for one
};

// What recording cost and what went wrong, over the parts closed and stored since the server
// started (/metrics).
struct ControlCounters {
  int64_t shed_frames = 0;    // left out by overloaded recorders
  int64_t late_frames = 0;    // finished more than a frame after their deadline
  int64_t store_failures = 0; // parts that could not be stored (the recording fails)
};

// Parts on the local disk not yet in storage (/metrics).
struct StorageBacklog {
  int parts = 0;                // ended, waiting to be stored or being stored
  int waiting_parts = 0;        // of those, the ones whose last try failed (storage unreachable)
  uint64_t bytes = 0;           // of every part recording or processing, not yet in storage
  uint64_t failed_requests = 0; // storage requests that failed since the start
};

struct SessionInfo {
  std::string id;
  std::string title;
  std::optional<bool> autostart;      // per-session override of OrgSettings::autostart
  std::optional<double> start_wall_s; // wall time of t = 0, when the runtime knows it
};

class RecordingController {
 public:
  // Loads the open sessions and unfinished recordings of `store`; call Resume before anything
  // else when the process restarted.
  RecordingController(RecordingStore& store, RecorderPort& recorder,
                      storage::StorageBackend& storage, notify::NotificationHub& hub,
                      ControllerOptions options);

  OrgSettings settings();
  void UpdateSettings(const OrgSettings& settings);

  // Registers a session (at POST /sessions, and again harmlessly). The title is kept for R1.
  void OpenSession(const SessionInfo& info);

  // After a restart: recordings that were running get a new part (the interrupted one is
  // closed at the last time it was seen alive and stored after repair); initializing ones
  // re-ask the recorder for their current attempt; countdowns and grace periods go on.
  void Resume(double wall_s);

  // In a fleet: the session was held by a worker that died or left (FleetMember). Its state
  // and unfinished recordings are read again from the store, then go on as after a restart
  // (Resume): a recording that was running gets a new part here, and the part cut short is
  // repaired from the shared data directory and stored.
  void AdoptSession(double wall_s, const std::string& session_id);

  // R1/R2/R11: a recording of `room` ("main" or an open breakout room) with `name` (blank:
  // the session title; breakout: "{Session title} - {Room name}"). Throws ControlError:
  // unknown session or room (kNotFound), session ended or room already recording (kConflict),
  // bad name (kBadRequest).
  Recording Start(double wall_s, const std::string& session_id, const std::string& room,
                  const std::string& name, const std::string& requested_by);

  // Stops by hand: recording/paused -> processing; initializing -> failed (nothing was
  // recorded). Stopping a stopped recording returns it unchanged. Throws kNotFound.
  // `reason` goes into the transition log.
  Recording Stop(double wall_s, const std::string& recording_id,
                 const std::string& reason = "stopped by request");

  // A graceful stop of the server (an upgrade, a restart): each running part ends here as a
  // finished, playable part, and its recording stays `recording`, so that Resume on the next
  // start goes on in a new part, as after a crash but with nothing lost. Paused and
  // initializing recordings are left as they are.
  void SuspendForRestart(double wall_s);

  // Recordings not yet ready or failed (initializing, recording, paused, processing).
  std::vector<Recording> Unfinished();

  // A validated session event (events::ParseEvent). Participant, room and session.end events
  // act; presenter.change never interrupts a part (R8); others are ignored.
  void OnEvent(double wall_s, const std::string& session_id, const events::Event& event);

  // Timers: countdown of the attempt (R2), disconnect grace (R7), part rollover (R6); a
  // running part whose recorder failed ends `failed` and the recording goes on in a new part.
  void Tick(double wall_s);

  // Stores finished parts that may be published (R9, R11) and completes recordings whose
  // parts are all stored: processing -> ready (or failed).
  void ProcessPending(double wall_s);

  // R14 (recording_controller_library.cpp). Rename sets the title of any recording, running
  // ones too (the controller's copy is the one later saves write). Delete removes a finished
  // (ready or failed) recording: its stored objects, any local part files, then its rows;
  // kConflict while it is initializing, recording, paused or processing; kNotFound.
  Recording Rename(const std::string& recording_id, const std::string& title);
  void Delete(const std::string& recording_id);
  // Forgets a session and removes its row, so that nothing later saves it again; its
  // recordings are left as they are (the caller deletes them or keeps them). kConflict while
  // one of them is initializing, recording, paused or processing; kNotFound.
  void DeleteSession(const std::string& session_id);
  std::vector<Recording> RecordingsOfSession(const std::string& session_id);

  RecorderLoad Load();
  ControlCounters Counters();
  StorageBacklog Backlog();

  std::optional<Recording> Find(const std::string& recording_id);
  std::vector<Part> Parts(const std::string& recording_id);
  std::optional<SessionPresence> Presence(const std::string& session_id);

  static std::string StorageKey(const std::string& recording_id, int n, const char* ext);

 private:
  struct LiveSession {
    SessionRow row;
    SessionPresence presence;
  };
  struct StoreJob {
    Recording recording;
    Part part;
    std::filesystem::path vtt;
  };
  // A part whose store failed transiently: it stays processing and is tried again at
  // retry_at (wall time), backing off.
  struct StoreWait {
    std::string error;
    double retry_at = 0;
    double delay_s = 0;
    bool repaired = false;                     // an interrupted part is repaired once
    std::optional<storage::StoredObject> webm; // stored already: only its sidecars failed
  };

  // recording_controller.cpp: recordings, parts, timers, storage.
  LiveSession* FindSession(const std::string& id);
  void LoadUnfinished(const std::string& session_id); // "" for every session held here
  void ResumeLocked(Recording& r, double wall_s);
  double SessionT(LiveSession& s, double wall_s); // anchors t = 0 at wall_s if unknown
  Recording* ActiveIn(const std::string& session_id, const std::string& room);
  Recording StartLocked(double wall_s, LiveSession& s, const std::string& room,
                        const std::string& name, const std::string& requested_by, bool automatic);
  // `countdown_ends_at`: the attempt's end when it goes on after a restart (else now + countdown).
  void BeginAttempt(Recording& r, double wall_s, double t,
                    std::optional<double> countdown_ends_at = std::nullopt);
  // Asks the recorder for part 1 of the attempt from session time `t`, when admission has a
  // slot for it (else the recording waits for one: waiting_for_slot).
  void StartAttemptRecorder(Recording& r, double t);
  int AdmittedLocked() const;
  void CheckFlowing(Recording& r, double wall_s);
  void AttemptFailed(Recording& r, double wall_s, double t);
  bool OpenPart(Recording& r, double start_t);
  // Ends the running part at `end_t`; returns its error when its recorder had failed (the
  // part is then `failed`, not stored, and `recording.part_failed` tells why).
  std::optional<std::string> ClosePart(Recording& r, double wall_s, double end_t);
  // The running part's recorder failed (RecorderPort::PartError): nullopt while it is well.
  std::optional<std::string> RunningPartError(const Recording& r);
  // Closes the failed part and goes on in a new one (or stops when two failed in a row).
  void PartFailed(Recording& r, double wall_s, double t);
  // While initializing: keeps the attempt's recorder error as the recording's error.
  void NoteAttemptError(Recording& r);
  void StopLocked(Recording& r, double wall_s, double t, const std::string& reason);
  void Pause(Recording& r, double wall_s, double t, const std::string& reason);
  void ResumePart(Recording& r, double wall_s, double t, const std::string& reason);
  void Rollover(Recording& r, LiveSession& s, double wall_s);
  bool Released(const Recording& r);
  std::optional<StoreJob> NextStoreJob(double wall_s);
  // Stores the job's part and files; returns the stored WebM (throws StorageError).
  storage::StoredObject StoreFiles(const StoreJob& job, Part& part);
  // Remembers a transient store failure: the part waits and is tried again later.
  void WaitForStorage(const Part& part, const std::string& error, double wall_s);
  void AddUploadProgress(Part& part);                       // fills part.upload
  void StoreChapters(const Recording& r, const Part& part); // recording_controller_storage.cpp
  void FinishRecordings(double wall_s);
  // processing -> ready or failed once no part is pending (recording_controller_storage.cpp).
  void Complete(Recording& r, const std::vector<Part>& parts, double wall_s);
  std::filesystem::path PartPath(const std::string& recording_id, int n) const;
  // Saves a part whose status or files changed (the store, and NextStoreJob's view of it).
  void SavePart(const Part& part);
  std::string NewId();

  // recording_controller_events.cpp: session events, R7 main-room rule, R10/R11.
  void ApplyMainRoomRule(LiveSession& s, double wall_s, const events::Event& e,
                         bool host_was_in_main);
  bool AutostartOn(const LiveSession& s) const;
  // `message` is for people; `detail` says what went wrong (""); `with_attempt` adds the
  // attempt number (and, for recording.initializing, the countdown and its deadline).
  void Notify(const Recording& r, const std::string& type, double wall_s,
              const std::string& message, const std::string& detail = "",
              bool with_attempt = false);
  // "the main room" or "breakout room Group A", for messages.
  std::string RoomLabel(const std::string& session_id, const std::string& room);
  void NotifyAutostartFailed(const Recording& r, double wall_s);
  std::string TitleFor(const LiveSession& s, const std::string& room,
                       const std::string& name) const;

  RecordingStore& store_;
  RecorderPort& recorder_;
  storage::StorageBackend& storage_;
  notify::NotificationHub& hub_;
  ControllerOptions options_;
  RecordingState state_;
  std::mutex mutex_;
  OrgSettings settings_;
  std::map<std::string, LiveSession> sessions_;
  std::map<std::string, Recording> recordings_;  // unfinished (not ready, not failed)
  std::map<std::string, Part> running_;          // the part being recorded, by recording id
  std::map<std::string, double> alive_saved_at_; // wall time running_'s end_t was last saved
  std::set<std::string> storing_;                // "<recording id>/<n>" being stored
  ControlCounters counters_;                     // since the start
  std::map<std::string, StoreWait> store_waits_; // "<recording id>/<n>" waiting for storage
  std::set<std::string> no_part_to_store_;       // recordings with no processing part, as read
};

} // namespace ssr::control
