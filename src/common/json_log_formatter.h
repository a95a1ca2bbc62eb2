#pragma once
// The spdlog formatter of the JSON log format (ServerLogFormat::kJson): each message becomes
// one line {"ts", "level", "logger", "msg", ...fields}, serialized by nlohmann::json, so
// quotes, newlines and invalid UTF-8 in a message can never break the line.

#include <nlohmann/json.hpp>
#include <spdlog/formatter.h>

namespace ssr {

class JsonLogFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;

  // While one lives, lines formatted on this thread also carry the members of `fields`
  // (spdlog formats synchronously, on the thread that logs).
  class ScopedFields {
   public:
    explicit ScopedFields(const nlohmann::json& fields);
    ~ScopedFields();
    ScopedFields(const ScopedFields&) = delete;
    ScopedFields& operator=(const ScopedFields&) = delete;

   private:
    const nlohmann::json* previous_;
  };
};

} // namespace ssr
