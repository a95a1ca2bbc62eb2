// Token buckets with explicit times (no sleeping): a burst up to the capacity, an even
// refill, a truthful wait, independent keys, and memory that stays bounded under many
// one-off keys.

#include "http/rate_buckets.h"

#include <gtest/gtest.h>

namespace ssr::http {
namespace {

using Clock = RateBuckets::Clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Takes one attempt of `key` when there is one; the wait otherwise.
int64_t Attempt(RateBuckets& buckets, const std::string& key, Clock::time_point now) {
  const int64_t wait_s = buckets.WaitFor(key, now);
  if (wait_s == 0)
    buckets.Take(key, now);
  return wait_s;
}

TEST(RateBuckets, ABurstUpToTheCapacityThenOneAttemptPerRefill) {
  RateBuckets buckets(3, seconds(30)); // one back every 10 s
  const Clock::time_point t0 = Clock::now();
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(Attempt(buckets, "a", t0), 0) << i;
  EXPECT_EQ(Attempt(buckets, "a", t0), 10);
  EXPECT_EQ(Attempt(buckets, "a", t0 + seconds(4)), 6); // the wait counts down truthfully
  EXPECT_EQ(Attempt(buckets, "b", t0), 0);              // keys are independent
  EXPECT_EQ(Attempt(buckets, "a", t0 + seconds(10)), 0);
  EXPECT_EQ(Attempt(buckets, "a", t0 + seconds(10)), 10);
  // A long pause refills to the capacity, not beyond.
  const Clock::time_point later = t0 + seconds(3600);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(Attempt(buckets, "a", later), 0) << i;
  EXPECT_GT(Attempt(buckets, "a", later), 0);
}

TEST(RateBuckets, ManyOneOffKeysDoNotGrowMemoryForever) {
  RateBuckets buckets(2, seconds(1));
  Clock::time_point now = Clock::now();
  size_t largest = 0;
  for (int i = 0; i < 100000; ++i) {
    now += milliseconds(1); // a bucket is full again 1 s after its one attempt
    EXPECT_EQ(Attempt(buckets, "key-" + std::to_string(i), now), 0);
    largest = std::max(largest, buckets.size());
  }
  EXPECT_LE(largest, 20001u); // swept whenever it has doubled past the 10,000 floor
  // A key that is not full survives a sweep.
  RateBuckets slow(1, seconds(3600));
  EXPECT_EQ(Attempt(slow, "held", now), 0);
  for (int i = 0; i < 30000; ++i)
    Attempt(slow, "k" + std::to_string(i), now + milliseconds(i));
  EXPECT_GT(Attempt(slow, "held", now + seconds(31)), 0);
}

} // namespace
} // namespace ssr::http
