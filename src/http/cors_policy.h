#pragma once
// Cross-origin calls from an embedding platform's pages (setting cors_origins): for the API
// (/api/v1/), WHIP (/whip/) and watch URLs (/watch/), a request whose Origin is on the
// allow-list gets Access-Control-Allow-Origin and friends on its response; a preflight
// (OPTIONS) is answered here, before routing and authentication. Other origins get no CORS
// header, so the browser keeps the answer from their page; their preflights are 403.

#include "http/api_error.h"

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ssr::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class CorsPolicy {
 public:
  explicit CorsPolicy(const std::vector<std::string>& allowed_origins);

  // The headers to add to the response to a request for `target` from `origin` ("" when the
  // request has no Origin header): none unless the path takes cross-origin calls and the
  // origin is allowed.
  HeaderList ResponseHeaders(std::string_view target, std::string_view origin) const;

  // The answer to a preflight (OPTIONS with an Origin on a path that takes cross-origin
  // calls): 204 with the CORS headers for an allowed origin, 403 otherwise. nullopt when the
  // request is not one.
  std::optional<Response> Preflight(beast_http::verb method, std::string_view target,
                                    std::string_view origin, unsigned version,
                                    bool keep_alive) const;

 private:
  std::set<std::string, std::less<>> origins_;
};

} // namespace ssr::http
