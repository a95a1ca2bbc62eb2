#include "store/sqlite_engine.h"

#include "store/store_error.h"

#include <sqlite3.h>

#include <system_error>

namespace ssr::store {
namespace {

[[noreturn]] void Fail(sqlite3* db) {
  throw StoreError(std::string("sqlite: ") + sqlite3_errmsg(db));
}

class SqliteCursor final : public Cursor {
 public:
  SqliteCursor(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
      Fail(db);
    }
  }
  ~SqliteCursor() override { sqlite3_finalize(stmt_); }
  SqliteCursor(const SqliteCursor&) = delete;
  SqliteCursor& operator=(const SqliteCursor&) = delete;

  void BindText(int i, const std::string& value) override {
    sqlite3_bind_text(stmt_, i, value.c_str(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }
  void BindInt(int i, int64_t value) override { sqlite3_bind_int64(stmt_, i, value); }
  void BindReal(int i, double value) override { sqlite3_bind_double(stmt_, i, value); }
  void BindNull(int i) override { sqlite3_bind_null(stmt_, i); }

  bool Step() override {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
      return true;
    }
    if (rc != SQLITE_DONE) {
      Fail(db_);
    }
    return false;
  }

  int Columns() const override { return sqlite3_column_count(stmt_); }
  std::string Text(int i) const override {
    const unsigned char* s = sqlite3_column_text(stmt_, i);
    return s ? reinterpret_cast<const char*>(s) : "";
  }
  int64_t Int(int i) const override { return sqlite3_column_int64(stmt_, i); }
  double Real(int i) const override { return sqlite3_column_double(stmt_, i); }
  bool IsNull(int i) const override { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteEngine final : public Engine {
 public:
  explicit SqliteEngine(const std::filesystem::path& path) {
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
      sqlite3_busy_timeout(db_, 5000); // another process's lock
      Exec("PRAGMA journal_mode=WAL;");
      Exec("PRAGMA foreign_keys=ON;");
    } catch (...) {
      sqlite3_close(db_);
      throw;
    }
  }
  ~SqliteEngine() override { sqlite3_close(db_); }
  SqliteEngine(const SqliteEngine&) = delete;
  SqliteEngine& operator=(const SqliteEngine&) = delete;

  const char* Name() const override { return "sqlite"; }

  void Exec(const std::string& sql) override {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "unknown error";
      sqlite3_free(error);
      throw StoreError("sqlite: " + message);
    }
  }
  void ExecQuietly(const std::string& sql) noexcept override {
    sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  std::unique_ptr<Cursor> Prepare(const std::string& sql) override {
    return std::make_unique<SqliteCursor>(db_, sql);
  }
  void Begin() override { Exec("BEGIN IMMEDIATE;"); } // the write lock at once
  bool HasTable(const std::string& name) override {
    SqliteCursor s(db_, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?;");
    s.BindText(1, name);
    return s.Step();
  }
  void LockForMigration() override {} // BEGIN IMMEDIATE holds the file's write lock already
  bool MayHoldLegacyLayout() const override { return true; }

 private:
  sqlite3* db_ = nullptr;
};

} // namespace

std::unique_ptr<Engine> OpenSqlite(const std::filesystem::path& path) {
  return std::make_unique<SqliteEngine>(path);
}

} // namespace ssr::store
