// What a player does with its watch URL besides fetching the media: report the spans it
// played (the viewer report's seconds watched), and get a fresh URL for the same part and
// view before this one expires, while the viewer still may watch (R19 limits a link, not a
// legitimate viewer). The token is the only credential, as for the media itself.

#include "http/api.h"

#include "common/log.h"

#include <algorithm>
#include <cmath>

namespace ssr::http {
namespace {

using beast_http::status;
using library::Action;
using nlohmann::json;

constexpr size_t kMaxSpans = 1000;
constexpr double kMaxSeconds = 7 * 24 * 3600.0; // no part is longer

// {"watched": [[from_s, to_s], ...]} -> the spans; 400 naming what is wrong.
std::vector<std::pair<double, double>> ParseSpans(const json& body) {
  if (!body.is_object())
    throw ApiError::BadRequest("body must be a JSON object {watched}");
  for (const auto& [key, value] : body.items()) {
    if (key != "watched")
      throw FieldError(key, "is not a field here (only 'watched')");
  }
  const auto it = body.find("watched");
  if (it == body.end() || it->is_null())
    throw FieldError("watched", "is required");
  if (!it->is_array())
    throw FieldError("watched", "must be an array of [from_s, to_s] pairs");
  if (it->size() > kMaxSpans) {
    throw FieldError("watched", "has more than " + std::to_string(kMaxSpans) +
                                    " spans (merge them before sending)");
  }
  std::vector<std::pair<double, double>> spans;
  for (size_t i = 0; i < it->size(); ++i) {
    const json& span = (*it)[i];
    const std::string where = "watched[" + std::to_string(i) + "]";
    if (!span.is_array() || span.size() != 2 || !span[0].is_number() || !span[1].is_number()) {
      throw FieldError(where, "must be a pair of numbers [from_s, to_s]");
    }
    const double from = span[0].get<double>();
    const double to = span[1].get<double>();
    if (!std::isfinite(from) || !std::isfinite(to) || from < 0 || to < from || to > kMaxSeconds) {
      throw FieldError(where, "must have 0 <= from_s <= to_s (seconds of the part)");
    }
    spans.emplace_back(from, to);
  }
  return spans;
}

} // namespace

Response Api::WatchProgress(const Route& route, const StringRequest& request) {
  const library::WatchGrant grant = LiveGrant(route.param("token"));
  const auto spans = ParseSpans(ParseJsonBody(request));
  watch_->AddProgress(grant.token_hash, spans);
  Response res{status::no_content, request.version()};
  res.set(beast_http::field::server, "ssr");
  res.keep_alive(request.keep_alive());
  res.prepare_payload();
  return res;
}

Response Api::RenewWatch(const Route& route, const StringRequest& request) {
  const library::WatchGrant grant = LiveGrant(route.param("token")); // 404, 410
  const auto recording = control_.controller.Find(grant.recording_id);
  if (!recording)
    throw ApiError::NotFound("the recording of this watch URL no longer exists");
  const double now = WallNow();
  double expires_at = now + static_cast<double>(config_.watch_url_ttl_s);
  if (grant.link_id) {
    // A share link's viewer: while the link lives (LiveGrant said it is not revoked).
    const auto link = watch_->FindLinkById(*grant.link_id);
    if (!link)
      throw ApiError(status::gone, "link_revoked", "the share link is gone");
    if (link->expires_at_s && *link->expires_at_s <= now) {
      throw ApiError(status::gone, "link_expired",
                     "the share link expired at " + control::FormatRfc3339(*link->expires_at_s));
    }
    if (link->expires_at_s)
      expires_at = std::min(expires_at, *link->expires_at_s);
  } else if (!grant.user_id.empty() && grant.user_id != "platform") {
    // A user: while the access policy still lets them stream it (sharing may have changed).
    const library::Caller user =
        library::Caller::User(grant.user_id, grant.user_name, grant.user_email);
    if (!library_.recordings.May(user, *recording, Action::kStream, now)) {
      throw ApiError::NotFound("you may no longer watch this recording");
    }
  }
  const auto parts = control_.controller.Parts(grant.recording_id);
  const auto part = std::find_if(parts.begin(), parts.end(),
                                 [&](const control::Part& p) { return p.n == grant.part; });
  if (part == parts.end() || part->status != control::PartStatus::kReady) {
    throw ApiError::NotFound("part " + std::to_string(grant.part) +
                             " of this watch URL no longer exists");
  }
  const std::string token = watch_->IssueWatchToken(
      grant.recording_id, grant.part, expires_at, grant.user_id, grant.view_id, grant.user_view_id);
  Response res = JsonResponse(status::created,
                              {{"url", "/watch/" + token},
                               {"chat_url", "/watch/" + token + "/chat.vtt"},
                               {"part", grant.part},
                               {"expires_at", control::FormatRfc3339(expires_at)}},
                              request.version(), request.keep_alive());
  res.set(beast_http::field::cache_control, "no-store");
  return res;
}

} // namespace ssr::http
