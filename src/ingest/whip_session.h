#pragma once
// One WHIP (RFC 9725) ingest resource: a GStreamer pipeline around webrtcbin that answers
// the client's offer (non-trickle: the answer carries all our ICE candidates), receives its
// tracks with NACK and keyframe requests, and hands each track to its TrackSink through
// the chain of media_branch.h. Close() (DELETE) tears the pipeline down, with its threads.

#include "ingest/ice_options.h"
#include "ingest/sdp_offer.h"
#include "ingest/track_sink.h"

#include <gst/gst.h>
#include <gst/sdp/sdp.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace ssr::ingest {

struct WhipOptions {
  int jitter_latency_ms = 200; // webrtcbin jitter buffers; below the recorder's latency
  bool bundle = true;          // one transport for all m-lines (OfferSharesIceCredentials)
  std::chrono::milliseconds negotiate_timeout{5000};
  IceOptions ice; // advertised addresses, UDP ports, STUN and TURN servers
};

class WhipSession {
 public:
  // `tracks` from CheckOffer; `sinks[i]` receives `tracks[i]` and must outlive Close().
  WhipSession(std::string name, std::vector<OfferedTrack> tracks, std::vector<TrackSink*> sinks,
              WhipOptions options);
  ~WhipSession();
  WhipSession(const WhipSession&) = delete;
  WhipSession& operator=(const WhipSession&) = delete;

  // Applies the offer and returns the answer SDP with our candidates. Throws OfferError when
  // webrtcbin rejects the offer, PipelineError on a timeout.
  std::string Negotiate(const std::string& offer_sdp);

  // Stops receiving; every sink gets OnEnded(reason). Idempotent.
  void Close(const std::string& reason);

  bool failed() const { return failed_; }
  const std::string& name() const { return name_; }

 private:
  static void OnPadAdded(GstElement* webrtc, GstPad* pad, gpointer self);
  static void OnConnectionState(GObject* webrtc, GParamSpec*, gpointer self);
  void ConfigureTransceivers();
  // The answer as publishers get it: advertised addresses in place of private ones.
  std::string AnswerText(GstSDPMessage* answer) const;

  const std::string name_;
  const std::vector<OfferedTrack> tracks_;
  const std::vector<TrackSink*> sinks_;
  const WhipOptions options_;
  GstElement* pipeline_ = nullptr;
  GstElement* webrtc_ = nullptr;
  std::mutex mutex_;
  bool closed_ = false;
  std::atomic<bool> failed_{false};
};

} // namespace ssr::ingest
