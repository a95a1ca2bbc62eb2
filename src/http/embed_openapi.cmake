# Writes OUT, a C++ file whose ssr::http::OpenApiDocument() returns the text of IN
# (docs/openapi.json). Run by the build (CMakeLists.txt) whenever IN changes.
file(READ "${IN}" text)
string(FIND "${text}" ")ssr_openapi\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw string delimiter )ssr_openapi\"")
endif()
file(WRITE "${OUT}.tmp" "// Generated from ${IN} by src/http/embed_openapi.cmake: do not edit.\n"
  "#include \"http/openapi_document.h\"\n\n"
  "namespace ssr::http {\n\n"
  "std::string_view OpenApiDocument() {\n"
  "  static constexpr std::string_view kDocument = R\"ssr_openapi(${text})ssr_openapi\";\n"
  "  return kDocument;\n"
  "}\n\n"
  "}  // namespace ssr::http\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
