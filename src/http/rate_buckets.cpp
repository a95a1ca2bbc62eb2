#include "http/rate_buckets.h"

#include <algorithm>
#include <cmath>

namespace ssr::http {
namespace {

constexpr size_t kPruneFloor = 10000; // keys kept before the first sweep

} // namespace

RateBuckets::RateBuckets(int capacity, Clock::duration window)
    : capacity_(std::max(1, capacity)),
      per_second_(capacity_ / std::max(1e-3, std::chrono::duration<double>(window).count())),
      prune_above_(kPruneFloor) {}

RateBuckets::Bucket& RateBuckets::Refilled(const std::string& key, Clock::time_point now) {
  Prune(now);
  auto [it, added] = buckets_.try_emplace(key, Bucket{static_cast<double>(capacity_), now});
  Bucket& bucket = it->second;
  if (!added && now > bucket.updated) {
    const double elapsed_s = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min<double>(capacity_, bucket.tokens + elapsed_s * per_second_);
    bucket.updated = now;
  }
  return bucket;
}

int64_t RateBuckets::WaitFor(const std::string& key, Clock::time_point now) {
  const Bucket& bucket = Refilled(key, now);
  if (bucket.tokens >= 1)
    return 0;
  // Less a hair, so that 30.000000000004 s (floating point) is said as 30.
  return std::max<int64_t>(
      1, static_cast<int64_t>(std::ceil((1.0 - bucket.tokens) / per_second_ - 1e-6)));
}

void RateBuckets::Take(const std::string& key, Clock::time_point now) {
  Refilled(key, now).tokens -= 1;
}

void RateBuckets::Prune(Clock::time_point now) {
  if (buckets_.size() <= prune_above_)
    return;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const double elapsed_s = std::chrono::duration<double>(now - it->second.updated).count();
    it = it->second.tokens + elapsed_s * per_second_ >= capacity_ ? buckets_.erase(it)
                                                                  : std::next(it);
  }
  prune_above_ = std::max(kPruneFloor, 2 * buckets_.size());
}

} // namespace ssr::http
