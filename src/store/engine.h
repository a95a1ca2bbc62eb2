#pragma once
// What store::Database needs from a database engine: run SQL, prepare a statement, and say
// how a write transaction begins. Two engines implement it: SQLite (a file, the embedded
// default) and PostgreSQL (a server, for a fleet). Database, Statement and Transaction hold
// the locking and the nesting; an engine only talks to its library.

#include <cstdint>
#include <memory>
#include <string>

namespace ssr::store {

// One prepared statement of an engine. Bind indexes start at 1, column indexes at 0.
class Cursor {
 public:
  virtual ~Cursor() = default;
  virtual void BindText(int i, const std::string& value) = 0;
  virtual void BindInt(int i, int64_t value) = 0;
  virtual void BindReal(int i, double value) = 0;
  virtual void BindNull(int i) = 0;
  virtual bool Step() = 0;         // true: a row is ready
  virtual int Columns() const = 0; // of the result, once Step gave a row
  virtual std::string Text(int i) const = 0;
  virtual int64_t Int(int i) const = 0;
  virtual double Real(int i) const = 0;
  virtual bool IsNull(int i) const = 0;
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual const char* Name() const = 0; // "sqlite", "postgresql": prefixes error messages
  // Runs one or more statements without parameters or results (DDL, BEGIN, SAVEPOINT).
  virtual void Exec(const std::string& sql) = 0;
  // Like Exec, but never throws: for rolling back in a destructor.
  virtual void ExecQuietly(const std::string& sql) noexcept = 0;
  // The statement is written for SQLite (`?` and `?N` placeholders); an engine with another
  // dialect translates it.
  virtual std::unique_ptr<Cursor> Prepare(const std::string& sql) = 0;
  // Starts the outermost transaction, taking the write lock at once where the engine has one.
  virtual void Begin() = 0;
  virtual bool HasTable(const std::string& name) = 0;
  // Called first inside the migration transaction: makes processes that open the database at
  // the same time migrate it one after the other.
  virtual void LockForMigration() = 0;
  // Called before a statement or transaction that is not inside a transaction: an engine
  // whose connection was lost (a database server restarted) connects again here, never in
  // the middle of a transaction, whose statements must not go on outside it.
  virtual void Reconnect() {}
  // Whether databases made by ssr before the migration registry can exist in this engine.
  virtual bool MayHoldLegacyLayout() const = 0;
};

// Opens the engine a location names: a postgresql:// (or postgres://) URL, else a SQLite file.
std::unique_ptr<Engine> OpenEngine(const std::string& location);

bool IsPostgresUrl(const std::string& location);

} // namespace ssr::store
