#include "notify/webhook_sender.h"

#include "auth/sodium_init.h"
#include "common/log.h"

#include <httplib.h>

#include <sodium.h>

#include <algorithm>
#include <chrono>

namespace ssr::notify {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Url {
  std::string scheme_host_port; // "http://127.0.0.1:8080"
  std::string path;             // "/hooks/ssr?x=1"
};

std::optional<Url> SplitUrl(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    return std::nullopt;
  }
  const size_t path_start = url.find('/', scheme_end + 3);
  Url u;
  u.scheme_host_port = url.substr(0, path_start);
  u.path = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (u.scheme_host_port.size() <= scheme_end + 3) {
    return std::nullopt;
  }
  return u;
}

} // namespace

std::string WebhookSender::UrlForLog(const std::string& url) {
  const size_t scheme_end = url.find("://");
  const size_t authority = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  const size_t authority_end = std::min(url.find_first_of("/?#", authority), url.size());
  const size_t at = url.rfind('@', authority_end == 0 ? 0 : authority_end - 1);
  const size_t host = at != std::string::npos && at >= authority ? at + 1 : authority;
  const size_t path_end = std::min(url.find_first_of("?#", authority_end), url.size());
  std::string out = url.substr(0, authority) + url.substr(host, path_end - host);
  if (path_end < url.size())
    out += "?...";
  return out;
}

WebhookSender::WebhookSender(WebhookOutbox& outbox, std::function<std::string()> secret,
                             WebhookSenderOptions options)
    : outbox_(outbox), secret_(std::move(secret)), options_(options) {}

WebhookSender::~WebhookSender() { Stop(); }

void WebhookSender::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) {
    return;
  }
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void WebhookSender::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void WebhookSender::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void WebhookSender::Run() {
  while (true) {
    try {
      SendDue(NowMs());
    } catch (const std::exception& e) {
      Logger("control")->error("webhook sender: {}", e.what());
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(options_.poll_interval_ms),
                   [this] { return stopping_ || woken_; });
    woken_ = false;
    if (stopping_) {
      return;
    }
  }
}

int64_t WebhookSender::BackoffMs(int attempts) const {
  int64_t delay = options_.backoff_base_ms;
  for (int i = 1; i < attempts && delay < options_.backoff_max_ms; ++i) {
    delay *= 2;
  }
  return std::min(delay, options_.backoff_max_ms);
}

int WebhookSender::SendDue(int64_t now_ms) {
  int delivered = 0;
  for (const OutboxEntry& entry : outbox_.Due(now_ms, 50)) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) {
        break;
      }
    }
    const int attempts = entry.attempts + 1;
    const std::string error = Post(entry, now_ms / 1000);
    if (error.empty()) {
      outbox_.MarkDelivered(entry.seq, attempts);
      ++delivered;
      continue;
    }
    ++failed_attempts_;
    if (attempts >= options_.max_attempts) {
      ++abandoned_;
      outbox_.MarkAbandoned(entry.seq, attempts, NowMs(), error);
      Logger("control")->error("webhook {} to {} given up after {} attempts: {}", entry.event_id,
                               UrlForLog(entry.url), attempts, error);
    } else {
      const int64_t retry_at = NowMs() + BackoffMs(attempts);
      outbox_.MarkFailed(entry.seq, attempts, retry_at, error);
      Logger("control")->warn("webhook {} to {} failed (attempt {}): {}", entry.event_id,
                              UrlForLog(entry.url), attempts, error);
    }
  }
  return delivered;
}

std::string WebhookSender::Post(const OutboxEntry& entry, int64_t unix_s) {
  const auto url = SplitUrl(entry.url);
  if (!url) {
    return "bad webhook url '" + UrlForLog(entry.url) + "'";
  }
  httplib::Client client(url->scheme_host_port);
  client.set_connection_timeout(std::chrono::milliseconds(options_.timeout_ms));
  client.set_read_timeout(std::chrono::milliseconds(options_.timeout_ms));
  client.set_write_timeout(std::chrono::milliseconds(options_.timeout_ms));
  const httplib::Headers headers = {
      {"X-SSR-Signature", Signature(secret_(), unix_s, entry.body)},
      {"X-SSR-Event-Id", entry.event_id},
  };
  const auto result = client.Post(url->path, headers, entry.body, "application/json");
  if (!result) {
    return "no answer: " + httplib::to_string(result.error());
  }
  if (result->status < 200 || result->status > 299) {
    return "HTTP " + std::to_string(result->status);
  }
  return {};
}

std::string WebhookSender::HmacSha256Hex(const std::string& key, const std::string& message) {
  auth::InitSodium();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

std::string WebhookSender::Signature(const std::string& secret, int64_t unix_s,
                                     const std::string& body) {
  const std::string t = std::to_string(unix_s);
  return "t=" + t + ",v1=" + HmacSha256Hex(secret, t + "." + body);
}

} // namespace ssr::notify
