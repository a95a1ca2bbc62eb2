#include "http/api.h"

#include "auth/tokens.h"
#include "common/log.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <system_error>

namespace ssr::http {
namespace {

using beast_http::status;
using nlohmann::json;

constexpr size_t kMaxAssetNameBytes = 200;
constexpr size_t kMaxSessionIdBytes = 64;
constexpr size_t kMaxTitleBytes = 500;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool HasContentType(const RequestHeader& header, std::string_view wanted) {
  const auto it = header.find(beast_http::field::content_type);
  if (it == header.end()) {
    return false;
  }
  std::string type(it->value());
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type == wanted;
}

std::string_view BearerToken(const RequestHeader& header, const std::string& what) {
  const auto it = header.find(beast_http::field::authorization);
  if (it == header.end()) {
    throw ApiError(status::unauthorized, "unauthorized", "missing Authorization: Bearer <" + what + ">");
  }
  const std::string_view value = it->value();
  constexpr std::string_view kBearer = "Bearer ";
  if (value.size() <= kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), value.begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    throw ApiError(status::unauthorized, "unauthorized", "Authorization must be 'Bearer <" + what + ">'");
  }
  return value.substr(kBearer.size());
}

json ParseJsonBody(const StringRequest& request) {
  if (!HasContentType(request, "application/json")) {
    throw ApiError(status::unsupported_media_type, "unsupported_media_type",
                   "Content-Type must be application/json");
  }
  try {
    return json::parse(request.body());
  } catch (const json::parse_error& e) {
    throw ApiError(status::bad_request, "invalid_json",
                   std::string("body is not valid JSON: ") + e.what());
  }
}

std::string QueryParam(std::string_view target, std::string_view name) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return "";
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name && eq != std::string_view::npos) {
      return std::string(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return "";
}

double WallNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

namespace {

// Writes `text` to `path` through a temporary file and a rename.
void WriteFileAtomically(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path temp = path.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      throw std::runtime_error("cannot write " + temp.string());
    }
  }
  std::filesystem::rename(temp, path);
}

bool ValidTimezone(const std::string& tz) {
  if (tz == "UTC") return true;
  if (tz.empty() || tz.size() > 64 || tz.front() == '/' || tz.find("..") != std::string::npos) {
    return false;
  }
  for (char c : tz) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' &&
        c != '+') {
      return false;
    }
  }
  std::error_code ec;
  return std::filesystem::is_regular_file(std::filesystem::path("/usr/share/zoneinfo") / tz, ec);
}

}  // namespace

std::optional<std::vector<std::string>> SplitPath(std::string_view target) {
  target = target.substr(0, target.find('?'));
  std::vector<std::string> segments;
  if (target.empty() || target.front() != '/') {
    return std::nullopt;
  }
  size_t start = 1;
  while (start <= target.size()) {
    size_t end = target.find('/', start);
    if (end == std::string_view::npos) end = target.size();
    std::string segment;
    for (size_t i = start; i < end; ++i) {
      if (target[i] == '%') {
        if (i + 2 >= end) {
          return std::nullopt;
        }
        const int hi = HexValue(target[i + 1]);
        const int lo = HexValue(target[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        segment += static_cast<char>(hi * 16 + lo);
        i += 2;
      } else {
        segment += target[i];
      }
    }
    segments.push_back(std::move(segment));
    start = end + 1;
  }
  return segments;
}

std::string CheckAssetName(const std::string& name) {
  if (name.empty()) return "asset name must not be empty";
  if (name.size() > kMaxAssetNameBytes) {
    return "asset name is longer than " + std::to_string(kMaxAssetNameBytes) + " bytes";
  }
  if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos) {
    return "asset name must not contain '/' or '\\'";
  }
  if (name.find("..") != std::string::npos) return "asset name must not contain '..'";
  if (name.front() == '.') return "asset name must not start with '.'";
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return "asset name must not contain control characters";
  }
  return "";
}

std::string CheckSessionId(const std::string& id) {
  if (id.empty() || id.size() > kMaxSessionIdBytes) {
    return "must be 1 to " + std::to_string(kMaxSessionIdBytes) + " characters";
  }
  if (id.front() == '.' || id.front() == '-') return "must not start with '.' or '-'";
  for (unsigned char c : id) {
    if (!std::isalnum(c) && c != '-' && c != '_' && c != '.') {
      return "may contain only letters, digits, '-', '_' and '.'";
    }
  }
  return "";
}

Api::Api(const ServerConfig& config, store::SessionStore& store, events::EventLogs& logs,
         Metrics& metrics, live::SessionRuntimes& runtimes, RecordingControl control,
         LibraryServices library)
    : config_(config),
      store_(store),
      logs_(logs),
      metrics_(metrics),
      runtimes_(runtimes),
      control_(control),
      library_(library),
      sessions_dir_(config.data_dir / "sessions"),
      watch_(&library.watch),
      web_(config.web_dir),
      cors_(config.cors_origins) {}

void Api::Authorize(const RequestHeader& header) const {
  const std::string_view token = BearerToken(header, "API key");
  if (!auth::ConstantTimeEquals(token, config_.api_key)) {
    throw ApiError(status::unauthorized, "unauthorized",
                   auth::JwtVerifier::LooksLikeJwt(token)
                       ? "this route takes the platform's API key; a user's token (JWT) is not "
                         "accepted here"
                       : "invalid API key");
  }
}

Route Api::Match(const RequestHeader& header, std::string& label) const {
  label = "other";
  const auto segments = SplitPath(header.target());
  if (!segments) {
    throw ApiError::BadRequest("malformed request target");
  }
  const auto& s = *segments;
  const auto method = header.method();
  auto require = [&](beast_http::verb verb) {
    if (method != verb) {
      throw ApiError(status::method_not_allowed, "method_not_allowed",
                     std::string(header.method_string()) + " is not allowed here; use " +
                         std::string(beast_http::to_string(verb)),
                     json{{"allow", std::string(beast_http::to_string(verb))}});
    }
  };
  if (s.size() == 1 && s[0] == "livez") {
    label = "/livez";
    require(beast_http::verb::get);
    return {RouteKind::kLivez, label, "", ""};
  }
  if (s.size() == 1 && s[0] == "readyz") {
    label = "/readyz";
    require(beast_http::verb::get);
    return {RouteKind::kReadyz, label, "", ""};
  }
  if (s.size() == 1 && s[0] == "metrics") {
    label = "/metrics";
    require(beast_http::verb::get);
    return {RouteKind::kMetrics, label, "", ""};
  }
  // The web app and the routes it relies on.
  if (auto route = MatchWebApp(header, s, label)) return *route;
  if (auto route = MatchSession(header, s, label)) return *route;
  if (auto route = MatchUsers(header, s, label)) return *route;
  if (auto route = MatchWatchProgress(header, s, label)) return *route;
  if (auto route = MatchWatch(header, s, label)) {
    return *route;
  }
  if (!s.empty() && s[0] == "whip") {
    return MatchWhip(header, s, label);
  }
  if (s.size() >= 4 && s[0] == "api" && s[1] == "v1" && s[2] == "recordings") {
    return MatchRecording(header, s, label);
  }
  if (s.size() == 3 && s[0] == "api" && s[1] == "v1" &&
      (s[2] == "recordings" || s[2] == "me" || s[2] == "login" || s[2] == "logout")) {
    Route route;
    route.label = label = "/api/v1/" + s[2];
    if (s[2] == "recordings" || s[2] == "me") {
      route.kind = s[2] == "me" ? RouteKind::kMe : RouteKind::kListRecordings;
      route.caller = IdentifiedCaller(header);
      require(beast_http::verb::get);
    } else {
      route.kind = s[2] == "login" ? RouteKind::kLogin : RouteKind::kLogout;
      require(beast_http::verb::post);
    }
    return route;
  }
  if (s.size() == 3 && s[0] == "api" && s[1] == "v1" && s[2] == "settings") {
    label = "/api/v1/settings";
    Authorize(header);
    if (method != beast_http::verb::get && method != beast_http::verb::put) {
      throw ApiError(status::method_not_allowed, "method_not_allowed",
                     std::string(header.method_string()) + " is not allowed here; use GET or PUT",
                     json{{"allow", "GET, PUT"}});
    }
    return {RouteKind::kSettings, label, "", ""};
  }
  if (s.size() >= 3 && s[0] == "api" && s[1] == "v1" && s[2] == "sessions") {
    Route route{RouteKind::kCreateSession, "/api/v1/sessions", "", ""};
    if (s.size() == 3) {
      label = route.label;
      Authorize(header);
      require(beast_http::verb::post);
      return route;
    }
    if (s.size() == 5 && s[4] == "events") {
      route = Route{RouteKind::kPostEvents, "/api/v1/sessions/{sid}/events", s[3], ""};
    } else if (s.size() == 6 && s[4] == "events" && s[5] == "ws") {
      route = Route{RouteKind::kEventsWebSocket, "/api/v1/sessions/{sid}/events/ws", s[3], ""};
    } else if (s.size() == 6 && s[4] == "assets") {
      route = Route{RouteKind::kPutAsset, "/api/v1/sessions/{sid}/assets/{name}", s[3], s[5]};
    } else if (s.size() == 7 && s[4] == "tracks" && s[6] == "rtp") {
      route = Route{RouteKind::kRtpForward, "/api/v1/sessions/{sid}/tracks/{track}/rtp", s[3], ""};
      route.resource = s[5];
    } else if (s.size() == 5 && s[4] == "recordings") {
      route = Route{RouteKind::kStartRecording, "/api/v1/sessions/{sid}/recordings", s[3], ""};
    } else if (s.size() == 5 && s[4] == "notifications") {
      route = Route{RouteKind::kNotifications, "/api/v1/sessions/{sid}/notifications", s[3], ""};
    } else if (s.size() == 6 && s[4] == "notifications" && s[5] == "ticket") {
      route = Route{RouteKind::kNotificationTicket,
                    "/api/v1/sessions/{sid}/notifications/ticket", s[3], ""};
    } else if (s.size() == 5 && s[4] == "test-faults" && config_.test_faults) {
      route = Route{RouteKind::kTestFaults, "/api/v1/sessions/{sid}/test-faults", s[3], ""};
    } else {
      throw ApiError::NotFound("no such resource: " + std::string(header.target()));
    }
    label = route.label;
    if (route.kind == RouteKind::kRtpForward) {
      if (!CheckSessionId(route.session_id).empty() || !store_.Find(route.session_id)) {
        throw ApiError::NotFound("no session '" + route.session_id + "'");
      }
      AuthorizeIngest(header, route.session_id);
    } else if (route.kind == RouteKind::kStartRecording ||
               route.kind == RouteKind::kNotifications ||
               route.kind == RouteKind::kNotificationTicket) {
      route.caller = SessionRunner(header, route);  // hosts and co-hosts too
    } else {
      Authorize(header);
    }
    require(route.kind == RouteKind::kPutAsset || route.kind == RouteKind::kTestFaults
                ? beast_http::verb::put
            : route.kind == RouteKind::kEventsWebSocket || route.kind == RouteKind::kNotifications
                ? beast_http::verb::get
                : beast_http::verb::post);
    if (!CheckSessionId(route.session_id).empty() || !store_.Find(route.session_id)) {
      throw ApiError::NotFound("no session '" + route.session_id + "'");
    }
    if (route.kind == RouteKind::kPutAsset) {
      if (const std::string problem = CheckAssetName(route.asset_name); !problem.empty()) {
        throw ApiError(status::bad_request, "invalid_asset_name", problem);
      }
    }
    return route;
  }
  throw ApiError::NotFound("no such resource: " + std::string(header.target()));
}

Response Api::Handle(const Route& route, const StringRequest& request) {
  const unsigned version = request.version();
  const bool keep_alive = request.keep_alive();
  switch (route.kind) {
    case RouteKind::kLivez:
      return JsonResponse(status::ok, {{"status", "ok"}}, version, keep_alive);
    case RouteKind::kReadyz: {
      std::error_code ec;
      const bool data_ok = std::filesystem::is_directory(sessions_dir_, ec);
      if (!data_ok) {
        throw ApiError(status::service_unavailable, "not_ready",
                       "data directory " + sessions_dir_.string() + " is not available");
      }
      store_.Count();  // throws if the database is unusable
      return JsonResponse(status::ok, {{"status", "ready"}}, version, keep_alive);
    }
    case RouteKind::kMetrics: {
      Response res{status::ok, version};
      res.set(beast_http::field::content_type, "text/plain; version=0.0.4");
      res.keep_alive(keep_alive);
      res.body() = metrics_.Render(store_.Count()) +
                   "# HELP ssr_ingest_active WHIP resources and RTP forwards receiving media.\n"
                   "# TYPE ssr_ingest_active gauge\n"
                   "ssr_ingest_active " + std::to_string(runtimes_.ingest_count()) + "\n" +
                   "# HELP ssr_live_parts_active Live recorders writing a part.\n"
                   "# TYPE ssr_live_parts_active gauge\n"
                   "ssr_live_parts_active " + std::to_string(runtimes_.part_count()) + "\n";
      res.prepare_payload();
      return res;
    }
    case RouteKind::kCreateSession:
      return CreateSession(request);
    case RouteKind::kPostEvents:
      return PostEvents(route, request);
    case RouteKind::kEventsWebSocket:
      throw ApiError(status::upgrade_required, "upgrade_required",
                     "this is a WebSocket endpoint: send an Upgrade: websocket request");
    case RouteKind::kWhipOffer:
      return WhipOffer(route, request);
    case RouteKind::kWhipResource:
      return WhipResource(route, request);
    case RouteKind::kRtpForward:
      return RtpForward(route, request);
    case RouteKind::kStartRecording:
      return StartRecording(route, request);
    case RouteKind::kStopRecording:
      return StopRecording(route, request);
    case RouteKind::kRecording:
      if (request.method() == beast_http::verb::patch) return PatchRecording(route, request);
      if (request.method() == beast_http::verb::delete_) return DeleteRecording(route, request);
      return GetRecording(route, request);
    case RouteKind::kSharing:
      if (request.method() == beast_http::verb::put) return PutSharing(route, request);
      return GetSharing(route, request);
    case RouteKind::kListRecordings:
      return ListRecordings(route, request);
    case RouteKind::kMe:
      return Me(route, request);
    case RouteKind::kLogin:
      return Login(request);
    case RouteKind::kLogout:
      return Logout(request);
    case RouteKind::kCreateUser:
      return CreateUser(request);
    case RouteKind::kSettings:
      return Settings(request);
    case RouteKind::kTestFaults:
      return PutTestFaults(route, request);
    case RouteKind::kNotificationTicket:
      return IssueNotificationTicket(route, request);
    case RouteKind::kWatchPart:
    case RouteKind::kLinks:
    case RouteKind::kLink:
    case RouteKind::kViewers:
    case RouteKind::kSharePage:
    case RouteKind::kShareViews:
      return HandleWatch(route, request);
    case RouteKind::kDownloadPart:
    case RouteKind::kPartChat:
    case RouteKind::kWatch:
    case RouteKind::kWatchChat:
    case RouteKind::kPartChapters:
    case RouteKind::kWatchChapters:
      throw std::logic_error("Api::Handle: downloads go through FileFor");
    case RouteKind::kNotifications:
      throw std::logic_error("Api::Handle: notification streams go through the connection");
    case RouteKind::kPutAsset:
      break;
    // The web app and what it relies on.
    case RouteKind::kWebPage:
      return WebPage(request);
    case RouteKind::kSession:
      return GetSession(route, request);
    case RouteKind::kParticipants:
      return Participants(route, request);
    case RouteKind::kUsers:
      return ListUsers(request);
    case RouteKind::kUser:
      return DeleteUser(route, request);
    case RouteKind::kUserPassword:
      return SetUserPassword(route, request);
    case RouteKind::kWatchProgress:
      return WatchProgress(route, request);
    case RouteKind::kWatchRenew:
      return RenewWatch(route, request);
    case RouteKind::kWebAsset:
      throw std::logic_error("Api::Handle: assets go through FileFor");
  }
  throw std::logic_error("Api::Handle: asset uploads go through FinishAsset");
}

Response Api::CreateSession(const StringRequest& request) {
  const json body = ParseJsonBody(request);
  if (!body.is_object()) {
    throw ApiError::BadRequest("body must be a JSON object");
  }
  auto field_error = [](const std::string& field, const std::string& what) {
    return ApiError(status::bad_request, "invalid_field", "field '" + field + "' " + what,
                    json{{"field", field}});
  };
  store::SessionRecord session;
  if (const auto it = body.find("id"); it != body.end() && !it->is_null()) {
    if (!it->is_string()) throw field_error("id", "must be a string");
    session.id = it->get<std::string>();
    if (const std::string problem = CheckSessionId(session.id); !problem.empty()) {
      throw field_error("id", problem);
    }
  } else {
    session.id = auth::RandomToken(12);
  }
  const auto title = body.find("title");
  if (title == body.end()) throw field_error("title", "is required");
  if (!title->is_string()) throw field_error("title", "must be a string");
  session.title = title->get<std::string>();
  if (session.title.empty() || session.title.size() > kMaxTitleBytes) {
    throw field_error("title", "must be 1 to " + std::to_string(kMaxTitleBytes) + " characters");
  }
  if (const auto it = body.find("timezone"); it != body.end() && !it->is_null()) {
    if (!it->is_string()) throw field_error("timezone", "must be a string");
    session.timezone = it->get<std::string>();
    if (!ValidTimezone(session.timezone)) {
      throw field_error("timezone", "'" + session.timezone +
                                        "' is not an IANA time zone (e.g. Europe/Paris)");
    }
  }
  if (const auto it = body.find("autostart"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean()) throw field_error("autostart", "must be true or false");
    session.autostart = it->get<bool>();
  }
  if (const auto it = body.find("invitees"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) throw field_error("invitees", "must be an array of {user, role}");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& invitee = (*it)[i];
      const std::string where = "invitees[" + std::to_string(i) + "]";
      if (!invitee.is_object()) throw field_error(where, "must be an object {user, role}");
      const auto user = invitee.find("user");
      if (user == invitee.end() || !user->is_string() || user->get<std::string>().empty()) {
        throw field_error(where + ".user", "must be a non-empty string");
      }
      const auto role = invitee.find("role");
      static const std::array<std::string, 4> kRoles = {"host", "cohost", "presenter",
                                                        "attendee"};
      if (role == invitee.end() || !role->is_string() ||
          std::find(kRoles.begin(), kRoles.end(), role->get<std::string>()) == kRoles.end()) {
        throw field_error(where + ".role", "must be one of host, cohost, presenter, attendee");
      }
      session.invitees.push_back({{"user", *user}, {"role", *role}});
    }
  }
  const std::string ingest_token = auth::RandomToken(32);
  session.ingest_token_hash = auth::HashToken(ingest_token);
  if (!store_.Create(session)) {
    throw ApiError(status::conflict, "conflict", "a session with id '" + session.id + "' exists");
  }
  // The bundle directory: session.json, an empty events.jsonl, assets/.
  const std::filesystem::path dir = sessions_dir_ / session.id;
  std::filesystem::create_directories(dir / "assets");
  WriteFileAtomically(dir / "session.json",
                      json{{"id", session.id},
                           {"title", session.title},
                           {"timezone", session.timezone}}
                              .dump(2) + "\n");
  if (!std::filesystem::exists(dir / "events.jsonl")) {
    std::ofstream(dir / "events.jsonl", std::ios::app);
  }
  std::optional<bool> autostart;  // absent: the organization's setting
  if (const auto it = body.find("autostart"); it != body.end() && !it->is_null()) {
    autostart = it->get<bool>();
  }
  control_.controller.OpenSession({session.id, session.title, autostart, std::nullopt});
  library_.roles.AddInvitees(session.id, session.invitees);
  {
    std::lock_guard lock(control_sessions_mutex_);
    control_sessions_.insert(session.id);
  }
  Logger("http")->info("session {} created ('{}')", session.id, session.title);
  Response res = JsonResponse(status::created,
                              {{"id", session.id},
                               {"ingest_token", ingest_token},
                               {"title", session.title},
                               {"timezone", session.timezone},
                               {"autostart", session.autostart},
                               {"invitees", session.invitees}},
                              request.version(), request.keep_alive());
  res.set(beast_http::field::location, "/api/v1/sessions/" + session.id);
  return res;
}

size_t Api::IngestEvents(const std::string& session_id, const json& body) {
  std::vector<json> batch;
  if (body.is_array()) {
    batch.assign(body.begin(), body.end());
  } else if (body.is_object()) {
    batch.push_back(body);
  } else {
    throw ApiError(status::bad_request, "invalid_event",
                   "body must be an event object or an array of events");
  }
  try {
    EnsureControlSession(session_id);
    std::lock_guard lock(ingest_order_mutex_);
    // The runtime first: a new one replays events.jsonl, which must not hold this batch yet.
    live::SessionRuntime& runtime = runtimes_.For(session_id);
    const std::vector<events::Event> parsed = logs_.For(session_id).Append(batch);
    runtime.OnEvents(parsed);
    try {
      library_.roles.AddEvents(session_id, parsed);  // who had which role (R12)
    } catch (const std::exception& e) {
      // The events are logged: a re-index from events.jsonl can recover what is missed here.
      Logger("library")->error("session {}: roles not indexed: {}", session_id, e.what());
    }
    // Then recording control, in the same order: a part it starts sees these events.
    const double now = WallNow();
    for (const events::Event& event : parsed) {
      try {
        control_.controller.OnEvent(now, session_id, event);
      } catch (const std::exception& e) {
        // The event is logged and live already; control problems must not reject it.
        Logger("control")->error("session {}: event t={:.3f} {}: {}", session_id, event.t,
                                 events::EventTypeName(event.type), e.what());
      }
    }
  } catch (const events::EventLogError& e) {
    throw ApiError(status::bad_request, "invalid_event",
                   "event " + std::to_string(e.index()) + ": " + e.what() +
                       " (no event of this request was recorded)",
                   json{{"index", e.index()}});
  }
  metrics_.CountEvents(batch.size());
  return batch.size();
}

Response Api::PostEvents(const Route& route, const StringRequest& request) {
  const size_t accepted = IngestEvents(route.session_id, ParseJsonBody(request));
  return JsonResponse(status::accepted, {{"accepted", accepted}}, request.version(),
                      request.keep_alive());
}

json Api::HandleWebSocketMessage(const Route& route, std::string_view text) {
  try {
    json body;
    try {
      body = json::parse(text);
    } catch (const json::parse_error& e) {
      throw ApiError(status::bad_request, "invalid_json",
                     std::string("message is not valid JSON: ") + e.what());
    }
    return {{"accepted", IngestEvents(route.session_id, body)}};
  } catch (const ApiError& e) {
    return ErrorJson(e);
  }
}

std::filesystem::path Api::AssetTempPath(const Route& route) const {
  return sessions_dir_ / route.session_id / "assets" /
         (".upload-" + auth::RandomToken(9) + ".tmp");
}

Response Api::FinishAsset(const Route& route, unsigned http_version, bool keep_alive,
                          const std::filesystem::path& temp_path) {
  const std::filesystem::path final_path =
      sessions_dir_ / route.session_id / "assets" / route.asset_name;
  const bool existed = std::filesystem::exists(final_path);
  const uint64_t size_bytes = std::filesystem::file_size(temp_path);
  std::filesystem::rename(temp_path, final_path);
  metrics_.CountAssetBytes(size_bytes);
  Logger("http")->info("session {}: asset {} stored ({} bytes)", route.session_id,
                       route.asset_name, size_bytes);
  return JsonResponse(existed ? status::ok : status::created,
                      {{"name", route.asset_name}, {"size_bytes", size_bytes}},
                      http_version, keep_alive);
}

}  // namespace ssr::http
