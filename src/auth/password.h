#pragma once
// Passwords of built-in accounts: argon2id hashes (libsodium crypto_pwhash_str), which carry
// their own salt and cost parameters, so a stored hash verifies even after the defaults change.

#include <string>
#include <string_view>

namespace ssr::auth {

// The encoded argon2id hash of `password` ("$argon2id$v=19$m=...").
// Throws std::runtime_error when libsodium runs out of memory.
std::string HashPassword(std::string_view password);

// True when `password` matches `encoded_hash`; false for a wrong password or a hash that is
// not an argon2 one.
bool VerifyPassword(std::string_view password, const std::string& encoded_hash);

// Verifies `password` against a fixed hash and returns false: what a login with an unknown
// e-mail does, so that it takes as long as one with a wrong password.
bool VerifyAgainstDummy(std::string_view password);

} // namespace ssr::auth
