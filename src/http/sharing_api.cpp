// Sharing routes (R15): GET /api/v1/recordings/{rid}/sharing → the settings and their ETag;
// PUT the whole settings with If-Match → saved all at once, or 412 when someone saved since
// the ETag was read (428 without If-Match), so two hosts never silently overwrite each other.
// Only those who may manage sharing (the platform, the session's hosts and co-hosts) get here:
// a viewer of the recording gets 403, anyone else 404 (RecordingFor).

#include "http/api.h"

#include "common/log.h"
#include "library/sharing_settings.h"

#include <boost/algorithm/string.hpp>

namespace ssr::http {
namespace {

using beast_http::status;
using library::Action;
using library::SharingRecord;
using nlohmann::json;

// If-Match (RFC 9110 13.1.1): "*", or a list of entity tags compared strongly (a weak tag
// W/"..." never matches). Returns whether the header names `current`.
bool IfMatchNames(std::string_view header, const std::string& current) {
  std::vector<std::string> tags;
  boost::split(tags, header, boost::is_any_of(","));
  for (std::string& tag : tags) {
    boost::trim(tag);
    if (tag == "*" || tag == current)
      return true;
  }
  return false;
}

Response SharingResponse(status code, const SharingRecord& record, const StringRequest& request) {
  Response res =
      JsonResponse(code, library::SharingJson(record), request.version(), request.keep_alive());
  res.set(beast_http::field::etag, library::SharingETag(record.version));
  res.set(beast_http::field::cache_control, "no-store");
  return res;
}

std::string CallerName(const library::Caller& caller) {
  return caller.platform() ? "platform" : caller.user_id;
}

// The saved settings, or the defaults (not shared; the session's zone for a release).
SharingRecord CurrentSharing(library::SharingStore& sharing, store::SessionStore& sessions,
                             const control::Recording& recording) {
  if (auto saved = sharing.Load(recording.id))
    return std::move(*saved);
  SharingRecord defaults;
  const auto session = sessions.Find(recording.session_id);
  defaults.release_timezone = session ? session->timezone : "UTC";
  return defaults;
}

} // namespace

Response Api::GetSharing(const Route& route, const StringRequest& request) {
  const control::Recording r = RecordingFor(route, Action::kManageSharing);
  return SharingResponse(status::ok, CurrentSharing(library_.sharing, store_, r), request);
}

Response Api::PutSharing(const Route& route, const StringRequest& request) {
  const control::Recording r = RecordingFor(route, Action::kManageSharing);
  const auto if_match = request.find(beast_http::field::if_match);
  if (if_match == request.end()) {
    throw ApiError(status::precondition_required, "precondition_required",
                   "send If-Match with the ETag of GET /api/v1/recordings/" + r.id +
                       "/sharing, so that a save never overwrites someone else's unseen");
  }
  const json body = ParseJsonBody(request);
  if (!body.is_object()) {
    throw ApiError::BadRequest("body must be a JSON object {stream_by, download_by, grants, "
                               "release_at, release_timezone}");
  }
  SharingRecord wanted;
  try {
    wanted = library::ParseSharing(body);
  } catch (const library::SharingFieldError& e) {
    throw ApiError(status::bad_request, "invalid_field", e.what(), json{{"field", e.field()}});
  }
  // The version the If-Match names; "*" (or a list holding it) saves over any version.
  const SharingRecord before = CurrentSharing(library_.sharing, store_, r);
  std::optional<int64_t> expected;
  if (!IfMatchNames(if_match->value(), "*")) {
    if (!IfMatchNames(if_match->value(), library::SharingETag(before.version))) {
      expected = -1; // names no current version: refused below, with the current ETag
    } else {
      expected = before.version;
    }
  }
  const auto result =
      library_.sharing.Save(r.id, std::move(wanted), expected, CallerName(route.caller), WallNow());
  if (!result.saved) {
    const std::string etag = library::SharingETag(result.current.version);
    throw ApiError(status::precondition_failed, "precondition_failed",
                   "the sharing settings were saved by someone else since you read them (now " +
                       etag + "): nothing was saved; GET them again and redo your changes",
                   json{{"etag", etag}});
  }
  Logger("library")->info("recording {}: sharing saved by {} (version {}): {}", r.id,
                          CallerName(route.caller), result.current.version,
                          library::SharingJson(result.current).dump());
  return SharingResponse(status::ok, result.current, request);
}

} // namespace ssr::http
