#include "http/body_limits.h"

#include <algorithm>

namespace ssr::http {
namespace {

constexpr uint64_t kKiB = 1024;

// The routes with a small limit; others take max_body_bytes.
struct SmallLimit {
  RouteKind kind;
  uint64_t limit_bytes;
};

constexpr SmallLimit kSmallLimits[] = {
    // Login and accounts: an e-mail, a name, a password of up to 1024 bytes (which JSON may
    // spell with \u escapes, 6 characters a byte).
    {RouteKind::kLogin, 16 * kKiB},
    {RouteKind::kLogout, 4 * kKiB},
    {RouteKind::kCreateUser, 16 * kKiB},
    {RouteKind::kUserPassword, 16 * kKiB},
    // Share links and watch URLs: an e-mail, a name, a few options.
    {RouteKind::kShareViews, 4 * kKiB},
    {RouteKind::kWatchPart, 4 * kKiB},
    {RouteKind::kWatchRenew, 4 * kKiB},
    {RouteKind::kLinks, 16 * kKiB},
    {RouteKind::kLink, 4 * kKiB},
    {RouteKind::kSharing, 64 * kKiB},
    {RouteKind::kSettings, 64 * kKiB},
    {RouteKind::kNotificationTicket, 4 * kKiB},
    {RouteKind::kWatchProgress, 64 * kKiB},
    // Sessions (a title and the invitees) and recording control.
    {RouteKind::kCreateSession, 1024 * kKiB},
    {RouteKind::kStartRecording, 64 * kKiB},
    {RouteKind::kStopRecording, 64 * kKiB},
    {RouteKind::kRecording, 64 * kKiB},
    {RouteKind::kTestFaults, 64 * kKiB},
    // A publisher token (a participant, up to 20 track ids); deleting a session (no body).
    {RouteKind::kPublishers, 16 * kKiB},
    {RouteKind::kDeleteSession, 4 * kKiB},
};

} // namespace

uint64_t BodyLimitFor(RouteKind kind, uint64_t max_body_bytes) {
  for (const SmallLimit& small : kSmallLimits) {
    if (small.kind == kind) {
      return std::min(small.limit_bytes, max_body_bytes);
    }
  }
  return max_body_bytes;
}

} // namespace ssr::http
