#include "http/api_error.h"

#include "common/log.h"

namespace ssr::http {

ApiError ApiErrorFrom(const Error& error) {
  using beast_http::status;
  const nlohmann::json details =
      error.field().empty() ? nlohmann::json(nullptr) : nlohmann::json{{"field", error.field()}};
  switch (error.kind()) {
  case ErrorKind::kInvalid:
    return {status::bad_request, error.field().empty() ? "bad_request" : "invalid_field",
            error.what(), details};
  case ErrorKind::kNotFound:
    return {status::not_found, "not_found", error.what(), details};
  case ErrorKind::kConflict:
    return {status::conflict, "conflict", error.what(), details};
  case ErrorKind::kGone:
    return {status::gone, "gone", error.what(), details};
  case ErrorKind::kForbidden:
    return {status::forbidden, "forbidden", error.what(), details};
  case ErrorKind::kUnauthorized:
    return {status::unauthorized, "unauthorized", error.what(), details};
  case ErrorKind::kTooLarge:
    return {status::payload_too_large, "too_large", error.what(), details};
  case ErrorKind::kUnavailable:
    return {status::service_unavailable, "unavailable", error.what(), details};
  case ErrorKind::kInternal:
    break;
  }
  return ApiError::Internal();
}

ApiError AnswerFor(const std::exception& thrown, const std::string& request_line,
                   bool& keep_alive) {
  if (const auto* api = dynamic_cast<const ApiError*>(&thrown))
    return *api;
  const auto* domain = dynamic_cast<const Error*>(&thrown);
  if (domain != nullptr && domain->kind() != ErrorKind::kInternal)
    return ApiErrorFrom(*domain);
  Logger("http")->error("{}: {}", request_line, thrown.what());
  keep_alive = false;
  return ApiError::Internal();
}

std::string RequestLine(const beast_http::request_header<>& header,
                        const std::string& route_label) {
  return std::string(header.method_string()) + " " +
         (route_label.empty() ? std::string("(no route)") : route_label);
}

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
  if (error.details().is_object() && error.details().contains("retry_after_s")) {
    res.set(beast_http::field::retry_after,
            std::to_string(error.details()["retry_after_s"].get<int64_t>())); // 429, 503
  }
  if (error.details().is_object() && error.details().contains("etag")) {
    res.set(beast_http::field::etag, error.details()["etag"].get<std::string>()); // 412
  }
  return res;
}

Response JsonResponse(beast_http::status status, const nlohmann::json& body, unsigned http_version,
                      bool keep_alive) {
  Response res{status, http_version};
  res.set(beast_http::field::content_type, "application/json");
  res.set(beast_http::field::server, "ssr");
  res.keep_alive(keep_alive);
  res.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  res.prepare_payload();
  return res;
}

} // namespace ssr::http
