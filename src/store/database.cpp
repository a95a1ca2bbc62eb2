#include "store/database.h"

#include "store/postgres_engine.h"
#include "store/schemas.h"
#include "store/sqlite_engine.h"

namespace ssr::store {

bool IsPostgresUrl(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::unique_ptr<Engine> OpenEngine(const std::string& location) {
  if (IsPostgresUrl(location)) {
    return OpenPostgres(location);
  }
  return OpenSqlite(location);
}

Database::Database(const std::string& location) : engine_(OpenEngine(location)) {
  MigrateToLatest(*this);
}

Database::~Database() = default;

void Database::Exec(const std::string& sql) {
  std::lock_guard lock(mutex_);
  engine_->Exec(sql);
}

Statement::Statement(Database& db, const char* sql) : lock_(db.mutex_) {
  if (db.transaction_depth_ == 0) {
    db.engine_->Reconnect();
  }
  cursor_ = db.engine_->Prepare(sql);
}

Statement& Statement::Bind(int i, const std::string& value) {
  cursor_->BindText(i, value);
  return *this;
}

Statement& Statement::Bind(int i, int64_t value) {
  cursor_->BindInt(i, value);
  return *this;
}

Statement& Statement::Bind(int i, double value) {
  cursor_->BindReal(i, value);
  return *this;
}

Statement& Statement::BindNull(int i) {
  cursor_->BindNull(i);
  return *this;
}

bool Statement::Step() { return cursor_->Step(); }

void Statement::Run() {
  if (Step()) {
    throw StoreError("store: statement returned a row where none was expected");
  }
}

int Statement::Columns() const { return cursor_->Columns(); }
std::string Statement::Text(int i) const { return cursor_->Text(i); }
int64_t Statement::Int(int i) const { return cursor_->Int(i); }
double Statement::Real(int i) const { return cursor_->Real(i); }
bool Statement::IsNull(int i) const { return cursor_->IsNull(i); }

Transaction::Transaction(Database& db) : db_(db), lock_(db.mutex_), depth_(db.transaction_depth_) {
  if (depth_ == 0) {
    db_.engine_->Reconnect();
    db_.engine_->Begin();
  } else {
    db_.engine_->Exec("SAVEPOINT tx" + std::to_string(depth_) + ";");
  }
  ++db_.transaction_depth_;
}

Transaction::~Transaction() {
  if (!done_) {
    --db_.transaction_depth_;
    const std::string sql = depth_ == 0 ? std::string("ROLLBACK;")
                                        : "ROLLBACK TO tx" + std::to_string(depth_) +
                                              "; RELEASE tx" + std::to_string(depth_) + ";";
    db_.engine_->ExecQuietly(sql);
  }
}

void Transaction::Commit() {
  db_.Exec(depth_ == 0 ? std::string("COMMIT;") : "RELEASE tx" + std::to_string(depth_) + ";");
  --db_.transaction_depth_;
  done_ = true;
}

} // namespace ssr::store
