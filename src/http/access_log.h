#pragma once
// The access log: one line per HTTP request, on the "access" logger, in the server's log
// format. It names the route's pattern ("/s/{token}"), never the request's path or query:
// paths carry share-link, watch and publisher tokens, and queries notification tickets. A
// request that matches no route is logged as kNoRoute.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace spdlog {
class logger;
}

namespace ssr::http {

struct AccessRecord {
  std::string method;  // "GET"; "-" when no request was read
  std::string route;   // the route pattern, or a placeholder (kNoRoute ...)
  unsigned status = 0; // 0: nothing was answered (the client left first)
  uint64_t bytes = 0;  // bytes written to the socket: headers and body
  std::chrono::steady_clock::time_point start;
  std::string client; // the TCP peer's address (behind a proxy, the proxy's)
};

class AccessLog {
 public:
  static constexpr const char* kNoRoute = "(no route)";
  static constexpr const char* kRefused = "(refused)"; // no room for the connection

  explicit AccessLog(bool enabled);

  // Logs `record` (if the log is on and something was answered), timed until now.
  void Write(const AccessRecord& record) const;

  // What a request's route is called in the log: its pattern, or kNoRoute for the metrics
  // label of a request that matched none ("other", empty).
  static std::string RouteName(const std::string& label);
  // The method as sent when it is one HTTP defines; else "OTHER" (a client's junk stays out).
  static std::string MethodName(std::string_view method, bool known);

 private:
  bool enabled_;
  std::shared_ptr<spdlog::logger> logger_;
};

} // namespace ssr::http
