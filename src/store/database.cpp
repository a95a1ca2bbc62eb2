#include "store/database.h"

#include "store/schemas.h"

#include <sqlite3.h>

#include <filesystem>
#include <system_error>

namespace ssr::store {

Database::Database(const std::filesystem::path& path) {
  if (sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("cannot open database " + path.string() + ": " + message);
  }
  // Owner-only (it holds password and token hashes, viewers' e-mails, the webhook secret),
  // whatever the umask, and also for a database created by an older ssr. Before the WAL
  // pragma: SQLite gives -wal and -shm the database file's mode.
  std::error_code not_a_file; // ":memory:" and the like
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, not_a_file);
  try {
    sqlite3_busy_timeout(db_, 5000);
    Exec("PRAGMA journal_mode=WAL;");
    Exec("PRAGMA foreign_keys=ON;");
    MigrateToLatest(*this);
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

Database::~Database() { sqlite3_close(db_); }

void Database::Fail() const { throw StoreError(std::string("sqlite: ") + sqlite3_errmsg(db_)); }

void Database::Exec(const std::string& sql) {
  std::lock_guard lock(mutex_);
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw StoreError("sqlite: " + message);
  }
}

Statement::Statement(Database& db, const char* sql) : db_(db), lock_(db.mutex_) {
  if (sqlite3_prepare_v2(db.db_, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
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

Transaction::Transaction(Database& db) : db_(db), lock_(db.mutex_), depth_(db.transaction_depth_) {
  db_.Exec(depth_ == 0 ? std::string("BEGIN IMMEDIATE;")
                       : "SAVEPOINT tx" + std::to_string(depth_) + ";");
  ++db_.transaction_depth_;
}

Transaction::~Transaction() {
  if (!done_) {
    --db_.transaction_depth_;
    const std::string sql = depth_ == 0 ? std::string("ROLLBACK;")
                                        : "ROLLBACK TO tx" + std::to_string(depth_) +
                                              "; RELEASE tx" + std::to_string(depth_) + ";";
    sqlite3_exec(db_.db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
}

void Transaction::Commit() {
  db_.Exec(depth_ == 0 ? std::string("COMMIT;") : "RELEASE tx" + std::to_string(depth_) + ";");
  --db_.transaction_depth_;
  done_ = true;
}

} // namespace ssr::store
