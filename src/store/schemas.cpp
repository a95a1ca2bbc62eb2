#include "store/schemas.h"

namespace ssr::store {
namespace {

// Migration N brings the control schema from version N to N+1. Append only.
const std::vector<const char*> kControlMigrations = {
    R"sql(
    CREATE TABLE control_sessions (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      autostart INTEGER,             -- NULL: the organization setting decides
      start_wall_s REAL,             -- wall time (Unix seconds) of session time 0
      started INTEGER NOT NULL DEFAULT 0,
      ended INTEGER NOT NULL DEFAULT 0,
      presence TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE recordings (
      id TEXT PRIMARY KEY,
      session_id TEXT NOT NULL,
      room TEXT NOT NULL,
      title TEXT NOT NULL,
      status TEXT NOT NULL,
      created_at TEXT NOT NULL,
      requested_by TEXT NOT NULL DEFAULT '',
      automatic INTEGER NOT NULL DEFAULT 0,
      attempt INTEGER NOT NULL DEFAULT 1,
      attempt_start_t REAL NOT NULL DEFAULT 0,
      attempt_started INTEGER NOT NULL DEFAULT 0,
      countdown_ends_at REAL NOT NULL DEFAULT 0,
      grace_ends_at REAL NOT NULL DEFAULT 0,
      error TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX recordings_by_session ON recordings (session_id);
    CREATE TABLE recording_parts (
      recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
      n INTEGER NOT NULL,
      status TEXT NOT NULL,
      start_t REAL NOT NULL,
      end_t REAL NOT NULL,
      duration_s REAL NOT NULL DEFAULT 0,
      size_bytes INTEGER NOT NULL DEFAULT 0,
      sha256 TEXT NOT NULL DEFAULT '',
      local_path TEXT NOT NULL,
      storage_key TEXT NOT NULL DEFAULT '',
      interrupted INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (recording_id, n)
    );
    CREATE TABLE recording_transitions (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
      from_status TEXT NOT NULL,
      to_status TEXT NOT NULL,
      at TEXT NOT NULL,
      reason TEXT NOT NULL
    );
    CREATE TABLE org_settings (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      settings TEXT NOT NULL
    );
    CREATE TABLE webhook_outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id TEXT NOT NULL UNIQUE,
      url TEXT NOT NULL,
      body TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_try_at_ms INTEGER NOT NULL,
      delivered INTEGER NOT NULL DEFAULT 0,
      last_error TEXT NOT NULL DEFAULT ''
    );
    )sql",
    // Why a part failed while it was being recorded (disk full, an encoder error).
    R"sql(
    ALTER TABLE recording_parts ADD COLUMN error TEXT NOT NULL DEFAULT '';
    )sql",
};

} // namespace

const Schema& ControlSchema() {
  static const Schema schema{"control_schema", kControlMigrations};
  return schema;
}

} // namespace ssr::store
