// Built-in accounts for the platform (API key): list them, set a password, delete one.
// Creating one (POST /api/v1/users) is in account_api.cpp; the CLI has the same
// (`ssr user list|passwd|delete`).

#include "http/api.h"

#include "common/log.h"

namespace ssr::http {
namespace {

using beast_http::status;
using nlohmann::json;

Response NoContent(const StringRequest& request) {
  Response res{status::no_content, request.version()};
  res.set(beast_http::field::server, "ssr");
  res.keep_alive(request.keep_alive());
  res.prepare_payload();
  return res;
}

} // namespace

Response Api::ListUsers(const Route&, const StringRequest& request) {
  json users = json::array();
  for (const library::Account& a : library_.accounts.List()) {
    users.push_back(
        {{"id", a.id}, {"email", a.email}, {"name", a.name}, {"created_at", a.created_at}});
  }
  return JsonResponse(status::ok, {{"users", users}}, request.version(), request.keep_alive());
}

Response Api::DeleteUser(const Route& route, const StringRequest& request) {
  if (!library_.accounts.Remove(route.param("id"))) {
    throw ApiError::NotFound("no user '" + route.param("id") + "'");
  }
  Logger("http")->info("account {} deleted", route.param("id"));
  return NoContent(request);
}

Response Api::SetUserPassword(const Route& route, const StringRequest& request) {
  const json body = ParseJsonBody(request);
  if (!body.is_object())
    throw ApiError::BadRequest("body must be a JSON object {password}");
  for (const auto& [key, value] : body.items()) {
    if (key != "password")
      throw FieldError(key, "is not a field here (only 'password')");
  }
  const auto it = body.find("password");
  if (it == body.end() || it->is_null())
    throw FieldError("password", "is required");
  if (!it->is_string())
    throw FieldError("password", "must be a string");
  bool found = false;
  try {
    found = library_.accounts.SetPassword(route.param("id"), it->get<std::string>());
  } catch (const library::AccountError& e) {
    throw ApiError(status::bad_request, "invalid_field", e.what(), json{{"field", e.field()}});
  }
  if (!found)
    throw ApiError::NotFound("no user '" + route.param("id") + "'");
  Logger("http")->info("account {}: password changed (its login sessions ended)",
                       route.param("id"));
  return NoContent(request);
}

} // namespace ssr::http
