// A session as the web app sees it: GET /api/v1/sessions/{sid} (the platform, or a user with
// a role in it: which role, whether they may record) and its participants (the platform,
// its hosts and co-hosts: the Share window's picker). Anyone else gets 404, as if the session
// did not exist. And its deletion by the platform (server::SessionDeletion).

#include "http/api.h"

#include "common/log.h"
#include "server/app.h"

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
  json answer = {{"id", session->id},
                 {"title", session->title},
                 {"timezone", session->timezone},
                 {"created_at", session->created_at},
                 {"ended", row && row->ended},
                 {"your_role", role ? std::string(events::RoleName(*role)) : "platform"},
                 {"can_record", can_record}};
  // Where the media goes is the platform's to know (the fleet's addresses stay inside).
  if (route.caller.platform())
    answer.update(app_.Placement(session->id));
  return JsonResponse(status::ok, answer, request.version(), request.keep_alive());
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

Response Api::DeleteSession(const Route& route, const StringRequest& request) {
  if (!route.caller.platform()) {
    throw ApiError(status::forbidden, "forbidden",
                   "only the platform (its API key) deletes sessions");
  }
  const std::string recordings = QueryParam(request.target(), "recordings");
  if (!recordings.empty() && recordings != "keep" && recordings != "delete") {
    throw ApiError(status::bad_request, "invalid_field",
                   "query 'recordings' must be 'keep' (the default) or 'delete', not '" +
                       recordings.substr(0, 40) + "'",
                   json{{"field", "recordings"}});
  }
  const bool delete_recordings = recordings == "delete";
  server::DeletedSession deleted;
  try {
    deleted = app_.session_deletion().Delete(route.session_id, delete_recordings);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::kConflict)
      throw ApiError(status::conflict, "recording_in_progress", e.what());
    throw ApiErrorFrom(e);
  }
  Logger("http")->info("session {} deleted by the platform (recordings {})", route.session_id,
                       delete_recordings ? "deleted" : "kept");
  return JsonResponse(status::ok,
                      {{"id", route.session_id},
                       {"recordings", delete_recordings ? "deleted" : "kept"},
                       {"recordings_deleted", deleted.recordings_deleted},
                       {"recordings_kept", deleted.recordings_kept}},
                      request.version(), request.keep_alive());
}

} // namespace ssr::http
