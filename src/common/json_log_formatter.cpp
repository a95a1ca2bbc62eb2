#include "common/json_log_formatter.h"

#include <ctime>

namespace ssr {
namespace {

thread_local const nlohmann::json* extra_fields = nullptr;

// "2026-12-07T10:02:03.456Z"
std::string UtcMillis(spdlog::log_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
  const std::time_t t = seconds.count();
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  const size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(millis));
  return text;
}

} // namespace

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  // Ordered: the same four keys lead every line, in the order people read them.
  nlohmann::ordered_json line;
  line["ts"] = UtcMillis(msg.time);
  const spdlog::string_view_t level = spdlog::level::to_string_view(msg.level);
  line["level"] = std::string(level.data(), level.size());
  line["logger"] = std::string(msg.logger_name.data(), msg.logger_name.size());
  line["msg"] = std::string(msg.payload.data(), msg.payload.size());
  if (extra_fields != nullptr && extra_fields->is_object()) {
    for (const auto& [key, value] : extra_fields->items()) {
      if (!line.contains(key)) {
        line[key] = value;
      }
    }
  }
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  dest.append(text.data(), text.data() + text.size());
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const {
  return std::make_unique<JsonLogFormatter>();
}

JsonLogFormatter::ScopedFields::ScopedFields(const nlohmann::json& fields)
    : previous_(extra_fields) {
  extra_fields = &fields;
}

JsonLogFormatter::ScopedFields::~ScopedFields() { extra_fields = previous_; }

} // namespace ssr
