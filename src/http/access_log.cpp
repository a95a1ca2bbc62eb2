#include "http/access_log.h"

#include "common/json_log.h"
#include "common/log.h"

#include <nlohmann/json.hpp>

namespace ssr::http {

AccessLog::AccessLog(bool enabled) : enabled_(enabled), logger_(Logger("access")) {}

void AccessLog::Write(const AccessRecord& record) const {
  if (!enabled_ || record.status == 0) {
    return;
  }
  const double duration_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - record.start)
          .count();
  const auto whole_ms = static_cast<int64_t>(duration_ms);
  const std::string client = record.client.empty() ? "-" : record.client;
  const std::string message = record.method + " " + record.route + " " +
                              std::to_string(record.status) + " " + std::to_string(record.bytes) +
                              " B " + std::to_string(whole_ms) + " ms " + client;
  LogWithFields(*logger_, spdlog::level::info, message,
                {{"method", record.method},
                 {"route", record.route},
                 {"status", record.status},
                 {"bytes", record.bytes},
                 {"duration_ms", whole_ms},
                 {"client", client}});
}

std::string AccessLog::RouteName(const std::string& label) {
  return label.empty() || label == "other" ? kNoRoute : label;
}

std::string AccessLog::MethodName(std::string_view method, bool known) {
  return known ? std::string(method) : "OTHER";
}

} // namespace ssr::http
