#include "store/schemas.h"

namespace ssr::store {
namespace {

// Every table of DATA/ssr.db, in the order the migrations are applied. Append only: a
// released migration's id and SQL never change. Ids name the feature and count within it.
const std::vector<Migration> kMigrations = {
    // The sessions the platform created (was PRAGMA user_version 1).
    {"sessions-1", R"sql(
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        timezone TEXT NOT NULL,
        autostart INTEGER NOT NULL DEFAULT 0,
        invitees TEXT NOT NULL DEFAULT '[]',
        ingest_token_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    )sql"},
    // Recording control and the webhook outbox (was control_schema 1).
    {"control-1", R"sql(
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
    )sql"},
    // Accounts, login sessions, roles in sessions (was library_schema 1).
    {"library-1", R"sql(
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,      -- lowercase
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL,     -- argon2id (crypto_pwhash_str)
        created_at TEXT NOT NULL
      );
      CREATE TABLE login_sessions (
        token_hash TEXT PRIMARY KEY,     -- auth::HashToken of the cookie's token
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        expires_at_s REAL NOT NULL
      );
      CREATE INDEX login_sessions_by_user ON login_sessions (user_id);
      -- Every role a user held in a session: from the invite list ('invite') and from
      -- participant events ('event'). "user" is the platform's user id or e-mail.
      CREATE TABLE session_roles (
        session_id TEXT NOT NULL,
        user TEXT NOT NULL,
        role TEXT NOT NULL,
        source TEXT NOT NULL,
        PRIMARY KEY (session_id, user, role, source)
      );
      CREATE INDEX session_roles_by_user ON session_roles (user);
      -- Sessions whose roles are indexed (created with the index, or backfilled once).
      CREATE TABLE session_roles_indexed (session_id TEXT PRIMARY KEY);
      -- Which user a participant id of a session is, for later participant.role events.
      CREATE TABLE session_participants (
        session_id TEXT NOT NULL,
        participant_id TEXT NOT NULL,
        user TEXT NOT NULL,
        PRIMARY KEY (session_id, participant_id)
      );
    )sql"},
    // R15: sharing settings per recording, with a version per save (the ETag), and
    // the per-user grants (was library_schema 2).
    {"library-2", R"sql(
      CREATE TABLE recording_sharing (
        recording_id TEXT PRIMARY KEY,
        stream_by TEXT NOT NULL,         -- JSON array: "attendees", "presenters"
        download_by TEXT NOT NULL,
        release_at TEXT,                 -- local date and time in release_timezone
        release_timezone TEXT NOT NULL,
        release_at_s REAL,               -- the same instant, Unix seconds (UTC)
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
      );
      CREATE TABLE recording_grants (
        recording_id TEXT NOT NULL,
        user TEXT NOT NULL,              -- a user id or e-mail, as the host wrote it
        stream INTEGER NOT NULL,
        download INTEGER NOT NULL,
        position INTEGER NOT NULL,       -- the order they were given in
        PRIMARY KEY (recording_id, user)
      );
      CREATE INDEX recording_grants_by_user ON recording_grants (user);
    )sql"},
    // The people of a session as a picker shows them: each user once, with the name
    // participant.join gave them and their latest role. Sessions indexed before are indexed
    // again at start to fill it (was library_schema 3).
    {"library-3", R"sql(
      CREATE TABLE session_members (
        session_id TEXT NOT NULL,
        user TEXT NOT NULL,
        name TEXT NOT NULL,              -- '' until a participant.join names them
        role TEXT NOT NULL,              -- the latest
        PRIMARY KEY (session_id, user)
      );
      DELETE FROM session_roles_indexed;
    )sql"},
    // Share links, their views, watch URLs and the bytes they served (was watch_schema 1).
    {"watch-1", R"sql(
      CREATE TABLE share_links (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,  -- auth::HashToken of the link's token
        recording_id TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at_s REAL NOT NULL,
        expires_at_s REAL,                -- NULL: never
        revoked_at_s REAL                 -- NULL: live
      );
      CREATE INDEX share_links_by_recording ON share_links (recording_id);
      CREATE TABLE share_views (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        link_id TEXT NOT NULL REFERENCES share_links (id),
        recording_id TEXT NOT NULL,
        email TEXT NOT NULL,              -- lowercase
        viewed_at_s REAL NOT NULL
      );
      CREATE INDEX share_views_by_recording ON share_views (recording_id);
      CREATE TABLE watch_tokens (
        token_hash TEXT PRIMARY KEY,
        recording_id TEXT NOT NULL,
        part INTEGER NOT NULL,
        expires_at_s REAL NOT NULL,
        user_id TEXT NOT NULL,            -- '' for a share-link viewer
        view_id INTEGER REFERENCES share_views (id)
      );
      -- Bytes [first, end) a watch URL served.
      CREATE TABLE watch_served (
        token_hash TEXT NOT NULL,
        first INTEGER NOT NULL,
        end INTEGER NOT NULL
      );
      CREATE INDEX watch_served_by_token ON watch_served (token_hash);
    )sql"},
    // Views by logged-in users and what players report they played (was watch_schema 2).
    {"watch-2", R"sql(
      CREATE TABLE user_views (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        recording_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        email TEXT NOT NULL,              -- lowercase; '' when the caller had none
        name TEXT NOT NULL,
        viewed_at_s REAL NOT NULL
      );
      CREATE INDEX user_views_by_recording ON user_views (recording_id, user_id);
      ALTER TABLE watch_tokens ADD COLUMN user_view_id INTEGER REFERENCES user_views (id);
      CREATE TABLE watch_progress (
        token_hash TEXT NOT NULL,
        from_s REAL NOT NULL,
        to_s REAL NOT NULL
      );
      CREATE INDEX watch_progress_by_token ON watch_progress (token_hash);
    )sql"},
    // One table owns a session: recording control's columns (autostart as an override,
    // time 0, started, ended, presence) join the platform's, and control_sessions' rows merge in.
    // A row control alone knew (none in practice) keeps empty platform fields.
    {"sessions-2", R"sql(
      CREATE TABLE sessions_merged (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        timezone TEXT NOT NULL DEFAULT 'UTC',
        autostart INTEGER,               -- NULL: the organization setting decides
        invitees TEXT NOT NULL DEFAULT '[]',
        ingest_token_hash TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT '',
        start_wall_s REAL,               -- wall time (Unix seconds) of session time 0
        started INTEGER NOT NULL DEFAULT 0,
        ended INTEGER NOT NULL DEFAULT 0,
        presence TEXT NOT NULL DEFAULT '{}'
      );
      INSERT INTO sessions_merged (id, title, timezone, autostart, invitees, ingest_token_hash,
                                   created_at)
        SELECT id, title, timezone, CASE WHEN autostart <> 0 THEN 1 END, invitees,
               ingest_token_hash, created_at FROM sessions;
      INSERT INTO sessions_merged (id, title, autostart, start_wall_s, started, ended, presence)
        SELECT id, title, autostart, start_wall_s, started, ended, presence
          FROM control_sessions WHERE true
        ON CONFLICT (id) DO UPDATE SET autostart = excluded.autostart,
          start_wall_s = excluded.start_wall_s, started = excluded.started,
          ended = excluded.ended, presence = excluded.presence;
      DROP TABLE sessions;
      DROP TABLE control_sessions;
      ALTER TABLE sessions_merged RENAME TO sessions;
    )sql"},
    // Why a part failed while it was being recorded (disk full, an encoder error).
    {"control-2", R"sql(
      ALTER TABLE recording_parts ADD COLUMN error TEXT NOT NULL DEFAULT '';
    )sql"},
    // Publisher credentials: a token per participant, bound to its track ids (M6).
    {"ingest-1", R"sql(
      CREATE TABLE publisher_tokens (
        token_hash TEXT PRIMARY KEY,     -- auth::HashToken of the publisher's token
        session_id TEXT NOT NULL,
        participant TEXT NOT NULL,
        tracks TEXT NOT NULL,            -- JSON array of the track ids it may ingest
        created_at_s REAL NOT NULL
      );
      CREATE INDEX publisher_tokens_by_session ON publisher_tokens (session_id);
    )sql"},
    // Composite frames a live part left out to keep up with the wall clock (graceful overload).
    {"control-3", R"sql(
      ALTER TABLE recording_parts ADD COLUMN shed_frames INTEGER NOT NULL DEFAULT 0;
    )sql"},
    // The order recordings were created in, for listing ties within a millisecond (was
    // SQLite's rowid, which PostgreSQL has not).
    {"control-4", R"sql(
      ALTER TABLE recordings ADD COLUMN created_seq INTEGER NOT NULL DEFAULT 0;
      UPDATE recordings SET created_seq = rowid;
    )sql",
     R"sql(
      ALTER TABLE recordings ADD COLUMN created_seq INTEGER NOT NULL DEFAULT 0;
    )sql"},
    // The fleet (docs/scaling.md): workers and their heartbeats, and which worker holds each
    // session. Times are the database's clock (milliseconds since 1970), so that machines
    // whose clocks differ agree on who is alive.
    {"fleet-1", R"sql(
      CREATE TABLE workers (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,               -- its advertise_url
        capacity INTEGER NOT NULL,       -- recordings it admits at once
        load INTEGER NOT NULL,           -- recordings holding a slot
        draining INTEGER NOT NULL DEFAULT 0,
        started_at_ms INTEGER NOT NULL,
        heartbeat_at_ms INTEGER NOT NULL
      );
      CREATE TABLE session_workers (
        session_id TEXT PRIMARY KEY,
        worker_id TEXT,                  -- NULL: waiting for a worker
        moves INTEGER NOT NULL DEFAULT 0,
        changed_at_ms INTEGER NOT NULL
      );
      CREATE INDEX session_workers_by_worker ON session_workers (worker_id);
    )sql"},
};

} // namespace

const std::vector<Migration>& Schemas() { return kMigrations; }

} // namespace ssr::store
