#pragma once
// One SQLite connection to the ssr database (DATA/ssr.db): the prepared statements and
// transactions every store is written with, and the migration of a Schema (store/schemas.h).

#include "common/error.h"

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace ssr::store {

class StoreError : public Error {
 public:
  explicit StoreError(const std::string& message) : Error(ErrorKind::kInternal, message) {}
};

// A set of tables with its own version table, migrated in order: migration N brings the
// schema from version N to N+1 (append only). Recording control has one; so does the library.
struct Schema {
  std::string version_table;           // e.g. "control_schema"
  std::vector<const char*> migrations;
};

class Database {
 public:
  // Opens (creating if needed) the database and migrates `schema`. Throws StoreError.
  Database(const std::filesystem::path& path, const Schema& schema);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void Exec(const std::string& sql);
  sqlite3* handle() { return db_; }
  [[noreturn]] void Fail() const; // throws StoreError with SQLite's last message

 private:
  void Migrate(const Schema& schema);
  sqlite3* db_ = nullptr;
};

// A prepared statement, finalized when it goes out of scope. Bind indexes start at 1,
// column indexes at 0.
class Statement {
 public:
  Statement(Database& db, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int i, const std::string& value);
  Statement& Bind(int i, int64_t value);
  Statement& Bind(int i, double value);
  Statement& BindNull(int i);
  bool Step(); // true: a row is ready; false: done. Throws StoreError.
  void Run();  // steps once, expecting no row

  std::string Text(int i) const;
  int64_t Int(int i) const;
  double Real(int i) const;
  bool IsNull(int i) const;

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  void Commit();

 private:
  Database& db_;
  bool done_ = false;
};

} // namespace ssr::store
