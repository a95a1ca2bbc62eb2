#include "http/notification_tickets.h"

#include "auth/tokens.h"

namespace ssr::http {

NotificationTickets::Issued NotificationTickets::Issue(const std::string& session_id,
                                                       const library::Caller& caller,
                                                       double now_s) {
  Issued issued{auth::RandomToken(24), now_s + kLifetimeS};
  std::lock_guard lock(mutex_);
  // Expired tickets go when new ones come: the map stays as small as the live ones.
  for (auto it = by_hash_.begin(); it != by_hash_.end();) {
    it = it->second.expires_at_s <= now_s ? by_hash_.erase(it) : std::next(it);
  }
  by_hash_[auth::HashToken(issued.ticket)] = {session_id, caller, issued.expires_at_s};
  return issued;
}

std::optional<library::Caller> NotificationTickets::Redeem(const std::string& ticket,
                                                           const std::string& session_id,
                                                           double now_s, std::string& problem) {
  std::lock_guard lock(mutex_);
  const auto it = by_hash_.find(auth::HashToken(ticket));
  if (it == by_hash_.end()) {
    problem = "unknown notification ticket: ask POST /api/v1/sessions/" + session_id +
              "/notifications/ticket for a new one";
    return std::nullopt;
  }
  if (it->second.session_id != session_id) {
    problem = "this notification ticket is for another session";
    return std::nullopt;
  }
  if (it->second.expires_at_s <= now_s) {
    by_hash_.erase(it);
    problem = "the notification ticket has expired (they last 5 minutes): ask POST "
              "/api/v1/sessions/" +
              session_id + "/notifications/ticket for a new one";
    return std::nullopt;
  }
  return it->second.caller;
}

} // namespace ssr::http
