#include "control/recording_store.h"

namespace ssr::control {
namespace {

constexpr const char* kRecordingColumns =
    "id, session_id, room, title, status, created_at, requested_by, automatic, attempt, "
    "attempt_start_t, attempt_started, countdown_ends_at, grace_ends_at, error";

Recording ReadRecording(const store::Statement& s) {
  Recording r;
  r.id = s.Text(0);
  r.session_id = s.Text(1);
  r.room = s.Text(2);
  r.title = s.Text(3);
  r.status = RecordingStatusFromName(s.Text(4));
  r.created_at = s.Text(5);
  r.requested_by = s.Text(6);
  r.automatic = s.Int(7) != 0;
  r.attempt = static_cast<int>(s.Int(8));
  r.attempt_start_t = s.Real(9);
  r.attempt_started = s.Int(10) != 0;
  r.countdown_ends_at = s.Real(11);
  r.grace_ends_at = s.Real(12);
  r.error = s.Text(13);
  return r;
}

SessionRow ReadSession(const store::Statement& s) {
  SessionRow row;
  row.id = s.Text(0);
  row.title = s.Text(1);
  if (!s.IsNull(2)) {
    row.autostart = s.Int(2) != 0;
  }
  if (!s.IsNull(3)) {
    row.start_wall_s = s.Real(3);
  }
  row.started = s.Int(4) != 0;
  row.ended = s.Int(5) != 0;
  row.presence = nlohmann::json::parse(s.Text(6), nullptr, false);
  if (row.presence.is_discarded()) {
    throw store::StoreError("sessions: presence of session '" + row.id + "' is not JSON");
  }
  return row;
}

} // namespace

RecordingStore::RecordingStore(store::Database& db) : db_(db) {}

OrgSettings RecordingStore::LoadSettings() {
  std::lock_guard lock(mutex_);
  store::Statement select(db_, "SELECT settings FROM org_settings WHERE id = 1;");
  if (!select.Step()) {
    return {};
  }
  const auto stored = nlohmann::json::parse(select.Text(0), nullptr, false);
  if (stored.is_discarded()) {
    throw store::StoreError("org_settings: stored settings are not JSON");
  }
  return OrgSettings::FromJson(stored);
}

void RecordingStore::SaveSettings(const OrgSettings& settings) {
  std::lock_guard lock(mutex_);
  store::Statement(db_, "INSERT INTO org_settings (id, settings) VALUES (1, ?) "
                        "ON CONFLICT (id) DO UPDATE SET settings = excluded.settings;")
      .Bind(1, settings.ToJson(true).dump())
      .Run();
}

void RecordingStore::SaveSession(const SessionRow& session) {
  std::lock_guard lock(mutex_);
  // The platform's columns of the row (timezone, invitees, ingest token) are left as they are.
  store::Statement insert(db_, "INSERT INTO sessions (id, title, autostart, start_wall_s, started, "
                               "ended, presence) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO "
                               "UPDATE SET title = excluded.title, autostart = excluded.autostart, "
                               "start_wall_s = excluded.start_wall_s, started = excluded.started, "
                               "ended = excluded.ended, presence = excluded.presence;");
  insert.Bind(1, session.id).Bind(2, session.title);
  if (session.autostart) {
    insert.Bind(3, int64_t{*session.autostart ? 1 : 0});
  } else {
    insert.BindNull(3);
  }
  if (session.start_wall_s) {
    insert.Bind(4, *session.start_wall_s);
  } else {
    insert.BindNull(4);
  }
  insert.Bind(5, int64_t{session.started ? 1 : 0})
      .Bind(6, int64_t{session.ended ? 1 : 0})
      .Bind(7, session.presence.dump())
      .Run();
}

std::optional<SessionRow> RecordingStore::FindSession(const std::string& id) {
  std::lock_guard lock(mutex_);
  store::Statement select(db_,
                          "SELECT id, title, autostart, start_wall_s, started, ended, presence "
                          "FROM sessions WHERE id = ?;");
  select.Bind(1, id);
  if (!select.Step()) {
    return std::nullopt;
  }
  return ReadSession(select);
}

std::vector<SessionRow> RecordingStore::OpenSessions() {
  std::lock_guard lock(mutex_);
  store::Statement select(db_,
                          "SELECT id, title, autostart, start_wall_s, started, ended, presence "
                          "FROM sessions WHERE ended = 0 ORDER BY id;");
  std::vector<SessionRow> rows;
  while (select.Step()) {
    rows.push_back(ReadSession(select));
  }
  return rows;
}

void RecordingStore::DeleteSession(const std::string& id) {
  std::lock_guard lock(mutex_);
  store::Statement(db_, "DELETE FROM sessions WHERE id = ?;").Bind(1, id).Run();
}

void RecordingStore::SaveRecording(const Recording& recording) {
  std::lock_guard lock(mutex_);
  WriteRecording(recording);
}

void RecordingStore::WriteRecording(const Recording& r) {
  // An upsert, not INSERT OR REPLACE: a replace deletes the row first, and the delete would
  // cascade to the parts and transitions.
  const std::string sql =
      std::string("INSERT INTO recordings (") + kRecordingColumns +
      ", created_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "(SELECT COALESCE(MAX(created_seq), 0) + 1 FROM recordings)) ON CONFLICT (id) DO UPDATE SET "
      "session_id = excluded.session_id, room = excluded.room, title = excluded.title, "
      "status = excluded.status, created_at = excluded.created_at, "
      "requested_by = excluded.requested_by, automatic = excluded.automatic, "
      "attempt = excluded.attempt, attempt_start_t = excluded.attempt_start_t, "
      "attempt_started = excluded.attempt_started, countdown_ends_at = excluded.countdown_ends_at, "
      "grace_ends_at = excluded.grace_ends_at, error = excluded.error;";
  store::Statement(db_, sql.c_str())
      .Bind(1, r.id)
      .Bind(2, r.session_id)
      .Bind(3, r.room)
      .Bind(4, r.title)
      .Bind(5, std::string(StatusName(r.status)))
      .Bind(6, r.created_at)
      .Bind(7, r.requested_by)
      .Bind(8, int64_t{r.automatic ? 1 : 0})
      .Bind(9, int64_t{r.attempt})
      .Bind(10, r.attempt_start_t)
      .Bind(11, int64_t{r.attempt_started ? 1 : 0})
      .Bind(12, r.countdown_ends_at)
      .Bind(13, r.grace_ends_at)
      .Bind(14, r.error)
      .Run();
}

void RecordingStore::SaveTransition(const Recording& recording, const Transition& t) {
  std::lock_guard lock(mutex_);
  store::Transaction tx(db_);
  WriteRecording(recording);
  store::Statement(
      db_, "INSERT INTO recording_transitions (recording_id, from_status, to_status, at, reason) "
           "VALUES (?, ?, ?, ?, ?);")
      .Bind(1, t.recording_id)
      .Bind(2, t.from)
      .Bind(3, t.to)
      .Bind(4, t.at)
      .Bind(5, t.reason)
      .Run();
  tx.Commit();
}

std::vector<Recording> RecordingStore::SelectRecordings(const char* where, const std::string& arg) {
  const std::string sql = std::string("SELECT ") + kRecordingColumns + " FROM recordings WHERE " +
                          where + " ORDER BY created_at, created_seq;";
  store::Statement select(db_, sql.c_str());
  if (!arg.empty()) {
    select.Bind(1, arg);
  }
  std::vector<Recording> rows;
  while (select.Step()) {
    rows.push_back(ReadRecording(select));
  }
  return rows;
}

std::optional<Recording> RecordingStore::FindRecording(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto rows = SelectRecordings("id = ?", id);
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front();
}

std::vector<Recording> RecordingStore::UnfinishedRecordings() {
  std::lock_guard lock(mutex_);
  return SelectRecordings("status IN ('initializing', 'recording', 'paused', 'processing')", "");
}

std::vector<Recording> RecordingStore::RecordingsOfSession(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  return SelectRecordings("session_id = ?", session_id);
}

std::vector<Recording> RecordingStore::AllRecordings() {
  std::lock_guard lock(mutex_);
  return SelectRecordings("1 = 1", "");
}

std::map<std::string, int64_t> RecordingStore::CountByStatus() {
  std::lock_guard lock(mutex_);
  store::Statement select(db_, "SELECT status, COUNT(*) FROM recordings GROUP BY status;");
  std::map<std::string, int64_t> counts;
  while (select.Step()) {
    counts[select.Text(0)] = select.Int(1);
  }
  return counts;
}

void RecordingStore::DeleteRecording(const std::string& id) {
  std::lock_guard lock(mutex_);
  store::Transaction tx(db_);
  for (store::RecordingRowsOwner* owner : rows_owners_)
    owner->DeleteRowsOf(id);
  // Explicit, not only ON DELETE CASCADE: a database opened without foreign keys keeps none.
  store::Statement(db_, "DELETE FROM recording_parts WHERE recording_id = ?;").Bind(1, id).Run();
  store::Statement(db_, "DELETE FROM recording_transitions WHERE recording_id = ?;")
      .Bind(1, id)
      .Run();
  store::Statement(db_, "DELETE FROM recordings WHERE id = ?;").Bind(1, id).Run();
  tx.Commit();
}

void RecordingStore::SavePart(const Part& p) {
  std::lock_guard lock(mutex_);
  store::Statement(
      db_, "INSERT INTO recording_parts (recording_id, n, status, start_t, end_t, "
           "duration_s, size_bytes, sha256, local_path, storage_key, interrupted, error, "
           "shed_frames) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (recording_id, n) DO UPDATE "
           "SET status = excluded.status, start_t = excluded.start_t, end_t = excluded.end_t, "
           "duration_s = excluded.duration_s, size_bytes = excluded.size_bytes, "
           "sha256 = excluded.sha256, local_path = excluded.local_path, "
           "storage_key = excluded.storage_key, interrupted = excluded.interrupted, "
           "error = excluded.error, shed_frames = excluded.shed_frames;")
      .Bind(1, p.recording_id)
      .Bind(2, int64_t{p.n})
      .Bind(3, std::string(StatusName(p.status)))
      .Bind(4, p.start_t)
      .Bind(5, p.end_t)
      .Bind(6, p.duration_s)
      .Bind(7, static_cast<int64_t>(p.size_bytes))
      .Bind(8, p.sha256)
      .Bind(9, p.local_path)
      .Bind(10, p.storage_key)
      .Bind(11, int64_t{p.interrupted ? 1 : 0})
      .Bind(12, p.error)
      .Bind(13, p.shed_frames)
      .Run();
}

std::vector<Part> RecordingStore::Parts(const std::string& recording_id) {
  std::lock_guard lock(mutex_);
  store::Statement select(
      db_, "SELECT recording_id, n, status, start_t, end_t, duration_s, size_bytes, "
           "sha256, local_path, storage_key, interrupted, error, shed_frames FROM recording_parts "
           "WHERE recording_id = ? ORDER BY n;");
  select.Bind(1, recording_id);
  std::vector<Part> parts;
  while (select.Step()) {
    Part p;
    p.recording_id = select.Text(0);
    p.n = static_cast<int>(select.Int(1));
    p.status = PartStatusFromName(select.Text(2));
    p.start_t = select.Real(3);
    p.end_t = select.Real(4);
    p.duration_s = select.Real(5);
    p.size_bytes = static_cast<uint64_t>(select.Int(6));
    p.sha256 = select.Text(7);
    p.local_path = select.Text(8);
    p.storage_key = select.Text(9);
    p.interrupted = select.Int(10) != 0;
    p.error = select.Text(11);
    p.shed_frames = select.Int(12);
    parts.push_back(std::move(p));
  }
  return parts;
}

std::vector<Transition> RecordingStore::Transitions(const std::string& recording_id) {
  std::lock_guard lock(mutex_);
  store::Statement select(db_, "SELECT recording_id, from_status, to_status, at, reason "
                               "FROM recording_transitions WHERE recording_id = ? ORDER BY seq;");
  select.Bind(1, recording_id);
  std::vector<Transition> rows;
  while (select.Step()) {
    rows.push_back(
        {select.Text(0), select.Text(1), select.Text(2), select.Text(3), select.Text(4)});
  }
  return rows;
}

} // namespace ssr::control
