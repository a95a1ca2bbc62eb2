#include "auth/password.h"

#include "auth/sodium_init.h"

#include <sodium.h>

#include <stdexcept>

namespace ssr::auth {

std::string HashPassword(std::string_view password) {
  InitSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("password hashing ran out of memory");
  }
  return out;
}

bool VerifyPassword(std::string_view password, const std::string& encoded_hash) {
  InitSodium();
  return crypto_pwhash_str_verify(encoded_hash.c_str(), password.data(), password.size()) == 0;
}

bool VerifyAgainstDummy(std::string_view password) {
  static const std::string kDummyHash = HashPassword("no account has this password");
  VerifyPassword(password, kDummyHash);
  return false;
}

} // namespace ssr::auth
