#include "library/library_schema.h"

namespace ssr::library {

const store::Schema& LibrarySchema() {
  static const store::Schema schema{
      "library_schema",
      {
          R"sql(
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
          )sql",
          // R15: sharing settings per recording (absent: not shared), with a version that
          // grows by one per save (the ETag), and the per-user grants.
          R"sql(
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
          )sql",
          // The people of a session as a picker shows them: each user once, with the name
          // participant.join gave them and their latest role (events override the invite
          // list). Sessions indexed before are indexed again at start to fill it
          // (IndexExistingSessions; session_roles' rows are kept as they are).
          R"sql(
          CREATE TABLE session_members (
            session_id TEXT NOT NULL,
            user TEXT NOT NULL,
            name TEXT NOT NULL,              -- '' until a participant.join names them
            role TEXT NOT NULL,              -- the latest
            PRIMARY KEY (session_id, user)
          );
          DELETE FROM session_roles_indexed;
          )sql",
      }};
  return schema;
}

}  // namespace ssr::library
