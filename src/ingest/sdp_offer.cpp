#include "ingest/sdp_offer.h"

#include "ingest/gst_support.h"
#include "ingest/sdp_media.h"

namespace ssr::ingest {

std::vector<OfferedTrack>
CheckOffer(const std::string& sdp, const std::vector<std::string>& track_ids,
           const std::function<std::optional<MediaKind>(const std::string&)>& kind_of) {
  if (sdp.find("v=0") == std::string::npos) {
    throw OfferError("offer is not SDP (no 'v=0' line)");
  }
  const SdpMessagePtr message = ParseSdp(sdp);
  if (!message) {
    throw OfferError("offer is not valid SDP");
  }
  GstSDPMessage* raw = message.get();
  const guint media_count = gst_sdp_message_medias_len(raw);
  if (media_count == 0)
    throw OfferError("offer has no m-line");
  if (media_count != track_ids.size()) {
    throw OfferError("offer has " + std::to_string(media_count) + " m-lines for " +
                     std::to_string(track_ids.size()) +
                     " track id(s) in the URL (one m-line per track; join a video and an "
                     "audio track id with '+')");
  }

  std::vector<OfferedTrack> tracks;
  for (guint i = 0; i < media_count; ++i) {
    const GstSDPMedia* media = gst_sdp_message_get_media(raw, i);
    const std::string where = "m-line " + std::to_string(i);
    const std::string kind_name =
        gst_sdp_media_get_media(media) ? gst_sdp_media_get_media(media) : "";
    OfferedTrack track;
    track.mline = static_cast<int>(i);
    const auto kind = KindOfMedia(media);
    if (!kind) {
      throw OfferError(where + ": media '" + kind_name + "' is not accepted (audio or video)");
    }
    track.kind = *kind;
    for (const char* direction : {"recvonly", "inactive"}) {
      if (gst_sdp_media_get_attribute_val(media, direction) != nullptr) {
        throw OfferError(where + " is " + direction + ": a WHIP offer must send media");
      }
    }
    if (gst_sdp_media_get_attribute_val(media, "ice-ufrag") == nullptr &&
        gst_sdp_message_get_attribute_val(raw, "ice-ufrag") == nullptr) {
      throw OfferError(where + ": no ICE credentials (a=ice-ufrag)");
    }
    if (gst_sdp_media_get_attribute_val(media, "fingerprint") == nullptr &&
        gst_sdp_message_get_attribute_val(raw, "fingerprint") == nullptr) {
      throw OfferError(where + ": no DTLS fingerprint (a=fingerprint)");
    }
    const MediaCodecs codecs = CodecsOf(media, track.kind, /*with_attributes=*/false);
    if (codecs.decodable.empty()) {
      throw OfferError(where + " (" + kind_name + ") " + NoDecodableCodec(track.kind, codecs));
    }
    track.codecs = codecs.decodable;
    GstCaps* preferences = gst_caps_new_empty();
    for (const std::string& caps : codecs.caps)
      gst_caps_append(preferences, gst_caps_from_string(caps.c_str()));
    gchar* text = gst_caps_to_string(preferences);
    track.preference_caps = text;
    g_free(text);
    gst_caps_unref(preferences);
    tracks.push_back(std::move(track));
  }

  // Track ids to m-lines: by the kind a track was published with, else by position (a
  // single id takes the one m-line; two ids are video then audio).
  std::vector<std::string> ids = track_ids;
  if (ids.size() == 2) {
    const auto first = kind_of(ids[0]);
    const auto second = kind_of(ids[1]);
    const bool swap =
        (first && *first == MediaKind::kAudio) || (second && *second == MediaKind::kVideo);
    if (swap)
      std::swap(ids[0], ids[1]);
    if (tracks[0].kind == tracks[1].kind) {
      throw OfferError("offer has two " + std::string(KindName(tracks[0].kind)) +
                       " m-lines; with two track ids it must have one video and one audio");
    }
  }
  for (auto& track : tracks) {
    if (ids.size() == 1) {
      track.track_id = ids[0];
    } else {
      track.track_id = track.kind == MediaKind::kVideo ? ids[0] : ids[1];
    }
    const auto known = kind_of(track.track_id);
    if (known && *known != track.kind) {
      throw OfferError("track '" + track.track_id + "' was published as " +
                       std::string(KindName(*known)) + " but its m-line is " +
                       std::string(KindName(track.kind)));
    }
  }
  return tracks;
}

bool OfferSharesIceCredentials(const std::string& sdp) {
  const SdpMessagePtr message = ParseSdp(sdp);
  if (!message)
    return false;
  GstSDPMessage* raw = message.get();
  const char* session_ufrag = gst_sdp_message_get_attribute_val(raw, "ice-ufrag");
  std::string first;
  for (guint i = 0; i < gst_sdp_message_medias_len(raw); ++i) {
    const char* ufrag =
        gst_sdp_media_get_attribute_val(gst_sdp_message_get_media(raw, i), "ice-ufrag");
    const std::string value =
        ufrag != nullptr ? ufrag : (session_ufrag != nullptr ? session_ufrag : "");
    if (i == 0) {
      first = value;
    } else if (value != first) {
      return false;
    }
  }
  return true;
}

} // namespace ssr::ingest
