#pragma once
// JWTs made by tests, independently of the server's verifier: base64url by libsodium, the
// HMAC by OpenSSL. Any header and claims, any HMAC digest, or a fixed signature.

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <chrono>
#include <string>

namespace ssr::test {

inline std::string Base64Url(const std::string& bytes) {
  if (sodium_init() < 0)
    return "";
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

inline double UnixNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// header.payload.signature, signed with HMAC(`digest`, secret); `digest` nullptr: no signature.
inline std::string MakeJwt(const nlohmann::json& header, const nlohmann::json& claims,
                           const std::string& secret, const EVP_MD* digest = EVP_sha256()) {
  const std::string input = Base64Url(header.dump()) + "." + Base64Url(claims.dump());
  if (!digest)
    return input + ".";
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(digest, secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length);
  return input + "." + Base64Url(std::string(reinterpret_cast<char*>(mac), length));
}

// A valid HS256 token of user `sub`, expiring in an hour.
inline std::string UserJwt(const std::string& secret, const std::string& sub,
                           const std::string& email = "", double expires_in_s = 3600) {
  nlohmann::json claims = {{"sub", sub},
                           {"name", "User " + sub},
                           {"exp", static_cast<int64_t>(UnixNow() + expires_in_s)}};
  if (!email.empty())
    claims["email"] = email;
  return MakeJwt({{"alg", "HS256"}, {"typ", "JWT"}}, claims, secret);
}

} // namespace ssr::test
