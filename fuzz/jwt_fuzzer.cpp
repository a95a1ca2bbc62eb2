// Fuzzes the users' token verifier: any bytes as an `Authorization: Bearer` token. It may
// only accept a token signed with the secret, and refuse everything else with JwtError —
// never crash, hang or trip a sanitizer.

#include "auth/jwt_verifier.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ssr::auth::JwtVerifier verifier("fuzz-secret-0123456789-0123456789");
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  try {
    verifier.Verify(token, 1.8e9);
  } catch (const ssr::auth::JwtError&) {
    // refused, with a message: fine
  }
  return 0;
}
