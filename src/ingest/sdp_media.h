#pragma once
// What WHIP offers and RTP forwards have in common: SDP parsed by GStreamer, and the
// codecs of an m-line, split into those we decode (media_branch.h) and the others.

#include "ingest/track_sink.h"

#include <gst/sdp/sdp.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ssr::ingest {

struct SdpMessageFree {
  void operator()(GstSDPMessage* message) const { gst_sdp_message_free(message); }
};
using SdpMessagePtr = std::unique_ptr<GstSDPMessage, SdpMessageFree>;

// nullptr when `text` is not valid SDP.
SdpMessagePtr ParseSdp(const std::string& text);

// The kind of an m-line ("audio", "video"), nullopt for anything else.
std::optional<MediaKind> KindOfMedia(const GstSDPMedia* media);

struct MediaCodecs {
  std::vector<std::string> offered;   // every encoding name, upper case, in the m-line's order
  std::vector<std::string> decodable; // those we decode, each once
  std::vector<std::string> caps;      // application/x-rtp caps of each decodable payload type
};

// The payload types of an m-line. With `with_attributes`, the m-line's attributes (fmtp,
// ssrc...) are in the caps too (for a receiver's udpsrc).
MediaCodecs CodecsOf(const GstSDPMedia* media, MediaKind kind, bool with_attributes);

// "offers no codec we take (VP8, VP9, H264); it offers: AV1"
std::string NoDecodableCodec(MediaKind kind, const MediaCodecs& codecs);

} // namespace ssr::ingest
