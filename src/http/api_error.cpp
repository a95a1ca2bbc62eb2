#include "http/api_error.h"

namespace ssr::http {

nlohmann::json ErrorJson(const ApiError& error) {
  nlohmann::json object = {{"code", error.code()}, {"message", error.what()}};
  if (error.details().is_object()) {
    for (const auto& [key, value] : error.details().items()) {
      object[key] = value;
    }
  }
  return {{"error", object}};
}

Response ErrorResponse(const ApiError& error, unsigned http_version, bool keep_alive) {
  Response res = JsonResponse(error.status(), ErrorJson(error), http_version, keep_alive);
  if (error.status() == beast_http::status::unauthorized) {
    res.set(beast_http::field::www_authenticate, "Bearer");
  }
  if (error.details().is_object() && error.details().contains("etag")) {
    res.set(beast_http::field::etag, error.details()["etag"].get<std::string>());  // 412
  }
  return res;
}

Response JsonResponse(beast_http::status status, const nlohmann::json& body,
                      unsigned http_version, bool keep_alive) {
  Response res{status, http_version};
  res.set(beast_http::field::content_type, "application/json");
  res.set(beast_http::field::server, "ssr");
  res.keep_alive(keep_alive);
  res.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  res.prepare_payload();
  return res;
}

}  // namespace ssr::http
