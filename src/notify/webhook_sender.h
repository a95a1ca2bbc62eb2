#pragma once
// Delivers the webhook outbox on its own thread: each entry is POSTed as JSON with
//   X-SSR-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the secret>
//   X-SSR-Event-Id: <notification id>
// A 2xx answer delivers it; anything else (or no answer) retries after base * 2^(n-1),
// capped at max. Entries stay in the outbox until delivered (at least once, across restarts)
// or given up after max_attempts, so a receiver gone for good does not grow the outbox.
// Logs name the receiver without the URL's query or user info (they may hold credentials).

#include "notify/webhook_outbox.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace ssr::notify {

struct WebhookSenderOptions {
  int64_t backoff_base_ms = 2000;
  int64_t backoff_max_ms = int64_t{10} * 60 * 1000;
  int64_t poll_interval_ms = 500;
  int timeout_ms = 10000; // connect and read, per POST
  // Then the entry is given up (abandoned): 3 days of tries at the 10-minute cap.
  int max_attempts = 440;
};

class WebhookSender {
 public:
  // `secret` is asked for at every POST (the setting may change while entries wait).
  WebhookSender(WebhookOutbox& outbox, std::function<std::string()> secret,
                WebhookSenderOptions options = {});
  ~WebhookSender(); // stops the thread
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  void Start();
  void Stop();
  void Wake(); // try now (something was queued)

  // One pass over the entries due at `now_ms`; returns how many were delivered.
  int SendDue(int64_t now_ms);

  // POSTs that failed (no answer, or not 2xx) since the sender was made; given up ones among
  // them (/metrics).
  int64_t failed_attempts() const { return failed_attempts_; }
  int64_t abandoned() const { return abandoned_; }

  // "t=<unix_s>,v1=<hex>"
  static std::string Signature(const std::string& secret, int64_t unix_s, const std::string& body);
  static std::string HmacSha256Hex(const std::string& key, const std::string& message);
  int64_t BackoffMs(int attempts) const; // delay after the attempts-th failure
  // `url` for a log line: scheme, host, port and path; user info and query left out.
  static std::string UrlForLog(const std::string& url);

 private:
  // Empty when delivered, else what went wrong.
  std::string Post(const OutboxEntry& entry, int64_t unix_s);
  void Run();

  WebhookOutbox& outbox_;
  std::function<std::string()> secret_;
  WebhookSenderOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::atomic<int64_t> failed_attempts_{0};
  std::atomic<int64_t> abandoned_{0};
  std::thread thread_;
};

} // namespace ssr::notify
