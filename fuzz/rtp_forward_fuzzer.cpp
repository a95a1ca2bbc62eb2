// Fuzzes what POST /api/v1/sessions/{sid}/rtp/{track} reads from its body, up to the pipeline:
// the JSON (http::ParseJson, with its depth limit), the "sdp" string field, and the SDP of the
// forwarded stream (ingest::ParseRtpDescription). A bad body may only be refused with ApiError
// (400) and a bad SDP with OfferError; an accepted one has a codec we decode, its caps, and a
// sender RTCP port in 1..65535 (a UDP port) when it names a sender address.

#include "http/json_body.h"
#include "ingest/decode_branch.h"
#include "ingest/gst_support.h"
#include "ingest/rtp_session.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

// GLib allocates in its library constructor and never frees that, which the leak check at
// exit reports (its stack ends in g_malloc, which has no frame pointers to follow). A leak of
// one input is still found: libFuzzer checks after each input that allocated more than it
// freed.
extern "C" const char* __lsan_default_options() { return "leak_check_at_exit=0"; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool gst_ready = (ssr::ingest::EnsureGstreamer(), true);
  (void)gst_ready;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const nlohmann::json body = ssr::http::ParseJson(text, "body");
    if (!body.is_object() || !body.contains("sdp") || !body.at("sdp").is_string())
      return 0; // 400 invalid_field
    const ssr::ingest::RtpDescription description =
        ssr::ingest::ParseRtpDescription(body.at("sdp").get<std::string>());
    if (!ssr::ingest::Decodable(description.kind, description.codec) || description.caps.empty())
      std::abort();
    if (!description.sender_address.empty() &&
        (description.sender_rtcp_port < 1 || description.sender_rtcp_port > 65535))
      std::abort();
  } catch (const ssr::http::ApiError&) {
    // 400 invalid_json
  } catch (const ssr::ingest::OfferError&) {
    // 400 bad_sdp
  }
  return 0;
}
