#include "server/retention_purge.h"

#include "common/log.h"
#include "control/recording_controller.h"
#include "library/watch_store.h"
#include "notify/webhook_outbox.h"

#include <exception>

namespace ssr::server {

void RetentionPurge::MaybePurge(double now_s) {
  if (now_s < next_purge_s_)
    return;
  next_purge_s_ = now_s + static_cast<double>(settings_.purge_interval_s);
  try {
    const int64_t tokens =
        watch_.PurgeExpiredTokens(now_s - static_cast<double>(settings_.watch_token_retention_s));
    const auto now_ms = static_cast<int64_t>(now_s * 1000);
    const int64_t webhooks = outbox_.PurgeDelivered(now_ms - settings_.webhook_retention_s * 1000);
    if (tokens > 0 || webhooks > 0) {
      Logger("store")->info("retention: deleted {} expired watch URL(s), {} delivered webhook(s)",
                            tokens, webhooks);
    }
    std::set<std::string> recording_sessions;
    for (const control::Recording& r : controller_.Unfinished())
      recording_sessions.insert(r.session_id);
    raw_tracks_.Purge(now_s, controller_.settings().raw_track_retention_days, recording_sessions);
  } catch (const std::exception& e) {
    Logger("store")->error("retention: purge failed (tried again in {} s): {}",
                           settings_.purge_interval_s, e.what());
  }
}

} // namespace ssr::server
