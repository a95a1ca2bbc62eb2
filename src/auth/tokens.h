#pragma once
// Secrets handed to callers: random URL-safe tokens, their stored hashes, and constant-time
// comparison (libsodium).

#include <string>
#include <string_view>

namespace ssr::auth {

// `bytes` random bytes as URL-safe base64 without padding (32 bytes -> 43 characters).
std::string RandomToken(size_t bytes = 32);

// The hex BLAKE2b-256 hash of a token: what the database stores instead of the token.
std::string HashToken(std::string_view token);

// True when a and b are equal; the time taken does not depend on where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

} // namespace ssr::auth
