#pragma once
// The sessions the platform created: title, timezone, invitees, the hash of the ingest token,
// when it was created. The same row of the sessions table also holds recording control's
// state of the session (control::RecordingStore reads and writes those columns): one table
// owns a session (store/schemas.cpp, "sessions-2").

#include "store/database.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace ssr::store {

struct SessionRecord {
  std::string id;
  std::string title;
  std::string timezone = "UTC";
  bool autostart = false; // true: recording starts by itself (control's override is on)
  nlohmann::json invitees = nlohmann::json::array(); // [{user, role}]
  std::string ingest_token_hash;                     // auth::HashToken of the ingest token
  std::string created_at;                            // RFC 3339 UTC
};

class SessionStore {
 public:
  explicit SessionStore(Database& db) : db_(db) {}

  // False when a session with this id exists already. Throws StoreError on other failures.
  bool Create(const SessionRecord& session);
  std::optional<SessionRecord> Find(const std::string& id);
  long long Count();

 private:
  Database& db_;
};

} // namespace ssr::store
