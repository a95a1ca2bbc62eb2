#pragma once
// The chain behind one incoming RTP stream (a webrtcbin or rtpbin source pad):
//   depayloader ─ tee ─┬─ decoder ─ convert ─ appsink  → TrackSink::OnVideo / OnAudio
//                      └─ (parser) ─ appsink           → TrackSink::OnEncoded (raw track)
// Depayloaders wait for a keyframe after loss and ask for one (PLI through the RTP session);
// decoders skip broken frames instead of failing the stream.

#include "ingest/track_sink.h"

#include <gst/gst.h>

#include <string>

namespace ssr::ingest {

// True for the codecs (RTP encoding names, upper case) a branch can be built for: video VP8,
// VP9, H264; audio OPUS. DecodableCodecNames lists them for messages ("VP8, VP9, H264").
bool Decodable(MediaKind kind, const std::string& codec);
const char* DecodableCodecNames(MediaKind kind);

// The media kind of RTP caps ("media" field), or nullopt-like false when not audio/video.
bool KindOfRtpCaps(const GstCaps* caps, MediaKind* kind);

// Builds the chain inside `bin` for `rtp_pad` and links it. Returns "" on success, else why
// not (e.g. "video codec AV1 is not supported; use VP8, VP9 or H264"). `sink` must outlive
// the pipeline's streaming (set the pipeline to NULL before destroying it).
std::string AttachDecodeBranch(GstElement* bin, GstPad* rtp_pad, TrackSink* sink);

} // namespace ssr::ingest
