#pragma once
// Reading a JSON request: the body (or a WebSocket message) parsed with a clear error, and
// the one way a handler says a field is wrong. Every handler uses these, so a client sees the
// same codes everywhere: 415 unsupported_media_type, 400 invalid_json, 400 invalid_field
// (with the field named in the error object).

#include "http/api_error.h"
#include "http/router.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace ssr::http {

// 400 invalid_field: "field '<field>' <what>", with {"field": field}.
ApiError FieldError(const std::string& field, const std::string& what);

// `text` as JSON; 400 invalid_json "<what> is not valid JSON: ..." when it is not.
nlohmann::json ParseJson(std::string_view text, const std::string& what);

// The body of a JSON request: 415 without Content-Type: application/json, 400 if not JSON.
nlohmann::json ParseJsonBody(const StringRequest& request);

// True when the request's Content-Type (without parameters, any case) is `wanted`.
bool HasContentType(const beast_http::request_header<>& header, std::string_view wanted);

} // namespace ssr::http
