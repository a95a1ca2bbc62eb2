// Library routes (R12, R14): the caller's recordings, who they are, renaming and deleting a
// recording. Who may do what is decided by library::RecordingLibrary (the access policy);
// here a recording the caller may not see is a 404, as if it did not exist, so ids do not leak.

#include "http/api.h"

#include "common/ids.h"
#include "common/log.h"
#include "common/text.h"
#include "common/title.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <optional>

namespace ssr::http {
namespace {

using beast_http::status;
using library::Action;
using nlohmann::json;

constexpr int64_t kDefaultLimit = 50;
constexpr int64_t kMaxLimit = 200;
constexpr size_t kMaxQueryBytes = 200;

ApiError QueryError(const std::string& name, const std::string& what) {
  return {status::bad_request, "invalid_field", "query '" + name + "' " + what,
          json{{"field", name}}};
}

// The integer query parameter `name` of `target`, `fallback` when absent or empty; 400
// naming it when it is not an integer in [min, max].
int64_t IntegerParam(std::string_view target, const char* name, int64_t fallback, int64_t min,
                     int64_t max) {
  const std::string text = QueryParam(target, name);
  if (text.empty())
    return fallback;
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    throw QueryError(name, "must be an integer from " + std::to_string(min) + " to " +
                               std::to_string(max) + " (got '" + text + "')");
  }
  return value;
}

// A query value percent-decoded, '+' as a space; nullopt when badly encoded.
std::optional<std::string> DecodeQueryValue(const std::string& value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '+') {
      out += ' ';
    } else if (value[i] == '%') {
      if (i + 2 >= value.size() || !std::isxdigit(static_cast<unsigned char>(value[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(value[i + 2]))) {
        return std::nullopt;
      }
      out += static_cast<char>(std::stoi(value.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += value[i];
    }
  }
  return out;
}

std::string AsciiLower(std::string text) {
  for (char& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

json CallerJson(const library::Caller& caller) {
  if (!caller.user())
    return nullptr;
  return {{"id", caller.user_id}, {"name", caller.name}, {"email", caller.email}};
}

} // namespace

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
  const auto r = control_.controller.Find(route.param("rid"));
  const double now = WallNow();
  if (!r || !library_.recordings.May(route.caller, *r, Action::kSee, now)) {
    throw ApiError::NotFound("no recording '" + route.param("rid") + "'");
  }
  if (action != Action::kSee && !library_.recordings.May(route.caller, *r, action, now)) {
    throw ApiError(status::forbidden, "forbidden",
                   "you may not do this with recording '" + route.param("rid") + "'");
  }
  return *r;
}

Response Api::ListRecordings(const Route& route, const StringRequest& request) {
  const std::string_view target = request.target();
  const std::string session_id = QueryParam(target, "session_id");
  if (!session_id.empty()) {
    if (const std::string problem = CheckSessionId(session_id); !problem.empty()) {
      throw QueryError("session_id", problem);
    }
  }
  const int64_t limit = IntegerParam(target, "limit", kDefaultLimit, 1, kMaxLimit);
  const int64_t offset = IntegerParam(target, "offset", 0, 0, std::numeric_limits<int32_t>::max());
  const auto q = DecodeQueryValue(QueryParam(target, "q"));
  if (!q)
    throw QueryError("q", "is not correctly percent-encoded");
  if (q->size() > kMaxQueryBytes) {
    throw QueryError("q", "is longer than " + std::to_string(kMaxQueryBytes) + " bytes");
  }
  const std::string needle = AsciiLower(std::string(TrimSpace(*q)));
  std::vector<control::Recording> found;
  for (control::Recording& r : library_.recordings.Visible(route.caller, session_id, WallNow())) {
    if (needle.empty() || AsciiLower(r.title).find(needle) != std::string::npos) {
      found.push_back(std::move(r));
    }
  }
  json items = json::array();
  for (size_t i = static_cast<size_t>(offset);
       i < found.size() && items.size() < static_cast<size_t>(limit); ++i) {
    try {
      items.push_back(RecordingJsonFor(route.caller, found[i].id));
    } catch (const ApiError&) {
      // Deleted between the listing and now: leave it out.
    }
  }
  return JsonResponse(
      status::ok,
      {{"recordings", items}, {"total", found.size()}, {"limit", limit}, {"offset", offset}},
      request.version(), request.keep_alive());
}

json Api::RecordingJsonFor(const library::Caller& caller, const std::string& recording_id) {
  json j = RecordingJson(recording_id, true);
  const auto r = control_.controller.Find(recording_id);
  if (!r)
    throw ApiError::NotFound("no recording '" + recording_id + "'");
  const auto permissions = library_.recordings.PermissionsOf(caller, *r, WallNow());
  const auto may = [&](Action a) { return permissions.actions.count(a) > 0; };
  bool any_ready = false;
  for (const json& part : j["parts"])
    any_ready = any_ready || part["status"] == "ready";
  // What the caller may do now: the policy, and the state of the recording.
  json actions = json::array();
  if (any_ready && may(Action::kStream))
    actions.push_back("watch");
  if (any_ready && may(Action::kDownload))
    actions.push_back("download");
  if (may(Action::kRename))
    actions.push_back("rename");
  if (may(Action::kDelete) && (r->status == control::RecordingStatus::kReady ||
                               r->status == control::RecordingStatus::kFailed)) {
    actions.push_back("delete");
  }
  if (may(Action::kManageSharing))
    actions.push_back("share");
  j["actions"] = actions;
  j["release_at"] = permissions.release_at_s
                        ? json(control::FormatRfc3339(*permissions.release_at_s))
                        : json(nullptr);
  // Who only watches (attendees, people it is shared with) does not see who asked for it,
  // its history or what failed inside the server (storage, recorder): the hosts do (L7).
  if (!caller.platform() && !may(Action::kRename) && !may(Action::kManageSharing)) {
    j["requested_by"] = nullptr;
    j.erase("transitions");
    if (!j["error"].is_null())
      j["error"] = "the recording failed";
    for (json& part : j["parts"]) {
      if (!part["error"].is_null())
        part["error"] = "this part failed";
    }
  }
  return j;
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
  if (!body.is_object())
    throw ApiError::BadRequest("body must be a JSON object {title}");
  for (const auto& [key, value] : body.items()) {
    if (key != "title")
      throw FieldError(key, "cannot be changed (only 'title')");
  }
  const auto it = body.find("title");
  if (it == body.end())
    throw FieldError("title", "is required");
  if (!it->is_string())
    throw FieldError("title", "must be a string");
  const CheckedTitle checked = CheckTitle(it->get_ref<const std::string&>());
  if (!checked.ok())
    throw FieldError("title", checked.problem);
  const std::string& title = checked.title;
  try {
    control_.controller.Rename(route.param("rid"), title);
  } catch (const control::ControlError& e) {
    throw ApiErrorFrom(e);
  }
  Logger("http")->info("recording {} renamed to '{}'", route.param("rid"), title);
  return JsonResponse(status::ok, RecordingJsonFor(route.caller, route.param("rid")),
                      request.version(), request.keep_alive());
}

Response Api::DeleteRecording(const Route& route, const StringRequest& request) {
  const control::Recording r = RecordingFor(route, Action::kDelete);
  try {
    control_.controller.Delete(route.param("rid"));
  } catch (const control::ControlError& e) {
    if (e.kind() == ErrorKind::kNotFound)
      throw ApiError::NotFound(e.what());
    const auto now = control_.controller.Find(route.param("rid"));
    throw ApiError(status::conflict, "conflict", e.what(),
                   json{{"status", control::StatusName(now ? now->status : r.status)}});
  }
  // Its sharing settings, links, views, watch URLs and webhook rows went in the same
  // transaction as its rows (store/recording_rows.h).
  Response res{status::no_content, request.version()};
  res.set(beast_http::field::server, "ssr");
  res.keep_alive(request.keep_alive());
  res.prepare_payload();
  return res;
}

} // namespace ssr::http
