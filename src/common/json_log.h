#pragma once
// `ssr serve`'s log as JSON lines (the log_format setting "json"), for log collectors: each
// line is one object {"ts": "2026-12-07T10:02:03.456Z", "level": "info", "logger": "http",
// "msg": "..."}, plus the fields a line was logged with (LogWithFields). The text format is
// TimestampLogLines (common/log.h).

#include <nlohmann/json_fwd.hpp>
#include <spdlog/common.h>

#include <string_view>

namespace spdlog {
class logger;
}

namespace ssr {

// Every line from now on, of existing loggers and new ones, is a JSON object.
void UseJsonLogLines();

// Logs `message`; as JSON the line also carries each member of the object `fields` (the
// access log's method, route, status ...). A text line shows only `message`, so it must say
// what matters by itself.
void LogWithFields(spdlog::logger& logger, spdlog::level::level_enum level,
                   std::string_view message, const nlohmann::json& fields);

} // namespace ssr
