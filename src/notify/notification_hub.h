#pragma once
// Notifications of recording control (R2, R3, R7, R10): fanned out to the subscribers of a
// session (the SSE stream of GET /api/v1/sessions/{sid}/notifications) and queued for the
// organization's webhook.

#include "notify/webhook_outbox.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace ssr::notify {

struct Notification {
  std::string id;   // unique: receivers de-duplicate on it (webhooks are at least once)
  std::string type; // "recording.started", "autostart.failed", ...
  std::string session_id;
  std::string recording_id;
  std::string room; // the recording's room ("main" or a breakout id)
  std::string title;
  std::optional<int> attempt;               // recording.initializing / attempt_failed
  std::optional<int> max_attempts;          // with `attempt`
  std::optional<int> countdown_s;           // recording.initializing: the attempt's countdown
  std::string deadline;                     // recording.initializing: when it ends (RFC 3339)
  std::optional<std::string> host_location; // autostart.failed: the room the recipient is in
  std::string recipient; // participant id it is addressed to; "" = every host and co-host
  std::string message;   // one or two sentences for people
  std::string detail;    // what went wrong, technically (failures; "" when nothing did)
  std::string at;        // RFC 3339 UTC
  // session.worker_changed (a fleet): the session's new worker and where its media goes now,
  // as GET /api/v1/sessions/{sid} says them ("worker": {id, url}, "ingest": {whip_url,
  // rtp_url}); empty in other notifications.
  std::string worker_id;
  std::string worker_url;
  std::string whip_url;
  std::string rtp_url;

  nlohmann::json ToJson() const;
};

class NotificationHub {
 public:
  using Subscriber = std::function<void(const Notification&)>;

  // `outbox` may be null (no webhooks at all).
  explicit NotificationHub(WebhookOutbox* outbox) : outbox_(outbox) {}

  // `subscriber` is called on the publishing thread; it must be quick (push to a queue).
  // A client that reconnects passes the id of the last notification it saw (SSE's
  // Last-Event-ID): what the session published after it is given to `subscriber` first. An id
  // no longer held (or from before a restart) replays everything held for the session.
  uint64_t Subscribe(const std::string& session_id, Subscriber subscriber,
                     const std::optional<std::string>& last_seen_id = std::nullopt);
  void Unsubscribe(uint64_t token);

  // Gives `n` to the session's subscribers and, when `webhook_url` is set, to the outbox
  // (due at `now_ms`).
  void Publish(const Notification& n, const std::string& webhook_url, int64_t now_ms);

 private:
  struct Subscription {
    std::string session_id;
    Subscriber subscriber;
  };

  // The last notifications of all sessions, for replay; bounded so memory stays flat.
  static constexpr size_t kRecentHeld = 1024;

  WebhookOutbox* outbox_;
  std::mutex mutex_;
  std::deque<Notification> recent_;
  uint64_t next_token_ = 1;
  std::map<uint64_t, Subscription> subscriptions_;
};

} // namespace ssr::notify
