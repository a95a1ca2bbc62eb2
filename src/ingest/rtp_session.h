#pragma once
// One RTP ingest: an SDP describing what an SFU forwards (Janus rtp_forward, a mediasoup
// PlainTransport), a UDP port pair we allocate (RTP on an even port, RTCP on the next),
// rtpbin with its jitter buffer and RTCP, and the chain of media_branch.h into a TrackSink.
// When the SDP names where the sender listens (c= and a non-zero m= port), receiver reports
// and keyframe requests (PLI) go back there, to its RTCP port.
//
// Packets are taken from one address only (review finding L10): the one the platform
// declared (`source` of the forward), or else the first that sends; any other sender's RTP
// and RTCP are dropped and counted, so a stranger who finds the port cannot inject media.

#include "ingest/sdp_offer.h"
#include "ingest/track_sink.h"

#include <gio/gio.h>
#include <gst/gst.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace ssr::ingest {

struct RtpOptions {
  std::string bind_address = "127.0.0.1";
  int port_min = 40000; // even ports are tried in [port_min, port_max)
  int port_max = 41000;
  int jitter_latency_ms = 200;
};

struct RtpDescription {
  MediaKind kind = MediaKind::kVideo;
  std::string codec;          // VP8, VP9, H264, OPUS
  std::string caps;           // application/x-rtp caps for udpsrc
  std::string sender_address; // empty: no RTCP back
  int sender_rtcp_port = 0;
  std::string source_address; // packets only from it ("": from the first address that sends)
};

// Parses the SDP of a forwarded stream: one audio or video m-line with a codec we decode.
// Throws OfferError naming what is wrong.
RtpDescription ParseRtpDescription(const std::string& sdp);

class RtpSession {
 public:
  // Binds a port pair and starts receiving; `sink` must outlive Close(). Throws
  // PipelineError when no port is free or the pipeline does not start.
  RtpSession(std::string name, RtpDescription description, TrackSink* sink, RtpOptions options);
  ~RtpSession();
  RtpSession(const RtpSession&) = delete;
  RtpSession& operator=(const RtpSession&) = delete;

  int port() const { return port_; }
  void Close(const std::string& reason);
  // Packets dropped because another address sent them.
  uint64_t dropped_packets() const { return dropped_.load(); }

 private:
  static void OnPadAdded(GstElement* rtpbin, GstPad* pad, gpointer self);
  static GstPadProbeReturn FilterSource(GstPad* pad, GstPadProbeInfo* info, gpointer self);
  // Whether a packet from `address` is taken (latches the first address when none was
  // declared). Per packet: compares addresses, makes text only to log.
  bool TakesPacketsFrom(GInetAddress* address);

  const std::string name_;
  const RtpDescription description_;
  TrackSink* const sink_;
  GstElement* pipeline_ = nullptr;
  int port_ = 0;
  std::mutex mutex_;
  bool closed_ = false;
  std::mutex source_mutex_;        // the two udpsrc threads
  GInetAddress* source_ = nullptr; // under source_mutex_; owned (nullptr: none yet)
  std::atomic<uint64_t> dropped_{0};
};

} // namespace ssr::ingest
