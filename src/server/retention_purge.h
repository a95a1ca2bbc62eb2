#pragma once
// Rows that only grow unless someone deletes them (review finding M3): watch URLs (one per
// part per view, anonymous share-link holders can ask for any number) with the byte ranges
// they served and the progress reported for them, and delivered webhook rows. The app's
// ticker calls MaybePurge; every purge_interval_s it deletes what is past its retention
// (ServerConfig: watch_token_retention_s, webhook_retention_s; docs/security.md), and the
// raw tracks of sessions idle for longer than the organization's raw_track_retention_days.

#include "server/raw_track_purge.h"

#include <cstdint>
#include <filesystem>

namespace ssr::control {
class RecordingController;
}
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
                 control::RecordingController& controller,
                 const std::filesystem::path& sessions_dir, RetentionSettings settings)
      : watch_(watch), outbox_(outbox), controller_(controller), raw_tracks_(sessions_dir),
        settings_(settings) {}

  // Purges when purge_interval_s has passed since the last purge (the first call purges).
  // Never throws: a failure is logged and tried again at the next interval.
  void MaybePurge(double now_s);

 private:
  library::WatchStore& watch_;
  notify::WebhookOutbox& outbox_;
  control::RecordingController& controller_; // the retention of raw tracks, what records
  RawTrackPurge raw_tracks_;
  const RetentionSettings settings_;
  double next_purge_s_ = 0;
};

} // namespace ssr::server
