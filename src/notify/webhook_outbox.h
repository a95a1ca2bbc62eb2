#pragma once
// Webhook deliveries waiting to be made, in SQLite (the ssr database): a notification stays
// here until a POST of it succeeds, so a restart carries on where it stopped (at least once).

#include "store/database.h"
#include "store/recording_rows.h"

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ssr::notify {

struct OutboxEntry {
  int64_t seq = 0;
  std::string event_id; // the notification id (receivers de-duplicate on it)
  std::string url;
  std::string body; // the JSON that is POSTed
  int attempts = 0;
  int64_t next_try_at_ms = 0; // Unix milliseconds
  bool delivered = false;     // or given up (abandoned)
  bool abandoned = false;     // given up after the sender's last attempt
  std::string last_error;
};

class WebhookOutbox : public store::RecordingRowsOwner {
 public:
  explicit WebhookOutbox(store::Database& db);

  // Queues a delivery due at `now_ms`. An event id queued before is not queued again.
  void Enqueue(const std::string& event_id, const std::string& url, const std::string& body,
               int64_t now_ms);
  // Undelivered entries due at `now_ms`, oldest first.
  std::vector<OutboxEntry> Due(int64_t now_ms, int limit);
  void MarkDelivered(int64_t seq, int attempts);
  void MarkFailed(int64_t seq, int attempts, int64_t next_try_at_ms, const std::string& error);
  // No more attempts: the entry leaves the pending ones and is purged like a delivered one.
  void MarkAbandoned(int64_t seq, int attempts, int64_t at_ms, const std::string& error);
  std::optional<OutboxEntry> Find(const std::string& event_id);
  int64_t PendingCount();

  // Deletes the rows whose body names `recording_id` (its notifications, delivered or not:
  // their bodies carry the recording's title), inside the transaction that deletes the
  // recording (store/recording_rows.h).
  void DeleteRowsOf(const std::string& recording_id) override;
  // Deletes delivered (and abandoned) rows last tried before `before_ms` (such a row is kept
  // only so that a retry of the same event id is not queued twice; review finding M3).
  // Returns the number deleted.
  int64_t PurgeDelivered(int64_t before_ms);

 private:
  std::mutex mutex_;
  store::Database& db_;
};

} // namespace ssr::notify
