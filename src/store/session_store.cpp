#include "store/session_store.h"

#include <sqlite3.h>

#include <array>
#include <chrono>
#include <ctime>

namespace ssr::store {
namespace {

// Migration N brings the schema from user_version N to N+1. Append only.
constexpr std::array<const char*, 1> kMigrations = {
    R"sql(
    CREATE TABLE sessions (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      timezone TEXT NOT NULL,
      autostart INTEGER NOT NULL DEFAULT 0,
      invitees TEXT NOT NULL DEFAULT '[]',
      ingest_token_hash TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    )sql",
};

// Finalizes a statement when it goes out of scope.
class RawStatement {
 public:
  RawStatement(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw StoreError(std::string("sqlite: ") + sqlite3_errmsg(db));
    }
  }
  ~RawStatement() { sqlite3_finalize(stmt_); }
  RawStatement(const RawStatement&) = delete;
  RawStatement& operator=(const RawStatement&) = delete;
  sqlite3_stmt* get() { return stmt_; }
  void Bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.c_str(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  std::string Text(int i) {
    const unsigned char* s = sqlite3_column_text(stmt_, i);
    return s ? reinterpret_cast<const char*>(s) : "";
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

std::string NowRfc3339() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

SessionStore::SessionStore(const std::filesystem::path& db_path) {
  if (sqlite3_open_v2(db_path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("cannot open database " + db_path.string() + ": " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
  Exec("PRAGMA journal_mode=WAL;");
  Migrate();
}

SessionStore::~SessionStore() { sqlite3_close(db_); }

void SessionStore::Exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw StoreError("sqlite: " + message);
  }
}

void SessionStore::Migrate() {
  std::lock_guard lock(mutex_);
  RawStatement version(db_, "PRAGMA user_version;");
  sqlite3_step(version.get());
  const int current = sqlite3_column_int(version.get(), 0);
  if (current > static_cast<int>(kMigrations.size())) {
    throw StoreError("database schema version " + std::to_string(current) +
                     " is newer than this ssr knows (" + std::to_string(kMigrations.size()) + ")");
  }
  for (size_t v = current; v < kMigrations.size(); ++v) {
    Exec("BEGIN;");
    try {
      Exec(kMigrations[v]);
      Exec(("PRAGMA user_version=" + std::to_string(v + 1) + ";").c_str());
      Exec("COMMIT;");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK;", nullptr, nullptr, nullptr);
      throw;
    }
  }
}

bool SessionStore::Create(const SessionRecord& session) {
  std::lock_guard lock(mutex_);
  RawStatement insert(db_,
                   "INSERT INTO sessions (id, title, timezone, autostart, invitees, "
                   "ingest_token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?);");
  insert.Bind(1, session.id);
  insert.Bind(2, session.title);
  insert.Bind(3, session.timezone);
  sqlite3_bind_int(insert.get(), 4, session.autostart ? 1 : 0);
  insert.Bind(5, session.invitees.dump());
  insert.Bind(6, session.ingest_token_hash);
  insert.Bind(7, session.created_at.empty() ? NowRfc3339() : session.created_at);
  const int rc = sqlite3_step(insert.get());
  if (rc == SQLITE_CONSTRAINT) {
    return false;
  }
  if (rc != SQLITE_DONE) {
    throw StoreError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  return true;
}

std::optional<SessionRecord> SessionStore::Find(const std::string& id) {
  std::lock_guard lock(mutex_);
  RawStatement select(db_,
                   "SELECT id, title, timezone, autostart, invitees, ingest_token_hash, "
                   "created_at FROM sessions WHERE id = ?;");
  select.Bind(1, id);
  if (sqlite3_step(select.get()) != SQLITE_ROW) {
    return std::nullopt;
  }
  SessionRecord r;
  r.id = select.Text(0);
  r.title = select.Text(1);
  r.timezone = select.Text(2);
  r.autostart = sqlite3_column_int(select.get(), 3) != 0;
  r.invitees = nlohmann::json::parse(select.Text(4), nullptr, false);
  r.ingest_token_hash = select.Text(5);
  r.created_at = select.Text(6);
  return r;
}

long long SessionStore::Count() {
  std::lock_guard lock(mutex_);
  RawStatement count(db_, "SELECT COUNT(*) FROM sessions;");
  sqlite3_step(count.get());
  return sqlite3_column_int64(count.get(), 0);
}

}  // namespace ssr::store
