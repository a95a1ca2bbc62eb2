#pragma once
// One rate limit on one kind of request (docs/security.md, "Share links and watch URLs"):
// keyed token buckets behind a lock, answered with 429 rate_limited and a truthful
// Retry-After. Used where a stranger or a user can make the server write rows at will:
// views of a share link (per client address and per link) and watch URLs (per caller).

#include "http/rate_buckets.h"

#include <mutex>
#include <string>

namespace ssr::http {

class RequestRateLimit {
 public:
  using Clock = RateBuckets::Clock;

  // `what` completes "too many ... ; retry in N s" (e.g. "views of this link").
  RequestRateLimit(std::string what, int capacity, Clock::duration window);

  // Takes one request of `key` at `now`; throws ApiError 429 rate_limited (details
  // retry_after_s) and takes nothing when its bucket is empty.
  void Admit(const std::string& key, Clock::time_point now = Clock::now());

 private:
  const std::string what_;
  std::mutex mutex_;
  RateBuckets buckets_;
};

} // namespace ssr::http
