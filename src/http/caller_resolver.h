#pragma once
// Turns a request into a library::Caller, for every library route:
//   Authorization: Bearer <API key>  -> the platform (compared in constant time)
//   Authorization: Bearer <JWT>      -> a user (HS256, auth::JwtVerifier)
//   Cookie: ssr_session=<token>      -> a built-in account's login session
//   none of these                    -> anonymous
// A credential that is present but wrong is a 401 naming the problem; it never falls back to
// another one (a bad Authorization header is not rescued by a cookie).

#include "auth/jwt_verifier.h"
#include "http/api_error.h"
#include "library/account_store.h"
#include "library/caller.h"

#include <boost/beast/http.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace ssr::http {

// The login cookie's name. Behind HTTPS (cookie_secure) it has the __Host- prefix: the browser
// then takes it only from this host, with Secure and Path=/ and no Domain, so a sibling
// subdomain cannot plant one of its own (L1).
std::string_view SessionCookieName(bool secure);

// A request that changes something may use the login cookie only when it comes from our own
// pages: a browser's `Sec-Fetch-Site` other than same-origin or none (typed, bookmarked) →
// 403. GET and HEAD change nothing; clients that send no Fetch Metadata (older browsers,
// scripts) are left to SameSite=Lax (docs/security.md, L1). Throws ApiError.
void CheckCookieRequestIsOurs(const beast_http::request_header<>& header);

class CallerResolver {
 public:
  CallerResolver(std::string api_key, const auth::JwtVerifier& jwt, library::AccountStore& accounts,
                 bool cookie_secure);

  // Who asks: the platform (API key), a user (JWT, or the login cookie). Throws ApiError:
  // 401 for a bad credential, 403 for a cookie sent by another site's page.
  library::Caller Resolve(const beast_http::request_header<>& header, double now_s) const;

 private:
  std::string api_key_;
  std::string_view cookie_name_;
  const auth::JwtVerifier& jwt_;
  library::AccountStore& accounts_;
};

// The value of cookie `name` in the request's Cookie header(s); nullopt when absent.
std::optional<std::string> CookieValue(const beast_http::request_header<>& header,
                                       std::string_view name);

} // namespace ssr::http
