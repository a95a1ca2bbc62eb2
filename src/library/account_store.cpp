#include "library/account_store.h"

#include "auth/new_ids.h"
#include "auth/password.h"
#include "auth/tokens.h"
#include "common/text.h"
#include "control/recording.h"

#include <algorithm>
#include <cctype>
#include <chrono>

namespace ssr::library {
namespace {

using store::Statement;

constexpr size_t kMaxNameCharacters = 200;
constexpr size_t kMaxEmailBytes = 254;
constexpr size_t kMinPasswordBytes = 8;
constexpr size_t kMaxPasswordBytes = 1024;
constexpr size_t kMaxIdBytes = 128;

bool HasControlOrSpace(const std::string& s, bool space_allowed) {
  return std::any_of(s.begin(), s.end(), [&](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c == 0x7f || (!space_allowed && c == ' ');
  });
}

AccountError Invalid(const std::string& field, const std::string& what) {
  return {ErrorKind::kInvalid, field, "field '" + field + "' " + what};
}

} // namespace

std::string NormalizeEmail(const std::string& email) {
  std::string out = std::string(TrimSpace(email));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

namespace {

// Throws AccountError when `password` is too short or too long.
void ValidatePassword(const std::string& password) {
  if (password.size() < kMinPasswordBytes || password.size() > kMaxPasswordBytes) {
    throw Invalid("password", "must be " + std::to_string(kMinPasswordBytes) + " to " +
                                  std::to_string(kMaxPasswordBytes) + " bytes");
  }
}

} // namespace

AccountStore::AccountStore(store::Database& db) : db_(db) {}

Account AccountStore::Create(const NewAccount& in) {
  Account account;
  account.id = in.id.empty() ? auth::NewAccountId() : in.id;
  if (account.id.size() > kMaxIdBytes || HasControlOrSpace(account.id, false)) {
    throw Invalid("id", "must be 1 to " + std::to_string(kMaxIdBytes) +
                            " characters, without spaces or control characters");
  }
  account.email = NormalizeEmail(in.email);
  const size_t at = account.email.find('@');
  if (account.email.empty() || account.email.size() > kMaxEmailBytes || at == 0 ||
      at == std::string::npos || at + 1 == account.email.size() ||
      account.email.find('@', at + 1) != std::string::npos ||
      HasControlOrSpace(account.email, false)) {
    throw Invalid("email", "must be an e-mail address (name@domain)");
  }
  account.name = std::string(TrimSpace(in.name));
  if (account.name.empty() || Utf8Characters(account.name) > kMaxNameCharacters ||
      HasControlOrSpace(account.name, true)) {
    throw Invalid("name", "must be 1 to " + std::to_string(kMaxNameCharacters) +
                              " characters, without control characters");
  }
  ValidatePassword(in.password);
  const std::string hash = auth::HashPassword(in.password); // slow: outside the lock
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  account.created_at = control::FormatRfc3339(now);
  std::lock_guard lock(mutex_);
  {
    Statement taken(db_, "SELECT id, email FROM users WHERE id = ? OR email = ?;");
    taken.Bind(1, account.id).Bind(2, account.email);
    if (taken.Step()) {
      const bool same_id = taken.Text(0) == account.id;
      throw AccountError(ErrorKind::kConflict, same_id ? "id" : "email",
                         same_id ? "an account with id '" + account.id + "' exists"
                                 : "an account with e-mail '" + account.email + "' exists");
    }
  }
  Statement(db_, "INSERT INTO users (id, email, name, password_hash, created_at) "
                 "VALUES (?, ?, ?, ?, ?);")
      .Bind(1, account.id)
      .Bind(2, account.email)
      .Bind(3, account.name)
      .Bind(4, hash)
      .Bind(5, account.created_at)
      .Run();
  return account;
}

std::optional<Account> AccountStore::SelectWhere(const char* where, const std::string& arg) {
  const std::string sql =
      std::string("SELECT id, email, name, created_at FROM users WHERE ") + where + ";";
  Statement select(db_, sql.c_str());
  select.Bind(1, arg);
  if (!select.Step())
    return std::nullopt;
  return Account{select.Text(0), select.Text(1), select.Text(2), select.Text(3)};
}

std::optional<Account> AccountStore::Find(const std::string& id) {
  std::lock_guard lock(mutex_);
  return SelectWhere("id = ?", id);
}

std::optional<Account> AccountStore::FindByEmail(const std::string& email) {
  std::lock_guard lock(mutex_);
  return SelectWhere("email = ?", NormalizeEmail(email));
}

std::vector<Account> AccountStore::List() {
  std::lock_guard lock(mutex_);
  Statement select(db_, "SELECT id, email, name, created_at FROM users ORDER BY email;");
  std::vector<Account> accounts;
  while (select.Step()) {
    accounts.push_back({select.Text(0), select.Text(1), select.Text(2), select.Text(3)});
  }
  return accounts;
}

bool AccountStore::SetPassword(const std::string& id, const std::string& password) {
  ValidatePassword(password);
  const std::string hash = auth::HashPassword(password); // slow: outside the lock
  std::lock_guard lock(mutex_);
  if (!SelectWhere("id = ?", id))
    return false;
  store::Transaction tx(db_);
  Statement(db_, "UPDATE users SET password_hash = ? WHERE id = ?;")
      .Bind(1, hash)
      .Bind(2, id)
      .Run();
  Statement(db_, "DELETE FROM login_sessions WHERE user_id = ?;").Bind(1, id).Run();
  tx.Commit();
  return true;
}

bool AccountStore::Remove(const std::string& id) {
  std::lock_guard lock(mutex_);
  if (!SelectWhere("id = ?", id))
    return false;
  store::Transaction tx(db_);
  Statement(db_, "DELETE FROM login_sessions WHERE user_id = ?;").Bind(1, id).Run();
  Statement(db_, "DELETE FROM users WHERE id = ?;").Bind(1, id).Run();
  tx.Commit();
  return true;
}

std::optional<Account> AccountStore::CheckPassword(const std::string& email,
                                                   const std::string& password) {
  std::optional<Account> account;
  std::string hash;
  {
    std::lock_guard lock(mutex_);
    Statement select(db_, "SELECT id, email, name, created_at, password_hash FROM users "
                          "WHERE email = ?;");
    select.Bind(1, NormalizeEmail(email));
    if (select.Step()) {
      account = Account{select.Text(0), select.Text(1), select.Text(2), select.Text(3)};
      hash = select.Text(4);
    }
  }
  if (!account) {
    auth::VerifyAgainstDummy(password);
    return std::nullopt;
  }
  if (!auth::VerifyPassword(password, hash))
    return std::nullopt;
  return account;
}

std::string AccountStore::OpenLoginSession(const std::string& user_id, double expires_at_s,
                                           double now_s) {
  std::string token = auth::RandomToken(32); // not const: returned by move
  std::lock_guard lock(mutex_);
  Statement(db_, "DELETE FROM login_sessions WHERE expires_at_s <= ?;").Bind(1, now_s).Run();
  Statement(db_, "INSERT INTO login_sessions (token_hash, user_id, expires_at_s) "
                 "VALUES (?, ?, ?);")
      .Bind(1, auth::HashToken(token))
      .Bind(2, user_id)
      .Bind(3, expires_at_s)
      .Run();
  return token;
}

std::optional<Account> AccountStore::FindLoginSession(const std::string& token, double now_s) {
  const std::string token_hash = auth::HashToken(token);
  std::lock_guard lock(mutex_);
  Statement select(db_, "SELECT user_id, expires_at_s FROM login_sessions WHERE token_hash = ?;");
  select.Bind(1, token_hash);
  if (!select.Step())
    return std::nullopt;
  const std::string user_id = select.Text(0);
  if (select.Real(1) <= now_s) {
    Statement(db_, "DELETE FROM login_sessions WHERE token_hash = ?;").Bind(1, token_hash).Run();
    return std::nullopt;
  }
  return SelectWhere("id = ?", user_id);
}

void AccountStore::CloseLoginSession(const std::string& token) {
  std::lock_guard lock(mutex_);
  Statement(db_, "DELETE FROM login_sessions WHERE token_hash = ?;")
      .Bind(1, auth::HashToken(token))
      .Run();
}

} // namespace ssr::library
