// Recording routes for the platform (API key): start a room's recording, stop it, read it
// with its parts and status history, download a part and its chat. Recording control
// (control::RecordingController) does the work; its ControlError becomes 404/409/400 here.

#include "http/api.h"

#include "common/log.h"
#include "common/title.h"
#include "http/download_name.h"

#include <cctype>
#include <cmath>

namespace ssr::http {
namespace {

using beast_http::status;
using control::ControlError;
using control::RecordingStatus;
using nlohmann::json;

// A user as the transition log names them: their e-mail, else their id.
std::string WhoIs(const library::Caller& caller) {
  return caller.email.empty() ? caller.user_id : caller.email;
}

json Nullable(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

// Seconds rounded to the millisecond (floating noise out of the JSON).
double Seconds(double s) { return std::round(s * 1000) / 1000; }

// How storing goes while the part is recording or processing; null once stored or failed.
json UploadJson(const control::Part& p) {
  if (!p.upload) {
    return nullptr;
  }
  return {{"stored_bytes", p.upload->stored_bytes},
          {"waiting_for_storage", p.upload->waiting_for_storage},
          {"error", Nullable(p.upload->error)}};
}

json PartJson(const control::Part& p, double now_t) {
  double duration = p.duration_s;
  if (p.status == control::PartStatus::kRecording)
    duration = std::max(0.0, now_t - p.start_t);
  return {{"n", p.n},
          {"status", control::StatusName(p.status)},
          {"start_t", Seconds(p.start_t)},
          {"end_t",
           p.status == control::PartStatus::kRecording ? json(nullptr) : json(Seconds(p.end_t))},
          {"duration_s", Seconds(duration)},
          {"size_bytes", p.size_bytes},
          {"sha256", Nullable(p.sha256)},
          {"interrupted", p.interrupted},
          {"shed_frames", p.shed_frames},
          {"error", Nullable(p.error)},
          {"upload", UploadJson(p)}};
}

} // namespace

Response Api::StartRecording(const Route& route, const StringRequest& request) {
  json body = json::object();
  if (!request.body().empty()) {
    body = ParseJson(request.body(), "body");
    if (!body.is_object())
      throw ApiError::BadRequest("body must be a JSON object {room?, name?}");
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "room" && key != "name" && key != "requested_by") {
      throw FieldError(key, "is not a field of a recording request (room, name, requested_by)");
    }
    if (!value.is_null() && !value.is_string())
      throw FieldError(key, "must be a string");
  }
  auto string_field = [&](const char* field, const std::string& fallback) {
    const auto it = body.find(field);
    return it == body.end() || it->is_null() ? fallback : it->get<std::string>();
  };
  // A host or co-host is who they are; only the platform says on whose behalf it asks.
  std::string requested_by;
  if (route.caller.user()) {
    requested_by = "user " + WhoIs(route.caller);
  } else {
    // It goes into logs and the recording's transitions: one line, like a title (L11).
    CheckedTitle on_behalf_of =
        CheckTitle(string_field("requested_by", "platform"), EmptyTitle::kAllowed);
    if (!on_behalf_of.ok())
      throw FieldError("requested_by", on_behalf_of.problem);
    requested_by = std::move(on_behalf_of.title);
  }
  const std::string room = string_field("room", "main");
  if (room.empty())
    throw FieldError("room", "must not be empty (\"main\" or a breakout room id)");
  app_.sessions().RegisterWithControl(route.session_id);
  control::Recording recording;
  try {
    recording = control_.controller.Start(WallNow(), route.session_id, room,
                                          string_field("name", ""), requested_by);
  } catch (const ControlError& e) {
    throw ApiErrorFrom(e);
  }
  Logger("http")->info("session {}: recording {} of room {} requested ('{}')", route.session_id,
                       recording.id, room, recording.title);
  json reply = RecordingJson(recording.id, false);
  Response res = JsonResponse(status::accepted, reply, request.version(), request.keep_alive());
  res.set(beast_http::field::location, "/api/v1/recordings/" + recording.id);
  return res;
}

Response Api::StopRecording(const Route& route, const StringRequest& request) {
  const auto before = control_.controller.Find(route.param("rid"));
  if (!before || !RunsSessionNow(route.caller, before->session_id)) {
    throw ApiError::NotFound("no recording '" + route.param("rid") + "'");
  }
  if (!before->Active()) {
    throw ApiError(status::conflict, "already_stopped",
                   "recording '" + route.param("rid") + "' is already stopped (status " +
                       std::string(control::StatusName(before->status)) + ")",
                   json{{"status", control::StatusName(before->status)}});
  }
  try {
    control_.controller.Stop(WallNow(), route.param("rid"),
                             route.caller.user() ? "stopped by user " + WhoIs(route.caller)
                                                 : "stopped by request");
  } catch (const ControlError& e) {
    throw ApiErrorFrom(e);
  }
  Logger("http")->info("recording {} stopped by request", route.param("rid"));
  return JsonResponse(status::ok, RecordingJson(route.param("rid"), false), request.version(),
                      request.keep_alive());
}

Response Api::GetRecording(const Route& route, const StringRequest& request) {
  RecordingFor(route, library::Action::kSee);
  return JsonResponse(status::ok, RecordingJsonFor(route.caller, route.param("rid")),
                      request.version(), request.keep_alive());
}

json Api::RecordingJson(const std::string& recording_id, bool with_transitions) {
  const auto r = control_.controller.Find(recording_id);
  if (!r)
    throw ApiError::NotFound("no recording '" + recording_id + "'");
  const double now = WallNow();
  double now_t = 0;
  if (const auto session = control_.store.FindSession(r->session_id);
      session && session->start_wall_s) {
    now_t = now - *session->start_wall_s;
  }
  const auto parts = control_.controller.Parts(recording_id);
  json parts_json = json::array();
  double duration_s = 0;
  for (const control::Part& p : parts) {
    parts_json.push_back(PartJson(p, now_t));
    duration_s += parts_json.back()["duration_s"].get<double>();
  }
  const control::OrgSettings settings = control_.controller.settings();
  json j = {{"id", r->id},
            {"session_id", r->session_id},
            {"room", r->room},
            {"title", r->title},
            {"status", control::StatusName(r->status)},
            {"recorded_at", r->created_at},
            {"duration_s", Seconds(duration_s)},
            {"automatic", r->automatic},
            {"requested_by", Nullable(r->requested_by)},
            {"attempt", r->attempt},
            {"attempts", settings.attempts},
            {"max_attempts", settings.attempts},
            {"error", Nullable(r->error)},
            {"parts", parts_json}};
  if (r->status == RecordingStatus::kInitializing) {
    j["countdown_s"] =
        static_cast<int>(std::ceil(std::max(0.0, r->countdown_ends_at - now) - 1e-3));
    j["countdown_ends_at"] = control::FormatRfc3339(r->countdown_ends_at);
    j["deadline"] = j["countdown_ends_at"]; // the name the notifications use
  }
  if (with_transitions) {
    json transitions = json::array();
    for (const control::Transition& t : control_.store.Transitions(recording_id)) {
      transitions.push_back({{"from", t.from}, {"to", t.to}, {"at", t.at}, {"reason", t.reason}});
    }
    j["transitions"] = transitions;
  }
  return j;
}

FileReply Api::FileFor(const Route& route) {
  if (route.kind == RouteKind::kWatchChat || route.kind == RouteKind::kWatchChapters) {
    return WatchChatFile(route);
  }
  if (route.kind == RouteKind::kWebAsset)
    return WebAssetFile(route);
  // Chapters are part of watching, like the chat.
  const bool sidecar = route.kind == RouteKind::kPartChat || route.kind == RouteKind::kPartChapters;
  const control::Recording recording =
      RecordingFor(route, sidecar ? library::Action::kStream : library::Action::kDownload);
  const std::string n = std::to_string(route.part);
  const control::Part p =
      ReadyPart(route.param("rid"), route.part, "recording '" + route.param("rid") + "'");
  const bool chat = sidecar;
  const bool chapters = route.kind == RouteKind::kPartChapters;
  const char* ext = chapters ? ".chapters.vtt" : chat ? ".vtt" : ".webm";
  const char* what = chapters ? "the chapters of " : chat ? "the chat of " : "";
  const std::string key =
      control::RecordingController::StorageKey(route.param("rid"), route.part, ext);
  FileReply reply =
      StoredFile(key, chat ? "text/vtt; charset=utf-8" : "video/webm",
                 what + std::string("part ") + n + " of recording '" + route.param("rid") + "'");
  if (!chat)
    reply.download_name = PartFileName(recording.title, route.part);
  if (!chat && reply.stream)
    reply.size_bytes = p.size_bytes; // the chat's size is not recorded
  return reply;
}

control::Part Api::ReadyPart(const std::string& recording_id, int n, const std::string& of_what) {
  const server::PartLookup lookup = app_.parts().Find(recording_id, n);
  const std::string part = "part " + std::to_string(n);
  switch (lookup.found) {
  case server::PartLookup::Found::kReady:
    return lookup.part;
  case server::PartLookup::Found::kNotReady:
    throw ApiError(status::conflict, "not_ready",
                   part + " of " + of_what + " is not ready (status " +
                       std::string(control::StatusName(lookup.part.status)) + ")",
                   json{{"status", control::StatusName(lookup.part.status)}});
  case server::PartLookup::Found::kNoSuchPart:
    break;
  }
  throw ApiError::NotFound(of_what + " has no " + part);
}

FileReply Api::StoredFile(const std::string& key, std::string content_type,
                          const std::string& what) {
  FileReply reply;
  reply.content_type = std::move(content_type);
  if (const auto path = control_.storage.Path(key)) {
    reply.path = *path;
    return reply;
  }
  try {
    // A remote backend: the object is streamed from it as the client reads.
    reply.stream = control_.storage.Open(key);
  } catch (const storage::StorageNotFound&) {
    throw ApiError::NotFound("nothing stored for " + what);
  } catch (const storage::StorageError& e) {
    Logger("http")->error("{}: {}", what, e.what());
    throw ApiError(status::bad_gateway, "storage_unavailable",
                   "the storage backend could not deliver " + what + " (see the server log)");
  }
  return reply;
}

} // namespace ssr::http
