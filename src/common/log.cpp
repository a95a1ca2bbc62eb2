#include "common/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <mutex>

namespace ssr {

std::shared_ptr<spdlog::logger> Logger(const std::string& subsystem) {
  // spdlog's registry throws when a name is registered twice: two threads that both miss
  // get() for a new name (two WHIP connections logging at once) must not both create it.
  static std::mutex creating;
  std::lock_guard lock(creating);
  if (auto existing = spdlog::get(subsystem)) {
    return existing;
  }
  auto logger = spdlog::stderr_color_mt(subsystem);
  logger->set_pattern("%^%l%$ [%n] %v");
  return logger;
}

} // namespace ssr
