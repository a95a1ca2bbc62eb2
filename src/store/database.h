#pragma once
// The one connection to the ssr database: a SQLite file (DATA/ssr.db, the embedded default) or
// a PostgreSQL server (a postgresql:// URL; store/engine.h). The app opens it once and hands it
// by reference to every store (sessions, recording control, webhook outbox, accounts, roles,
// sharing, watching); opening it brings the schema up to date (store/schemas.h).
//
// Threads share the connection, so it is serialized here rather than in each store: every
// Statement and Transaction holds the connection's (recursive) lock for as long as it lives.
// A transaction's statements therefore never interleave with another thread's, and a store
// method that runs a Transaction and statements inside it takes the same lock again on the
// same thread. Stores may keep a mutex of their own for their in-memory state; they take it
// before any statement, never the other way round, so there is one lock order.
//
// The SQL the stores run is kept to what SQLite and PostgreSQL both accept (docs/architecture.md,
// "Store"): `?` placeholders, INSERT ... ON CONFLICT, RETURNING instead of last_insert_rowid();
// store::ToPostgres translates the rest (placeholders, two reserved column names, DDL types).

#include "store/engine.h"
#include "store/store_error.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

namespace ssr::store {

class Database {
 public:
  // Opens the database `location` names — a postgresql:// URL, else a SQLite file (created if
  // needed, WAL, foreign keys, up to 5 s of waiting for another process's lock) — and applies
  // the migrations it lacks (store::MigrateToLatest).
  // Throws StoreError: cannot open, or the database was migrated by a newer ssr.
  explicit Database(const std::string& location);
  explicit Database(const std::filesystem::path& path) : Database(path.string()) {}
  explicit Database(const char* location) : Database(std::string(location)) {}
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements without results (DDL), under the connection's lock.
  void Exec(const std::string& sql);
  Engine& engine() { return *engine_; }

 private:
  friend class Statement;
  friend class Transaction;
  std::recursive_mutex mutex_;
  int transaction_depth_ = 0; // > 0 inside a Transaction; nested ones are savepoints
  std::unique_ptr<Engine> engine_;
};

// A prepared statement, finalized when it goes out of scope; it holds the connection's lock
// until then, so keep it in the narrowest scope. Bind indexes start at 1, column indexes at 0.
class Statement {
 public:
  Statement(Database& db, const char* sql);
  Statement(Database& db, const std::string& sql) : Statement(db, sql.c_str()) {}
  ~Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int i, const std::string& value);
  Statement& Bind(int i, int64_t value);
  Statement& Bind(int i, double value);
  Statement& BindNull(int i);
  bool Step(); // true: a row is ready; false: done. Throws StoreError.
  void Run();  // steps once, expecting no row

  int Columns() const;
  std::string Text(int i) const;
  int64_t Int(int i) const;
  double Real(int i) const;
  bool IsNull(int i) const;

 private:
  std::unique_lock<std::recursive_mutex> lock_;
  std::unique_ptr<Cursor> cursor_;
};

// BEGIN (IMMEDIATE on SQLite) ... COMMIT, rolled back if not committed. Holds the connection's lock
// for its lifetime. A Transaction inside another (same thread) is a SAVEPOINT of the outer one.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void Commit();

 private:
  Database& db_;
  std::unique_lock<std::recursive_mutex> lock_;
  int depth_ = 0; // 0: the outermost
  bool done_ = false;
};

} // namespace ssr::store
