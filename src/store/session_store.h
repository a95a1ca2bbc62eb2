#pragma once
// The sessions the platform created, in SQLite (DATA/ssr.db). The schema is created and migrated in
// code (PRAGMA user_version); one connection, serialized by a mutex.

#include "store/database.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

struct sqlite3;

namespace ssr::store {

struct SessionRecord {
  std::string id;
  std::string title;
  std::string timezone = "UTC";
  bool autostart = false;
  nlohmann::json invitees = nlohmann::json::array();  // [{user, role}]
  std::string ingest_token_hash;                      // auth::HashToken of the ingest token
  std::string created_at;                             // RFC 3339 UTC
};

class SessionStore {
 public:
  // Opens (creating if needed) the database and migrates it. Throws StoreError.
  explicit SessionStore(const std::filesystem::path& db_path);
  ~SessionStore();
  SessionStore(const SessionStore&) = delete;
  SessionStore& operator=(const SessionStore&) = delete;

  // False when a session with this id exists already. Throws StoreError on other failures.
  bool Create(const SessionRecord& session);
  std::optional<SessionRecord> Find(const std::string& id);
  long long Count();

 private:
  void Migrate();
  void Exec(const char* sql);

  std::mutex mutex_;
  sqlite3* db_ = nullptr;
};

}  // namespace ssr::store
