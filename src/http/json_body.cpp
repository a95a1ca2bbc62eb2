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
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
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
