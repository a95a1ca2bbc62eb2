#include "ingest/sdp_media.h"

#include "ingest/decode_branch.h"
#include "ingest/gst_support.h"

#include <algorithm>
#include <cstdlib>

namespace ssr::ingest {

SdpMessagePtr ParseSdp(const std::string& text) {
  EnsureGstreamer();
  GstSDPMessage* raw = nullptr;
  gst_sdp_message_new(&raw);
  SdpMessagePtr message(raw);
  if (gst_sdp_message_parse_buffer(reinterpret_cast<const guint8*>(text.data()),
                                   static_cast<guint>(text.size()), raw) != GST_SDP_OK) {
    return nullptr;
  }
  return message;
}

std::optional<MediaKind> KindOfMedia(const GstSDPMedia* media) {
  const char* kind = gst_sdp_media_get_media(media);
  return kind != nullptr ? ParseMediaKind(kind) : std::nullopt;
}

MediaCodecs CodecsOf(const GstSDPMedia* media, MediaKind kind, bool with_attributes) {
  MediaCodecs codecs;
  for (guint f = 0; f < gst_sdp_media_formats_len(media); ++f) {
    const int pt = std::atoi(gst_sdp_media_get_format(media, f));
    GstCaps* caps = gst_sdp_media_get_caps_from_media(media, pt);
    if (caps == nullptr)
      continue;
    if (with_attributes)
      gst_sdp_media_attributes_to_caps(media, caps);
    GstStructure* s = gst_caps_get_structure(caps, 0);
    std::string codec = gst_structure_get_string(s, "encoding-name")
                            ? gst_structure_get_string(s, "encoding-name")
                            : "";
    for (char& c : codec)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!codec.empty())
      codecs.offered.push_back(codec);
    if (Decodable(kind, codec)) {
      if (std::find(codecs.decodable.begin(), codecs.decodable.end(), codec) ==
          codecs.decodable.end()) {
        codecs.decodable.push_back(codec);
      }
      gst_structure_set_name(s, "application/x-rtp");
      gchar* text = gst_caps_to_string(caps);
      codecs.caps.push_back(text);
      g_free(text);
    }
    gst_caps_unref(caps);
  }
  return codecs;
}

std::string NoDecodableCodec(MediaKind kind, const MediaCodecs& codecs) {
  std::string list;
  for (const auto& c : codecs.offered)
    list += (list.empty() ? "" : ", ") + c;
  return std::string("offers no codec we take (") + DecodableCodecNames(kind) +
         "); it offers: " + (list.empty() ? "none" : list);
}

} // namespace ssr::ingest
