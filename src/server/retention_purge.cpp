#include "server/retention_purge.h"

#include "common/log.h"
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
  } catch (const std::exception& e) {
    Logger("store")->error("retention: purge failed (tried again in {} s): {}",
                           settings_.purge_interval_s, e.what());
  }
}

} // namespace ssr::server
