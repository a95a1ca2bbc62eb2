#pragma once
// Users' tokens from the platform: JWTs signed with HS256 and the shared secret
// (SSR_JWT_SECRET). libjwt checks the signature; this class decides what is accepted and says
// precisely why a token is not.

#include "common/error.h"

#include <stdexcept>
#include <string>
#include <string_view>

namespace ssr::auth {

// A refused token; the message names the problem ("token expired at ...").
class JwtError : public Error {
 public:
  explicit JwtError(const std::string& message) : Error(ErrorKind::kUnauthorized, message) {}
};

struct JwtClaims {
  std::string sub;   // the platform's user id
  std::string name;  // "" when absent
  std::string email; // "" when absent
  double exp = 0;    // Unix seconds
};

class JwtVerifier {
 public:
  // An empty secret refuses every token (no secret configured).
  explicit JwtVerifier(std::string secret, double leeway_s = 30);

  // The claims of a valid token: three base64url parts, header alg HS256 (nothing else, not
  // "none"), a signature that verifies with the secret, `exp` (a number) not past (within the
  // leeway), `nbf` if present reached, `sub` a non-empty string, `name`/`email` strings if
  // present. Throws JwtError naming what is wrong.
  JwtClaims Verify(std::string_view token, double now_s) const;

  // True when `token` has the shape of a JWT (two dots), i.e. is not meant as an API key.
  static bool LooksLikeJwt(std::string_view token);

 private:
  std::string secret_;
  double leeway_s_;
};

} // namespace ssr::auth
