#pragma once
// Reading a JSON request: the body (or a WebSocket message) parsed with a clear error, and
// the one way a handler says a field is wrong. Every handler uses these, so a client sees the
// same codes everywhere: 415 unsupported_media_type, 400 invalid_json, 400 invalid_field
// (with the field named in the error object). Nesting is limited (kMaxJsonDepth) so that a
// deep document can neither build a huge tree nor overflow the stack of later recursive code.

#include "http/api_error.h"
#include "http/router.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace ssr::http {

// 400 invalid_field: "field '<field>' <what>", with {"field": field}.
ApiError FieldError(const std::string& field, const std::string& what);

// How deep arrays and objects may nest in a client's JSON (docs/security.md, "Limits").
inline constexpr int kMaxJsonDepth = 64;

// `text` as JSON; 400 invalid_json "<what> is not valid JSON: ..." when it is not, and 400
// invalid_json "... nesting is too deep" past kMaxJsonDepth levels (found while parsing, before
// the deep part is built). Every JSON a client sends is parsed here.
nlohmann::json ParseJson(std::string_view text, const std::string& what);

// The body of a JSON request: 415 without Content-Type: application/json, 400 if not JSON.
nlohmann::json ParseJsonBody(const StringRequest& request);

// True when the request's Content-Type (without parameters, any case) is `wanted`.
bool HasContentType(const beast_http::request_header<>& header, std::string_view wanted);

} // namespace ssr::http
