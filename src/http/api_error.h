#pragma once
// The one way an HTTP request fails: an ApiError (status, stable code, message), turned into
// {"error": {"code": ..., "message": ...}} by ErrorResponse and nowhere else.

#include "common/error.h"

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace ssr::http {

namespace beast_http = boost::beast::http;
using Response = beast_http::response<beast_http::string_body>;

class ApiError : public std::runtime_error {
 public:
  // `details` (an object) is merged into the error object, e.g. {"index": 2}.
  ApiError(beast_http::status status, std::string code, const std::string& message,
           nlohmann::json details = nullptr)
      : std::runtime_error(message), status_(status), code_(std::move(code)),
        details_(std::move(details)) {}
  beast_http::status status() const { return status_; }
  const std::string& code() const { return code_; }
  const nlohmann::json& details() const { return details_; }

  static ApiError BadRequest(const std::string& message, nlohmann::json details = nullptr) {
    return {beast_http::status::bad_request, "bad_request", message, std::move(details)};
  }
  static ApiError NotFound(const std::string& message) {
    return {beast_http::status::not_found, "not_found", message};
  }
  // What went wrong stays in the server's log.
  static ApiError Internal() {
    return {beast_http::status::internal_server_error, "internal",
            "internal error (see the server log)"};
  }

 private:
  beast_http::status status_;
  std::string code_;
  nlohmann::json details_;
};

// The one mapping of a domain error (common/error.h) to the API: its kind decides the status
// and the code ("not_found", "conflict", ...), its field goes into the error object. An
// internal error's message stays in the log, not in the answer.
ApiError ApiErrorFrom(const Error& error);

// The answer to a request whose handling threw: an ApiError as it is, a domain error by its
// kind (ApiErrorFrom), anything else a 500 whose reason goes to the log under `request_line`
// ("GET /s/{token}/views"). A 500 also clears `keep_alive`: the connection is closed.
ApiError AnswerFor(const std::exception& thrown, const std::string& request_line, bool& keep_alive);

// "METHOD pattern" of a request, for the log: the route's pattern (`route_label`, e.g.
// "/watch/{token}"), never the target, whose path or query may carry a credential.
std::string RequestLine(const beast_http::request_header<>& header, const std::string& route_label);

// The JSON error object (also sent on the events WebSocket).
nlohmann::json ErrorJson(const ApiError& error);

// A complete response for `error`.
Response ErrorResponse(const ApiError& error, unsigned http_version, bool keep_alive);

// A JSON response with `status`.
Response JsonResponse(beast_http::status status, const nlohmann::json& body, unsigned http_version,
                      bool keep_alive);

} // namespace ssr::http
