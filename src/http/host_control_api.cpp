// Recording control for the people who run a session: hosts and co-hosts start and stop
// recordings and follow the notification stream with their own login (JWT or cookie) rather
// than the platform's key. An EventSource cannot send a header, so the stream also takes a
// short-lived ticket in its URL (POST .../notifications/ticket).

#include "http/api.h"

#include "common/ids.h"
#include "common/log.h"

namespace ssr::http {
namespace {

using beast_http::status;
using nlohmann::json;

} // namespace

bool Api::RunsSessionNow(const library::Caller& caller, const std::string& session_id) const {
  if (caller.platform())
    return true;
  const auto role = library_.roles.LatestRole(session_id, caller);
  return role && events::RunsSession(*role);
}

library::Caller Api::SessionRunner(const RequestHeader& header, const Route& route) const {
  library::Caller caller;
  const std::string ticket = route.kind == RouteKind::kNotifications
                                 ? QueryParam(header.target(), "ticket")
                                 : std::string();
  if (!ticket.empty()) {
    std::string problem;
    const auto holder = tickets_->Redeem(ticket, route.session_id, WallNow(), problem);
    if (!holder)
      throw ApiError(status::unauthorized, "invalid_ticket", problem);
    caller = *holder;
  } else {
    caller = IdentifiedCaller(header);
  }
  // The role is asked again on every use: a host demoted since the ticket loses the stream.
  const bool session_known =
      CheckSessionId(route.session_id).empty() && store_.Find(route.session_id);
  if (!session_known || !RunsSessionNow(caller, route.session_id)) {
    throw ApiError::NotFound("no session '" + route.session_id + "'");
  }
  return caller;
}

Response Api::IssueNotificationTicket(const Route& route, const StringRequest& request) {
  const double now = WallNow();
  const NotificationTickets::Issued issued = tickets_->Issue(route.session_id, route.caller, now);
  const std::string url =
      "/api/v1/sessions/" + route.session_id + "/notifications?ticket=" + issued.ticket;
  return JsonResponse(status::ok,
                      {{"ticket", issued.ticket},
                       {"url", url},
                       {"expires_at", control::FormatRfc3339(issued.expires_at_s)}},
                      request.version(), request.keep_alive());
}

} // namespace ssr::http
