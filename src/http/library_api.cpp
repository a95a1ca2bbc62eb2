// Library routes (R12, R14): the caller's recordings, who they are, renaming and deleting a
// recording. Who may do what is decided by library::RecordingLibrary (the access policy);
// here a recording the caller may not see is a 404, as if it did not exist, so ids do not leak.

#include "http/api.h"

#include "common/log.h"
#include "common/text.h"

#include <algorithm>

namespace ssr::http {
namespace {

using beast_http::status;
using library::Action;
using nlohmann::json;

constexpr size_t kMaxTitleCharacters = 200;

ApiError FieldError(const std::string& field, const std::string& what) {
  return {status::bad_request, "invalid_field", "field '" + field + "' " + what,
          json{{"field", field}}};
}

json CallerJson(const library::Caller& caller) {
  if (!caller.user()) return nullptr;
  return {{"id", caller.user_id}, {"name", caller.name}, {"email", caller.email}};
}

}  // namespace

library::Caller Api::IdentifiedCaller(const RequestHeader& header) const {
  library::Caller caller = library_.callers.Resolve(header, WallNow());
  if (caller.kind == library::Caller::Kind::kAnonymous) {
    throw ApiError(status::unauthorized, "unauthorized",
                   "not signed in: send Authorization: Bearer <API key or JWT>, or the session "
                   "cookie of POST /api/v1/login");
  }
  return caller;
}

control::Recording Api::RecordingFor(const Route& route, Action action) {
  const auto r = control_.controller.Find(route.resource);
  const double now = WallNow();
  if (!r || !library_.recordings.May(route.caller, *r, Action::kSee, now)) {
    throw ApiError::NotFound("no recording '" + route.resource + "'");
  }
  if (action != Action::kSee && !library_.recordings.May(route.caller, *r, action, now)) {
    throw ApiError(status::forbidden, "forbidden",
                   "you may not do this with recording '" + route.resource + "'");
  }
  return *r;
}

Response Api::ListRecordings(const Route& route, const StringRequest& request) {
  const std::string session_id = QueryParam(request.target(), "session_id");
  if (!session_id.empty()) {
    if (const std::string problem = CheckSessionId(session_id); !problem.empty()) {
      throw ApiError(status::bad_request, "invalid_field", "query 'session_id' " + problem,
                     json{{"field", "session_id"}});
    }
  }
  json items = json::array();
  for (const control::Recording& r : library_.recordings.Visible(route.caller, session_id, WallNow())) {
    try {
      items.push_back(RecordingJson(r.id, true));
    } catch (const ApiError&) {
      // Deleted between the listing and now: leave it out.
    }
  }
  return JsonResponse(status::ok, {{"recordings", items}}, request.version(), request.keep_alive());
}

Response Api::Me(const Route& route, const StringRequest& request) {
  const json body = {{"caller", route.caller.platform() ? "platform" : "user"},
                     {"user", CallerJson(route.caller)},
                     {"has_recordings", library_.recordings.HasAny(route.caller, WallNow())}};
  return JsonResponse(status::ok, body, request.version(), request.keep_alive());
}

Response Api::PatchRecording(const Route& route, const StringRequest& request) {
  RecordingFor(route, Action::kRename);
  const json body = ParseJsonBody(request);
  if (!body.is_object()) throw ApiError::BadRequest("body must be a JSON object {title}");
  for (const auto& [key, value] : body.items()) {
    if (key != "title") throw FieldError(key, "cannot be changed (only 'title')");
  }
  const auto it = body.find("title");
  if (it == body.end()) throw FieldError("title", "is required");
  if (!it->is_string()) throw FieldError("title", "must be a string");
  const std::string title = std::string(TrimSpace(it->get<std::string>()));
  if (title.empty() || Utf8Characters(title) > kMaxTitleCharacters) {
    throw FieldError("title", "must be 1 to " + std::to_string(kMaxTitleCharacters) +
                                  " characters (spaces around it do not count)");
  }
  if (std::any_of(title.begin(), title.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
      })) {
    throw FieldError("title", "must not contain control characters (line breaks, tabs)");
  }
  try {
    control_.controller.Rename(route.resource, title);
  } catch (const control::ControlError& e) {
    throw ApiError::NotFound(e.what());
  }
  Logger("http")->info("recording {} renamed to '{}'", route.resource, title);
  return JsonResponse(status::ok, RecordingJson(route.resource, true), request.version(),
                      request.keep_alive());
}

Response Api::DeleteRecording(const Route& route, const StringRequest& request) {
  const control::Recording r = RecordingFor(route, Action::kDelete);
  try {
    control_.controller.Delete(route.resource);
  } catch (const control::ControlError& e) {
    if (e.kind() == control::ControlError::Kind::kNotFound) throw ApiError::NotFound(e.what());
    const auto now = control_.controller.Find(route.resource);
    throw ApiError(status::conflict, "conflict", e.what(),
                   json{{"status", control::StatusName(now ? now->status : r.status)}});
  }
  try {
    library_.sharing.Forget(route.resource);
  } catch (const std::exception& e) {
    // The recording is gone; settings left behind name no recording and are never read.
    Logger("library")->error("recording {}: sharing settings not removed: {}", route.resource,
                             e.what());
  }
  Response res{status::no_content, request.version()};
  res.set(beast_http::field::server, "ssr");
  res.keep_alive(request.keep_alive());
  res.prepare_payload();
  return res;
}

}  // namespace ssr::http
