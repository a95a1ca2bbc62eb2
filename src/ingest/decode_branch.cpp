#include "ingest/decode_branch.h"

#include "common/log.h"
#include "ingest/gst_support.h"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include <algorithm>
#include <iterator>
#include <vector>

namespace ssr::ingest {
namespace {

struct CodecChain {
  const char* encoding; // RTP encoding-name
  const char* depay;
  const char* parser; // between tee and the encoded appsink (nullptr: none)
  const char* encoded_caps;
  const char* decoder;
  MediaKind kind;
};

constexpr CodecChain kChains[] = {
    {"VP8", "rtpvp8depay", nullptr, nullptr, "vp8dec", MediaKind::kVideo},
    {"VP9", "rtpvp9depay", nullptr, nullptr, "vp9dec", MediaKind::kVideo},
    {"H264", "rtph264depay", "h264parse", "video/x-h264,stream-format=avc,alignment=au",
     "avdec_h264", MediaKind::kVideo},
    {"OPUS", "rtpopusdepay", nullptr, nullptr, "opusdec", MediaKind::kAudio},
};

void SetIfExists(GstElement* element, const char* property, gboolean value) {
  if (g_object_class_find_property(G_OBJECT_GET_CLASS(element), property) != nullptr) {
    g_object_set(element, property, value, nullptr);
  }
}

GstFlowReturn OnDecodedVideo(GstAppSink* appsink, gpointer data) {
  auto* sink = static_cast<TrackSink*>(data);
  GstSample* sample = gst_app_sink_pull_sample(appsink);
  if (sample == nullptr)
    return GST_FLOW_OK;
  GstVideoInfo info;
  GstVideoFrame frame;
  const int64_t mono_ns = MonotonicNs(GST_ELEMENT(appsink), sample);
  if (mono_ns >= 0 && gst_video_info_from_caps(&info, gst_sample_get_caps(sample)) &&
      gst_video_frame_map(&frame, &info, gst_sample_get_buffer(sample), GST_MAP_READ)) {
    media::VideoPicture picture;
    picture.y = static_cast<const uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0));
    picture.u = static_cast<const uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 1));
    picture.v = static_cast<const uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 2));
    picture.stride_y = GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0);
    picture.stride_u = GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 1);
    picture.stride_v = GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 2);
    picture.width = GST_VIDEO_FRAME_WIDTH(&frame);
    picture.height = GST_VIDEO_FRAME_HEIGHT(&frame);
    sink->OnVideo(mono_ns, picture);
    gst_video_frame_unmap(&frame);
  }
  gst_sample_unref(sample);
  return GST_FLOW_OK;
}

GstFlowReturn OnDecodedAudio(GstAppSink* appsink, gpointer data) {
  auto* sink = static_cast<TrackSink*>(data);
  GstSample* sample = gst_app_sink_pull_sample(appsink);
  if (sample == nullptr)
    return GST_FLOW_OK;
  const int64_t mono_ns = MonotonicNs(GST_ELEMENT(appsink), sample);
  GstMapInfo map;
  GstBuffer* buffer = gst_sample_get_buffer(sample);
  if (mono_ns >= 0 && gst_buffer_map(buffer, &map, GST_MAP_READ)) {
    const int frames = static_cast<int>(map.size / (sizeof(float) * media::kChannels));
    sink->OnAudio(mono_ns, reinterpret_cast<const float*>(map.data), frames);
    gst_buffer_unmap(buffer, &map);
  }
  gst_sample_unref(sample);
  return GST_FLOW_OK;
}

struct EncodedState {
  TrackSink* sink;
  std::string codec;
  bool codec_sent = false;
};

GstFlowReturn OnEncoded(GstAppSink* appsink, gpointer data) {
  auto* state = static_cast<EncodedState*>(data);
  GstSample* sample = gst_app_sink_pull_sample(appsink);
  if (sample == nullptr)
    return GST_FLOW_OK;
  if (!state->codec_sent) {
    CodecInfo info{state->codec, {}};
    const GstCaps* caps = gst_sample_get_caps(sample);
    const GstStructure* s = caps != nullptr ? gst_caps_get_structure(caps, 0) : nullptr;
    const GValue* codec_data = s != nullptr ? gst_structure_get_value(s, "codec_data") : nullptr;
    if (codec_data != nullptr && G_VALUE_HOLDS(codec_data, GST_TYPE_BUFFER)) {
      GstBuffer* cd = gst_value_get_buffer(codec_data);
      info.extradata.resize(gst_buffer_get_size(cd));
      gst_buffer_extract(cd, 0, info.extradata.data(), info.extradata.size());
    }
    state->sink->OnCodec(info);
    state->codec_sent = true;
  }
  GstBuffer* buffer = gst_sample_get_buffer(sample);
  const int64_t mono_ns = MonotonicNs(GST_ELEMENT(appsink), sample);
  GstMapInfo map;
  if (mono_ns >= 0 && gst_buffer_map(buffer, &map, GST_MAP_READ)) {
    state->sink->OnEncoded(
        {map.data, map.size, mono_ns, !GST_BUFFER_FLAG_IS_SET(buffer, GST_BUFFER_FLAG_DELTA_UNIT)});
    gst_buffer_unmap(buffer, &map);
  }
  gst_sample_unref(sample);
  return GST_FLOW_OK;
}

GstElement* MakeAppSink(const char* caps, GstFlowReturn (*on_sample)(GstAppSink*, gpointer),
                        gpointer data, GDestroyNotify destroy) {
  GstElement* appsink = MakeElement("appsink");
  g_object_set(appsink, "sync", FALSE, "async", FALSE, "enable-last-sample", FALSE, nullptr);
  if (caps != nullptr) {
    GstCaps* c = gst_caps_from_string(caps);
    gst_app_sink_set_caps(GST_APP_SINK(appsink), c);
    gst_caps_unref(c);
  }
  GstAppSinkCallbacks callbacks{};
  callbacks.new_sample = on_sample;
  gst_app_sink_set_callbacks(GST_APP_SINK(appsink), &callbacks, data, destroy);
  return appsink;
}

} // namespace

bool Decodable(MediaKind kind, const std::string& codec) {
  return std::any_of(std::begin(kChains), std::end(kChains),
                     [&](const CodecChain& c) { return c.kind == kind && codec == c.encoding; });
}

const char* DecodableCodecNames(MediaKind kind) {
  return kind == MediaKind::kVideo ? "VP8, VP9, H264" : "Opus";
}

bool KindOfRtpCaps(const GstCaps* caps, MediaKind* kind) {
  if (caps == nullptr || gst_caps_get_size(caps) == 0)
    return false;
  const gchar* media = gst_structure_get_string(gst_caps_get_structure(caps, 0), "media");
  if (media == nullptr)
    return false;
  const std::optional<MediaKind> parsed = ParseMediaKind(media);
  if (parsed)
    *kind = *parsed;
  return parsed.has_value();
}

std::string AttachDecodeBranch(GstElement* bin, GstPad* rtp_pad, TrackSink* sink) {
  GstCaps* caps = gst_pad_get_current_caps(rtp_pad);
  if (caps == nullptr)
    caps = gst_pad_query_caps(rtp_pad, nullptr);
  const GstStructure* s = gst_caps_get_structure(caps, 0);
  const gchar* encoding_raw = gst_structure_get_string(s, "encoding-name");
  const std::string encoding = encoding_raw != nullptr ? encoding_raw : "";
  MediaKind kind = MediaKind::kVideo;
  const bool has_kind = KindOfRtpCaps(caps, &kind);
  gst_caps_unref(caps);
  const CodecChain* chain = nullptr;
  for (const CodecChain& c : kChains) {
    if (encoding == c.encoding)
      chain = &c;
  }
  if (!has_kind)
    return "stream is neither audio nor video";
  if (chain == nullptr || chain->kind != kind) {
    return std::string(KindName(kind)) + " codec " + encoding + " is not supported; use " +
           DecodableCodecNames(kind);
  }

  GstElement* depay = MakeElement(chain->depay);
  SetIfExists(depay, "request-keyframe", TRUE);
  SetIfExists(depay, "wait-for-keyframe", TRUE);
  GstElement* tee = MakeElement("tee");
  GstElement* decoder = MakeElement(chain->decoder);
  if (g_object_class_find_property(G_OBJECT_GET_CLASS(decoder), "max-errors") != nullptr) {
    g_object_set(decoder, "max-errors", -1, nullptr);
  }
  std::vector<GstElement*> decoded_chain{decoder};
  GstElement* raw_sink = nullptr;
  if (kind == MediaKind::kVideo) {
    decoded_chain.push_back(MakeElement("videoconvert"));
    raw_sink = MakeAppSink("video/x-raw,format=I420", OnDecodedVideo, sink, nullptr);
  } else {
    decoded_chain.push_back(MakeElement("audioconvert"));
    decoded_chain.push_back(MakeElement("audioresample"));
    raw_sink = MakeAppSink("audio/x-raw,format=F32LE,rate=48000,channels=2,layout=interleaved",
                           OnDecodedAudio, sink, nullptr);
  }
  decoded_chain.push_back(raw_sink);

  std::vector<GstElement*> encoded_chain;
  if (chain->parser != nullptr) {
    GstElement* parser = MakeElement(chain->parser);
    g_object_set(parser, "config-interval", -1, nullptr);
    encoded_chain.push_back(parser);
  }
  encoded_chain.push_back(
      MakeAppSink(chain->encoded_caps, OnEncoded, new EncodedState{sink, chain->encoding},
                  [](gpointer data) { delete static_cast<EncodedState*>(data); }));

  gst_bin_add_many(GST_BIN(bin), depay, tee, nullptr);
  for (GstElement* e : decoded_chain)
    gst_bin_add(GST_BIN(bin), e);
  for (GstElement* e : encoded_chain)
    gst_bin_add(GST_BIN(bin), e);
  bool linked = gst_element_link(depay, tee);
  GstElement* previous = tee;
  for (GstElement* e : decoded_chain) {
    linked = linked && gst_element_link(previous, e);
    previous = e;
  }
  previous = tee;
  for (GstElement* e : encoded_chain) {
    linked = linked && gst_element_link(previous, e);
    previous = e;
  }
  // Downstream first, so that nothing flows into an element that is not playing yet.
  for (auto it = encoded_chain.rbegin(); it != encoded_chain.rend(); ++it) {
    gst_element_sync_state_with_parent(*it);
  }
  for (auto it = decoded_chain.rbegin(); it != decoded_chain.rend(); ++it) {
    gst_element_sync_state_with_parent(*it);
  }
  gst_element_sync_state_with_parent(tee);
  gst_element_sync_state_with_parent(depay);
  GstPad* depay_sink = gst_element_get_static_pad(depay, "sink");
  linked = linked && gst_pad_link(rtp_pad, depay_sink) == GST_PAD_LINK_OK;
  gst_object_unref(depay_sink);
  if (!linked) {
    return "cannot link the " + encoding + " chain";
  }
  return "";
}

} // namespace ssr::ingest
