// Watching (R13, R19) and share links with their viewer report (R16). A watch URL
// (/watch/{token}) is a credential by itself for one part of one recording, valid
// watch_url_ttl_s (2 h by default); it is issued to a caller the access policy lets stream,
// or to whoever gives an e-mail address on a live share link. Share links are managed by
// those who may manage sharing (hosts, co-hosts, the platform). Recordings a caller may not
// see are 404, as everywhere in the library.

#include "http/api.h"

#include "common/ids.h"
#include "common/log.h"
#include "http/download_name.h"
#include "http/rfc3339.h"
#include "library/viewer_report.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <map>

namespace ssr::http {
namespace {

using beast_http::status;
using library::Action;
using nlohmann::json;

constexpr size_t kMaxEmailBytes = 254;
constexpr size_t kMaxLocalPartBytes = 64;

bool AtextChar(unsigned char c) {
  static const std::string kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return std::isalnum(c) || kSpecials.find(static_cast<char>(c)) != std::string::npos;
}

// Empty when `email` (already trimmed and lowercased) is an address we accept, else why not:
// a dot-atom or quoted local part (RFC 5322), '@', a domain of at least two DNS labels.
std::string CheckEmail(const std::string& email) {
  if (email.empty())
    return "is required";
  if (email.size() > kMaxEmailBytes) {
    return "is longer than " + std::to_string(kMaxEmailBytes) + " characters";
  }
  const size_t at = email.rfind('@');
  if (at == std::string::npos)
    return "must be an e-mail address (name@domain)";
  const std::string local = email.substr(0, at);
  const std::string domain = email.substr(at + 1);
  if (local.empty() || local.size() > kMaxLocalPartBytes) {
    return "must have 1 to 64 characters before the '@'";
  }
  if (local.front() == '"') {
    if (local.size() < 2 || local.back() != '"')
      return "has an unterminated quoted name";
    for (size_t i = 1; i + 1 < local.size(); ++i) {
      const auto c = static_cast<unsigned char>(local[i]);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return "has a character that is not allowed in a quoted name";
      }
    }
  } else {
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos) {
      return "must not start or end the name with '.', or have '..'";
    }
    for (unsigned char c : local) {
      if (c != '.' && !AtextChar(c))
        return "has a character that is not allowed before the '@'";
    }
  }
  size_t labels = 0;
  size_t start = 0;
  while (start <= domain.size()) {
    size_t end = domain.find('.', start);
    if (end == std::string::npos)
      end = domain.size();
    const std::string label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return "must have a domain like example.org after the '@'";
    }
    for (unsigned char c : label) {
      if (!std::isalnum(c) && c != '-')
        return "must have a domain like example.org after the '@'";
    }
    ++labels;
    start = end + 1;
  }
  if (labels < 2)
    return "must have a domain like example.org after the '@'";
  return "";
}

std::string FormatTime(double unix_s) { return control::FormatRfc3339(unix_s); }

json NullableTime(const std::optional<double>& t) {
  return t ? json(FormatTime(*t)) : json(nullptr);
}

json LinkJson(const library::ShareLink& link, double now) {
  return {{"id", link.id},
          {"created_at", FormatTime(link.created_at_s)},
          {"created_by", link.created_by},
          {"expires_at", NullableTime(link.expires_at_s)},
          {"revoked_at", NullableTime(link.revoked_at_s)},
          {"state", server::LinkStateName(link, now)}};
}

Response WithBody(status code, unsigned version, bool keep_alive, const std::string& content_type,
                  std::string body) {
  Response res{code, version};
  res.set(beast_http::field::server, "ssr");
  res.set(beast_http::field::content_type, content_type);
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

std::string WatchUrl(const std::string& token) { return "/watch/" + token; }

} // namespace

Response Api::IssueWatchUrl(const Route& route, const StringRequest& request) {
  // Each watch URL is a row (and a view in the report): bounded per user. The platform asks
  // for its users from its own servers and is trusted with its API key.
  if (route.caller.user())
    watch_urls_by_caller_.Admit(route.caller.user_id);
  RecordingFor(route, Action::kStream);
  ReadyPart(route.param("rid"), route.part, "recording '" + route.param("rid") + "'");
  const double now = WallNow();
  const double expires_at = now + static_cast<double>(config_.watch_url_ttl_s);
  const std::string issued_to = route.caller.platform() ? "platform" : route.caller.user_id;
  // A user's watching is a view in the viewer report (one per viewing of the recording).
  std::optional<int64_t> user_view;
  if (route.caller.user()) {
    user_view =
        watch_->UserView(route.param("rid"), route.caller.user_id, route.caller.email,
                         route.caller.name, now, static_cast<double>(config_.watch_url_ttl_s));
  }
  const std::string token = watch_->IssueWatchToken(route.param("rid"), route.part, expires_at,
                                                    issued_to, std::nullopt, user_view);
  Response res = JsonResponse(status::created,
                              {{"url", WatchUrl(token)},
                               {"chat_url", WatchUrl(token) + "/chat.vtt"},
                               {"chapters_url", WatchUrl(token) + "/chapters.vtt"},
                               {"expires_at", FormatTime(expires_at)}},
                              request.version(), request.keep_alive());
  res.set(beast_http::field::cache_control, "no-store");
  return res;
}

Response Api::CreateLink(const Route& route, const StringRequest& request) {
  RecordingFor(route, Action::kManageSharing);
  json body = json::object();
  if (!request.body().empty()) {
    body = ParseJsonBody(request);
    if (!body.is_object())
      throw ApiError::BadRequest("body must be a JSON object {expires_at?}");
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "expires_at")
      throw FieldError(key, "is not a field of a link (only 'expires_at')");
  }
  const double now = WallNow();
  std::optional<double> expires_at;
  if (const auto it = body.find("expires_at"); it != body.end() && !it->is_null()) {
    if (!it->is_string())
      throw FieldError("expires_at", "must be an RFC 3339 date-time string");
    expires_at = ParseRfc3339(it->get<std::string>());
    if (!expires_at) {
      throw FieldError("expires_at", "must be an RFC 3339 date-time, e.g. 2026-12-01T18:00:00Z");
    }
    if (*expires_at <= now)
      throw FieldError("expires_at", "must be in the future");
  }
  const std::string created_by = route.caller.platform() ? "platform" : route.caller.user_id;
  auto [link, token] = watch_->CreateLink(route.param("rid"), created_by, expires_at, now);
  Logger("http")->info("recording {}: share link {} created by {}", route.param("rid"), link.id,
                       created_by);
  json reply = LinkJson(link, now);
  reply["url"] = "/s/" + token;
  Response res = JsonResponse(status::created, reply, request.version(), request.keep_alive());
  res.set(beast_http::field::location,
          "/api/v1/recordings/" + route.param("rid") + "/links/" + link.id);
  res.set(beast_http::field::cache_control, "no-store");
  return res;
}

Response Api::ListLinks(const Route& route, const StringRequest& request) {
  RecordingFor(route, Action::kManageSharing);
  const double now = WallNow();
  json links = json::array();
  for (const library::ShareLink& link : watch_->Links(route.param("rid"))) {
    links.push_back(LinkJson(link, now));
  }
  return JsonResponse(status::ok, {{"links", links}}, request.version(), request.keep_alive());
}

Response Api::RevokeLink(const Route& route, const StringRequest& request) {
  RecordingFor(route, Action::kManageSharing);
  if (!CheckPlainId(route.param("lid")).empty() ||
      !watch_->RevokeLink(route.param("rid"), route.param("lid"), WallNow())) {
    throw ApiError::NotFound("recording '" + route.param("rid") + "' has no link '" +
                             route.param("lid") + "'");
  }
  Logger("http")->info("recording {}: share link {} revoked", route.param("rid"),
                       route.param("lid"));
  Response res{status::no_content, request.version()};
  res.set(beast_http::field::server, "ssr");
  res.keep_alive(request.keep_alive());
  res.prepare_payload();
  return res;
}

Response Api::Viewers(const Route& route, const StringRequest& request) {
  const control::Recording recording = RecordingFor(route, Action::kManageSharing);
  const std::string format = QueryParam(request.target(), "format");
  if (!format.empty() && format != "json" && format != "csv") {
    throw ApiError(status::bad_request, "invalid_field", "query 'format' must be json or csv",
                   json{{"field", "format"}});
  }
  std::map<int, library::PartExtent> extents;
  for (const control::Part& p : control_.controller.Parts(route.param("rid"))) {
    if (p.status == control::PartStatus::kReady)
      extents[p.n] = {p.size_bytes, p.duration_s};
  }
  const auto rows = library::BuildViewerReport(watch_->Views(route.param("rid")),
                                               watch_->Served(route.param("rid")), extents,
                                               watch_->Progress(route.param("rid")));
  if (format == "csv") {
    Response res = WithBody(status::ok, request.version(), request.keep_alive(),
                            "text/csv; charset=utf-8; header=present",
                            library::ViewerReportCsv(rows, &FormatTime));
    res.set(beast_http::field::content_disposition,
            ContentDisposition(SafeFileStem(recording.title) + " - viewers.csv"));
    res.set(beast_http::field::cache_control, "no-store");
    return res;
  }
  json viewers = json::array();
  for (const library::ViewerRow& row : rows) {
    viewers.push_back({{"kind", row.kind},
                       {"name", row.name},
                       {"email", row.email},
                       {"first_view_at", FormatTime(row.first_view_s)},
                       {"last_view_at", FormatTime(row.last_view_s)},
                       {"views", row.views},
                       {"watched_s", row.watched_s},
                       {"bytes_watched", row.bytes_watched}});
  }
  return JsonResponse(
      status::ok,
      {{"recording_id", recording.id}, {"title", recording.title}, {"viewers", viewers}},
      request.version(), request.keep_alive());
}

std::pair<library::ShareLink, control::Recording> Api::LiveLink(const std::string& token) {
  const server::LinkAdmission admitted = app_.sharing_links().AdmitLink(token, WallNow());
  switch (admitted.admission) {
  case server::Admission::kAdmitted:
    return {*admitted.link, *admitted.recording};
  case server::Admission::kUnknown:
    break;
  case server::Admission::kRevoked:
    throw ApiError(status::gone, "link_revoked", "this share link was revoked by its owner");
  case server::Admission::kExpired:
    throw ApiError(status::gone, "link_expired",
                   "this share link expired at " + FormatTime(*admitted.link->expires_at_s));
  case server::Admission::kRecordingGone:
    throw ApiError::NotFound("the recording of this share link no longer exists");
  }
  throw ApiError::NotFound("no such share link (is the address complete?)");
}

Response Api::ShareViews(const Route& route, const StringRequest& request) {
  // Each view writes rows (a view, a watch URL per part): bounded per client and per link.
  share_views_by_address_.Admit(route.client_address);
  const auto [link, recording] = LiveLink(route.param("token"));
  share_views_by_link_.Admit(link.id);
  const json body = ParseJsonBody(request);
  if (!body.is_object())
    throw ApiError::BadRequest("body must be a JSON object {email, part?}");
  for (const auto& [key, value] : body.items()) {
    if (key != "email" && key != "part") {
      throw FieldError(key, "is not a field of a view (only 'email' and 'part')");
    }
  }
  const auto it = body.find("email");
  if (it == body.end() || it->is_null())
    throw FieldError("email", "is required");
  if (!it->is_string())
    throw FieldError("email", "must be a string");
  const std::string email = library::NormalizeEmail(it->get<std::string>());
  if (const std::string problem = CheckEmail(email); !problem.empty()) {
    throw FieldError("email", problem);
  }
  std::optional<int> wanted; // the part the reply's `url` plays (default: the first ready)
  if (const auto p = body.find("part"); p != body.end() && !p->is_null()) {
    if (!p->is_number_integer() || p->get<int64_t>() < 1 || p->get<int64_t>() > 100000) {
      throw FieldError("part", "must be a part number (an integer from 1)");
    }
    wanted = p->get<int>();
  }
  if (wanted)
    ReadyPart(recording.id, *wanted, "this recording");
  const auto parts = app_.parts().All(recording.id);
  const double now = WallNow();
  const double ttl = static_cast<double>(config_.watch_url_ttl_s);
  // The same viewer asking again (another part) within a watch URL's life: the same view.
  const auto earlier = wanted ? watch_->LatestView(link.id, email, now - ttl) : std::nullopt;
  const int64_t view_id = earlier ? *earlier : watch_->AddView(link, email, now);
  double expires_at = now + ttl;
  if (link.expires_at_s)
    expires_at = std::min(expires_at, *link.expires_at_s);
  json watch = json::array();
  json parts_json = json::array();
  double duration_s = 0;
  json reply = {{"title", recording.title}, {"parts", static_cast<int>(parts.size())}};
  for (const control::Part& p : parts) {
    const double seconds = std::round(p.duration_s * 1000) / 1000;
    duration_s += seconds;
    parts_json.push_back(
        {{"n", p.n}, {"duration_s", seconds}, {"status", control::StatusName(p.status)}});
    if (p.status != control::PartStatus::kReady)
      continue;
    const std::string token = watch_->IssueWatchToken(recording.id, p.n, expires_at, "", view_id);
    watch.push_back({{"n", p.n},
                     {"url", WatchUrl(token)},
                     {"chat_url", WatchUrl(token) + "/chat.vtt"},
                     {"chapters_url", WatchUrl(token) + "/chapters.vtt"},
                     {"duration_s", seconds},
                     {"expires_at", FormatTime(expires_at)}});
    if (!reply.contains("url") && (!wanted || *wanted == p.n)) {
      reply["part"] = p.n;
      reply["url"] = WatchUrl(token);
      reply["chat_url"] = WatchUrl(token) + "/chat.vtt";
      reply["chapters_url"] = WatchUrl(token) + "/chapters.vtt";
      reply["expires_at"] = FormatTime(expires_at);
    }
  }
  reply["watch"] = watch;
  reply["recording"] = {{"id", recording.id},
                        {"title", recording.title},
                        {"recorded_at", recording.created_at},
                        {"duration_s", std::round(duration_s * 1000) / 1000},
                        {"parts", parts_json}};
  Logger("http")->info("recording {}: share link {} opened by a viewer", recording.id, link.id);
  Response res = JsonResponse(status::created, reply, request.version(), request.keep_alive());
  res.set(beast_http::field::cache_control, "no-store");
  return res;
}

library::WatchGrant Api::LiveGrant(const std::string& token) {
  const server::WatchAdmission admitted = app_.sharing_links().AdmitWatchUrl(token, WallNow());
  switch (admitted.admission) {
  case server::Admission::kAdmitted:
    return *admitted.grant;
  case server::Admission::kUnknown:
    break;
  case server::Admission::kExpired:
    throw ApiError(status::gone, "watch_url_expired",
                   "this watch URL expired at " + FormatTime(admitted.grant->expires_at_s) +
                       "; ask for a new one");
  case server::Admission::kRevoked:
    throw ApiError(status::gone, "link_revoked",
                   "the share link this watch URL came from was revoked");
  case server::Admission::kRecordingGone:
    throw ApiError::NotFound("the recording of this watch URL no longer exists");
  }
  throw ApiError::NotFound("no such watch URL (is the address complete?)");
}

WatchMedia Api::WatchMediaFor(const Route& route) {
  const library::WatchGrant grant = LiveGrant(route.param("token"));
  const std::string n = std::to_string(grant.part);
  const server::PartLookup lookup = app_.parts().Find(grant.recording_id, grant.part);
  if (lookup.found != server::PartLookup::Found::kReady) {
    throw ApiError::NotFound("part " + n + " of this watch URL no longer exists");
  }
  const control::Part& p = lookup.part;
  WatchMedia media;
  media.storage_key =
      control::RecordingController::StorageKey(grant.recording_id, grant.part, ".webm");
  media.size_bytes = p.size_bytes;
  media.etag =
      "\"" + (p.sha256.empty() ? std::to_string(p.size_bytes) : p.sha256.substr(0, 32)) + "\"";
  media.token_hash = grant.token_hash;
  if (const auto path = control_.storage.Path(media.storage_key)) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(*path, ec);
    if (ec)
      throw ApiError::NotFound("the file of part " + n + " is missing");
    media.path = *path;
    media.size_bytes = size;
  }
  return media;
}

std::unique_ptr<std::istream> Api::OpenWatchMedia(const WatchMedia& media, uint64_t first,
                                                  uint64_t length) {
  try {
    return control_.storage.OpenRange(media.storage_key, first, length);
  } catch (const storage::StorageNotFound&) {
    throw ApiError::NotFound("no file stored for this part");
  } catch (const storage::StorageError& e) {
    Logger("http")->error("watch {}: {}", media.storage_key, e.what());
    throw ApiError(status::bad_gateway, "storage_unavailable",
                   "the storage backend could not deliver this part (see the server log)");
  }
}

void Api::CountWatched(const WatchMedia& media, uint64_t first, uint64_t end) {
  try {
    watch_->RecordServed(media.token_hash, first, end);
  } catch (const std::exception& e) {
    Logger("http")->warn("watch: served range not counted: {}", e.what());
  }
}

FileReply Api::WatchChatFile(const Route& route) {
  const auto grant = std::make_optional(LiveGrant(route.param("token")));
  const bool chapters = route.kind == RouteKind::kWatchChapters;
  const std::string key = control::RecordingController::StorageKey(
      grant->recording_id, grant->part, chapters ? ".chapters.vtt" : ".vtt");
  return StoredFile(key, "text/vtt; charset=utf-8",
                    chapters ? "the chapters of this part" : "the chat of this part");
}

} // namespace ssr::http
