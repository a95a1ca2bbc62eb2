// The routes of `ssr serve` as one table (http/router.h), and how a request is matched from
// its header: the path (404), what the path itself says is missing ({n}: 404), the
// credential the row asks for (401), the verb (405 with Allow), then the ids and names in the
// path (404, 400). docs/openapi.json documents the same rows (tests/unit/http/openapi_test.cpp).

#include "http/api.h"

#include "auth/tokens.h"
#include "common/ids.h"

#include <stdexcept>

namespace ssr::http {
namespace {

using beast_http::status;
using beast_http::verb;
using nlohmann::json;
using A = RouteAuth;
using K = RouteKind;

constexpr size_t kTokenChars = 43; // auth::RandomToken(32): URL-safe base64

bool Has(const Route& route, std::string_view name) {
  for (const PathParam& p : route.params) {
    if (p.name == name)
      return true;
  }
  return false;
}

} // namespace

const std::string& Route::param(std::string_view name) const {
  for (const PathParam& p : params) {
    if (p.name == name)
      return p.value;
  }
  throw std::logic_error("route " + label + " has no param '" + std::string(name) + "'");
}

const std::vector<RouteRow>& Api::RouteRows() {
  static const std::vector<RouteRow> kRows = {
      // Operations and the API's own description (no auth but the metrics).
      {{verb::get}, "/livez", A::kNone, K::kLivez, &Api::Livez},
      {{verb::get}, "/readyz", A::kNone, K::kReadyz, &Api::Readyz},
      // How many sessions, recordings and requests: the operator's (L7), unless published to
      // a scraper that cannot send the key (metrics_public: Authenticate lets it through).
      {{verb::get}, "/metrics", A::kApiKey, K::kMetrics, &Api::MetricsText},
      {{verb::get}, "/api/v1/openapi.json", A::kNone, K::kOpenApi, &Api::OpenApi},
      // The web app (web_app_api.cpp): its pages and assets.
      {{verb::get}, "/", A::kNone, K::kWebPage, &Api::WebPage},
      {{verb::get}, "/login", A::kNone, K::kWebPage, &Api::WebPage},
      {{verb::get}, "/recordings", A::kNone, K::kWebPage, &Api::WebPage},
      {{verb::get}, "/recordings/{rid}", A::kNone, K::kWebPage, &Api::WebPage},
      {{verb::get}, "/sessions/{sid}", A::kNone, K::kWebPage, &Api::WebPage},
      {{verb::get}, "/assets/{file}", A::kNone, K::kWebAsset, nullptr}, // FileFor
      // Sessions, events and assets (api.cpp, session_api.cpp).
      {{verb::post}, "/api/v1/sessions", A::kApiKey, K::kCreateSession, &Api::CreateSession},
      {{verb::get}, "/api/v1/sessions/{sid}", A::kCaller, K::kSession, &Api::GetSession},
      // The platform only (the handler says so to users): a path's rows share a credential.
      {{verb::delete_},
       "/api/v1/sessions/{sid}",
       A::kCaller,
       K::kDeleteSession,
       &Api::DeleteSession},
      {{verb::get},
       "/api/v1/sessions/{sid}/participants",
       A::kCaller,
       K::kParticipants,
       &Api::Participants},
      {{verb::post}, "/api/v1/sessions/{sid}/events", A::kApiKey, K::kPostEvents, &Api::PostEvents},
      // A WebSocket upgrade is the connection's; a plain GET is told to upgrade.
      {{verb::get},
       "/api/v1/sessions/{sid}/events/ws",
       A::kApiKey,
       K::kEventsWebSocket,
       &Api::UpgradeRequired},
      {{verb::put}, "/api/v1/sessions/{sid}/assets/{name}", A::kApiKey, K::kPutAsset, nullptr},
      // Media ingest (ingest_api.cpp). No trickle ICE or ICE restarts (RFC 9725 §4.3).
      {{verb::post},
       "/api/v1/sessions/{sid}/publishers",
       A::kApiKey,
       K::kPublishers,
       &Api::CreatePublisher},
      {{verb::post},
       "/whip/{sid}/{tracks}",
       A::kIngestToken,
       K::kWhipOffer,
       &Api::WhipOffer,
       "with an SDP offer"},
      {{verb::delete_},
       "/whip/{sid}/{tracks}/{resource}",
       A::kIngestToken,
       K::kWhipResource,
       &Api::WhipResource,
       "(trickle ICE is not supported)"},
      {{verb::post},
       "/api/v1/sessions/{sid}/tracks/{track}/rtp",
       A::kIngestToken,
       K::kRtpForward,
       &Api::RtpForward},
      // Recording control (recordings_api.cpp, host_control_api.cpp, control_api.cpp).
      {{verb::post},
       "/api/v1/sessions/{sid}/recordings",
       A::kSessionRunner,
       K::kStartRecording,
       &Api::StartRecording},
      {{verb::post},
       "/api/v1/recordings/{rid}/stop",
       A::kCaller,
       K::kStopRecording,
       &Api::StopRecording},
      {{verb::get},
       "/api/v1/sessions/{sid}/notifications",
       A::kSessionRunner,
       K::kNotifications,
       nullptr}, // a stream: Connection::RunEventStream
      {{verb::post},
       "/api/v1/sessions/{sid}/notifications/ticket",
       A::kSessionRunner,
       K::kNotificationTicket,
       &Api::IssueNotificationTicket},
      {{verb::get, verb::put}, "/api/v1/settings", A::kApiKey, K::kSettings, &Api::Settings},
      // The fleet (fleet_api.cpp): its workers, their capacity and heartbeats.
      {{verb::get}, "/api/v1/workers", A::kApiKey, K::kWorkers, &Api::ListWorkers},
      {{verb::put},
       "/api/v1/sessions/{sid}/test-faults",
       A::kApiKey,
       K::kTestFaults,
       &Api::PutTestFaults,
       {},
       /*test_only=*/true},
      // The library (library_api.cpp, sharing_api.cpp, account_api.cpp, user_api.cpp).
      {{verb::get}, "/api/v1/me", A::kCaller, K::kMe, &Api::Me},
      {{verb::get}, "/api/v1/recordings", A::kCaller, K::kListRecordings, &Api::ListRecordings},
      {{verb::get}, "/api/v1/recordings/{rid}", A::kCaller, K::kRecording, &Api::GetRecording},
      {{verb::patch}, "/api/v1/recordings/{rid}", A::kCaller, K::kRecording, &Api::PatchRecording},
      {{verb::delete_},
       "/api/v1/recordings/{rid}",
       A::kCaller,
       K::kRecording,
       &Api::DeleteRecording},
      {{verb::get}, "/api/v1/recordings/{rid}/sharing", A::kCaller, K::kSharing, &Api::GetSharing},
      {{verb::put}, "/api/v1/recordings/{rid}/sharing", A::kCaller, K::kSharing, &Api::PutSharing},
      {{verb::get},
       "/api/v1/recordings/{rid}/parts/{n}/download",
       A::kCaller,
       K::kDownloadPart,
       nullptr}, // FileFor
      {{verb::get},
       "/api/v1/recordings/{rid}/parts/{n}/chat.vtt",
       A::kCaller,
       K::kPartChat,
       nullptr},
      {{verb::get},
       "/api/v1/recordings/{rid}/parts/{n}/chapters.vtt",
       A::kCaller,
       K::kPartChapters,
       nullptr},
      {{verb::post}, "/api/v1/login", A::kNone, K::kLogin, &Api::Login},
      {{verb::post}, "/api/v1/logout", A::kNone, K::kLogout, &Api::Logout},
      {{verb::get}, "/api/v1/users", A::kApiKey, K::kUsers, &Api::ListUsers},
      {{verb::post}, "/api/v1/users", A::kApiKey, K::kCreateUser, &Api::CreateUser},
      {{verb::delete_}, "/api/v1/users/{id}", A::kApiKey, K::kUser, &Api::DeleteUser},
      {{verb::put},
       "/api/v1/users/{id}/password",
       A::kApiKey,
       K::kUserPassword,
       &Api::SetUserPassword},
      // Watching, share links and the viewer report (watch_api.cpp, watch_progress_api.cpp).
      {{verb::post},
       "/api/v1/recordings/{rid}/parts/{n}/watch",
       A::kCaller,
       K::kWatchPart,
       &Api::IssueWatchUrl},
      {{verb::get}, "/api/v1/recordings/{rid}/links", A::kCaller, K::kLinks, &Api::ListLinks},
      {{verb::post}, "/api/v1/recordings/{rid}/links", A::kCaller, K::kLinks, &Api::CreateLink},
      {{verb::delete_},
       "/api/v1/recordings/{rid}/links/{lid}",
       A::kCaller,
       K::kLink,
       &Api::RevokeLink},
      {{verb::get}, "/api/v1/recordings/{rid}/viewers", A::kCaller, K::kViewers, &Api::Viewers},
      {{verb::get}, "/s/{token}", A::kPathToken, K::kSharePage, &Api::SharePage},
      {{verb::post}, "/s/{token}/views", A::kPathToken, K::kShareViews, &Api::ShareViews},
      {{verb::get, verb::head},
       "/watch/{token}",
       A::kPathToken,
       K::kWatch,
       nullptr}, // Connection::SendWatch
      {{verb::get}, "/watch/{token}/chat.vtt", A::kPathToken, K::kWatchChat, nullptr},
      {{verb::get}, "/watch/{token}/chapters.vtt", A::kPathToken, K::kWatchChapters, nullptr},
      {{verb::post},
       "/watch/{token}/progress",
       A::kPathToken,
       K::kWatchProgress,
       &Api::WatchProgress},
      {{verb::post}, "/watch/{token}/renew", A::kPathToken, K::kWatchRenew, &Api::RenewWatch},
  };
  return kRows;
}

Route Api::Match(const RequestHeader& header, std::string& label) const {
  label = "other";
  const auto segments = SplitPath(header.target());
  if (!segments) {
    throw ApiError::BadRequest("malformed request target");
  }
  RouteTable::Found found = routes_.Find(header.method(), *segments);
  if (found.pattern.empty()) {
    throw ApiError::NotFound("no such resource: " + std::string(header.target()));
  }
  label = found.pattern;
  const RouteRow& row = found.row ? *found.row : *found.first;
  Route route;
  route.row = found.row;
  route.kind = row.kind;
  route.label = found.pattern;
  route.params = std::move(found.params);
  if (Has(route, "sid"))
    route.session_id = route.param("sid");
  CheckPathBeforeAuth(route);
  Authenticate(header, route, row.auth);
  if (!found.row) {
    const std::string hint = row.wrong_verb_hint.empty() ? "" : " " + row.wrong_verb_hint;
    throw ApiError(status::method_not_allowed, "method_not_allowed",
                   std::string(header.method_string()) + " is not allowed here; use " +
                       found.allow + hint,
                   json{{"allow", found.allow}});
  }
  CheckPath(route);
  return route;
}

void Api::CheckPathBeforeAuth(Route& route) const {
  if (Has(route, "n")) {
    const std::string& n = route.param("n");
    try {
      size_t used = 0;
      route.part = std::stoi(n, &used);
      if (used != n.size() || route.part < 1)
        throw std::invalid_argument("n");
    } catch (const std::exception&) {
      throw ApiError::NotFound("no part '" + n + "' (parts are numbered from 1)");
    }
  }
  // The app's pages of a recording or a session need its id.
  if (route.kind == RouteKind::kWebPage && !route.params.empty() &&
      route.params.front().value.empty()) {
    throw ApiError::NotFound("no such resource: " + route.label);
  }
}

void Api::Authenticate(const RequestHeader& header, Route& route, RouteAuth auth) const {
  switch (auth) {
  case RouteAuth::kNone:
  case RouteAuth::kPathToken: // checked with the path (CheckPath) or by the handler
    return;
  case RouteAuth::kApiKey:
    if (route.kind == RouteKind::kMetrics && config_.metrics_public)
      return;
    Authorize(header);
    route.caller = library::Caller::Platform();
    return;
  case RouteAuth::kCaller:
    // The access policy decides per recording and session (library_api.cpp).
    route.caller = IdentifiedCaller(header);
    return;
  case RouteAuth::kSessionRunner:
    route.caller = SessionRunner(header, route); // the platform, hosts and co-hosts
    return;
  case RouteAuth::kIngestToken:
    // The credential first: without the session's token or the API key, an unknown session
    // is the same 401 as a known one, so strangers cannot learn which sessions exist (L3).
    // The platform then gets CheckPath's 404 for a session that does not exist.
    route.publisher = AuthorizeIngest(header, route.session_id);
    return;
  }
}

void Api::CheckPath(const Route& route) const {
  if (route.kind == RouteKind::kWebPage || route.kind == RouteKind::kWebAsset)
    return;
  // In a fleet the API forwards requests, not streams: a session's event WebSocket and its
  // notification stream are its worker's (docs/scaling.md, "Limits").
  if (config_.role == "api" &&
      (route.kind == RouteKind::kEventsWebSocket || route.kind == RouteKind::kNotifications)) {
    const json worker = app_.Placement(route.session_id).at("worker");
    throw ApiError(status::misdirected_request, "served_by_worker",
                   worker.is_null() ? "in a fleet this stream is served by the session's worker, "
                                      "and none holds it now; try again in a moment"
                                    : "in a fleet this stream is served by the session's worker: "
                                      "connect to " +
                                          worker.at("url").get<std::string>(),
                   json{{"worker", worker}});
  }
  if (Has(route, "sid")) {
    // Reading a session (kCaller) answers 404 in its handler, with the caller's role.
    const bool known = CheckSessionId(route.session_id).empty() &&
                       (route.row->auth == RouteAuth::kCaller || store_.Find(route.session_id));
    if (!known)
      throw ApiError::NotFound("no session '" + route.session_id + "'");
  }
  if (Has(route, "rid") && !CheckPlainId(route.param("rid")).empty()) {
    throw ApiError::NotFound("no recording '" + route.param("rid") + "'");
  }
  if (Has(route, "name")) {
    if (const std::string problem = CheckAssetName(route.param("name")); !problem.empty()) {
      throw ApiError(status::bad_request, "invalid_asset_name", problem);
    }
  }
  if (Has(route, "tracks")) {
    if (const std::string problem = CheckTrackList(route.param("tracks")); !problem.empty()) {
      throw ApiError(status::bad_request, "invalid_track", problem);
    }
  }
  // Watch URLs and share links are auth::RandomToken(32); a share link's page answers for
  // people even when the token is garbled (web_app_api.cpp), and the player's reports let
  // LiveGrant say what is wrong.
  const bool token_checked =
      route.kind == RouteKind::kWatch || route.kind == RouteKind::kWatchChat ||
      route.kind == RouteKind::kWatchChapters || route.kind == RouteKind::kShareViews;
  if (token_checked) {
    const std::string& token = route.param("token");
    if (token.size() != kTokenChars || !CheckPlainId(token).empty()) {
      throw ApiError::NotFound(route.kind == RouteKind::kShareViews
                                   ? "no such share link (is the address complete?)"
                                   : "no such watch URL (is the address complete?)");
    }
  }
}

Response Api::Handle(const Route& route, const StringRequest& request) {
  if (!route.row || !route.row->handler) {
    throw std::logic_error("Api::Handle: " + route.label + " is served by the connection");
  }
  if (std::optional<Response> forwarded = ForwardToWorker(route, request))
    return std::move(*forwarded);
  return (this->*route.row->handler)(route, request);
}

} // namespace ssr::http
