// The fleet's routes (docs/scaling.md). In role api, what only the session's worker can do —
// take its events, ingest its media, start and stop its recordings — is forwarded there over
// HTTP as it came (method, path, headers, body), and the worker's answer is given back. The
// worker checks the credentials again: the API adds none of its own.

#include "http/api.h"

#include "common/log.h"

#include <httplib.h>

#include <array>
#include <cctype>

namespace ssr::http {
namespace {

using beast_http::status;
using nlohmann::json;

// Hop-by-hop and framing headers are the connection's, not the request's (RFC 9110 §7.6.1).
bool ForwardedHeader(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kNotForwarded = {
      "host", "connection",          "content-length", "transfer-encoding", "keep-alive", "upgrade",
      "te",   "proxy-authorization", "trailer"};
  for (std::string_view skip : kNotForwarded) {
    if (name.size() == skip.size() &&
        std::equal(name.begin(), name.end(), skip.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == b;
        })) {
      return false;
    }
  }
  return true;
}

// What the worker's answer says that the caller needs.
constexpr std::array<const char*, 5> kAnswerHeaders = {"Content-Type", "Location", "ETag",
                                                       "Retry-After", "Allow"};

} // namespace

std::string Api::SessionToForward(const Route& route, const StringRequest& request) {
  switch (route.kind) {
  case RouteKind::kPostEvents:
  case RouteKind::kPublishers:
  case RouteKind::kRtpForward:
  case RouteKind::kWhipOffer:
  case RouteKind::kWhipResource:
  case RouteKind::kStartRecording:
  case RouteKind::kTestFaults:
    return route.session_id;
  case RouteKind::kStopRecording:
  case RouteKind::kRecording: {
    // A running recording's title lives in its worker's memory until it ends: a rename goes
    // there. Reading, and deleting a finished one, are the API's.
    if (route.kind == RouteKind::kRecording && request.method() != beast_http::verb::patch)
      return "";
    const auto recording = control_.store.FindRecording(route.param("rid"));
    if (!recording || recording->status == control::RecordingStatus::kReady ||
        recording->status == control::RecordingStatus::kFailed) {
      return "";
    }
    return recording->session_id;
  }
  default:
    return "";
  }
}

std::optional<Response> Api::ForwardToWorker(const Route& route, const StringRequest& request) {
  if (config_.role != "api")
    return std::nullopt;
  const std::string session_id = SessionToForward(route, request);
  if (session_id.empty())
    return std::nullopt;
  const auto worker = app_.fleet()->WorkerOf(session_id);
  if (!worker || !worker->alive) {
    throw ApiError(status::service_unavailable, "no_worker",
                   "no live worker holds session '" + session_id +
                       "' now (one takes it within seconds); try again",
                   json{{"retry_after_s", 1}});
  }
  httplib::Client client(worker->url);
  client.set_connection_timeout(std::chrono::seconds(2));
  client.set_read_timeout(std::chrono::seconds(config_.request_timeout_s));
  client.set_write_timeout(std::chrono::seconds(config_.request_timeout_s));
  httplib::Request forwarded;
  forwarded.method = std::string(request.method_string());
  forwarded.path = std::string(request.target());
  for (const auto& field : request) {
    if (ForwardedHeader(field.name_string()))
      forwarded.headers.emplace(std::string(field.name_string()), std::string(field.value()));
  }
  forwarded.body = request.body();
  const httplib::Result answer = client.send(forwarded);
  if (!answer) {
    Logger("fleet")->warn("session {}: worker {} at {} did not answer: {}", session_id, worker->id,
                          worker->url, httplib::to_string(answer.error()));
    throw ApiError(status::bad_gateway, "worker_unreachable",
                   "the worker recording session '" + session_id +
                       "' did not answer; if it is gone, another takes the session within "
                       "seconds: try again");
  }
  Response res{static_cast<status>(answer->status), request.version()};
  for (const char* name : kAnswerHeaders) {
    if (answer->has_header(name))
      res.set(name, answer->get_header_value(name));
  }
  res.body() = answer->body;
  res.keep_alive(request.keep_alive());
  res.prepare_payload();
  return res;
}

Response Api::ListWorkers(const Route& /*route*/, const StringRequest& request) {
  json workers = json::array();
  if (server::App* app = &app_; app->fleet() != nullptr) {
    for (const fleet::WorkerRow& w : app->fleet()->Workers()) {
      workers.push_back({{"id", w.id},
                         {"url", w.url},
                         {"capacity", w.capacity},
                         {"load", w.load},
                         {"sessions", w.sessions},
                         {"heartbeat_age_ms", w.heartbeat_age_ms},
                         {"state", w.State()}});
    }
  } else {
    // One process records everything itself.
    const control::RecorderLoad load = control_.controller.Load();
    workers.push_back({{"id", "local"},
                       {"url", config_.AdvertiseUrl()},
                       {"capacity", load.capacity},
                       {"load", load.admitted},
                       {"sessions", nullptr},
                       {"heartbeat_age_ms", 0},
                       {"state", "active"}});
  }
  return JsonResponse(status::ok, {{"workers", workers}}, request.version(), request.keep_alive());
}

} // namespace ssr::http
