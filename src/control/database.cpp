#include "control/database.h"

#include <sqlite3.h>

#include <vector>

namespace ssr::control {
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

Database::Database(const std::filesystem::path& path)
    : Database(path, Schema{"control_schema", kControlMigrations}) {}

Database::Database(const std::filesystem::path& path, const Schema& schema) {
  if (sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("cannot open database " + path.string() + ": " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
  Exec("PRAGMA journal_mode=WAL;");
  Exec("PRAGMA foreign_keys=ON;");
  Migrate(schema);
}

Database::~Database() { sqlite3_close(db_); }

void Database::Fail() const { throw StoreError(std::string("sqlite: ") + sqlite3_errmsg(db_)); }

void Database::Exec(const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw StoreError("sqlite: " + message);
  }
}

void Database::Migrate(const Schema& schema) {
  Transaction tx(*this); // IMMEDIATE: two connections opening at once migrate once
  const std::string& table = schema.version_table;
  Exec("CREATE TABLE IF NOT EXISTS " + table + " (version INTEGER NOT NULL);");
  int current = 0;
  {
    Statement version(*this, ("SELECT version FROM " + table + ";").c_str());
    if (version.Step()) {
      current = static_cast<int>(version.Int(0));
    } else {
      Statement(*this, ("INSERT INTO " + table + " (version) VALUES (0);").c_str()).Run();
    }
  }
  const auto known = static_cast<int>(schema.migrations.size());
  if (current > known) {
    throw StoreError(table + " version " + std::to_string(current) +
                     " is newer than this ssr knows (" + std::to_string(known) + ")");
  }
  for (int v = current; v < known; ++v) {
    Exec(schema.migrations[v]);
  }
  Statement(*this, ("UPDATE " + table + " SET version = ?;").c_str())
      .Bind(1, static_cast<int64_t>(known))
      .Run();
  tx.Commit();
}

Statement::Statement(Database& db, const char* sql) : db_(db) {
  if (sqlite3_prepare_v2(db.handle(), sql, -1, &stmt_, nullptr) != SQLITE_OK) {
    db.Fail();
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int i, const std::string& value) {
  sqlite3_bind_text(stmt_, i, value.c_str(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int i, int64_t value) {
  sqlite3_bind_int64(stmt_, i, value);
  return *this;
}

Statement& Statement::Bind(int i, double value) {
  sqlite3_bind_double(stmt_, i, value);
  return *this;
}

Statement& Statement::BindNull(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

bool Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc != SQLITE_DONE) {
    db_.Fail();
  }
  return false;
}

void Statement::Run() {
  if (Step()) {
    throw StoreError("sqlite: statement returned a row where none was expected");
  }
}

std::string Statement::Text(int i) const {
  const unsigned char* s = sqlite3_column_text(stmt_, i);
  return s ? reinterpret_cast<const char*>(s) : "";
}

int64_t Statement::Int(int i) const { return sqlite3_column_int64(stmt_, i); }
double Statement::Real(int i) const { return sqlite3_column_double(stmt_, i); }
bool Statement::IsNull(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

Transaction::Transaction(Database& db) : db_(db) { db_.Exec("BEGIN IMMEDIATE;"); }

Transaction::~Transaction() {
  if (!done_) {
    sqlite3_exec(db_.handle(), "ROLLBACK;", nullptr, nullptr, nullptr);
  }
}

void Transaction::Commit() {
  db_.Exec("COMMIT;");
  done_ = true;
}

} // namespace ssr::control
