#include "store/postgres_engine.h"

#include "store/postgres_dialect.h"
#include "store/store_error.h"

#include <pqxx/pqxx>

#include <charconv>
#include <cstdlib>
#include <optional>
#include <vector>

namespace ssr::store {
namespace {

constexpr pqxx::oid kBoolOid = 16;
// pg_advisory_xact_lock key of the migration transaction: "ssr" in ASCII.
constexpr int64_t kMigrationLockKey = 0x737372;

// A boolean result (a comparison) reads as SQLite shows it: 1 or 0; nullopt for other types.
std::optional<int> BoolOf(const pqxx::field& f) {
  if (f.type() != kBoolOid) {
    return std::nullopt;
  }
  return f.c_str()[0] == 't' ? 1 : 0;
}

[[noreturn]] void Rethrow(const std::exception& e) {
  throw StoreError(std::string("postgresql: ") + e.what());
}

class PostgresCursor final : public Cursor {
 public:
  PostgresCursor(pqxx::nontransaction& tx, const std::string& sql)
      : tx_(tx), statement_(ToPostgres(sql)), values_(statement_.parameters) {}

  void BindText(int i, const std::string& value) override { Set(i, value); }
  void BindInt(int i, int64_t value) override { Set(i, std::to_string(value)); }
  void BindReal(int i, double value) override {
    char buffer[32];
    const auto done = std::to_chars(buffer, buffer + sizeof buffer, value); // shortest exact
    Set(i, std::string(buffer, done.ptr));
  }
  void BindNull(int i) override { Set(i, std::nullopt); }

  bool Step() override {
    if (!result_) {
      std::vector<const char*> pointers;
      pointers.reserve(values_.size());
      for (const auto& value : values_) {
        pointers.push_back(value ? value->c_str() : nullptr);
      }
      try {
        result_ = tx_.exec_params(statement_.sql, pqxx::prepare::make_dynamic_params(pointers));
      } catch (const std::exception& e) {
        Rethrow(e);
      }
      row_ = -1;
    }
    ++row_;
    return row_ < static_cast<int64_t>(result_->size());
  }

  int Columns() const override { return result_ ? static_cast<int>(result_->columns()) : 0; }
  std::string Text(int i) const override {
    const pqxx::field f = Field(i);
    if (f.is_null()) {
      return "";
    }
    if (const auto b = BoolOf(f)) {
      return std::to_string(*b);
    }
    return f.c_str();
  }
  int64_t Int(int i) const override {
    const pqxx::field f = Field(i);
    if (f.is_null()) {
      return 0;
    }
    if (const auto b = BoolOf(f)) {
      return *b;
    }
    const char* text = f.c_str();
    int64_t value = 0;
    const auto parsed = std::from_chars(text, text + f.size(), value);
    if (parsed.ec != std::errc() || parsed.ptr != text + f.size()) {
      return static_cast<int64_t>(std::strtod(text, nullptr)); // a REAL read as an integer
    }
    return value;
  }
  double Real(int i) const override {
    const pqxx::field f = Field(i);
    if (f.is_null()) {
      return 0;
    }
    if (const auto b = BoolOf(f)) {
      return *b;
    }
    return std::strtod(f.c_str(), nullptr);
  }
  bool IsNull(int i) const override { return Field(i).is_null(); }

 private:
  void Set(int i, std::optional<std::string> value) {
    if (i < 1 || i > static_cast<int>(values_.size())) {
      throw StoreError("postgresql: parameter " + std::to_string(i) + " of a statement with " +
                       std::to_string(values_.size()) + ": " + statement_.sql);
    }
    values_[i - 1] = std::move(value);
  }
  pqxx::field Field(int i) const { return (*result_)[row_][i]; }

  pqxx::nontransaction& tx_;
  PostgresStatement statement_;
  std::vector<std::optional<std::string>> values_; // nullopt: NULL (also unbound, as SQLite)
  std::optional<pqxx::result> result_;
  int64_t row_ = -1;
};

// One connection; transactions are plain BEGIN/SAVEPOINT/COMMIT sent through a nontransaction
// that stays open for the connection's life, so the nesting stays store::Transaction's.
class PostgresEngine final : public Engine {
 public:
  explicit PostgresEngine(std::string url) : url_(std::move(url)) { Connect(); }
  ~PostgresEngine() override {
    tx_.reset();
    connection_.reset();
  }
  PostgresEngine(const PostgresEngine&) = delete;
  PostgresEngine& operator=(const PostgresEngine&) = delete;

  const char* Name() const override { return "postgresql"; }

  void Exec(const std::string& sql) override {
    Connected();
    try {
      tx_->exec(ToPostgres(sql).sql);
    } catch (const std::exception& e) {
      Rethrow(e);
    }
  }
  void ExecQuietly(const std::string& sql) noexcept override {
    if (!tx_) {
      return;
    }
    try {
      tx_->exec(ToPostgres(sql).sql);
    } catch (...) { // NOLINT(bugprone-empty-catch): a rollback that fails has nothing to undo
    }
  }
  std::unique_ptr<Cursor> Prepare(const std::string& sql) override {
    Connected();
    return std::make_unique<PostgresCursor>(*tx_, sql);
  }
  void Begin() override { Exec("BEGIN;"); }
  bool HasTable(const std::string& name) override {
    Connected();
    PostgresCursor s(*tx_, "SELECT 1 FROM information_schema.tables WHERE table_schema = "
                           "current_schema() AND table_name = ?;");
    s.BindText(1, name);
    return s.Step();
  }
  void LockForMigration() override {
    Exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ");");
  }
  bool MayHoldLegacyLayout() const override { return false; }
  void Reconnect() override {
    if (!connection_ || !connection_->is_open()) {
      tx_.reset();
      connection_.reset();
      Connect();
    }
  }

 private:
  void Connected() const {
    if (!tx_) { // a reconnection failed; the next statement outside a transaction tries again
      throw StoreError("postgresql: not connected to " + RedactedUrl(url_));
    }
  }
  void Connect() {
    try {
      connection_ = std::make_unique<pqxx::connection>(url_);
      tx_ = std::make_unique<pqxx::nontransaction>(*connection_, "ssr");
      tx_->exec("SET client_min_messages = warning;"); // no NOTICEs on stderr
    } catch (const std::exception& e) {
      throw StoreError("cannot open database " + RedactedUrl(url_) + ": " + e.what());
    }
  }

  std::string url_;
  std::unique_ptr<pqxx::connection> connection_;
  std::unique_ptr<pqxx::nontransaction> tx_;
};

} // namespace

std::string RedactedUrl(const std::string& url) {
  // scheme://user:password@host...: the password is between the first ':' after "//" and '@'.
  const size_t authority = url.find("//");
  if (authority == std::string::npos) {
    return url;
  }
  const size_t at = url.find('@', authority + 2);
  const size_t colon = url.find(':', authority + 2);
  if (at == std::string::npos || colon == std::string::npos || colon > at) {
    return url;
  }
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::unique_ptr<Engine> OpenPostgres(const std::string& url) {
  return std::make_unique<PostgresEngine>(url);
}

} // namespace ssr::store
