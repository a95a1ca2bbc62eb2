// Media ingest routes: WHIP (RFC 9725) resources and RTP forwards of a session, authorized by
// the session's ingest token (or the API key).

#include "http/api.h"

#include "auth/new_ids.h"
#include "auth/tokens.h"
#include "common/ids.h"
#include "common/ip_address.h"
#include "common/log.h"
#include "ingest/gst_support.h"
#include "ingest/sdp_offer.h"
#include "live/session_runtime.h"

#include <algorithm>

namespace ssr::http {
namespace {

using beast_http::status;
using nlohmann::json;

} // namespace

std::optional<store::Publisher> Api::AuthorizeIngest(const RequestHeader& header,
                                                     const std::string& session_id) const {
  const std::string_view token = BearerToken(header, "ingest token of the session");
  if (auth::ConstantTimeEquals(token, config_.api_key))
    return std::nullopt;
  const auto session = CheckSessionId(session_id).empty() ? store_.Find(session_id) : std::nullopt;
  const std::string hash = auth::HashToken(token);
  if (session && auth::ConstantTimeEquals(hash, session->ingest_token_hash))
    return std::nullopt;
  if (session) {
    if (auto publisher = app_.publishers().Find(hash);
        publisher && publisher->session_id == session->id)
      return publisher;
  }
  throw ApiError(status::unauthorized, "unauthorized",
                 "invalid ingest token for session '" + session_id + "'");
}

namespace {

// A publisher's token ingests its own tracks only (M6); the session's token and the API key
// any of the session's.
void CheckPublisherTracks(const Route& route, const std::vector<std::string>& tracks) {
  if (!route.publisher)
    return;
  const std::vector<std::string>& own = route.publisher->tracks;
  for (const std::string& track : tracks) {
    if (std::find(own.begin(), own.end(), track) == own.end()) {
      std::string list;
      for (const std::string& t : own)
        list += (list.empty() ? "" : ", ") + t;
      throw ApiError(status::forbidden, "not_your_track",
                     "track '" + track + "' is not one of participant '" +
                         route.publisher->participant + "''s: this token ingests " + list);
    }
  }
}

// A participant id as the platform names it in events: one line of 1-200 characters.
std::string CheckParticipantId(const std::string& id) {
  if (id.empty() || id.size() > 200)
    return "must be 1-200 characters";
  for (const char c : id) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return "must be one line without control characters";
  }
  return "";
}

} // namespace

Response Api::CreatePublisher(const Route& route, const StringRequest& request) {
  const json body = ParseJsonBody(request);
  if (!body.is_object())
    throw ApiError::BadRequest("body must be a JSON object {participant, tracks}");
  for (const auto& [key, value] : body.items()) {
    if (key != "participant" && key != "tracks")
      throw FieldError(key.substr(0, 40), "is not a field of a publisher (participant, tracks)");
  }
  if (!body.contains("participant") || !body.at("participant").is_string())
    throw FieldError("participant", "is required: the participant id, as in the events");
  store::Publisher publisher{route.session_id, body.at("participant").get<std::string>(), {}};
  if (const std::string problem = CheckParticipantId(publisher.participant); !problem.empty())
    throw FieldError("participant", problem);
  if (!body.contains("tracks") || !body.at("tracks").is_array() || body.at("tracks").empty() ||
      body.at("tracks").size() > 20) {
    throw FieldError("tracks", "must be a list of 1-20 track ids");
  }
  for (const json& track : body.at("tracks")) {
    const std::string id = track.is_string() ? track.get<std::string>() : "";
    if (const std::string problem = CheckTrackId(id); !problem.empty())
      throw FieldError("tracks", "'" + id.substr(0, 64) + "': " + problem);
    if (std::find(publisher.tracks.begin(), publisher.tracks.end(), id) == publisher.tracks.end())
      publisher.tracks.push_back(id);
  }
  const std::string token = auth::RandomToken(32);
  if (const std::string taken = app_.publishers().Add(auth::HashToken(token), publisher);
      !taken.empty()) {
    throw ApiError(status::conflict, "track_taken",
                   "track '" + taken + "' belongs to another participant's publisher token",
                   json{{"field", "tracks"}});
  }
  Logger("http")->info("session {}: publisher token for participant '{}' ({} track(s))",
                       route.session_id, publisher.participant, publisher.tracks.size());
  return JsonResponse(
      status::created,
      {{"participant", publisher.participant}, {"tracks", publisher.tracks}, {"token", token}},
      request.version(), request.keep_alive());
}

Response Api::WhipOffer(const Route& route, const StringRequest& request) {
  if (!HasContentType(request, "application/sdp")) {
    throw ApiError(status::unsupported_media_type, "unsupported_media_type",
                   "Content-Type must be application/sdp (a WHIP offer)");
  }
  CheckPublisherTracks(route, SplitTrackList(route.param("tracks")));
  const std::string resource_id = auth::NewWhipResourceId();
  std::string answer;
  try {
    answer = runtimes_.For(route.session_id)
                 ->AddWhip(resource_id, SplitTrackList(route.param("tracks")), request.body());
  } catch (const live::IngestRefused& e) {
    throw ApiError(status::conflict, e.code(), e.what());
  } catch (const ingest::OfferError& e) {
    throw ApiError(status::bad_request, "bad_offer", e.what());
  } catch (const ingest::PipelineError& e) {
    throw ApiError(status::service_unavailable, "ingest_unavailable", e.what());
  }
  Logger("http")->info("session {}: WHIP resource {} for {}", route.session_id, resource_id,
                       route.param("tracks"));
  Response res{status::created, request.version()};
  res.set(beast_http::field::content_type, "application/sdp");
  res.set(beast_http::field::location,
          "/whip/" + route.session_id + "/" + route.param("tracks") + "/" + resource_id);
  res.set(beast_http::field::etag, "\"" + resource_id + "\"");
  res.keep_alive(request.keep_alive());
  res.body() = std::move(answer);
  res.prepare_payload();
  return res;
}

Response Api::WhipResource(const Route& route, const StringRequest& request) {
  // A resource's URL is known to its creator only (its id is random): the path's tracks
  // being the publisher's is enough.
  CheckPublisherTracks(route, SplitTrackList(route.param("tracks")));
  if (!runtimes_.For(route.session_id)->DeleteWhip(route.param("resource"))) {
    throw ApiError::NotFound("no WHIP resource '" + route.param("resource") + "'");
  }
  Logger("http")->info("session {}: WHIP resource {} deleted", route.session_id,
                       route.param("resource"));
  Response res{status::ok, request.version()};
  res.keep_alive(request.keep_alive());
  res.prepare_payload();
  return res;
}

Response Api::RtpForward(const Route& route, const StringRequest& request) {
  if (const std::string problem = CheckTrackId(route.param("track")); !problem.empty()) {
    throw ApiError(status::bad_request, "invalid_track", problem);
  }
  CheckPublisherTracks(route, {route.param("track")});
  const json body = ParseJson(request.body(), "body");
  if (!body.is_object() || !body.contains("sdp") || !body.at("sdp").is_string()) {
    throw ApiError(status::bad_request, "invalid_field", "field 'sdp' (a string) is required",
                   json{{"field", "sdp"}});
  }
  std::string source; // "": the first address that sends
  if (body.contains("source")) {
    const json& field = body.at("source");
    source = field.is_string() ? CanonicalIpAddress(field.get<std::string>()) : "";
    if (source.empty()) {
      throw ApiError(status::bad_request, "invalid_field",
                     "field 'source' must be the IP address the forward comes from, such as "
                     "\"10.0.0.5\" or \"2001:db8::5\"",
                     json{{"field", "source"}});
    }
  }
  int port = 0;
  try {
    port = runtimes_.For(route.session_id)
               ->AddRtp(route.param("track"), body.at("sdp").get<std::string>(), source);
  } catch (const live::IngestRefused& e) {
    throw ApiError(status::conflict, e.code(), e.what());
  } catch (const ingest::OfferError& e) {
    throw ApiError(status::bad_request, "bad_sdp", e.what());
  } catch (const ingest::PipelineError& e) {
    throw ApiError(status::service_unavailable, "ingest_unavailable", e.what());
  }
  return JsonResponse(status::created,
                      {{"port", port},
                       {"rtcp_port", port + 1},
                       {"address", config_.rtp_bind_address},
                       {"source", source.empty() ? json(nullptr) : json(source)}},
                      request.version(), request.keep_alive());
}

} // namespace ssr::http
