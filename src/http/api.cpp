#include "http/api.h"

#include "auth/tokens.h"
#include "common/ids.h"
#include "common/log.h"
#include "events/bundle_dir.h"
#include "http/openapi_document.h"

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

Api::Api(const server::ServerConfig& config, store::SessionStore& store, events::EventLogs& logs,
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
      cors_(config.cors_origins),
      routes_(RouteRows(), config.test_faults) {}

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

Response Api::Livez(const Route&, const StringRequest& request) {
  return JsonResponse(status::ok, {{"status", "ok"}}, request.version(), request.keep_alive());
}

Response Api::Readyz(const Route&, const StringRequest& request) {
  std::error_code ec;
  const bool data_ok = std::filesystem::is_directory(sessions_dir_, ec);
  if (!data_ok) {
    throw ApiError(status::service_unavailable, "not_ready",
                   "data directory " + sessions_dir_.string() + " is not available");
  }
  store_.Count();  // throws if the database is unusable
  return JsonResponse(status::ok, {{"status", "ready"}}, request.version(), request.keep_alive());
}

Response Api::MetricsText(const Route&, const StringRequest& request) {
  Response res{status::ok, request.version()};
  res.set(beast_http::field::content_type, "text/plain; version=0.0.4");
  res.keep_alive(request.keep_alive());
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

Response Api::OpenApi(const Route&, const StringRequest& request) {
  Response res{status::ok, request.version()};
  res.set(beast_http::field::server, "ssr");
  res.set(beast_http::field::content_type, "application/json");
  res.set(beast_http::field::cache_control, "no-cache");
  res.keep_alive(request.keep_alive());
  res.body() = std::string(OpenApiDocument());
  res.prepare_payload();
  return res;
}

Response Api::UpgradeRequired(const Route&, const StringRequest&) {
  throw ApiError(status::upgrade_required, "upgrade_required",
                 "this is a WebSocket endpoint: send an Upgrade: websocket request");
}

Response Api::CreateSession(const Route&, const StringRequest& request) {
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
  return events::BundleDir(sessions_dir_ / route.session_id)
      .AssetPath(".upload-" + auth::RandomToken(9) + ".tmp");
}

Response Api::FinishAsset(const Route& route, unsigned http_version, bool keep_alive,
                          const std::filesystem::path& temp_path) {
  const std::filesystem::path final_path =
      events::BundleDir(sessions_dir_ / route.session_id).AssetPath(route.param("name"));
  const bool existed = std::filesystem::exists(final_path);
  const uint64_t size_bytes = std::filesystem::file_size(temp_path);
  std::filesystem::rename(temp_path, final_path);
  metrics_.CountAssetBytes(size_bytes);
  Logger("http")->info("session {}: asset {} stored ({} bytes)", route.session_id,
                       route.param("name"), size_bytes);
  return JsonResponse(existed ? status::ok : status::created,
                      {{"name", route.param("name")}, {"size_bytes", size_bytes}},
                      http_version, keep_alive);
}

}  // namespace ssr::http
