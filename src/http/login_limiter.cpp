#include "http/login_limiter.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace ssr::http {
namespace {

using beast_http::status;

constexpr size_t kPruneAbove = 10000; // buckets per map before full ones are forgotten

double Seconds(LoginLimiter::Clock::duration d) { return std::chrono::duration<double>(d).count(); }

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

LoginLimiter::Bucket& LoginLimiter::Refilled(std::map<std::string, Bucket>& buckets,
                                             const std::string& key, int capacity,
                                             Clock::time_point now) {
  auto [it, added] = buckets.try_emplace(key, Bucket{static_cast<double>(capacity), now});
  Bucket& bucket = it->second;
  if (!added && now > bucket.updated) {
    const double per_second = capacity / Seconds(limits_.window);
    bucket.tokens =
        std::min<double>(capacity, bucket.tokens + Seconds(now - bucket.updated) * per_second);
    bucket.updated = now;
  }
  return bucket;
}

int64_t LoginLimiter::SecondsUntilOne(double tokens, int capacity) const {
  const double per_second = capacity / Seconds(limits_.window);
  // Less a hair, so that 30.000000000004 s (floating point) is said as 30.
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil((1.0 - tokens) / per_second - 1e-6)));
}

void LoginLimiter::Prune(std::map<std::string, Bucket>& buckets, int capacity,
                         Clock::time_point now) {
  if (buckets.size() <= kPruneAbove) {
    return;
  }
  for (auto it = buckets.begin(); it != buckets.end();) {
    const double refill = Seconds(now - it->second.updated) * capacity / Seconds(limits_.window);
    it = it->second.tokens + refill >= capacity ? buckets.erase(it) : std::next(it);
  }
}

void LoginLimiter::Admit(const std::string& address, const std::string& account,
                         Clock::time_point now) {
  std::lock_guard lock(mutex_);
  Prune(by_account_, limits_.account_attempts, now);
  Prune(by_address_, limits_.address_attempts, now);
  Bucket& by_account = Refilled(by_account_, account, limits_.account_attempts, now);
  Bucket& by_address = Refilled(by_address_, address, limits_.address_attempts, now);
  int64_t wait_s = 0;
  std::string whose;
  if (by_account.tokens < 1) {
    wait_s = SecondsUntilOne(by_account.tokens, limits_.account_attempts);
    whose = "this account";
  }
  if (by_address.tokens < 1) {
    const int64_t address_wait_s = SecondsUntilOne(by_address.tokens, limits_.address_attempts);
    if (address_wait_s > wait_s) {
      wait_s = address_wait_s;
      whose = "this address";
    }
  }
  if (wait_s > 0) {
    throw ApiError(status::too_many_requests, "rate_limited",
                   "too many login attempts for " + whose + "; retry in " + std::to_string(wait_s) +
                       " s",
                   nlohmann::json{{"retry_after_s", wait_s}});
  }
  by_account.tokens -= 1;
  by_address.tokens -= 1;
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
