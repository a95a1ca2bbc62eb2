#pragma once
// Limits on POST /api/v1/login (docs/security.md, "Limits"). Checking a password costs
// 64 MiB and about 0.1 s of a core (argon2id, auth/password.cpp), for unknown e-mails too, so
// unthrottled logins are both online password guessing and a way to run the server out of
// memory. Two guards, checked before any hashing:
// - attempts: a token bucket per account (the e-mail as typed, lower-cased) and one per
//   client address, each holding `attempts` tokens and refilled evenly over the window; an
//   attempt takes one from both, and an empty bucket answers 429 with Retry-After;
// - concurrency: at most `max_concurrent_hashes` passwords are checked at once; one more
//   answers 503 with Retry-After instead of waiting in an unbounded queue.

#include "http/api_error.h"
#include "http/rate_buckets.h"
#include "server/config.h"

#include <chrono>
#include <mutex>
#include <string>

namespace ssr::http {

class LoginLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  struct Limits {
    int account_attempts = 10;
    int address_attempts = 100;
    Clock::duration window = std::chrono::seconds(300);
    int max_concurrent_hashes = 1; // >= 1
  };
  // The login_* settings; login_max_concurrent_hashes 0 is one per CPU core.
  static Limits FromConfig(const server::ServerConfig& config);

  explicit LoginLimiter(const Limits& limits);

  // Takes one attempt from the buckets of `address` and of `account` at `now`; throws 429
  // rate_limited (details retry_after_s) and takes nothing when either is empty.
  void Admit(const std::string& address, const std::string& account, Clock::time_point now);

  // The right to check one password, given back when it goes out of scope.
  class HashSlot {
   public:
    explicit HashSlot(LoginLimiter* owner) : owner_(owner) {}
    HashSlot(HashSlot&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    HashSlot(const HashSlot&) = delete;
    HashSlot& operator=(const HashSlot&) = delete;
    HashSlot& operator=(HashSlot&&) = delete;
    ~HashSlot();

   private:
    LoginLimiter* owner_;
  };
  // A slot for one password check; throws 503 login_busy (details retry_after_s) when all
  // max_concurrent_hashes are taken.
  HashSlot AcquireHashSlot();

 private:
  const Limits limits_;
  std::mutex mutex_;
  RateBuckets by_account_;
  RateBuckets by_address_;
  int hashing_ = 0;
};

} // namespace ssr::http
