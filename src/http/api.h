#pragma once
// The routes of `ssr serve`: which handler a request goes to (from its header alone, so that
// auth and size limits are checked before a body is read: the table in api_routes.cpp), and
// the handlers themselves. Handlers throw ApiError; the connection turns it into the response
// (api_error.h).

#include "control/recording_controller.h"
#include "control/recording_store.h"
#include "events/event_log.h"
#include "http/api_error.h"
#include "http/caller_resolver.h"
#include "http/cors_policy.h"
#include "http/json_body.h"
#include "http/login_limiter.h"
#include "http/metrics.h"
#include "http/notification_tickets.h"
#include "http/request_rate_limit.h"
#include "http/router.h"
#include "http/web_app.h"
#include "library/access_policy.h"
#include "library/account_store.h"
#include "library/caller.h"
#include "library/recording_library.h"
#include "library/role_index.h"
#include "library/sharing_store.h"
#include "library/watch_store.h"
#include "live/runtime_recorder_port.h"
#include "live/session_runtime.h"
#include "notify/notification_hub.h"
#include "server/app.h"
#include "server/config.h"
#include "storage/storage_backend.h"
#include "store/publisher_tokens.h"
#include "store/session_store.h"

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <istream>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ssr::http {

using RequestHeader = beast_http::request_header<>;

// A request's route once matched and authenticated (Api::Match).
struct Route {
  const RouteRow* row = nullptr; // the table's row for the path and verb
  RouteKind kind = RouteKind::kLivez;
  std::string label;          // the path pattern, for metrics: "/api/v1/sessions/{sid}/events"
  PathParams params;          // the pattern's named params: {rid} -> param("rid")
  std::string session_id;     // {sid}, checked (a known session on the routes that need one)
  int part = 0;               // {n}, a number >= 1
  library::Caller caller;     // who asks (library routes; the platform on platform routes)
  std::string client_address; // the peer's IP address (rate limits); "" when unknown
  // Ingest routes called with a publisher's token: whose, and the tracks it may ingest.
  std::optional<store::Publisher> publisher;

  // The value of the pattern's param `name`; std::logic_error when it has none so named.
  const std::string& param(std::string_view name) const;
};

// What a download sends, with its headers: a local file (the directory backend), or a
// stream over the stored object (a remote backend such as S3).
struct FileReply {
  std::filesystem::path path;           // empty when `stream` is set
  std::unique_ptr<std::istream> stream; // read as it is sent
  std::optional<uint64_t> size_bytes;   // of `stream`, when known (else sent chunked)
  std::string content_type;
  std::string download_name; // Content-Disposition: attachment; filename=... ("" : none)
  std::vector<std::pair<std::string, std::string>> headers; // more headers to send
};

// The media a watch URL serves (kWatch): a local file, or an object of the storage backend.
struct WatchMedia {
  std::filesystem::path path; // empty: read `storage_key` from the backend
  std::string storage_key;
  uint64_t size_bytes = 0;
  std::string etag;       // strong, from the part's SHA-256 (for If-Range)
  std::string token_hash; // where served byte ranges are counted
};

// The library as the routes see it (owned by server::App).
struct LibraryServices {
  library::AccountStore& accounts;
  library::RoleIndex& roles;
  library::SharingStore& sharing;
  library::RecordingLibrary& recordings;
  const CallerResolver& callers;
  library::WatchStore& watch; // watch URLs, share links, views
};

// Recording control as the routes see it (owned by server::App).
struct RecordingControl {
  control::RecordingController& controller;
  control::RecordingStore& store;
  notify::NotificationHub& hub;
  storage::StorageBackend& storage;
  live::RuntimeRecorderPort& recorder; // test faults
};

class Api {
 public:
  // The routes over `app`'s services; `callers` tells who asks.
  Api(server::App& app, Metrics& metrics, const CallerResolver& callers);

  // Every route of the server, one row each (api_routes.cpp), the test-only ones included.
  static const std::vector<RouteRow>& RouteRows();

  // Finds the route and checks auth and the session: throws ApiError (404 unknown path or
  // session, 401 bad credential, 405 wrong method with `allow`, 400 bad asset name or track).
  // `label` is set to the route's path pattern as soon as it is known ("other" for unknown
  // paths), for metrics.
  Route Match(const RequestHeader& header, std::string& label) const;

  // Answers a request whose whole body is in memory: the row's handler (the routes the
  // connection serves itself have none).
  Response Handle(const Route& route, const StringRequest& request);

  // Where an asset upload is written while it arrives (then renamed by FinishAsset).
  std::filesystem::path AssetTempPath(const Route& route) const;
  Response FinishAsset(const Route& route, unsigned http_version, bool keep_alive,
                       const std::filesystem::path& temp_path);

  // The file a download route sends (kDownloadPart, kPartChat, kWatchChat, and the chapters).
  FileReply FileFor(const Route& route);
  // recordings_api.cpp: the stored object `key` as a reply — its local file, or (a remote
  // backend) a stream opened on it. `what` names it in errors ("part 2 of recording 'r1'"):
  // 404 when it is not stored, 502 storage_unavailable when the backend fails.
  FileReply StoredFile(const std::string& key, std::string content_type, const std::string& what);

  // watch_api.cpp: what GET /watch/{token} serves (throws 404, or 410 when expired or its
  // share link is revoked); a stream over bytes [first, first+length) of it; and counting
  // bytes [first, end) as served to the watch URL (the viewer report).
  WatchMedia WatchMediaFor(const Route& route);
  std::unique_ptr<std::istream> OpenWatchMedia(const WatchMedia& media, uint64_t first,
                                               uint64_t length);
  void CountWatched(const WatchMedia& media, uint64_t first, uint64_t end);

  // The notification stream of a session (kNotifications): `push` gets each notification as
  // one Server-Sent Event ("id: ...\nevent: ...\ndata: ...\n\n"), on the publishing thread
  // (it must be quick). `target` may hold `?participant=ID`: notifications addressed to someone
  // else are then left out. `last_event_id` (the Last-Event-ID header of a reconnecting
  // client, "" when absent) first replays what the client missed. Returns the token for
  // Unsubscribe.
  uint64_t SubscribeNotifications(const Route& route, std::string_view target,
                                  std::string_view last_event_id,
                                  std::function<void(std::string)> push);
  void UnsubscribeNotifications(uint64_t token);

  // One events WebSocket message: the reply ({"accepted": N} or an error object).
  nlohmann::json HandleWebSocketMessage(const Route& route, std::string_view text);

  const CorsPolicy& cors() const { return cors_; }
  uint64_t max_asset_bytes() const { return config_.max_asset_bytes; }
  uint64_t max_body_bytes() const { return config_.max_body_bytes; }

 private:
  // api_routes.cpp: the checks of Match, in the order they run.
  void CheckPathBeforeAuth(Route& route) const; // {n}, the web app's ids: 404
  void Authenticate(const RequestHeader& header, Route& route, RouteAuth auth) const; // 401
  void CheckPath(const Route& route) const; // the ids and names in the path: 404, 400
  // api.cpp: operations, the OpenAPI document, and the WebSocket endpoint asked without Upgrade.
  Response Livez(const Route& route, const StringRequest& request);
  Response Readyz(const Route& route, const StringRequest& request);
  Response MetricsText(const Route& route, const StringRequest& request);
  std::string RecorderLoadMetrics(); // admission, for /metrics
  // Recordings by state, frames shed and late, storing and webhook failures, the webhook
  // backlog, for /metrics.
  std::string RecordingMetrics();
  std::string StorageBacklogMetrics(); // parts not yet in storage, failed storage requests
  Response OpenApi(const Route& route, const StringRequest& request);
  Response UpgradeRequired(const Route& route, const StringRequest& request);
  Response CreateSession(const Route& route, const StringRequest& request);
  Response PostEvents(const Route& route, const StringRequest& request);
  // Takes one event or an array of events (server::EventIntake), all or nothing. Returns the
  // answer: {"accepted": N, "warnings": [what the batch names that the session does not know]}.
  nlohmann::json IngestEvents(const std::string& session_id, const nlohmann::json& body);
  void Authorize(const RequestHeader& header) const;
  // Checks `Authorization: Bearer <ingest token of the session>` (or the API key).
  // The session's ingest token or the API key (nullopt), or a publisher's token of that
  // session (its publisher); else 401.
  std::optional<store::Publisher> AuthorizeIngest(const RequestHeader& header,
                                                  const std::string& session_id) const;
  // watch_api.cpp: the watch, share-link and viewer routes.
  Response IssueWatchUrl(const Route& route, const StringRequest& request);
  Response CreateLink(const Route& route, const StringRequest& request);
  Response ListLinks(const Route& route, const StringRequest& request);
  Response RevokeLink(const Route& route, const StringRequest& request);
  Response Viewers(const Route& route, const StringRequest& request);
  Response SharePage(const Route& route, const StringRequest& request);
  Response ShareViews(const Route& route, const StringRequest& request);
  // The live link of {token} and its recording: 404 unknown, 410 revoked or expired.
  std::pair<library::ShareLink, control::Recording> LiveLink(const std::string& token);
  // The grant of a watch token still in force: 404 unknown or the recording gone, 410
  // expired or its share link revoked.
  library::WatchGrant LiveGrant(const std::string& token);
  FileReply WatchChatFile(const Route& route);
  // ingest_api.cpp
  Response WhipOffer(const Route& route, const StringRequest& request);
  Response WhipResource(const Route& route, const StringRequest& request);
  Response RtpForward(const Route& route, const StringRequest& request);
  // fleet_api.cpp: role api hands a session's events, ingest and control to the worker that
  // holds the session (nullopt: answered here); the fleet's workers.
  std::optional<Response> ForwardToWorker(const Route& route, const StringRequest& request);
  std::string SessionToForward(const Route& route, const StringRequest& request);
  Response ListWorkers(const Route& route, const StringRequest& request);
  // A publisher's token for one participant and its tracks (M6).
  Response CreatePublisher(const Route& route, const StringRequest& request);
  // recordings_api.cpp
  // Part n of the recording, ready to be served: 404 when there is no such part, 409
  // not_ready (with its status) when it is not stored yet. `of_what` names the recording in
  // the message ("recording 'r1'", "this recording").
  control::Part ReadyPart(const std::string& recording_id, int n, const std::string& of_what);
  Response StartRecording(const Route& route, const StringRequest& request);
  Response StopRecording(const Route& route, const StringRequest& request);
  Response GetRecording(const Route& route, const StringRequest& request);
  // library_api.cpp
  // The caller of a library route: 401 when anonymous or a credential is wrong.
  library::Caller IdentifiedCaller(const RequestHeader& header) const;
  // The recording of {rid} if the route's caller may do `action` with it: 404 when they may
  // not even see it (or it does not exist), 403 when they may see it but not do that.
  control::Recording RecordingFor(const Route& route, library::Action action);
  Response ListRecordings(const Route& route, const StringRequest& request);
  Response Me(const Route& route, const StringRequest& request);
  Response PatchRecording(const Route& route, const StringRequest& request);
  Response DeleteRecording(const Route& route, const StringRequest& request);
  // sharing_api.cpp (R15)
  Response GetSharing(const Route& route, const StringRequest& request);
  Response PutSharing(const Route& route, const StringRequest& request);
  // account_api.cpp
  Response Login(const Route& route, const StringRequest& request);
  Response Logout(const Route& route, const StringRequest& request);
  Response CreateUser(const Route& route, const StringRequest& request);
  // GET /api/v1/recordings/{rid} (and the start and stop replies); throws 404.
  nlohmann::json RecordingJson(const std::string& recording_id, bool with_transitions);
  // The web app and what it relies on (issue: a UI on the public API).
  // web_app_api.cpp: pages, assets, the share-link page.
  Response WebPage(const Route& route, const StringRequest& request);
  FileReply WebAssetFile(const Route& route);
  // session_api.cpp: a session and its participants, for the platform and its members.
  Response GetSession(const Route& route, const StringRequest& request);
  Response Participants(const Route& route, const StringRequest& request);
  // The platform deletes a session, its recordings with it or kept (`?recordings=`).
  Response DeleteSession(const Route& route, const StringRequest& request);
  // user_api.cpp: built-in accounts, for the platform.
  Response ListUsers(const Route& route, const StringRequest& request);
  Response DeleteUser(const Route& route, const StringRequest& request);
  Response SetUserPassword(const Route& route, const StringRequest& request);
  // watch_progress_api.cpp: what a player reports, and fresh watch URLs.
  Response WatchProgress(const Route& route, const StringRequest& request);
  Response RenewWatch(const Route& route, const StringRequest& request);
  // library_api.cpp: RecordingJson with what `caller` may do (`actions`) and `release_at`.
  nlohmann::json RecordingJsonFor(const library::Caller& caller, const std::string& recording_id);
  // control_api.cpp
  Response Settings(const Route& route, const StringRequest& request);
  Response PutTestFaults(const Route& route, const StringRequest& request);
  // host_control_api.cpp: who calls a route hosts may use (start, notifications, ticket): the
  // platform, or a host or co-host of the session (JWT, cookie, or a notifications ticket);
  // 401 without a valid credential, 404 for other users.
  library::Caller SessionRunner(const RequestHeader& header, const Route& route) const;
  // True for the platform and for a user whose latest role in the session is host or co-host.
  bool RunsSessionNow(const library::Caller& caller, const std::string& session_id) const;
  Response IssueNotificationTicket(const Route& route, const StringRequest& request);

  server::App& app_;
  const server::ServerConfig& config_;
  store::SessionStore& store_;
  Metrics& metrics_;
  live::SessionRuntimes& runtimes_;
  RecordingControl control_;
  LibraryServices library_;
  const std::filesystem::path sessions_dir_;
  library::WatchStore* watch_; // library_.watch
  WebApp web_;
  CorsPolicy cors_;
  RouteTable routes_; // RouteRows(), without the test-only ones unless test_faults is on
  std::unique_ptr<NotificationTickets> tickets_ = std::make_unique<NotificationTickets>();
  LoginLimiter login_limiter_{LoginLimiter::FromConfig(config_)}; // account_api.cpp
  // watch_api.cpp: rows a stranger or a user can make the server write (review M3).
  RequestRateLimit share_views_by_address_{"views of share links from this address",
                                           config_.share_views_per_address,
                                           std::chrono::seconds(config_.request_window_s)};
  RequestRateLimit share_views_by_link_{"views of this link", config_.share_views_per_link,
                                        std::chrono::seconds(config_.request_window_s)};
  RequestRateLimit watch_urls_by_caller_{"watch URLs", config_.watch_urls_per_caller,
                                         std::chrono::seconds(config_.request_window_s)};
};

// Path segments of a target without its query, percent-decoded; nullopt if badly encoded.
std::optional<std::vector<std::string>> SplitPath(std::string_view target);

// The value of `name` in the query of `target` (no decoding: ids are plain), or "".
std::string QueryParam(std::string_view target, std::string_view name);

// The token of `Authorization: Bearer <token>`; throws 401 naming `what` the token is when
// the header is missing or not a Bearer one.
std::string_view BearerToken(const RequestHeader& header, const std::string& what);

using server::WallNow;

} // namespace ssr::http
