#include "http/metrics.h"

#include <sstream>

namespace ssr::http {

void Metrics::CountRequest(const std::string& route, unsigned code) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, code}];
}

std::string Metrics::Render(long long sessions) const {
  std::ostringstream out;
  out << "# HELP ssr_http_requests_total HTTP requests answered, by route and status code.\n"
      << "# TYPE ssr_http_requests_total counter\n";
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key, count] : requests_) {
      out << "ssr_http_requests_total{route=\"" << key.first << "\",code=\"" << key.second << "\"} "
          << count << '\n';
    }
  }
  out << "# HELP ssr_sessions Sessions in the library.\n"
      << "# TYPE ssr_sessions gauge\n"
      << "ssr_sessions " << sessions << '\n'
      << "# HELP ssr_events_total Session events accepted (HTTP and WebSocket).\n"
      << "# TYPE ssr_events_total counter\n"
      << "ssr_events_total " << events_total_.load() << '\n'
      << "# HELP ssr_asset_bytes_total Bytes of assets stored.\n"
      << "# TYPE ssr_asset_bytes_total counter\n"
      << "ssr_asset_bytes_total " << asset_bytes_total_.load() << '\n'
      << "# HELP ssr_http_connections Open HTTP connections.\n"
      << "# TYPE ssr_http_connections gauge\n"
      << "ssr_http_connections " << open_connections_.load() << '\n'
      << "# HELP ssr_websockets Open event WebSockets.\n"
      << "# TYPE ssr_websockets gauge\n"
      << "ssr_websockets " << open_websockets_.load() << '\n';
  return out.str();
}

} // namespace ssr::http
