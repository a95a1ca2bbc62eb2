#include "http/login_limiter.h"

#include <algorithm>
#include <thread>

namespace ssr::http {
namespace {

using beast_http::status;

} // namespace

LoginLimiter::Limits LoginLimiter::FromConfig(const server::ServerConfig& config) {
  Limits limits;
  limits.account_attempts = config.login_account_attempts;
  limits.address_attempts = config.login_address_attempts;
  limits.window = std::chrono::seconds(config.login_window_s);
  limits.max_concurrent_hashes =
      config.login_max_concurrent_hashes > 0
          ? config.login_max_concurrent_hashes
          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return limits;
}

LoginLimiter::LoginLimiter(const Limits& limits)
    : limits_(limits), by_account_(limits.account_attempts, limits.window),
      by_address_(limits.address_attempts, limits.window) {}

void LoginLimiter::Admit(const std::string& address, const std::string& account,
                         Clock::time_point now) {
  std::lock_guard lock(mutex_);
  const int64_t account_wait_s = by_account_.WaitFor(account, now);
  const int64_t address_wait_s = by_address_.WaitFor(address, now);
  if (account_wait_s > 0 || address_wait_s > 0) {
    const bool account_longer = account_wait_s >= address_wait_s;
    const int64_t wait_s = std::max(account_wait_s, address_wait_s);
    throw ApiError(status::too_many_requests, "rate_limited",
                   std::string("too many login attempts for ") +
                       (account_longer ? "this account" : "this address") + "; retry in " +
                       std::to_string(wait_s) + " s",
                   nlohmann::json{{"retry_after_s", wait_s}});
  }
  by_account_.Take(account, now);
  by_address_.Take(address, now);
}

LoginLimiter::HashSlot LoginLimiter::AcquireHashSlot() {
  std::lock_guard lock(mutex_);
  if (hashing_ >= limits_.max_concurrent_hashes) {
    throw ApiError(status::service_unavailable, "login_busy",
                   "too many logins are being checked at once; retry in 1 s",
                   nlohmann::json{{"retry_after_s", 1}});
  }
  ++hashing_;
  return HashSlot(this);
}

LoginLimiter::HashSlot::~HashSlot() {
  if (owner_ != nullptr) {
    std::lock_guard lock(owner_->mutex_);
    --owner_->hashing_;
  }
}

} // namespace ssr::http
