// The login limiter's buckets and hash slots, with explicit times (no sleeping): attempts
// per account and per address, refill over the window, a truthful Retry-After, and the
// bound on concurrent password checks.

#include "http/login_limiter.h"

#include <gtest/gtest.h>

namespace ssr::http {
namespace {

using Clock = LoginLimiter::Clock;
using std::chrono::seconds;

LoginLimiter::Limits Limits(int per_account, int per_address, int window_s, int hashes = 1) {
  LoginLimiter::Limits limits;
  limits.account_attempts = per_account;
  limits.address_attempts = per_address;
  limits.window = seconds(window_s);
  limits.max_concurrent_hashes = hashes;
  return limits;
}

// The status and Retry-After of an Admit that throws; 0 when it admits.
std::pair<int, int64_t> Try(LoginLimiter& limiter, const std::string& address,
                            const std::string& account, Clock::time_point now) {
  try {
    limiter.Admit(address, account, now);
    return {0, 0};
  } catch (const ApiError& e) {
    return {static_cast<int>(e.status()), e.details()["retry_after_s"].get<int64_t>()};
  }
}

TEST(LoginLimiter, AnAccountGetsItsAttemptsThen429UntilATokenIsBack) {
  LoginLimiter limiter(Limits(3, 100, 300)); // one attempt back every 100 s
  const Clock::time_point t0{};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Try(limiter, "10.0.0.1", "ann", t0).first, 0);
  }
  EXPECT_EQ(Try(limiter, "10.0.0.1", "ann", t0), std::make_pair(429, int64_t{100}));
  EXPECT_NEAR(Try(limiter, "10.0.0.2", "ann", t0 + seconds(40)).second, 60, 1); // any address
  EXPECT_EQ(Try(limiter, "10.0.0.1", "bob", t0).first, 0);                      // another account
  EXPECT_EQ(Try(limiter, "10.0.0.1", "ann", t0 + seconds(101)).first, 0);
  EXPECT_EQ(Try(limiter, "10.0.0.1", "ann", t0 + seconds(101)).first, 429);
}

TEST(LoginLimiter, AnAddressIsLimitedAcrossAccountsAndALimitedAttemptTakesNothing) {
  LoginLimiter limiter(Limits(10, 2, 60)); // address: one back every 30 s
  const Clock::time_point t0{};
  EXPECT_EQ(Try(limiter, "10.0.0.1", "a", t0).first, 0);
  EXPECT_EQ(Try(limiter, "10.0.0.1", "b", t0).first, 0);
  EXPECT_EQ(Try(limiter, "10.0.0.1", "c", t0), std::make_pair(429, int64_t{30}));
  EXPECT_EQ(Try(limiter, "10.0.0.2", "c", t0).first, 0); // c's bucket was not touched above
  EXPECT_EQ(Try(limiter, "10.0.0.1", "c", t0 + seconds(31)).first, 0);
}

TEST(LoginLimiter, HashSlotsAreBoundedAndGivenBack) {
  LoginLimiter limiter(Limits(10, 10, 60, /*hashes=*/2));
  {
    const auto first = limiter.AcquireHashSlot();
    const auto second = limiter.AcquireHashSlot();
    try {
      [[maybe_unused]] const auto third = limiter.AcquireHashSlot();
      FAIL() << "a third slot was given";
    } catch (const ApiError& e) {
      EXPECT_EQ(static_cast<int>(e.status()), 503);
      EXPECT_EQ(e.code(), "login_busy");
      EXPECT_EQ(e.details()["retry_after_s"], 1);
    }
  }
  EXPECT_NO_THROW(limiter.AcquireHashSlot());
}

} // namespace
} // namespace ssr::http
