#include "http/cors_policy.h"

namespace ssr::http {
namespace {

using beast_http::status;

bool TakesCrossOriginCalls(std::string_view target) {
  for (const std::string_view prefix : {"/api/v1/", "/whip/", "/watch/"}) {
    if (target.substr(0, prefix.size()) == prefix)
      return true;
  }
  return false;
}

} // namespace

CorsPolicy::CorsPolicy(const std::vector<std::string>& allowed_origins)
    : origins_(allowed_origins.begin(), allowed_origins.end()) {}

HeaderList CorsPolicy::ResponseHeaders(std::string_view target, std::string_view origin) const {
  if (origin.empty() || !TakesCrossOriginCalls(target) || !origins_.count(origin))
    return {};
  return {{"Access-Control-Allow-Origin", std::string(origin)},
          {"Vary", "Origin"},
          {"Access-Control-Expose-Headers", "ETag, Location, Retry-After, Content-Disposition"}};
}

std::optional<Response> CorsPolicy::Preflight(beast_http::verb method, std::string_view target,
                                              std::string_view origin, unsigned version,
                                              bool keep_alive) const {
  if (method != beast_http::verb::options || origin.empty() || !TakesCrossOriginCalls(target)) {
    return std::nullopt;
  }
  if (!origins_.count(origin)) {
    return ErrorResponse(ApiError(status::forbidden, "origin_not_allowed",
                                  "origin '" + std::string(origin) +
                                      "' may not call this server from a browser (it is not "
                                      "in cors_origins)"),
                         version, keep_alive);
  }
  Response res{status::no_content, version};
  res.set(beast_http::field::server, "ssr");
  res.set("Access-Control-Allow-Origin", std::string(origin));
  res.set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE");
  res.set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match, Last-Event-ID");
  res.set("Access-Control-Max-Age", "600");
  res.set("Vary", "Origin");
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

} // namespace ssr::http
