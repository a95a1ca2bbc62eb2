#include "common/log.h"

#include "common/json_log.h"
#include "common/json_log_formatter.h"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <atomic>
#include <mutex>

namespace ssr {

namespace {

constexpr const char* kPlainPattern = "%^%l%$ [%n] %v";
constexpr const char* kTimestampedPattern = "%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ [%n] %v";

enum class Format { kPlain, kTimestamped, kJson };
std::atomic<Format> current_format{Format::kPlain};

void ApplyFormat(spdlog::logger& logger) {
  switch (current_format.load()) {
  case Format::kPlain:
    logger.set_pattern(kPlainPattern);
    break;
  case Format::kTimestamped:
    logger.set_pattern(kTimestampedPattern, spdlog::pattern_time_type::utc);
    break;
  case Format::kJson:
    logger.set_formatter(std::make_unique<JsonLogFormatter>());
    break;
  }
}

void UseFormat(Format chosen) {
  current_format = chosen;
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& logger) { ApplyFormat(*logger); });
}

} // namespace

void TimestampLogLines() { UseFormat(Format::kTimestamped); }

void UseJsonLogLines() { UseFormat(Format::kJson); }

void LogWithFields(spdlog::logger& logger, spdlog::level::level_enum level,
                   std::string_view message, const nlohmann::json& fields) {
  if (!logger.should_log(level)) {
    return;
  }
  const JsonLogFormatter::ScopedFields scoped(fields);
  logger.log(level, spdlog::string_view_t(message.data(), message.size()));
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
  ApplyFormat(*logger);
  return logger;
}

} // namespace ssr
