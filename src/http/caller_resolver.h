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

inline constexpr std::string_view kSessionCookie = "ssr_session";

class CallerResolver {
 public:
  CallerResolver(std::string api_key, const auth::JwtVerifier& jwt,
                 library::AccountStore& accounts);

  library::Caller Resolve(const beast_http::request_header<>& header, double now_s) const;

 private:
  std::string api_key_;
  const auth::JwtVerifier& jwt_;
  library::AccountStore& accounts_;
};

// The value of cookie `name` in the request's Cookie header(s); nullopt when absent.
std::optional<std::string> CookieValue(const beast_http::request_header<>& header,
                                       std::string_view name);

} // namespace ssr::http
