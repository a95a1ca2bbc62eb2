#include "http/json_body.h"

#include <cctype>

namespace ssr::http {

using beast_http::status;
using nlohmann::json;

ApiError FieldError(const std::string& field, const std::string& what) {
  return {status::bad_request, "invalid_field", "field '" + field + "' " + what,
          json{{"field", field}}};
}

json ParseJson(std::string_view text, const std::string& what) {
  // Called as each value opens, with the depth of its parent: the parse stops at the first
  // bracket past the limit, so a body of 16 MiB of '[' costs 64 arrays, not 16 million.
  const json::parser_callback_t limit_depth = [&what](int depth, json::parse_event_t event, json&) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth >= kMaxJsonDepth) {
      throw ApiError(status::bad_request, "invalid_json",
                     what + " is not accepted: JSON nesting is too deep (more than " +
                         std::to_string(kMaxJsonDepth) + " levels)");
    }
    return true;
  };
  try {
    return json::parse(text, limit_depth);
  } catch (const json::exception& e) {
    // parse_error, and out_of_range for a number past a double's range ("1e400").
    throw ApiError(status::bad_request, "invalid_json",
                   what + " is not valid JSON: " + std::string(e.what()));
  }
}

bool HasContentType(const beast_http::request_header<>& header, std::string_view wanted) {
  const auto it = header.find(beast_http::field::content_type);
  if (it == header.end()) {
    return false;
  }
  std::string type(it->value());
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ')
    type.pop_back();
  for (char& c : type)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type == wanted;
}

json ParseJsonBody(const StringRequest& request) {
  if (!HasContentType(request, "application/json")) {
    throw ApiError(status::unsupported_media_type, "unsupported_media_type",
                   "Content-Type must be application/json");
  }
  return ParseJson(request.body(), "body");
}

} // namespace ssr::http
