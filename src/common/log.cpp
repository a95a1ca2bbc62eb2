#include "common/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace ssr {

std::shared_ptr<spdlog::logger> Logger(const std::string& subsystem) {
  if (auto existing = spdlog::get(subsystem)) {
    return existing;
  }
  auto logger = spdlog::stderr_color_mt(subsystem);
  logger->set_pattern("%^%l%$ [%n] %v");
  return logger;
}

} // namespace ssr
