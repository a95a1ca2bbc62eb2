#include "notify/notification_hub.h"

#include "common/log.h"

#include <vector>

namespace ssr::notify {

nlohmann::json Notification::ToJson() const {
  nlohmann::json j = {{"id", id},
                      {"type", type},
                      {"session_id", session_id},
                      {"recording_id", recording_id},
                      {"room", room},
                      {"title", title},
                      {"at", at}};
  if (attempt) {
    j["attempt"] = *attempt;
  }
  if (max_attempts) {
    j["max_attempts"] = *max_attempts;
  }
  if (countdown_s) {
    j["countdown_s"] = *countdown_s;
  }
  if (!deadline.empty()) {
    j["deadline"] = deadline;
  }
  if (host_location) {
    j["host_location"] = *host_location;
  }
  if (!recipient.empty()) {
    j["recipient"] = recipient;
  }
  if (!worker_id.empty()) {
    j["worker"] = {{"id", worker_id}, {"url", worker_url}};
    j["ingest"] = {{"whip_url", whip_url}, {"rtp_url", rtp_url}};
  }
  if (!message.empty()) {
    j["message"] = message;
  }
  if (!detail.empty()) {
    j["detail"] = detail;
  }
  return j;
}

uint64_t NotificationHub::Subscribe(const std::string& session_id, Subscriber subscriber,
                                    const std::optional<std::string>& last_seen_id) {
  std::lock_guard lock(mutex_);
  if (last_seen_id) {
    // Under the lock, so that nothing published meanwhile is missed or given twice: Publish
    // holds it while it adds to recent_ and picks its targets.
    auto from = recent_.begin();
    for (auto it = recent_.begin(); it != recent_.end(); ++it) {
      if (it->id == *last_seen_id) {
        from = std::next(it);
        break;
      }
    }
    for (auto it = from; it != recent_.end(); ++it) {
      if (it->session_id != session_id)
        continue;
      try {
        subscriber(*it);
      } catch (const std::exception& e) {
        Logger("control")->warn("replaying notifications of session {} failed: {}", session_id,
                                e.what());
        break;
      }
    }
  }
  const uint64_t token = next_token_++;
  subscriptions_[token] = {session_id, std::move(subscriber)};
  return token;
}

void NotificationHub::Unsubscribe(uint64_t token) {
  std::lock_guard lock(mutex_);
  subscriptions_.erase(token);
}

void NotificationHub::Publish(const Notification& n, const std::string& webhook_url,
                              int64_t now_ms) {
  std::vector<Subscriber> targets;
  {
    std::lock_guard lock(mutex_);
    recent_.push_back(n);
    if (recent_.size() > kRecentHeld) {
      recent_.pop_front();
    }
    for (const auto& [token, s] : subscriptions_) {
      if (s.session_id == n.session_id) {
        targets.push_back(s.subscriber);
      }
    }
  }
  for (const auto& subscriber : targets) {
    try {
      subscriber(n);
    } catch (const std::exception& e) {
      Logger("control")->warn("notification subscriber of session {} failed: {}", n.session_id,
                              e.what());
    }
  }
  if (outbox_ && !webhook_url.empty()) {
    outbox_->Enqueue(n.id, webhook_url, n.ToJson().dump(), now_ms);
  }
}

} // namespace ssr::notify
