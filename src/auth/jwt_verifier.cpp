#include "auth/jwt_verifier.h"

#include <jwt.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <memory>
#include <vector>

namespace ssr::auth {
namespace {

using nlohmann::json;

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};

// One base64url part of the token as JSON; nullopt-like discarded json when it is not.
json DecodePart(std::string_view part) {
  if (part.empty()) // no JSON; and an empty vector's data() may be null, which libsodium refuses
    return json(json::value_t::discarded);
  std::vector<unsigned char> bytes(part.size());
  size_t length = 0;
  // Padding is not used in JWTs, but tolerate it like libjwt does.
  if (sodium_base642bin(bytes.data(), bytes.size(), part.data(), part.size(), "=", &length, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return json(json::value_t::discarded);
  }
  return json::parse(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length), nullptr,
                     false);
}

// HMAC-SHA256 of `signing_input` (OpenSSL) compared with the decoded signature in constant
// time (libsodium). libjwt 1.10 compares signatures with strcmp, whose timing depends on where
// they differ; checking here first means it only ever compares a signature already correct.
bool SignatureMatches(const std::string& secret, std::string_view signing_input,
                      std::string_view signature_part) {
  unsigned char given[64];
  size_t given_length = 0;
  if (sodium_base642bin(given, sizeof given, signature_part.data(), signature_part.size(), "=",
                        &given_length, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return false;
  }
  unsigned char expected[EVP_MAX_MD_SIZE];
  unsigned int expected_length = 0;
  if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
            reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(),
            expected, &expected_length)) {
    return false;
  }
  return given_length == expected_length && sodium_memcmp(given, expected, expected_length) == 0;
}

std::string FormatUtc(double unix_s) {
  const std::time_t t = static_cast<std::time_t>(unix_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string OptionalString(const json& claims, const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end() || it->is_null())
    return "";
  if (!it->is_string())
    throw JwtError(std::string("token claim '") + name + "' must be a string");
  return it->get<std::string>();
}

// True when `aud` (a string, or an array of strings) names `audience`.
bool AudienceNames(const json& aud, const std::string& audience) {
  if (aud.is_string())
    return aud.get<std::string>() == audience;
  if (aud.is_array())
    return std::any_of(aud.begin(), aud.end(), [&](const json& one) {
      return one.is_string() && one.get<std::string>() == audience;
    });
  return false;
}

// Whether the token's `email` identifies its holder (JwtPolicy::emails_verified).
bool EmailCounts(const json& claims, bool emails_verified) {
  const auto verified = claims.find("email_verified");
  if (verified == claims.end() || verified->is_null())
    return emails_verified;
  if (!verified->is_boolean())
    throw JwtError("token claim 'email_verified' must be true or false");
  return verified->get<bool>();
}

} // namespace

JwtVerifier::JwtVerifier(std::string secret, double leeway_s, JwtPolicy policy)
    : secret_(std::move(secret)), leeway_s_(leeway_s), policy_(std::move(policy)) {}

void JwtVerifier::CheckPolicyClaims(const json& claims, double now_s, double exp) const {
  if (policy_.max_lifetime_s > 0 && exp > now_s + policy_.max_lifetime_s + leeway_s_) {
    throw JwtError("token expires at " + FormatUtc(exp) + ", more than jwt_max_lifetime_s (" +
                   std::to_string(static_cast<int64_t>(policy_.max_lifetime_s)) + " s) from now");
  }
  if (!policy_.issuer.empty()) {
    const auto iss = claims.find("iss");
    if (iss == claims.end() || !iss->is_string() || iss->get<std::string>() != policy_.issuer)
      throw JwtError("token issuer ('iss') is not '" + policy_.issuer + "' (jwt_issuer)");
  }
  if (!policy_.audience.empty()) {
    const auto aud = claims.find("aud");
    if (aud == claims.end() || !AudienceNames(*aud, policy_.audience))
      throw JwtError("token audience ('aud') does not name '" + policy_.audience +
                     "' (jwt_audience)");
  }
}

bool JwtVerifier::LooksLikeJwt(std::string_view token) {
  return std::count(token.begin(), token.end(), '.') == 2;
}

JwtClaims JwtVerifier::Verify(std::string_view token, double now_s) const {
  if (secret_.empty()) {
    throw JwtError("user tokens (JWT) are not accepted: this server has no jwt_secret "
                   "(SSR_JWT_SECRET)");
  }
  if (!LooksLikeJwt(token)) {
    throw JwtError("malformed token: a JWT is three base64url parts separated by '.'");
  }
  const size_t dot1 = token.find('.');
  const size_t dot2 = token.find('.', dot1 + 1);
  // Header and payload are read first only to say precisely what is wrong; the signature is
  // checked by libjwt below, and the claims used are the ones it verified.
  const json header = DecodePart(token.substr(0, dot1));
  if (header.is_discarded() || !header.is_object()) {
    throw JwtError("malformed token: the header is not base64url-encoded JSON");
  }
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string()) {
    throw JwtError("malformed token: the header has no 'alg'");
  }
  if (alg->get<std::string>() != "HS256") {
    throw JwtError("token algorithm '" + alg->get<std::string>() +
                   "' is not accepted (only HS256)");
  }
  const json payload = DecodePart(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (payload.is_discarded() || !payload.is_object()) {
    throw JwtError("malformed token: the payload is not base64url-encoded JSON");
  }
  if (dot2 + 1 == token.size()) {
    throw JwtError("malformed token: the signature is missing");
  }

  constexpr const char* kBadSignature =
      "token signature does not verify (wrong secret or altered token)";
  if (!SignatureMatches(secret_, token.substr(0, dot2), token.substr(dot2 + 1))) {
    throw JwtError(kBadSignature);
  }
  const std::string text(token);
  jwt_t* raw = nullptr;
  const int rc =
      jwt_decode(&raw, text.c_str(), reinterpret_cast<const unsigned char*>(secret_.data()),
                 static_cast<int>(secret_.size()));
  std::unique_ptr<jwt_t, JwtFree> jwt(raw);
  if (rc != 0 || !jwt || jwt_get_alg(jwt.get()) != JWT_ALG_HS256) {
    throw JwtError(kBadSignature);
  }
  std::unique_ptr<char, decltype(&free)> grants(jwt_get_grants_json(jwt.get(), nullptr), &free);
  const json claims = grants ? json::parse(grants.get(), nullptr, false) : json();
  if (!claims.is_object()) {
    throw JwtError("malformed token: the payload is not a JSON object");
  }

  JwtClaims out;
  const auto exp = claims.find("exp");
  if (exp == claims.end() || !exp->is_number()) {
    throw JwtError("token has no 'exp' claim (expiry, Unix seconds)");
  }
  out.exp = exp->get<double>();
  if (!std::isfinite(out.exp) || now_s > out.exp + leeway_s_) {
    throw JwtError("token expired at " + FormatUtc(out.exp));
  }
  if (const auto nbf = claims.find("nbf"); nbf != claims.end()) {
    if (!nbf->is_number())
      throw JwtError("token claim 'nbf' must be a number");
    if (now_s + leeway_s_ < nbf->get<double>()) {
      throw JwtError("token is not valid before " + FormatUtc(nbf->get<double>()));
    }
  }
  const auto sub = claims.find("sub");
  if (sub == claims.end() || !sub->is_string() || sub->get<std::string>().empty()) {
    throw JwtError("token has no 'sub' claim (the user id)");
  }
  out.sub = sub->get<std::string>();
  if (out.sub == "platform") {
    throw JwtError("token 'sub' 'platform' is reserved (it names the API key in audit fields)");
  }
  CheckPolicyClaims(claims, now_s, out.exp);
  out.name = OptionalString(claims, "name");
  out.email = OptionalString(claims, "email");
  if (!out.email.empty() && !EmailCounts(claims, policy_.emails_verified)) {
    out.email.clear();
  }
  return out;
}

} // namespace ssr::auth
