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

std::optional<Route> Api::MatchUsers(const RequestHeader& header, const std::vector<std::string>& s,
                                     std::string& label) const {
  if (s.size() < 3 || s.size() > 5 || s[0] != "api" || s[1] != "v1" || s[2] != "users") {
    return std::nullopt;
  }
  Route route;
  std::string allow;
  const auto method = header.method();
  if (s.size() == 3) {
    route.label = "/api/v1/users";
    route.kind = method == beast_http::verb::post ? RouteKind::kCreateUser : RouteKind::kUsers;
    allow = "GET, POST";
  } else if (s.size() == 4) {
    route.label = "/api/v1/users/{id}";
    route.kind = RouteKind::kUser;
    allow = "DELETE";
  } else if (s[4] == "password") {
    route.label = "/api/v1/users/{id}/password";
    route.kind = RouteKind::kUserPassword;
    allow = "PUT";
  } else {
    return std::nullopt;
  }
  label = route.label;
  Authorize(header);
  route.caller = library::Caller::Platform();
  const std::string name(beast_http::to_string(method));
  if (allow.find(name) == std::string::npos) {
    throw ApiError(status::method_not_allowed, "method_not_allowed",
                   std::string(header.method_string()) + " is not allowed here; use " + allow,
                   json{{"allow", allow}});
  }
  if (s.size() > 3)
    route.resource = s[3];
  return route;
}

Response Api::ListUsers(const StringRequest& request) {
  json users = json::array();
  for (const library::Account& a : library_.accounts.List()) {
    users.push_back(
        {{"id", a.id}, {"email", a.email}, {"name", a.name}, {"created_at", a.created_at}});
  }
  return JsonResponse(status::ok, {{"users", users}}, request.version(), request.keep_alive());
}

Response Api::DeleteUser(const Route& route, const StringRequest& request) {
  if (!library_.accounts.Remove(route.resource)) {
    throw ApiError::NotFound("no user '" + route.resource + "'");
  }
  Logger("http")->info("account {} deleted", route.resource);
  return NoContent(request);
}

Response Api::SetUserPassword(const Route& route, const StringRequest& request) {
  const json body = ParseJsonBody(request);
  if (!body.is_object())
    throw ApiError::BadRequest("body must be a JSON object {password}");
  auto field_error = [](const std::string& field, const std::string& what) {
    return ApiError(status::bad_request, "invalid_field", "field '" + field + "' " + what,
                    json{{"field", field}});
  };
  for (const auto& [key, value] : body.items()) {
    if (key != "password")
      throw field_error(key, "is not a field here (only 'password')");
  }
  const auto it = body.find("password");
  if (it == body.end() || it->is_null())
    throw field_error("password", "is required");
  if (!it->is_string())
    throw field_error("password", "must be a string");
  bool found = false;
  try {
    found = library_.accounts.SetPassword(route.resource, it->get<std::string>());
  } catch (const library::AccountError& e) {
    throw ApiError(status::bad_request, "invalid_field", e.what(), json{{"field", e.field()}});
  }
  if (!found)
    throw ApiError::NotFound("no user '" + route.resource + "'");
  Logger("http")->info("account {}: password changed (its login sessions ended)", route.resource);
  return NoContent(request);
}

} // namespace ssr::http
