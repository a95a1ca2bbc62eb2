#pragma once
// Users' tokens from the platform: JWTs signed with HS256 and the shared secret
// (SSR_JWT_SECRET). libjwt checks the signature; this class decides what is accepted and says
// precisely why a token is not.

#include "common/error.h"

#include <nlohmann/json_fwd.hpp>

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

// What the operator asks of tokens beyond the signature (docs/security.md, "Users' tokens").
struct JwtPolicy {
  std::string issuer;   // when set, `iss` must equal it (jwt_issuer)
  std::string audience; // when set, `aud` (a string or an array) must name it (jwt_audience)
  // `exp` at most this far ahead of now, so that a leaked token cannot live for years
  // (jwt_max_lifetime_s); 0 = no bound.
  double max_lifetime_s = 24 * 3600;
  // True: the platform vouches for every `email` it signs, unless the token says
  // `"email_verified": false`. False: an e-mail counts only with `"email_verified": true`
  // (jwt_emails_verified). An e-mail that does not count is dropped from the claims, so it
  // matches no invitation or grant.
  bool emails_verified = true;
};

class JwtVerifier {
 public:
  // An empty secret refuses every token (no secret configured).
  explicit JwtVerifier(std::string secret, double leeway_s = 30, JwtPolicy policy = {});

  // The claims of a valid token: three base64url parts, header alg HS256 (nothing else, not
  // "none"), a signature that verifies with the secret, `exp` (a number) not past (within the
  // leeway) and not beyond the policy's lifetime, `nbf` if present reached, `iss`/`aud` as the
  // policy asks, `sub` a non-empty string other than "platform" (the name audit fields give
  // the API key), `name`/`email` strings if present. Throws JwtError naming what is wrong.
  JwtClaims Verify(std::string_view token, double now_s) const;

  // True when `token` has the shape of a JWT (two dots), i.e. is not meant as an API key.
  static bool LooksLikeJwt(std::string_view token);

 private:
  void CheckPolicyClaims(const nlohmann::json& claims, double now_s, double exp) const;

  std::string secret_;
  double leeway_s_;
  JwtPolicy policy_;
};

} // namespace ssr::auth
