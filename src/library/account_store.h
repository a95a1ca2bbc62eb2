#pragma once
// Built-in accounts (the embedded default and the demo; platform users come with a JWT):
// e-mail, name, an argon2id password hash, and the login sessions behind the session cookie.
// A login session's token is random (libsodium) and only its hash is stored.

#include "common/error.h"
#include "store/database.h"

#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ssr::library {

// A field of a new account that is not acceptable, or an e-mail/id already taken.
// kInvalid for a bad field, kConflict for an e-mail/id already taken.
class AccountError : public Error {
 public:
  AccountError(ErrorKind kind, std::string field, const std::string& message)
      : Error(kind, message, std::move(field)) {}
};

struct Account {
  std::string id;
  std::string email; // lowercase
  std::string name;
  std::string created_at;
};

struct NewAccount {
  std::string id; // "" : a random one
  std::string email;
  std::string name;
  std::string password;
};

class AccountStore {
 public:
  explicit AccountStore(store::Database& db);

  // Validates (e-mail, name 1-200 characters, password 8-1024 bytes, id 1-128 printable
  // characters without spaces) and stores the account. Throws AccountError.
  Account Create(const NewAccount& account);
  std::optional<Account> Find(const std::string& id);
  std::optional<Account> FindByEmail(const std::string& email);
  // Every account, by e-mail.
  std::vector<Account> List();
  // A new password for account `id` (validated as by Create; throws AccountError); its login
  // sessions end. False when there is no such account.
  bool SetPassword(const std::string& id, const std::string& password);
  // Removes account `id` and its login sessions; false when there is no such account.
  bool Remove(const std::string& id);

  // The account when `email` and `password` match; nullopt for an unknown e-mail or a wrong
  // password alike (both take the time of one argon2id verification).
  std::optional<Account> CheckPassword(const std::string& email, const std::string& password);

  // A new login session of `user_id` until `expires_at_s` (Unix seconds): returns its token.
  std::string OpenLoginSession(const std::string& user_id, double expires_at_s, double now_s);
  // The account of a live login session; nullopt when unknown or expired (then removed).
  std::optional<Account> FindLoginSession(const std::string& token, double now_s);
  void CloseLoginSession(const std::string& token);

 private:
  std::optional<Account> SelectWhere(const char* where, const std::string& arg);

  std::mutex mutex_;
  store::Database& db_;
};

// "  Ann@Example.ORG " -> "ann@example.org"
std::string NormalizeEmail(const std::string& email);

} // namespace ssr::library
