// Media ingest routes: WHIP (RFC 9725) resources and RTP forwards of a session, authorized by
// the session's ingest token (or the API key).

#include "http/api.h"

#include "auth/new_ids.h"
#include "auth/tokens.h"
#include "common/ids.h"
#include "common/log.h"
#include "ingest/gst_support.h"
#include "ingest/sdp_offer.h"
#include "live/session_runtime.h"

namespace ssr::http {
namespace {

using beast_http::status;
using nlohmann::json;

} // namespace

void Api::AuthorizeIngest(const RequestHeader& header, const std::string& session_id) const {
  const std::string_view token = BearerToken(header, "ingest token of the session");
  const auto session = CheckSessionId(session_id).empty() ? store_.Find(session_id) : std::nullopt;
  const bool ingest_ok =
      session && auth::ConstantTimeEquals(auth::HashToken(token), session->ingest_token_hash);
  if (!ingest_ok && !auth::ConstantTimeEquals(token, config_.api_key)) {
    throw ApiError(status::unauthorized, "unauthorized",
                   "invalid ingest token for session '" + session_id + "'");
  }
}

Response Api::WhipOffer(const Route& route, const StringRequest& request) {
  if (!HasContentType(request, "application/sdp")) {
    throw ApiError(status::unsupported_media_type, "unsupported_media_type",
                   "Content-Type must be application/sdp (a WHIP offer)");
  }
  const std::string resource_id = auth::NewWhipResourceId();
  std::string answer;
  try {
    answer = runtimes_.For(route.session_id)
                 .AddWhip(resource_id, SplitTrackList(route.param("tracks")), request.body());
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
  if (!runtimes_.For(route.session_id).DeleteWhip(route.param("resource"))) {
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
  const json body = ParseJson(request.body(), "body");
  if (!body.is_object() || !body.contains("sdp") || !body.at("sdp").is_string()) {
    throw ApiError(status::bad_request, "invalid_field", "field 'sdp' (a string) is required",
                   json{{"field", "sdp"}});
  }
  int port = 0;
  try {
    port = runtimes_.For(route.session_id)
               .AddRtp(route.param("track"), body.at("sdp").get<std::string>());
  } catch (const live::IngestRefused& e) {
    throw ApiError(status::conflict, e.code(), e.what());
  } catch (const ingest::OfferError& e) {
    throw ApiError(status::bad_request, "bad_sdp", e.what());
  } catch (const ingest::PipelineError& e) {
    throw ApiError(status::service_unavailable, "ingest_unavailable", e.what());
  }
  return JsonResponse(
      status::created,
      {{"port", port}, {"rtcp_port", port + 1}, {"address", config_.rtp_bind_address}},
      request.version(), request.keep_alive());
}

} // namespace ssr::http
