#include "http/caller_resolver.h"

#include "auth/tokens.h"
#include "http/api.h"

namespace ssr::http {
namespace {

using beast_http::status;

ApiError Unauthorized(const std::string& message) {
  return {status::unauthorized, "unauthorized", message};
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

} // namespace

std::string_view SessionCookieName(bool secure) {
  return secure ? "__Host-ssr_session" : "ssr_session";
}

void CheckCookieRequestIsOurs(const beast_http::request_header<>& header) {
  const auto method = header.method();
  if (method == beast_http::verb::get || method == beast_http::verb::head)
    return;
  const auto site = header.find("Sec-Fetch-Site");
  if (site == header.end())
    return;
  const std::string_view value = site->value();
  if (value != "same-origin" && value != "none") {
    throw ApiError(status::forbidden, "cross_site",
                   "the login cookie is not taken from another site's page (Sec-Fetch-Site: " +
                       std::string(value.substr(0, 20)) +
                       "); call with a token (Authorization: Bearer) instead");
  }
}

std::optional<std::string> CookieValue(const beast_http::request_header<>& header,
                                       std::string_view name) {
  // RFC 6265 §4.2: "a=b; c=d"; a browser may send several Cookie headers over HTTP/2 proxies.
  const auto range = header.equal_range(beast_http::field::cookie);
  for (auto field = range.first; field != range.second; ++field) {
    std::string_view rest = field->value();
    while (!rest.empty()) {
      const size_t semi = rest.find(';');
      const std::string_view pair = Trim(rest.substr(0, semi));
      const size_t eq = pair.find('=');
      if (eq != std::string_view::npos && Trim(pair.substr(0, eq)) == name) {
        std::string_view value = Trim(pair.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
          value = value.substr(1, value.size() - 2);
        }
        return std::string(value);
      }
      if (semi == std::string_view::npos)
        break;
      rest.remove_prefix(semi + 1);
    }
  }
  return std::nullopt;
}

CallerResolver::CallerResolver(std::string api_key, const auth::JwtVerifier& jwt,
                               library::AccountStore& accounts, bool cookie_secure)
    : api_key_(std::move(api_key)), cookie_name_(SessionCookieName(cookie_secure)), jwt_(jwt),
      accounts_(accounts) {}

library::Caller CallerResolver::Resolve(const beast_http::request_header<>& header,
                                        double now_s) const {
  if (header.find(beast_http::field::authorization) != header.end()) {
    const std::string_view token = BearerToken(header, "API key or JWT");
    if (auth::ConstantTimeEquals(token, api_key_)) {
      return library::Caller::Platform();
    }
    if (!auth::JwtVerifier::LooksLikeJwt(token)) {
      throw Unauthorized("invalid API key (a user's token is a JWT: three parts separated by '.')");
    }
    try {
      const auth::JwtClaims claims = jwt_.Verify(token, now_s);
      return library::Caller::User(claims.sub, claims.name, claims.email);
    } catch (const auth::JwtError& e) {
      throw Unauthorized(e.what());
    }
  }
  if (const auto cookie = CookieValue(header, cookie_name_)) {
    if (cookie->empty())
      throw Unauthorized("the session cookie is empty: log in again");
    CheckCookieRequestIsOurs(header);
    const auto account = accounts_.FindLoginSession(*cookie, now_s);
    if (!account) {
      throw Unauthorized("the session cookie is unknown or expired: log in again "
                         "(POST /api/v1/login)");
    }
    return library::Caller::User(account->id, account->name, account->email);
  }
  return {};
}

} // namespace ssr::http
