// Built-in accounts (the embedded default and the demo): log in with e-mail and password for
// a session cookie, log out, and — for the platform — create an account.

#include "http/api.h"

#include "common/log.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

namespace ssr::http {
namespace {

using beast_http::status;
using nlohmann::json;

// The string fields of a JSON object body: every one of `required`, any of `optional`, nothing
// else. Throws 400 naming the field.
std::map<std::string, std::string> StringFields(const json& body,
                                                const std::vector<std::string>& required,
                                                const std::vector<std::string>& optional) {
  if (!body.is_object())
    throw ApiError::BadRequest("body must be a JSON object");
  std::map<std::string, std::string> fields;
  for (const auto& [key, value] : body.items()) {
    const bool known = std::find(required.begin(), required.end(), key) != required.end() ||
                       std::find(optional.begin(), optional.end(), key) != optional.end();
    if (!known)
      throw FieldError(key, "is not a field here");
    if (value.is_null())
      continue;
    if (!value.is_string())
      throw FieldError(key, "must be a string");
    fields[key] = value.get<std::string>();
  }
  for (const std::string& name : required) {
    if (!fields.count(name))
      throw FieldError(name, "is required");
  }
  return fields;
}

// ASCII letters lower-cased: the key of an account's login bucket.
std::string LowerCase(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

json AccountJson(const library::Account& a) {
  return {{"id", a.id}, {"name", a.name}, {"email", a.email}, {"created_at", a.created_at}};
}

} // namespace

Response Api::Login(const Route& route, const StringRequest& request) {
  const auto fields = StringFields(ParseJsonBody(request), {"email", "password"}, {});
  // Limits first (login_limiter.h): 429 past the attempts, 503 when all hash slots are taken.
  login_limiter_.Admit(route.client_address, LowerCase(fields.at("email")),
                       LoginLimiter::Clock::now());
  const LoginLimiter::HashSlot slot = login_limiter_.AcquireHashSlot();
  const auto account = library_.accounts.CheckPassword(fields.at("email"), fields.at("password"));
  if (!account) {
    // The same answer for an unknown e-mail and a wrong password.
    throw ApiError(status::unauthorized, "unauthorized", "wrong e-mail or password");
  }
  const double now = WallNow();
  const double expires_at = now + static_cast<double>(config_.login_session_ttl_s);
  const std::string token = library_.accounts.OpenLoginSession(account->id, expires_at, now);
  Logger("http")->info("user {} logged in", account->id);
  Response res = JsonResponse(
      status::ok,
      {{"user", AccountJson(*account)}, {"expires_at", control::FormatRfc3339(expires_at)}},
      request.version(), request.keep_alive());
  res.set(beast_http::field::set_cookie, std::string(SessionCookieName(config_.cookie_secure)) +
                                             "=" + token +
                                             "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                                             std::to_string(config_.login_session_ttl_s) +
                                             (config_.cookie_secure ? "; Secure" : ""));
  res.set(beast_http::field::cache_control, "no-store");
  return res;
}

Response Api::Logout(const Route&, const StringRequest& request) {
  const std::string_view cookie = SessionCookieName(config_.cookie_secure);
  if (const auto token = CookieValue(request, cookie); token && !token->empty()) {
    CheckCookieRequestIsOurs(request); // another site's page cannot log people out
    library_.accounts.CloseLoginSession(*token);
  }
  Response res{status::no_content, request.version()};
  res.set(beast_http::field::server, "ssr");
  res.set(beast_http::field::set_cookie, std::string(cookie) +
                                             "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0" +
                                             (config_.cookie_secure ? "; Secure" : ""));
  res.keep_alive(request.keep_alive());
  res.prepare_payload();
  return res;
}

Response Api::CreateUser(const Route&, const StringRequest& request) {
  const auto fields = StringFields(ParseJsonBody(request), {"email", "name", "password"}, {"id"});
  library::NewAccount in;
  in.id = fields.count("id") ? fields.at("id") : "";
  if (fields.count("id") && in.id.empty())
    throw FieldError("id", "must not be empty");
  in.email = fields.at("email");
  in.name = fields.at("name");
  in.password = fields.at("password");
  library::Account account;
  try {
    account = library_.accounts.Create(in);
  } catch (const library::AccountError& e) {
    if (e.kind() == ErrorKind::kConflict) {
      throw ApiError(status::conflict, "conflict", e.what(), json{{"field", e.field()}});
    }
    throw ApiError(status::bad_request, "invalid_field", e.what(), json{{"field", e.field()}});
  }
  Logger("http")->info("account {} created ({})", account.id, account.email);
  Response res =
      JsonResponse(status::created, AccountJson(account), request.version(), request.keep_alive());
  res.set(beast_http::field::location, "/api/v1/users/" + account.id);
  return res;
}

} // namespace ssr::http
