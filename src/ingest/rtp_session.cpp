#include "ingest/rtp_session.h"

#include "common/log.h"
#include "ingest/decode_branch.h"
#include "ingest/gst_support.h"
#include "ingest/sdp_media.h"

#include <arpa/inet.h>
#include <gst/net/gstnetaddressmeta.h>
#include <gst/sdp/sdp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace ssr::ingest {
namespace {

bool UdpPortFree(const std::string& address, int port) {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0)
    return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, address.c_str(), &addr.sin_addr);
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

} // namespace

RtpDescription ParseRtpDescription(const std::string& sdp) {
  const SdpMessagePtr message = sdp.find("m=") == std::string::npos ? nullptr : ParseSdp(sdp);
  if (!message) {
    throw OfferError("sdp is not valid SDP");
  }
  GstSDPMessage* raw = message.get();
  if (gst_sdp_message_medias_len(raw) != 1) {
    throw OfferError("sdp must have exactly one m-line (one track), it has " +
                     std::to_string(gst_sdp_message_medias_len(raw)));
  }
  const GstSDPMedia* media = gst_sdp_message_get_media(raw, 0);
  const auto kind = KindOfMedia(media);
  if (!kind) {
    const char* name = gst_sdp_media_get_media(media);
    throw OfferError(std::string("m-line media '") + (name ? name : "") +
                     "' is not accepted (audio or video)");
  }
  RtpDescription description;
  description.kind = *kind;
  const char* proto = gst_sdp_media_get_proto(media);
  if (proto == nullptr || std::string(proto).find("RTP/") != 0) {
    throw OfferError(std::string("m-line protocol '") + (proto ? proto : "") +
                     "' is not plain RTP (RTP/AVP or RTP/AVPF)");
  }
  // The first payload type we decode; udpsrc gets its caps with the m-line's attributes.
  const MediaCodecs codecs = CodecsOf(media, description.kind, /*with_attributes=*/true);
  if (codecs.decodable.empty()) {
    throw OfferError("m-line (" + std::string(KindName(description.kind)) + ") " +
                     NoDecodableCodec(description.kind, codecs) + " (with an a=rtpmap line)");
  }
  description.codec = codecs.decodable.front();
  description.caps = codecs.caps.front();
  const GstSDPConnection* connection = gst_sdp_media_connections_len(media) > 0
                                           ? gst_sdp_media_get_connection(media, 0)
                                           : gst_sdp_message_get_connection(raw);
  const int port = static_cast<int>(gst_sdp_media_get_port(media));
  // Port 9 (discard) is the usual placeholder for "receives nothing".
  if (connection != nullptr && connection->address != nullptr && port > 0 && port != 9) {
    description.sender_address = connection->address;
    description.sender_rtcp_port = port < 65535 ? port + 1 : 0; // 0: no UDP port (see below)
    if (const char* rtcp = gst_sdp_media_get_attribute_val(media, "rtcp")) {
      const long value = std::strtol(rtcp, nullptr, 10);
      description.sender_rtcp_port = value >= 1 && value <= 65535 ? static_cast<int>(value) : 0;
    }
    if (description.sender_address == "0.0.0.0")
      description.sender_address.clear();
    if (!description.sender_address.empty() &&
        (description.sender_rtcp_port < 1 || description.sender_rtcp_port > 65535)) {
      throw OfferError(
          "the sender's RTCP port (the m-line port + 1, or a=rtcp) must be 1 to 65535");
    }
  }
  return description;
}

RtpSession::RtpSession(std::string name, RtpDescription description, TrackSink* sink,
                       RtpOptions options)
    : name_(std::move(name)), description_(std::move(description)), sink_(sink) {
  EnsureGstreamer();
  if (!description_.source_address.empty()) {
    source_ = g_inet_address_new_from_string(description_.source_address.c_str());
    if (source_ == nullptr)
      throw OfferError("source '" + description_.source_address + "' is not an IP address");
  }
  for (int p = options.port_min + (options.port_min & 1); p + 1 < options.port_max; p += 2) {
    if (UdpPortFree(options.bind_address, p) && UdpPortFree(options.bind_address, p + 1)) {
      port_ = p;
      break;
    }
  }
  if (port_ == 0) {
    throw PipelineError("no free UDP port pair in " + std::to_string(options.port_min) + "-" +
                        std::to_string(options.port_max));
  }
  pipeline_ = MakeMonotonicPipeline("rtp-" + name_);
  GstElement* rtpbin = MakeElement("rtpbin");
  g_object_set(rtpbin, "latency", options.jitter_latency_ms, "do-lost", TRUE, nullptr);
  GstElement* rtp_src = MakeElement("udpsrc");
  GstCaps* caps = gst_caps_from_string(description_.caps.c_str());
  g_object_set(rtp_src, "address", options.bind_address.c_str(), "port", port_, "caps", caps,
               nullptr);
  gst_caps_unref(caps);
  GstElement* rtcp_src = MakeElement("udpsrc");
  g_object_set(rtcp_src, "address", options.bind_address.c_str(), "port", port_ + 1, nullptr);
  gst_bin_add_many(GST_BIN(pipeline_), rtpbin, rtp_src, rtcp_src, nullptr);
  for (GstElement* src : {rtp_src, rtcp_src}) {
    GstPad* pad = gst_element_get_static_pad(src, "src");
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, FilterSource, this, nullptr);
    gst_object_unref(pad);
  }
  bool linked = gst_element_link_pads(rtp_src, "src", rtpbin, "recv_rtp_sink_0") &&
                gst_element_link_pads(rtcp_src, "src", rtpbin, "recv_rtcp_sink_0");
  if (!description_.sender_address.empty()) {
    GstElement* rtcp_out = MakeElement("udpsink");
    g_object_set(rtcp_out, "host", description_.sender_address.c_str(), "port",
                 description_.sender_rtcp_port, "sync", FALSE, "async", FALSE, nullptr);
    gst_bin_add(GST_BIN(pipeline_), rtcp_out);
    linked = linked && gst_element_link_pads(rtpbin, "send_rtcp_src_0", rtcp_out, "sink");
  }
  g_signal_connect(rtpbin, "pad-added", G_CALLBACK(OnPadAdded), this);
  WatchBus(pipeline_, "rtp " + name_, nullptr);
  if (!linked || gst_element_set_state(pipeline_, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    gst_element_set_state(pipeline_, GST_STATE_NULL);
    gst_object_unref(pipeline_);
    throw PipelineError("cannot start the RTP pipeline on port " + std::to_string(port_));
  }
  Logger("ingest")->info("rtp {}: {} {} on {}:{}", name_, description_.codec,
                         KindName(description_.kind), options.bind_address, port_);
}

RtpSession::~RtpSession() {
  Close("ingest removed"); // the pipeline is stopped: no probe runs any more
  if (source_ != nullptr)
    g_object_unref(source_);
}

GstPadProbeReturn RtpSession::FilterSource(GstPad*, GstPadProbeInfo* info, gpointer data) {
  auto* self = static_cast<RtpSession*>(data);
  GstNetAddressMeta* meta = gst_buffer_get_net_address_meta(GST_PAD_PROBE_INFO_BUFFER(info));
  if (meta == nullptr || !G_IS_INET_SOCKET_ADDRESS(meta->addr))
    return GST_PAD_PROBE_DROP; // udpsrc always says who sent; without it, nobody is trusted
  GInetAddress* from = g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(meta->addr));
  return self->TakesPacketsFrom(from) ? GST_PAD_PROBE_OK : GST_PAD_PROBE_DROP;
}

namespace {

std::string AddressText(GInetAddress* address) {
  gchar* text = g_inet_address_to_string(address);
  std::string out = text;
  g_free(text);
  return out;
}

} // namespace

bool RtpSession::TakesPacketsFrom(GInetAddress* address) {
  std::string expected;
  {
    std::lock_guard lock(source_mutex_);
    if (source_ == nullptr) {
      source_ = G_INET_ADDRESS(g_object_ref(address));
      Logger("ingest")->info("rtp {}: taking packets from {} only", name_, AddressText(address));
      return true;
    }
    if (g_inet_address_equal(source_, address))
      return true;
    if (dropped_.load() == 0)
      expected = AddressText(source_);
  }
  if (dropped_.fetch_add(1) == 0) {
    Logger("ingest")->warn("rtp {}: dropping packets from {}: this forward takes them from {} "
                           "only (POST the forward again to change it)",
                           name_, AddressText(address), expected);
  }
  return false;
}

void RtpSession::OnPadAdded(GstElement*, GstPad* pad, gpointer data) {
  auto* self = static_cast<RtpSession*>(data);
  gchar* pad_name = gst_pad_get_name(pad);
  const bool rtp_src = g_str_has_prefix(pad_name, "recv_rtp_src_");
  g_free(pad_name);
  if (!rtp_src)
    return;
  const std::string error = AttachDecodeBranch(self->pipeline_, pad, self->sink_);
  if (!error.empty()) {
    Logger("ingest")->warn("rtp {}: {}", self->name_, error);
  }
}

void RtpSession::Close(const std::string& reason) {
  {
    std::lock_guard lock(mutex_);
    if (closed_)
      return;
    closed_ = true;
  }
  gst_element_set_state(pipeline_, GST_STATE_NULL);
  gst_object_unref(pipeline_);
  sink_->OnEnded(reason);
}

} // namespace ssr::ingest
