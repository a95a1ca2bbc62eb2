#include "ingest/whip_session.h"

#include "common/log.h"
#include "ingest/advertised_candidates.h"
#include "ingest/decode_branch.h"
#include "ingest/gst_support.h"

#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

#include <memory>
#include <stdexcept>
#include <thread>

namespace ssr::ingest {
namespace {

// A webrtcbin action signal answers through a promise: this owns one and waits for its reply.
class Promise {
 public:
  Promise() : promise_(gst_promise_new()) {}
  ~Promise() { gst_promise_unref(promise_); }
  Promise(const Promise&) = delete;
  Promise& operator=(const Promise&) = delete;
  GstPromise* get() const { return promise_; }

  // The reply (owned by the promise); throws OfferError when webrtcbin reports an error.
  const GstStructure* Await(const char* what) const {
    if (gst_promise_wait(promise_) != GST_PROMISE_RESULT_REPLIED) {
      throw PipelineError(std::string(what) + ": no reply from webrtcbin");
    }
    const GstStructure* reply = gst_promise_get_reply(promise_);
    if (reply != nullptr && gst_structure_has_field(reply, "error")) {
      GError* error = nullptr;
      gst_structure_get(reply, "error", G_TYPE_ERROR, &error, nullptr);
      const std::string message = error != nullptr ? error->message : "unknown error";
      if (error != nullptr)
        g_error_free(error);
      throw OfferError(std::string(what) + ": " + message);
    }
    return reply;
  }

 private:
  GstPromise* promise_;
};

} // namespace

WhipSession::WhipSession(std::string name, std::vector<OfferedTrack> tracks,
                         std::vector<TrackSink*> sinks, WhipOptions options)
    : name_(std::move(name)), tracks_(std::move(tracks)), sinks_(std::move(sinks)),
      options_(std::move(options)) {
  EnsureGstreamer();
  pipeline_ = MakeMonotonicPipeline("whip-" + name_);
  webrtc_ = MakeElement("webrtcbin");
  g_object_set(webrtc_, "bundle-policy",
               options_.bundle ? GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE
                               : GST_WEBRTC_BUNDLE_POLICY_NONE,
               "latency", options_.jitter_latency_ms, nullptr);
  gst_bin_add(GST_BIN(pipeline_), webrtc_);
  try {
    ConfigureIce(webrtc_, options_.ice);
  } catch (const PipelineError&) {
    gst_object_unref(pipeline_);
    throw;
  }
  g_signal_connect(webrtc_, "pad-added", G_CALLBACK(OnPadAdded), this);
  g_signal_connect(webrtc_, "notify::connection-state", G_CALLBACK(OnConnectionState), this);
  WatchBus(pipeline_, "whip " + name_, [this](const std::string&) { failed_ = true; });
  if (gst_element_set_state(pipeline_, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    gst_object_unref(pipeline_);
    throw PipelineError("cannot start the WebRTC pipeline");
  }
}

WhipSession::~WhipSession() { Close("resource deleted"); }

void WhipSession::ConfigureTransceivers() {
  GArray* transceivers = nullptr;
  g_signal_emit_by_name(webrtc_, "get-transceivers", &transceivers);
  for (guint i = 0; transceivers != nullptr && i < transceivers->len; ++i) {
    GstWebRTCRTPTransceiver* trans = g_array_index(transceivers, GstWebRTCRTPTransceiver*, i);
    guint mline = 0;
    g_object_get(trans, "mlineindex", &mline, nullptr);
    for (const auto& track : tracks_) {
      if (static_cast<guint>(track.mline) != mline)
        continue;
      GstCaps* caps = gst_caps_from_string(track.preference_caps.c_str());
      g_object_set(trans, "direction", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, "do-nack",
                   TRUE, "codec-preferences", caps, nullptr);
      gst_caps_unref(caps);
    }
  }
  if (transceivers != nullptr)
    g_array_unref(transceivers);
}

std::string WhipSession::Negotiate(const std::string& offer_sdp) {
  GstSDPMessage* sdp = nullptr;
  gst_sdp_message_new_from_text(offer_sdp.c_str(), &sdp);
  if (!options_.bundle) {
    // A BUNDLE group whose m-lines have different ICE credentials cannot be one transport:
    // decline bundling (JSEP lets the answerer), each m-line gets its own.
    for (guint i = gst_sdp_message_attributes_len(sdp); i > 0; --i) {
      if (g_str_equal(gst_sdp_message_get_attribute(sdp, i - 1)->key, "group")) {
        gst_sdp_message_remove_attribute(sdp, i - 1);
      }
    }
  }
  GstWebRTCSessionDescription* offer =
      gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_OFFER, sdp);
  {
    Promise set_remote;
    g_signal_emit_by_name(webrtc_, "set-remote-description", offer, set_remote.get());
    gst_webrtc_session_description_free(offer);
    set_remote.Await("offer");
  }
  ConfigureTransceivers();

  GstWebRTCSessionDescription* answer = nullptr;
  {
    Promise create_answer;
    g_signal_emit_by_name(webrtc_, "create-answer", nullptr, create_answer.get());
    const GstStructure* reply = create_answer.Await("answer");
    if (reply == nullptr || !gst_structure_get(reply, "answer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
                                               &answer, nullptr)) {
      throw OfferError("answer: webrtcbin could not answer the offer");
    }
  }
  {
    Promise set_local;
    g_signal_emit_by_name(webrtc_, "set-local-description", answer, set_local.get());
    gst_webrtc_session_description_free(answer);
    set_local.Await("answer");
  }

  // Non-trickle: the answer goes out once every candidate is in it.
  const auto deadline = std::chrono::steady_clock::now() + options_.negotiate_timeout;
  while (true) {
    GstWebRTCICEGatheringState state = GST_WEBRTC_ICE_GATHERING_STATE_NEW;
    g_object_get(webrtc_, "ice-gathering-state", &state, nullptr);
    if (state == GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE)
      break;
    if (std::chrono::steady_clock::now() > deadline) {
      throw PipelineError("ICE candidate gathering did not complete in time");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  GstWebRTCSessionDescription* local = nullptr;
  g_object_get(webrtc_, "local-description", &local, nullptr);
  if (local == nullptr)
    throw PipelineError("webrtcbin has no local description");
  const std::unique_ptr<GstWebRTCSessionDescription, void (*)(GstWebRTCSessionDescription*)>
      owned_local(local, gst_webrtc_session_description_free);
  return AnswerText(local->sdp);
}

std::string WhipSession::AnswerText(GstSDPMessage* answer) const {
  AdvertiseAddresses(answer, options_.ice.advertised);
  const std::vector<SdpCandidate> candidates = CandidatesOf(answer);
  if (candidates.empty()) {
    // libnice gathers nothing when no interface is usable or no port is free in the range.
    throw PipelineError("no ICE candidate could be gathered (no usable network interface, or "
                        "no free UDP port in ice_port_min..ice_port_max)");
  }
  std::string listed;
  for (const SdpCandidate& c : candidates)
    listed += (listed.empty() ? "" : ", ") + c.address + ":" + std::to_string(c.port) + " " +
              c.transport + " " + c.type;
  Logger("ingest")->info("whip {}: answer with candidates {}", name_, listed);
  gchar* text = gst_sdp_message_as_text(answer);
  std::string answer_sdp = text;
  g_free(text);
  return answer_sdp;
}

void WhipSession::OnPadAdded(GstElement*, GstPad* pad, gpointer data) {
  auto* self = static_cast<WhipSession*>(data);
  if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC)
    return;
  GstCaps* caps = gst_pad_get_current_caps(pad);
  MediaKind kind = MediaKind::kVideo;
  const bool known = KindOfRtpCaps(caps, &kind);
  if (caps != nullptr)
    gst_caps_unref(caps);
  for (size_t i = 0; known && i < self->tracks_.size(); ++i) {
    if (self->tracks_[i].kind != kind)
      continue;
    const std::string error = AttachDecodeBranch(self->pipeline_, pad, self->sinks_[i]);
    if (!error.empty()) {
      Logger("ingest")->warn("whip {}: track {}: {}", self->name_, self->tracks_[i].track_id,
                             error);
    } else {
      Logger("ingest")->info("whip {}: receiving track {}", self->name_, self->tracks_[i].track_id);
    }
    return;
  }
  Logger("ingest")->warn("whip {}: a stream no track id is for: ignored", self->name_);
}

void WhipSession::OnConnectionState(GObject* webrtc, GParamSpec*, gpointer data) {
  auto* self = static_cast<WhipSession*>(data);
  GstWebRTCPeerConnectionState state = GST_WEBRTC_PEER_CONNECTION_STATE_NEW;
  g_object_get(webrtc, "connection-state", &state, nullptr);
  if (state == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED) {
    Logger("ingest")->warn("whip {}: connection failed", self->name_);
    self->failed_ = true;
  } else if (state == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED) {
    Logger("ingest")->info("whip {}: connected", self->name_);
  }
}

void WhipSession::Close(const std::string& reason) {
  {
    std::lock_guard lock(mutex_);
    if (closed_)
      return;
    closed_ = true;
  }
  gst_element_set_state(pipeline_, GST_STATE_NULL);
  gst_object_unref(pipeline_);
  pipeline_ = nullptr;
  for (TrackSink* sink : sinks_)
    sink->OnEnded(reason);
}

} // namespace ssr::ingest
