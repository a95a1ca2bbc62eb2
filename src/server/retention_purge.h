#pragma once
// Rows that only grow unless someone deletes them (review finding M3): watch URLs (one per
// part per view, anonymous share-link holders can ask for any number) with the byte ranges
// they served and the progress reported for them, and delivered webhook rows. The app's
// ticker calls MaybePurge; every purge_interval_s it deletes what is past its retention
// (ServerConfig: watch_token_retention_s, webhook_retention_s; docs/security.md).

#include <cstdint>

namespace ssr::library {
class WatchStore;
}
namespace ssr::notify {
class WebhookOutbox;
}

namespace ssr::server {

struct RetentionSettings {
  int64_t watch_token_retention_s = 0; // after the token expired
  int64_t webhook_retention_s = 0;     // after delivery
  int64_t purge_interval_s = 3600;
};

class RetentionPurge {
 public:
  RetentionPurge(library::WatchStore& watch, notify::WebhookOutbox& outbox,
                 RetentionSettings settings)
      : watch_(watch), outbox_(outbox), settings_(settings) {}

  // Purges when purge_interval_s has passed since the last purge (the first call purges).
  // Never throws: a failure is logged and tried again at the next interval.
  void MaybePurge(double now_s);

 private:
  library::WatchStore& watch_;
  notify::WebhookOutbox& outbox_;
  const RetentionSettings settings_;
  double next_purge_s_ = 0;
};

} // namespace ssr::server
