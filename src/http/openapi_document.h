#pragma once
// The OpenAPI 3.1 document of every route (docs/openapi.json), embedded in the binary when it
// is built (src/http/embed_openapi.cmake) and served at GET /api/v1/openapi.json.

#include <string_view>

namespace ssr::http {

std::string_view OpenApiDocument();

} // namespace ssr::http
