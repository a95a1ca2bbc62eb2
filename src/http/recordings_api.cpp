// Recording routes for the platform (API key): start a room's recording, stop it, read it,
// download a part.

#include "http/api.h"

#include "common/log.h"

namespace ssr::http {
namespace {

using beast_http::status;
using nlohmann::json;

}  // namespace

Route Api::MatchRecording(const RequestHeader& header, const std::vector<std::string>& s,
                          std::string& label) const {
  Route route;
  route.resource = s[3];
  const auto method = header.method();
  beast_http::verb wanted = beast_http::verb::get;
  if (s.size() == 4) {
    route.kind = RouteKind::kGetRecording;
    route.label = "/api/v1/recordings/{rid}";
  } else if (s.size() == 5 && s[4] == "stop") {
    route.kind = RouteKind::kStopRecording;
    route.label = "/api/v1/recordings/{rid}/stop";
    wanted = beast_http::verb::post;
  } else if (s.size() == 7 && s[4] == "parts" && s[6] == "download") {
    route.kind = RouteKind::kDownloadPart;
    route.label = "/api/v1/recordings/{rid}/parts/{n}/download";
    try {
      size_t used = 0;
      route.part = std::stoi(s[5], &used);
      if (used != s[5].size() || route.part < 1) throw std::invalid_argument("n");
    } catch (const std::exception&) {
      throw ApiError::NotFound("no part '" + s[5] + "' (parts are numbered from 1)");
    }
  } else {
    throw ApiError::NotFound("no such resource: " + std::string(header.target()));
  }
  label = route.label;
  Authorize(header);
  if (method != wanted) {
    throw ApiError(status::method_not_allowed, "method_not_allowed",
                   std::string(header.method_string()) + " is not allowed here; use " +
                       std::string(beast_http::to_string(wanted)),
                   json{{"allow", std::string(beast_http::to_string(wanted))}});
  }
  return route;
}

Response Api::StartRecording(const Route& route, const StringRequest& request) {
  json body = json::object();
  if (!request.body().empty()) {
    try {
      body = json::parse(request.body());
    } catch (const json::parse_error& e) {
      throw ApiError(status::bad_request, "invalid_json", std::string("body is not valid JSON: ") + e.what());
    }
    if (!body.is_object()) throw ApiError::BadRequest("body must be a JSON object {room?, name?}");
  }
  auto string_field = [&](const char* field, const std::string& fallback) {
    const auto it = body.find(field);
    if (it == body.end() || it->is_null()) return fallback;
    if (!it->is_string()) {
      throw ApiError(status::bad_request, "invalid_field", std::string("field '") + field + "' must be a string",
                     json{{"field", field}});
    }
    return it->get<std::string>();
  };
  const std::string room = string_field("room", "main");
  std::string title = string_field("name", "");
  if (title.empty()) title = store_.Find(route.session_id)->title;
  json recording;
  try {
    recording = recordings_.Start(route.session_id, room, title);
  } catch (const live::IngestError& e) {
    throw ApiError(status::service_unavailable, "recorder_unavailable", e.what());
  }
  Logger("http")->info("session {}: recording {} of room {} started", route.session_id,
                       recording.at("id").get<std::string>(), room);
  return JsonResponse(status::accepted, recording, request.version(), request.keep_alive());
}

Response Api::StopRecording(const Route& route, const StringRequest& request) {
  auto recording = recordings_.Stop(route.resource);
  if (!recording) throw ApiError::NotFound("no recording '" + route.resource + "'");
  return JsonResponse(status::ok, *recording, request.version(), request.keep_alive());
}

Response Api::GetRecording(const Route& route, const StringRequest& request) {
  auto recording = recordings_.Get(route.resource);
  if (!recording) throw ApiError::NotFound("no recording '" + route.resource + "'");
  return JsonResponse(status::ok, *recording, request.version(), request.keep_alive());
}

FileReply Api::FileFor(const Route& route) {
  auto path = recordings_.PartFile(route.resource, route.part);
  if (!path) {
    throw ApiError::NotFound("recording '" + route.resource + "' has no ready part " +
                             std::to_string(route.part));
  }
  return {*path, "video/webm", route.resource + "-part-" + std::to_string(route.part) + ".webm"};
}

}  // namespace ssr::http
