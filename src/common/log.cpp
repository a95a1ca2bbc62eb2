#include "common/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <atomic>
#include <mutex>

namespace ssr {

namespace {

constexpr const char* kPlainPattern = "%^%l%$ [%n] %v";
constexpr const char* kTimestampedPattern = "%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ [%n] %v";
std::atomic<bool> timestamped{false};

} // namespace

void TimestampLogLines() {
  timestamped = true;
  spdlog::set_pattern(kTimestampedPattern, spdlog::pattern_time_type::utc); // existing loggers
}

std::shared_ptr<spdlog::logger> Logger(const std::string& subsystem) {
  // spdlog's registry throws when a name is registered twice: two threads that both miss
  // get() for a new name (two WHIP connections logging at once) must not both create it.
  static std::mutex creating;
  std::lock_guard lock(creating);
  if (auto existing = spdlog::get(subsystem)) {
    return existing;
  }
  auto logger = spdlog::stderr_color_mt(subsystem);
  if (timestamped) {
    logger->set_pattern(kTimestampedPattern, spdlog::pattern_time_type::utc);
  } else {
    logger->set_pattern(kPlainPattern);
  }
  return logger;
}

} // namespace ssr
