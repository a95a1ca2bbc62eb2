#pragma once
// Token buckets by key (a client address, an account, a share link): each holds `capacity`
// attempts and is refilled evenly over `window`, so a client may burst up to the capacity and
// then goes at capacity/window. The one mechanism behind every 429 of the server
// (docs/security.md, "Transport and login limits", "Share links and watch URLs"). Not
// thread-safe: its owner holds a lock around each call.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace ssr::http {

class RateBuckets {
 public:
  using Clock = std::chrono::steady_clock;

  RateBuckets(int capacity, Clock::duration window);

  // Whole seconds until `key` has an attempt again at `now`; 0 when it has one.
  int64_t WaitFor(const std::string& key, Clock::time_point now);
  // Takes one attempt from `key` (after WaitFor said 0 for it at the same `now`).
  void Take(const std::string& key, Clock::time_point now);

  size_t size() const { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };
  // The bucket of `key`, refilled until `now` (a new key starts full).
  Bucket& Refilled(const std::string& key, Clock::time_point now);
  // Forgets full buckets when the map has doubled since the last sweep (and holds more than a
  // floor), so that many one-off keys cannot grow memory forever and a sweep costs O(1)
  // amortized per key added.
  void Prune(Clock::time_point now);

  const int capacity_;
  const double per_second_;
  std::map<std::string, Bucket> buckets_;
  size_t prune_above_;
};

} // namespace ssr::http
