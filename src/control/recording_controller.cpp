#include "control/recording_controller.h"

#include "auth/new_ids.h"
#include "common/log.h"
#include "common/title.h"

#include <algorithm>
#include <cmath>

namespace ssr::control {
namespace {

namespace fs = std::filesystem;

void RemoveQuietly(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
}

fs::path VttBeside(const fs::path& webm) {
  fs::path vtt = webm;
  vtt.replace_extension(".vtt");
  return vtt;
}

} // namespace

RecordingController::RecordingController(RecordingStore& store, RecorderPort& recorder,
                                         storage::StorageBackend& storage,
                                         notify::NotificationHub& hub, ControllerOptions options)
    : store_(store), recorder_(recorder), storage_(storage), hub_(hub),
      options_(std::move(options)), state_(store) {
  settings_ = store_.LoadSettings();
  for (SessionRow& row : store_.OpenSessions()) {
    if (options_.holds_session && !options_.holds_session(row.id))
      continue;
    SessionPresence presence = SessionPresence::FromJson(row.presence);
    const std::string id = row.id; // the right side moves row before the key is read
    sessions_[id] = {std::move(row), std::move(presence)};
  }
  LoadUnfinished("");
}

void RecordingController::LoadUnfinished(const std::string& session_id) {
  for (Recording& r : store_.UnfinishedRecordings()) {
    if (session_id.empty() ? options_.holds_session && !options_.holds_session(r.session_id)
                           : r.session_id != session_id) {
      continue;
    }
    if (!FindSession(r.session_id)) {
      Logger("control")->warn("recording {}: session {} is unknown", r.id, r.session_id);
    }
    for (const Part& p : store_.Parts(r.id)) {
      if (p.status == PartStatus::kRecording) {
        running_[r.id] = p;
      }
    }
    recordings_[r.id] = std::move(r);
  }
}

OrgSettings RecordingController::settings() {
  std::lock_guard lock(mutex_);
  return settings_;
}

void RecordingController::UpdateSettings(const OrgSettings& settings) {
  std::lock_guard lock(mutex_);
  store_.SaveSettings(settings);
  settings_ = settings;
}

void RecordingController::OpenSession(const SessionInfo& info) {
  std::lock_guard lock(mutex_);
  LiveSession* s = FindSession(info.id);
  if (!s) {
    s = &sessions_[info.id];
    s->row.id = info.id;
  }
  s->row.title = info.title;
  s->row.autostart = info.autostart;
  if (info.start_wall_s) {
    s->row.start_wall_s = info.start_wall_s;
  }
  s->row.presence = s->presence.ToJson();
  store_.SaveSession(s->row);
}

void RecordingController::SuspendForRestart(double wall_s) {
  std::lock_guard lock(mutex_);
  for (auto& [id, r] : recordings_) {
    LiveSession* s = FindSession(r.session_id);
    if (s == nullptr || r.status != RecordingStatus::kRecording) {
      continue;
    }
    Logger("control")->info("stopping: recording {} part ends here; it goes on in a new part "
                            "(after the restart, or on another worker)",
                            id);
    ClosePart(r, wall_s, SessionT(*s, wall_s));
  }
}

void RecordingController::Resume(double wall_s) {
  std::lock_guard lock(mutex_);
  for (auto& [id, r] : recordings_)
    ResumeLocked(r, wall_s);
}

void RecordingController::AdoptSession(double wall_s, const std::string& session_id) {
  std::lock_guard lock(mutex_);
  // What this process knew of the session is older than what its last worker saved.
  sessions_.erase(session_id);
  for (auto it = recordings_.begin(); it != recordings_.end();) {
    if (it->second.session_id == session_id) {
      running_.erase(it->first);
      no_part_to_store_.erase(it->first);
      it = recordings_.erase(it);
    } else {
      ++it;
    }
  }
  if (!FindSession(session_id)) {
    Logger("control")->warn("session {} taken over, but it is not in the store", session_id);
    return;
  }
  LoadUnfinished(session_id);
  for (auto& [id, r] : recordings_) {
    if (r.session_id == session_id) {
      Logger("control")->info("recording {} ({}) taken over from another worker", id,
                              StatusName(r.status));
      ResumeLocked(r, wall_s);
    }
  }
}

void RecordingController::ResumeLocked(Recording& r, double wall_s) {
  LiveSession* s = FindSession(r.session_id);
  if (!s) {
    return;
  }
  const double t = SessionT(*s, wall_s);
  if (r.status == RecordingStatus::kInitializing) {
    // Same attempt, same countdown: only the recorder is asked again.
    BeginAttempt(r, wall_s, t, r.countdown_ends_at);
  } else if (r.status == RecordingStatus::kRecording) {
    auto it = running_.find(r.id);
    if (it != running_.end()) {
      Part part = it->second; // end_t: the last time it was seen alive
      part.status = PartStatus::kProcessing;
      part.interrupted = true;
      part.duration_s = part.end_t - part.start_t;
      SavePart(part);
      running_.erase(it);
    }
    if (!OpenPart(r, t)) {
      StopLocked(r, wall_s, t, "recorder unavailable after a restart");
    }
  }
}

RecordingController::LiveSession* RecordingController::FindSession(const std::string& id) {
  auto it = sessions_.find(id);
  if (it != sessions_.end()) {
    return &it->second;
  }
  if (auto row = store_.FindSession(id)) {
    SessionPresence presence = SessionPresence::FromJson(row->presence);
    return &(sessions_[id] = {std::move(*row), std::move(presence)});
  }
  return nullptr;
}

double RecordingController::SessionT(LiveSession& s, double wall_s) {
  if (!s.row.start_wall_s) {
    s.row.start_wall_s = wall_s;
    store_.SaveSession(s.row);
  }
  return wall_s - *s.row.start_wall_s;
}

Recording* RecordingController::ActiveIn(const std::string& session_id, const std::string& room) {
  for (auto& [id, r] : recordings_) {
    if (r.session_id == session_id && r.room == room && r.Active()) {
      return &r;
    }
  }
  return nullptr;
}

std::string RecordingController::NewId() {
  return options_.new_id ? options_.new_id() : auth::NewRecordingId();
}

void RecordingController::SavePart(const Part& part) {
  store_.SavePart(part);
  no_part_to_store_.erase(part.recording_id); // NextStoreJob reads its parts again
}

fs::path RecordingController::PartPath(const std::string& recording_id, int n) const {
  return options_.parts_dir / recording_id / ("part-" + std::to_string(n) + ".webm");
}

std::string RecordingController::StorageKey(const std::string& recording_id, int n,
                                            const char* ext) {
  return "recordings/" + recording_id + "/part-" + std::to_string(n) + ext;
}

Recording RecordingController::Start(double wall_s, const std::string& session_id,
                                     const std::string& room, const std::string& name,
                                     const std::string& requested_by) {
  std::lock_guard lock(mutex_);
  LiveSession* s = FindSession(session_id);
  if (!s) {
    throw ControlError(ErrorKind::kNotFound, "no session '" + session_id + "'");
  }
  const CheckedTitle checked = CheckTitle(name, EmptyTitle::kAllowed);
  if (!checked.ok()) {
    throw ControlError(ErrorKind::kInvalid, "field 'name' " + checked.problem, "name");
  }
  return StartLocked(wall_s, *s, room.empty() ? "main" : room, checked.title, requested_by, false);
}

Recording RecordingController::StartLocked(double wall_s, LiveSession& s, const std::string& room,
                                           const std::string& name, const std::string& requested_by,
                                           bool automatic) {
  if (s.row.ended) {
    throw ControlError(ErrorKind::kConflict, "session '" + s.row.id + "' has ended");
  }
  if (!s.presence.RoomOpen(room)) {
    throw ControlError(ErrorKind::kNotFound,
                       "no open room '" + room + "' in session '" + s.row.id + "'");
  }
  if (const Recording* active = ActiveIn(s.row.id, room)) {
    throw ControlError(ErrorKind::kConflict, "room '" + room + "' is already being recorded (" +
                                                 active->id + ", " +
                                                 std::string(StatusName(active->status)) + ")");
  }
  Recording r;
  r.id = NewId();
  r.session_id = s.row.id;
  r.room = room;
  r.title = TitleFor(s, room, name);
  r.created_at = FormatRfc3339(wall_s);
  r.requested_by = requested_by;
  r.automatic = automatic;
  state_.Create(r, wall_s, automatic ? "started automatically" : "started by " + requested_by);
  Recording& stored = recordings_[r.id] = r;
  BeginAttempt(stored, wall_s, SessionT(s, wall_s));
  return stored;
}

// Asks the recorder for part 1 of the current attempt. A recorder that throws is noted; the
// attempt then fails when its countdown runs out, like one that never flows (R2).
void RecordingController::BeginAttempt(Recording& r, double wall_s, double t,
                                       std::optional<double> countdown_ends_at) {
  r.attempt_start_t = t;
  r.countdown_ends_at = countdown_ends_at.value_or(wall_s + settings_.countdown_s);
  r.attempt_started = false;
  StartAttemptRecorder(r, t);
  store_.SaveRecording(r);
  const std::string seconds = std::to_string(settings_.countdown_s);
  Notify(r, "recording.initializing", wall_s,
         r.attempt == 1
             ? "Recording of " + RoomLabel(r.session_id, r.room) +
                   " is initializing: it should start within " + seconds + " s."
             : "Trying again to start the recording (attempt " + std::to_string(r.attempt) +
                   " of " + std::to_string(settings_.attempts) + ").",
         "", true);
  CheckFlowing(r, wall_s);
}

int RecordingController::AdmittedLocked() const {
  int admitted = 0;
  for (const auto& [id, r] : recordings_) {
    admitted += r.status == RecordingStatus::kRecording || r.status == RecordingStatus::kPaused ||
                (r.status == RecordingStatus::kInitializing && r.attempt_started);
  }
  return admitted;
}

void RecordingController::StartAttemptRecorder(Recording& r, double t) {
  const int capacity = options_.max_live_recordings;
  if (capacity > 0 && AdmittedLocked() >= capacity) {
    if (!r.waiting_for_slot) {
      r.error = "waiting for a recorder: this server records " + std::to_string(capacity) + " of " +
                std::to_string(capacity) + " recordings at once (max_live_recordings)";
      Logger("control")->info("recording {} attempt {}: {}", r.id, r.attempt, r.error);
    }
    r.waiting_for_slot = true;
    return;
  }
  // Admitted within the attempt's countdown (R2): the part begins now.
  r.waiting_for_slot = false;
  r.attempt_start_t = t;
  try {
    recorder_.StartPart(r.id, 1, r.room, PartPath(r.id, 1), t, settings_.video);
    r.attempt_started = true;
    r.error.clear();
  } catch (const std::exception& e) {
    r.error = std::string("recorder unavailable: ") + e.what();
    Logger("control")->warn("recording {} attempt {}: {}", r.id, r.attempt, r.error);
  }
}

RecorderLoad RecordingController::Load() {
  std::lock_guard lock(mutex_);
  int waiting = 0;
  for (const auto& [id, r] : recordings_) {
    waiting += r.status == RecordingStatus::kInitializing && r.waiting_for_slot;
  }
  return {options_.max_live_recordings, AdmittedLocked(), waiting};
}

ControlCounters RecordingController::Counters() {
  std::lock_guard lock(mutex_);
  return counters_;
}

void RecordingController::CheckFlowing(Recording& r, double wall_s) {
  bool flowing = false;
  try {
    flowing = r.attempt_started && recorder_.Flowing(r.id);
  } catch (const std::exception& e) {
    Logger("control")->warn("recording {}: Flowing failed: {}", r.id, e.what());
  }
  if (!flowing) {
    NoteAttemptError(r);
    return;
  }
  Part part;
  part.recording_id = r.id;
  part.n = 1;
  part.start_t = part.end_t = r.attempt_start_t;
  part.local_path = PartPath(r.id, 1).string();
  SavePart(part);
  storage_.Growing(part.local_path, StorageKey(r.id, 1, ".webm"));
  running_[r.id] = part;
  alive_saved_at_[r.id] = wall_s;
  state_.Move(r, RecordingStatus::kRecording, wall_s,
              "recorder running (attempt " + std::to_string(r.attempt) + ")");
  Notify(r, "recording.started", wall_s,
         "Recording started in " + RoomLabel(r.session_id, r.room) + ".");
}

void RecordingController::AttemptFailed(Recording& r, double wall_s, double t) {
  const std::string of = std::to_string(r.attempt) + " of " + std::to_string(settings_.attempts);
  Notify(r, "recording.attempt_failed", wall_s,
         "Recording did not start within " + std::to_string(settings_.countdown_s) +
             " s (attempt " + of + ")" + (r.attempt < settings_.attempts ? "; trying again." : "."),
         r.error, true);
  if (r.attempt_started) {
    try {
      recorder_.StopPart(r.id, t);
    } catch (const std::exception& e) {
      Logger("control")->warn("recording {}: stopping a failed attempt: {}", r.id, e.what());
    }
  }
  RemoveQuietly(PartPath(r.id, 1));
  RemoveQuietly(VttBeside(PartPath(r.id, 1)));
  if (r.attempt >= settings_.attempts) {
    r.error = "recording did not begin after " + std::to_string(r.attempt) + " attempts" +
              (r.error.empty() ? "" : " (" + r.error + ")");
    state_.Move(r, RecordingStatus::kFailed, wall_s, r.error);
    Notify(r, "recording.failed", wall_s,
           "The recording of " + RoomLabel(r.session_id, r.room) + " could not be started after " +
               std::to_string(r.attempt) + " attempts.",
           r.error, true);
    if (r.automatic) {
      NotifyAutostartFailed(r, wall_s);
    }
    return;
  }
  ++r.attempt;
  BeginAttempt(r, wall_s, t);
}

bool RecordingController::OpenPart(Recording& r, double start_t) {
  const int n = static_cast<int>(store_.Parts(r.id).size()) + 1;
  try {
    recorder_.StartPart(r.id, n, r.room, PartPath(r.id, n), start_t, settings_.video);
  } catch (const std::exception& e) {
    r.error = std::string("recorder unavailable: ") + e.what();
    Logger("control")->error("recording {} part {}: {}", r.id, n, r.error);
    return false;
  }
  Part part;
  part.recording_id = r.id;
  part.n = n;
  part.start_t = part.end_t = start_t;
  part.local_path = PartPath(r.id, n).string();
  SavePart(part);
  storage_.Growing(part.local_path, StorageKey(r.id, n, ".webm"));
  running_[r.id] = part;
  return true;
}

// A part whose recorder failed (disk full, an encoder error) ends `failed` with its error and
// is not stored: what it holds cannot be trusted. Returns that error.
std::optional<std::string> RecordingController::ClosePart(Recording& r, double wall_s,
                                                          double end_t) {
  auto it = running_.find(r.id);
  if (it == running_.end()) {
    return std::nullopt;
  }
  std::optional<std::string> error = RunningPartError(r); // not const: returned by move
  Part part = it->second;
  running_.erase(it);
  try {
    const PartStats stats = recorder_.StopPart(r.id, end_t);
    part.shed_frames = stats.shed_frames;
    counters_.shed_frames += stats.shed_frames;
    counters_.late_frames += stats.late_frames;
  } catch (const std::exception& e) {
    // The file may end short: repair it before storing, as after a crash.
    part.interrupted = true;
    Logger("control")->error("recording {} part {}: stop failed: {}", r.id, part.n, e.what());
  }
  part.end_t = std::max(end_t, part.start_t);
  part.duration_s = part.end_t - part.start_t;
  part.status = error ? PartStatus::kFailed : PartStatus::kProcessing;
  part.error = error.value_or("");
  SavePart(part);
  if (error) {
    storage_.Abandon(StorageKey(r.id, part.n, ".webm"));
    RemoveQuietly(part.local_path);
    RemoveQuietly(VttBeside(part.local_path));
    r.error = "part " + std::to_string(part.n) + " failed: " + *error;
    Logger("control")->error("recording {}: {}", r.id, r.error);
    store_.SaveRecording(r);
    Notify(r, "recording.part_failed", wall_s,
           "Part " + std::to_string(part.n) + " of the recording of " +
               RoomLabel(r.session_id, r.room) + " could not be written; it is left out.",
           *error);
  }
  return error;
}

// The attempt's recorder failed to write: the attempt runs out its countdown like one that
// never flows, and says why.
void RecordingController::NoteAttemptError(Recording& r) {
  if (!r.attempt_started) {
    return;
  }
  std::optional<std::string> error;
  try {
    error = recorder_.PartError(r.id);
  } catch (const std::exception& e) {
    Logger("control")->warn("recording {}: PartError failed: {}", r.id, e.what());
  }
  if (error && r.error != "recorder failed: " + *error) {
    r.error = "recorder failed: " + *error;
    store_.SaveRecording(r);
  }
}

// The running part's recorder stopped writing. The recording goes on in a new part from now,
// as after a restart; when the part before failed too, the recorder is not expected to do
// better: the recording stops and keeps what was saved.
void RecordingController::PartFailed(Recording& r, double wall_s, double t) {
  const int n = running_.count(r.id) ? running_.at(r.id).n : 0;
  const std::optional<std::string> error = ClosePart(r, wall_s, t);
  if (!error) {
    return;
  }
  const auto parts = store_.Parts(r.id);
  const bool failed_before = n > 1 && parts.size() >= static_cast<size_t>(n) &&
                             parts[n - 2].status == PartStatus::kFailed &&
                             !parts[n - 2].error.empty();
  if (failed_before) {
    StopLocked(r, wall_s, t, "two parts in a row could not be written (" + *error + ")");
  } else if (!OpenPart(r, t)) {
    StopLocked(r, wall_s, t, "recorder unavailable after a failed part");
  } else {
    alive_saved_at_[r.id] = wall_s;
  }
}

void RecordingController::StopLocked(Recording& r, double wall_s, double t,
                                     const std::string& reason) {
  r.grace_ends_at = 0;
  switch (r.status) {
  case RecordingStatus::kInitializing:
    if (r.attempt_started) {
      try {
        recorder_.StopPart(r.id, t);
      } catch (const std::exception& e) {
        Logger("control")->warn("recording {}: {}", r.id, e.what());
      }
    }
    RemoveQuietly(PartPath(r.id, 1));
    RemoveQuietly(VttBeside(PartPath(r.id, 1)));
    r.error = reason + " before recording began";
    state_.Move(r, RecordingStatus::kFailed, wall_s, r.error);
    Notify(r, "recording.failed", wall_s,
           "The recording was stopped before it began: nothing was recorded.", r.error, true);
    return;
  case RecordingStatus::kRecording:
    ClosePart(r, wall_s, t);
    [[fallthrough]];
  case RecordingStatus::kPaused:
    state_.Move(r, RecordingStatus::kProcessing, wall_s, reason);
    Notify(r, "recording.stopped", wall_s,
           "Recording stopped. It will be ready to watch in Recorded Sessions in a few minutes.",
           r.error);
    return;
  default:
    return; // already stopped
  }
}

Recording RecordingController::Stop(double wall_s, const std::string& recording_id,
                                    const std::string& reason) {
  std::lock_guard lock(mutex_);
  auto it = recordings_.find(recording_id);
  if (it == recordings_.end()) {
    if (auto done = store_.FindRecording(recording_id)) {
      return *done;
    }
    throw ControlError(ErrorKind::kNotFound, "no recording '" + recording_id + "'");
  }
  Recording& r = it->second;
  LiveSession* s = FindSession(r.session_id);
  const double t = s ? SessionT(*s, wall_s) : 0;
  StopLocked(r, wall_s, t, reason);
  return r;
}

std::vector<Recording> RecordingController::Unfinished() {
  std::lock_guard lock(mutex_);
  std::vector<Recording> out;
  for (const auto& [id, r] : recordings_) {
    out.push_back(r);
  }
  return out;
}

// R6: part n ends at T = start_t + max and part n+1 starts at the same T, so nothing falls
// between them. A late tick catches up with every boundary it missed.
void RecordingController::Rollover(Recording& r, LiveSession& s, double wall_s) {
  const double t = SessionT(s, wall_s);
  const int max_s = settings_.max_part_duration_s;
  while (max_s > 0 && r.status == RecordingStatus::kRecording) {
    auto it = running_.find(r.id);
    if (it == running_.end() || t < it->second.start_t + max_s) {
      break;
    }
    const double boundary = it->second.start_t + max_s;
    ClosePart(r, wall_s, boundary);
    if (!OpenPart(r, boundary)) {
      StopLocked(r, wall_s, boundary, "recorder unavailable for the next part");
      return;
    }
    alive_saved_at_[r.id] = wall_s;
  }
  // While recording, a part's end_t is the last time it was seen alive (what a restart keeps).
  auto it = running_.find(r.id);
  if (it != running_.end() && wall_s - alive_saved_at_[r.id] >= 1.0) {
    it->second.end_t = std::max(t, it->second.start_t);
    it->second.duration_s = it->second.end_t - it->second.start_t;
    store_.SavePart(it->second); // still recording: nothing new to store
    alive_saved_at_[r.id] = wall_s;
  }
}

void RecordingController::Tick(double wall_s) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  for (const auto& [id, r] : recordings_) {
    ids.push_back(id);
  }
  for (const std::string& id : ids) {
    Recording& r = recordings_.at(id);
    LiveSession* s = FindSession(r.session_id);
    if (!s) {
      continue;
    }
    if (r.status == RecordingStatus::kInitializing) {
      if (r.waiting_for_slot) {
        StartAttemptRecorder(r, SessionT(*s, wall_s)); // a slot may have freed
        if (r.attempt_started) {
          store_.SaveRecording(r);
        }
      }
      CheckFlowing(r, wall_s);
      if (r.status == RecordingStatus::kInitializing && wall_s >= r.countdown_ends_at) {
        AttemptFailed(r, wall_s, SessionT(*s, wall_s));
      }
    } else if (r.status == RecordingStatus::kRecording) {
      if (RunningPartError(r)) {
        PartFailed(r, wall_s, SessionT(*s, wall_s));
      } else {
        Rollover(r, *s, wall_s);
      }
    } else if (r.status == RecordingStatus::kPaused && r.grace_ends_at > 0 &&
               wall_s >= r.grace_ends_at) {
      StopLocked(r, wall_s, SessionT(*s, wall_s),
                 "host disconnected for longer than " +
                     std::to_string(settings_.disconnect_grace_s) + " s");
    }
  }
}

std::optional<std::string> RecordingController::RunningPartError(const Recording& r) {
  if (running_.count(r.id) == 0) {
    return std::nullopt;
  }
  try {
    return recorder_.PartError(r.id);
  } catch (const std::exception& e) {
    Logger("control")->warn("recording {}: PartError failed: {}", r.id, e.what());
    return std::nullopt;
  }
}

std::optional<Recording> RecordingController::Find(const std::string& recording_id) {
  std::lock_guard lock(mutex_);
  auto it = recordings_.find(recording_id);
  if (it != recordings_.end()) {
    return it->second;
  }
  return store_.FindRecording(recording_id);
}

std::vector<Part> RecordingController::Parts(const std::string& recording_id) {
  std::lock_guard lock(mutex_);
  std::vector<Part> parts = store_.Parts(recording_id);
  for (Part& p : parts) {
    AddUploadProgress(p);
  }
  return parts;
}

std::optional<SessionPresence> RecordingController::Presence(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  LiveSession* s = FindSession(session_id);
  return s ? std::optional<SessionPresence>(s->presence) : std::nullopt;
}

} // namespace ssr::control
