#include "http/request_rate_limit.h"

#include "http/api_error.h"

namespace ssr::http {

RequestRateLimit::RequestRateLimit(std::string what, int capacity, Clock::duration window)
    : what_(std::move(what)), buckets_(capacity, window) {}

void RequestRateLimit::Admit(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (const int64_t wait_s = buckets_.WaitFor(key, now); wait_s > 0) {
    throw ApiError(beast_http::status::too_many_requests, "rate_limited",
                   "too many " + what_ + "; retry in " + std::to_string(wait_s) + " s",
                   nlohmann::json{{"retry_after_s", wait_s}});
  }
  buckets_.Take(key, now);
}

} // namespace ssr::http
