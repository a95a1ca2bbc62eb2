// A session as the web app sees it: GET /api/v1/sessions/{sid} (the platform, or a user with
// a role in it: which role, whether they may record) and its participants (the platform,
// its hosts and co-hosts: the Share window's picker). Anyone else gets 404, as if the session
// did not exist.

#include "http/api.h"

namespace ssr::http {
namespace {

using beast_http::status;
using nlohmann::json;

} // namespace

Response Api::GetSession(const Route& route, const StringRequest& request) {
  const auto session = store_.Find(route.session_id);
  std::optional<events::Role> role;
  if (session && !route.caller.platform())
    role = library_.roles.LatestRole(session->id, route.caller);
  if (!session || (!route.caller.platform() && !role)) {
    throw ApiError::NotFound("no session '" + route.session_id + "'");
  }
  const auto row = control_.store.FindSession(session->id);
  const bool can_record = route.caller.platform() || events::RunsSession(*role);
  return JsonResponse(status::ok,
                      {{"id", session->id},
                       {"title", session->title},
                       {"timezone", session->timezone},
                       {"created_at", session->created_at},
                       {"ended", row && row->ended},
                       {"your_role", role ? std::string(events::RoleName(*role)) : "platform"},
                       {"can_record", can_record}},
                      request.version(), request.keep_alive());
}

Response Api::Participants(const Route& route, const StringRequest& request) {
  const auto session = store_.Find(route.session_id);
  std::optional<events::Role> role;
  if (session && !route.caller.platform())
    role = library_.roles.LatestRole(session->id, route.caller);
  const bool allowed = route.caller.platform() || (role && events::RunsSession(*role));
  if (!session || !allowed)
    throw ApiError::NotFound("no session '" + route.session_id + "'");
  json participants = json::array();
  for (const library::Member& m : library_.roles.Members(session->id)) {
    participants.push_back(
        {{"user", m.user}, {"name", m.name}, {"role", std::string(events::RoleName(m.role))}});
  }
  return JsonResponse(status::ok, {{"participants", participants}}, request.version(),
                      request.keep_alive());
}

} // namespace ssr::http
