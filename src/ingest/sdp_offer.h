#pragma once
// Checks a WHIP offer before any pipeline exists, so that a bad offer gets a 4xx naming what
// is wrong: SDP syntax (GStreamer's SDP parser), one m-line per track id, directions, and at
// least one codec we can decode per m-line.

#include "common/error.h"
#include "ingest/track_sink.h"

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ssr::ingest {

class OfferError : public Error {
 public:
  explicit OfferError(const std::string& message) : Error(ErrorKind::kInvalid, message) {}
};

struct OfferedTrack {
  int mline = 0;
  MediaKind kind = MediaKind::kVideo;
  std::string track_id;
  std::vector<std::string> codecs; // supported codecs offered, in the offer's order
  // Caps of the supported payload types (for the transceiver's codec preferences).
  std::string preference_caps;
};

// `track_ids`: the ids of the WHIP URL ("cam+mic" → {"cam", "mic"}). `kind_of` gives the
// kind of a track already published (track.publish), nullopt when not known yet: then a
// single id takes the one m-line, two ids are video then audio. Throws OfferError.
std::vector<OfferedTrack>
CheckOffer(const std::string& sdp, const std::vector<std::string>& track_ids,
           const std::function<std::optional<MediaKind>(const std::string&)>& kind_of);

// True when every m-line of the (valid) offer uses the same ICE credentials, so the media
// can share one transport (BUNDLE). Some clients (aiortc) offer a BUNDLE group with
// per-m-line credentials: those are answered unbundled.
bool OfferSharesIceCredentials(const std::string& sdp);

} // namespace ssr::ingest
