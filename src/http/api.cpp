#include "http/api.h"

#include "auth/tokens.h"
#include "common/ids.h"
#include "common/log.h"
#include "events/bundle_dir.h"
#include "http/openapi_document.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <system_error>

namespace ssr::http {
namespace {

using beast_http::status;
using nlohmann::json;

// One metric without labels in the Prometheus text format, with its HELP and TYPE lines.
std::string MetricText(const char* name, const char* help, const char* type, long long value) {
  return std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
         name + " " + std::to_string(value) + "\n";
}

int HexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

} // namespace

std::string_view BearerToken(const RequestHeader& header, const std::string& what) {
  const auto it = header.find(beast_http::field::authorization);
  if (it == header.end()) {
    throw ApiError(status::unauthorized, "unauthorized",
                   "missing Authorization: Bearer <" + what + ">");
  }
  const std::string_view value = it->value();
  constexpr std::string_view kBearer = "Bearer ";
  if (value.size() <= kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), value.begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    throw ApiError(status::unauthorized, "unauthorized",
                   "Authorization must be 'Bearer <" + what + ">'");
  }
  return value.substr(kBearer.size());
}

std::string QueryParam(std::string_view target, std::string_view name) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos)
    return "";
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name && eq != std::string_view::npos) {
      return std::string(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos)
      break;
    query.remove_prefix(amp + 1);
  }
  return "";
}

std::optional<std::vector<std::string>> SplitPath(std::string_view target) {
  target = target.substr(0, target.find('?'));
  std::vector<std::string> segments;
  if (target.empty() || target.front() != '/') {
    return std::nullopt;
  }
  size_t start = 1;
  while (start <= target.size()) {
    size_t end = target.find('/', start);
    if (end == std::string_view::npos)
      end = target.size();
    std::string segment;
    for (size_t i = start; i < end; ++i) {
      if (target[i] == '%') {
        if (i + 2 >= end) {
          return std::nullopt;
        }
        const int hi = HexValue(target[i + 1]);
        const int lo = HexValue(target[i + 2]);
        if (hi < 0 || lo < 0)
          return std::nullopt;
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

Api::Api(server::App& app, Metrics& metrics, const CallerResolver& callers)
    : app_(app), config_(app.config()), store_(app.session_store()), metrics_(metrics),
      runtimes_(app.runtimes()), control_{app.controller(), app.recording_store(), app.hub(),
                                          app.storage(), app.recorder()},
      library_{app.accounts(), app.roles(), app.sharing(), app.library(), callers, app.watch()},
      sessions_dir_(app.sessions_dir()), watch_(&app.watch()), web_(config_.web_dir),
      cors_(config_.cors_origins), routes_(RouteRows(), config_.test_faults) {}

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
    // The path is the operator's, in the log; a stranger probing /readyz learns nothing (L7).
    Logger("http")->error("not ready: data directory {} is not available", sessions_dir_.string());
    throw ApiError(status::service_unavailable, "not_ready",
                   "the data directory is not available (see the server log)");
  }
  store_.Count(); // throws if the database is unusable
  // Ready to serve; what it can still record is for a load balancer that places classes.
  const control::RecorderLoad load = control_.controller.Load();
  const json recordings = {{"capacity", load.capacity},
                           {"recording", load.admitted},
                           {"spare", std::max(0, load.capacity - load.admitted)},
                           {"waiting", load.waiting}};
  return JsonResponse(status::ok, {{"status", "ready"}, {"recordings", recordings}},
                      request.version(), request.keep_alive());
}

Response Api::MetricsText(const Route&, const StringRequest& request) {
  Response res{status::ok, request.version()};
  res.set(beast_http::field::content_type, "text/plain; version=0.0.4");
  res.keep_alive(request.keep_alive());
  res.body() = metrics_.Render(store_.Count()) +
               "# HELP ssr_ingest_active WHIP resources and RTP forwards receiving media.\n"
               "# TYPE ssr_ingest_active gauge\n"
               "ssr_ingest_active " +
               std::to_string(runtimes_.ingest_count()) + "\n" +
               "# HELP ssr_live_parts_active Live recorders writing a part.\n"
               "# TYPE ssr_live_parts_active gauge\n"
               "ssr_live_parts_active " +
               std::to_string(runtimes_.part_count()) + "\n" + RecorderLoadMetrics() +
               RecordingMetrics();
  res.prepare_payload();
  return res;
}

std::string Api::RecorderLoadMetrics() {
  const control::RecorderLoad load = control_.controller.Load();
  auto gauge = [](const char* name, const char* help, long long value, const char* type) {
    return MetricText(name, help, type, value);
  };
  return gauge("ssr_recorder_capacity", "Recordings this server records at once.", load.capacity,
               "gauge") +
         gauge("ssr_recorder_admitted", "Recordings holding a recorder slot.", load.admitted,
               "gauge") +
         gauge("ssr_recorder_spare", "Recorder slots free.",
               std::max(0, load.capacity - load.admitted), "gauge") +
         gauge("ssr_recorder_waiting", "Recordings waiting in their countdown for a slot.",
               load.waiting, "gauge");
}

std::string Api::RecordingMetrics() {
  std::string text = "# HELP ssr_recordings Recordings in the library, by state.\n"
                     "# TYPE ssr_recordings gauge\n";
  const std::map<std::string, int64_t> by_state = control_.store.CountByStatus();
  using control::RecordingStatus;
  for (const RecordingStatus status :
       {RecordingStatus::kInitializing, RecordingStatus::kRecording, RecordingStatus::kPaused,
        RecordingStatus::kProcessing, RecordingStatus::kReady, RecordingStatus::kFailed}) {
    const std::string state(control::StatusName(status));
    const auto it = by_state.find(state);
    text += "ssr_recordings{state=\"" + state + "\"} " +
            std::to_string(it == by_state.end() ? 0 : it->second) + "\n";
  }
  const control::ControlCounters counters = control_.controller.Counters();
  notify::WebhookSender& webhooks = app_.webhook_sender();
  return text +
         MetricText("ssr_recorder_shed_frames_total",
                    "Composite frames left out by overloaded recorders (parts ended since start).",
                    "counter", counters.shed_frames) +
         MetricText("ssr_recorder_late_frames_total",
                    "Composite frames finished more than a frame after their deadline (parts "
                    "ended since start).",
                    "counter", counters.late_frames) +
         MetricText("ssr_storage_failures_total",
                    "Parts that could not be stored since start (their recording failed).",
                    "counter", counters.store_failures) +
         MetricText("ssr_webhook_failures_total",
                    "Webhook POSTs that failed (no answer or not 2xx) since start.", "counter",
                    webhooks.failed_attempts()) +
         MetricText("ssr_webhook_abandoned_total",
                    "Webhook deliveries given up after their last attempt since start.", "counter",
                    webhooks.abandoned()) +
         MetricText("ssr_webhook_backlog", "Webhook deliveries waiting in the outbox.", "gauge",
                    app_.outbox().PendingCount()) +
         StorageBacklogMetrics();
}

std::string Api::StorageBacklogMetrics() {
  const control::StorageBacklog backlog = control_.controller.Backlog();
  auto metric = [](const char* name, const char* help, uint64_t value, const char* type) {
    return std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
           name + " " + std::to_string(value) + "\n";
  };
  return metric("ssr_storage_upload_backlog_bytes",
                "Bytes of parts (recording or ended) on the local disk not yet in storage.",
                backlog.bytes, "gauge") +
         metric("ssr_storage_upload_backlog_parts",
                "Ended parts waiting to be stored or being stored.", backlog.parts, "gauge") +
         metric("ssr_storage_upload_waiting_parts",
                "Ended parts waiting for the storage to answer again (their last try failed).",
                backlog.waiting_parts, "gauge") +
         metric("ssr_storage_upload_failures_total",
                "Storage requests that failed (each try counts) since the server started.",
                backlog.failed_requests, "counter");
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
  auto present = [&body](const char* name) -> const json* {
    const auto it = body.find(name);
    return it != body.end() && !it->is_null() ? &*it : nullptr;
  };
  server::NewSession asked;
  if (const json* id = present("id")) {
    if (!id->is_string())
      throw FieldError("id", "must be a string");
    asked.id = id->get<std::string>();
  }
  const auto title = body.find("title");
  if (title == body.end())
    throw FieldError("title", "is required");
  if (!title->is_string())
    throw FieldError("title", "must be a string");
  asked.title = title->get<std::string>();
  if (const json* timezone = present("timezone")) {
    if (!timezone->is_string())
      throw FieldError("timezone", "must be a string");
    asked.timezone = timezone->get<std::string>();
  }
  if (const json* autostart = present("autostart")) {
    if (!autostart->is_boolean())
      throw FieldError("autostart", "must be true or false");
    asked.autostart = autostart->get<bool>();
  }
  if (const json* invitees = present("invitees")) {
    if (!invitees->is_array())
      throw FieldError("invitees", "must be an array of {user, role}");
    for (size_t i = 0; i < invitees->size(); ++i) {
      const json& invitee = (*invitees)[i];
      const std::string where = "invitees[" + std::to_string(i) + "]";
      if (!invitee.is_object())
        throw FieldError(where, "must be an object {user, role}");
      const auto user = invitee.find("user");
      if (user == invitee.end() || !user->is_string()) {
        throw FieldError(where + ".user", "must be a non-empty string");
      }
      const auto role = invitee.find("role");
      if (role == invitee.end() || !role->is_string()) {
        throw FieldError(where + ".role", "must be one of host, cohost, presenter, attendee");
      }
      asked.invitees.push_back({user->get<std::string>(), role->get<std::string>()});
    }
  }
  const server::CreatedSession created = app_.sessions().Create(asked);
  const store::SessionRecord& session = created.record;
  app_.PlaceSession(session.id);
  json answer = {{"id", session.id},
                 {"ingest_token", created.ingest_token},
                 {"title", session.title},
                 {"timezone", session.timezone},
                 {"autostart", session.autostart},
                 {"invitees", session.invitees}};
  answer.update(app_.Placement(session.id)); // worker, ingest
  Response res = JsonResponse(status::created, answer, request.version(), request.keep_alive());
  res.set(beast_http::field::location, "/api/v1/sessions/" + session.id);
  return res;
}

json Api::IngestEvents(const std::string& session_id, const json& body) {
  std::vector<json> batch;
  if (body.is_array()) {
    batch.assign(body.begin(), body.end());
  } else if (body.is_object()) {
    batch.push_back(body);
  } else {
    throw ApiError(status::bad_request, "invalid_event",
                   "body must be an event object or an array of events");
  }
  std::vector<std::string> warnings;
  try {
    app_.intake().Accept(session_id, batch, WallNow(), &warnings);
  } catch (const events::EventLogError& e) {
    throw ApiError(status::bad_request, "invalid_event",
                   "event " + std::to_string(e.index()) + ": " + e.what() +
                       " (no event of this request was recorded)",
                   json{{"index", e.index()}});
  } catch (const Error& e) {
    // events.jsonl could not be written (a full disk): the log is as it was (EventLog).
    if (e.kind() != ErrorKind::kUnavailable)
      throw;
    throw ApiError(status::service_unavailable, "events_not_recorded", e.what());
  }
  metrics_.CountEvents(batch.size());
  return {{"accepted", batch.size()}, {"warnings", warnings}};
}

Response Api::PostEvents(const Route& route, const StringRequest& request) {
  return JsonResponse(status::accepted, IngestEvents(route.session_id, ParseJsonBody(request)),
                      request.version(), request.keep_alive());
}

json Api::HandleWebSocketMessage(const Route& route, std::string_view text) {
  try {
    return IngestEvents(route.session_id, ParseJson(text, "message"));
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
                      {{"name", route.param("name")}, {"size_bytes", size_bytes}}, http_version,
                      keep_alive);
}

} // namespace ssr::http
