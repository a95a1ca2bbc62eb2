// The two parsers of untrusted SDP on the ingest side: CheckOffer (a WHIP offer, before any
// pipeline exists) and ParseRtpDescription (what an SFU forwards over plain RTP). Each check
// they make has a case that trips it, naming what is wrong, and a case that passes it.

#include "ingest/rtp_session.h" // ParseRtpDescription
#include "ingest/sdp_offer.h"   // CheckOffer, OfferSharesIceCredentials

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ssr::sdp_test {
namespace {

namespace sdp = ssr::ingest;
using ssr::MediaKind;

// --- Building offers -----------------------------------------------------------------------

constexpr const char* kFingerprint =
    "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:4A:AD:B9:B1:3F:82:18:"
    "3B:54:02:12:DF";

struct MLine {
  std::string media = "video";
  std::string formats = "96";
  std::vector<std::string> attributes = {"rtpmap:96 VP8/90000"};
  std::string direction = "sendonly";
  std::string proto = "UDP/TLS/RTP/SAVPF";
  std::string port = "9";
  std::string connection = "IN IP4 0.0.0.0";
};

MLine Video() { return {}; }
MLine Audio() {
  MLine m;
  m.media = "audio";
  m.formats = "111";
  m.attributes = {"rtpmap:111 opus/48000/2"};
  return m;
}

// An SDP text; `session` attributes go above the m-lines, each m-line gets a mid.
std::string Sdp(const std::vector<MLine>& mlines, const std::vector<std::string>& session) {
  std::string text = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  for (const std::string& a : session)
    text += "a=" + a + "\r\n";
  for (size_t i = 0; i < mlines.size(); ++i) {
    const MLine& m = mlines[i];
    text += "m=" + m.media + " " + m.port + " " + m.proto + " " + m.formats + "\r\n";
    if (!m.connection.empty())
      text += "c=" + m.connection + "\r\n";
    text += "a=mid:" + std::to_string(i) + "\r\n";
    if (!m.direction.empty())
      text += "a=" + m.direction + "\r\n";
    for (const std::string& a : m.attributes)
      text += "a=" + a + "\r\n";
  }
  return text;
}

// A WHIP offer with the ICE credentials and fingerprint at session level (as browsers send).
std::string Offer(const std::vector<MLine>& mlines) {
  return Sdp(mlines, {"group:BUNDLE 0 1", "ice-ufrag:Xk3p", "ice-pwd:p8Ci3FJgGqb2b6ZqSGQcVJAM",
                      std::string("fingerprint:") + kFingerprint});
}

using KindOf = std::function<std::optional<MediaKind>(const std::string&)>;
const KindOf kNothingPublished = [](const std::string&) { return std::nullopt; };

KindOf Published(std::map<std::string, MediaKind> kinds) {
  return [kinds](const std::string& id) -> std::optional<MediaKind> {
    const auto it = kinds.find(id);
    return it == kinds.end() ? std::nullopt : std::optional<MediaKind>(it->second);
  };
}

// The OfferError message of checking `offer` for `ids` ("" when it passes).
std::string OfferProblem(const std::string& offer, const std::vector<std::string>& ids,
                         const KindOf& kind_of = kNothingPublished) {
  try {
    sdp::CheckOffer(offer, ids, kind_of);
  } catch (const sdp::OfferError& e) {
    return e.what();
  }
  return "";
}

// The OfferError message of parsing `text` as a forwarded stream ("" when it parses).
std::string RtpProblem(const std::string& text) {
  try {
    sdp::ParseRtpDescription(text);
  } catch (const sdp::OfferError& e) {
    return e.what();
  }
  return "";
}

// --- CheckOffer ----------------------------------------------------------------------------

TEST(CheckOffer, AVideoAndAudioOfferMapsTheTwoIdsVideoThenAudio) {
  MLine video = Video();
  video.formats = "96 45 97";
  video.attributes = {"rtpmap:96 VP8/90000", "rtpmap:45 AV1/90000", "rtpmap:97 H264/90000",
                      "fmtp:97 packetization-mode=1;profile-level-id=42e01f"};
  const auto tracks = sdp::CheckOffer(Offer({video, Audio()}), {"cam", "mic"}, kNothingPublished);
  ASSERT_EQ(tracks.size(), 2u);
  EXPECT_EQ(tracks[0].mline, 0);
  EXPECT_EQ(tracks[0].kind, MediaKind::kVideo);
  EXPECT_EQ(tracks[0].track_id, "cam");
  // Only what we decode, in the offer's order.
  EXPECT_EQ(tracks[0].codecs, (std::vector<std::string>{"VP8", "H264"}));
  EXPECT_NE(tracks[0].preference_caps.find("application/x-rtp"), std::string::npos);
  EXPECT_NE(tracks[0].preference_caps.find("VP8"), std::string::npos);
  EXPECT_EQ(tracks[0].preference_caps.find("AV1"), std::string::npos) << tracks[0].preference_caps;
  EXPECT_EQ(tracks[1].mline, 1);
  EXPECT_EQ(tracks[1].kind, MediaKind::kAudio);
  EXPECT_EQ(tracks[1].track_id, "mic");
  EXPECT_EQ(tracks[1].codecs, std::vector<std::string>{"OPUS"});
}

TEST(CheckOffer, ACodecOfferedTwiceIsListedOnce) {
  MLine video = Video();
  video.formats = "96 98";
  video.attributes = {"rtpmap:96 VP8/90000", "rtpmap:98 VP8/90000"};
  const auto tracks = sdp::CheckOffer(Offer({video}), {"cam"}, kNothingPublished);
  ASSERT_EQ(tracks.size(), 1u);
  EXPECT_EQ(tracks[0].codecs, std::vector<std::string>{"VP8"});
}

TEST(CheckOffer, TextThatIsNotSdpIsRefused) {
  EXPECT_EQ(OfferProblem("hello, this is not an offer", {"cam"}),
            "offer is not SDP (no 'v=0' line)");
  EXPECT_EQ(OfferProblem("", {"cam"}), "offer is not SDP (no 'v=0' line)");
  // Binary garbage after a v=0 line parses (GStreamer's parser skips what it does not know)
  // but describes no media.
  EXPECT_EQ(OfferProblem("v=0\r\n\x01\x02\xff garbage\r\n", {"cam"}), "offer has no m-line");
}

TEST(CheckOffer, AnOfferWithoutMediaIsRefused) {
  EXPECT_EQ(OfferProblem(Offer({}), {"cam"}), "offer has no m-line");
  EXPECT_EQ(OfferProblem(Offer({Video()}), {"cam"}), "");
}

TEST(CheckOffer, OneMLinePerTrackId) {
  const std::string too_many = OfferProblem(Offer({Video(), Audio()}), {"cam"});
  EXPECT_EQ(too_many.rfind("offer has 2 m-lines for 1 track id(s) in the URL", 0), 0u) << too_many;
  const std::string too_few = OfferProblem(Offer({Video()}), {"cam", "mic"});
  EXPECT_EQ(too_few.rfind("offer has 1 m-lines for 2 track id(s) in the URL", 0), 0u) << too_few;
}

TEST(CheckOffer, OnlyAudioAndVideoMLines) {
  MLine data = Video();
  data.media = "application";
  data.proto = "UDP/DTLS/SCTP";
  data.formats = "webrtc-datachannel";
  data.attributes = {};
  EXPECT_EQ(OfferProblem(Offer({data}), {"cam"}),
            "m-line 0: media 'application' is not accepted (audio or video)");
  EXPECT_EQ(OfferProblem(Offer({Audio()}), {"mic"}), "");
}

TEST(CheckOffer, EveryMLineMustSendMedia) {
  for (const std::string direction : {"recvonly", "inactive"}) {
    MLine audio = Audio();
    audio.direction = direction;
    EXPECT_EQ(OfferProblem(Offer({Video(), audio}), {"cam", "mic"}),
              "m-line 1 is " + direction + ": a WHIP offer must send media");
  }
  for (const std::string direction : {"sendonly", "sendrecv", ""}) {
    MLine audio = Audio();
    audio.direction = direction;
    EXPECT_EQ(OfferProblem(Offer({Video(), audio}), {"cam", "mic"}), "") << direction;
  }
}

TEST(CheckOffer, IceCredentialsAtSessionOrMediaLevel) {
  const std::string fingerprint = std::string("fingerprint:") + kFingerprint;
  EXPECT_EQ(
      OfferProblem(Sdp({Video()}, {"ice-pwd:p8Ci3FJgGqb2b6ZqSGQcVJAM", fingerprint}), {"cam"}),
      "m-line 0: no ICE credentials (a=ice-ufrag)");
  MLine video = Video();
  video.attributes.push_back("ice-ufrag:m1");
  video.attributes.push_back("ice-pwd:p8Ci3FJgGqb2b6ZqSGQcVJAM");
  EXPECT_EQ(OfferProblem(Sdp({video}, {fingerprint}), {"cam"}), "");
  // Media level on the first m-line only: the second has none.
  EXPECT_EQ(OfferProblem(Sdp({video, Audio()}, {fingerprint}), {"cam", "mic"}),
            "m-line 1: no ICE credentials (a=ice-ufrag)");
}

TEST(CheckOffer, DtlsFingerprintAtSessionOrMediaLevel) {
  EXPECT_EQ(
      OfferProblem(Sdp({Video()}, {"ice-ufrag:Xk3p", "ice-pwd:p8Ci3FJgGqb2b6ZqSGQcVJAM"}), {"cam"}),
      "m-line 0: no DTLS fingerprint (a=fingerprint)");
  MLine video = Video();
  video.attributes.push_back(std::string("fingerprint:") + kFingerprint);
  EXPECT_EQ(
      OfferProblem(Sdp({video}, {"ice-ufrag:Xk3p", "ice-pwd:p8Ci3FJgGqb2b6ZqSGQcVJAM"}), {"cam"}),
      "");
}

TEST(CheckOffer, EachMLineNeedsACodecWeDecode) {
  MLine video = Video();
  video.formats = "45 100";
  video.attributes = {"rtpmap:45 AV1/90000", "rtpmap:100 H265/90000"};
  EXPECT_EQ(OfferProblem(Offer({video}), {"cam"}),
            "m-line 0 (video) offers no codec we take (VP8, VP9, H264); it offers: AV1, H265");
  MLine audio = Audio();
  audio.formats = "9";
  audio.attributes = {"rtpmap:9 G722/8000"};
  EXPECT_EQ(OfferProblem(Offer({Video(), audio}), {"cam", "mic"}),
            "m-line 1 (audio) offers no codec we take (Opus); it offers: G722");
  // A video codec on an audio m-line is not an audio codec we take.
  MLine odd = Audio();
  odd.formats = "96";
  odd.attributes = {"rtpmap:96 VP8/90000"};
  EXPECT_EQ(OfferProblem(Offer({odd}), {"mic"}),
            "m-line 0 (audio) offers no codec we take (Opus); it offers: VP8");
  MLine vp9 = Video();
  vp9.formats = "98";
  vp9.attributes = {"rtpmap:98 VP9/90000"};
  EXPECT_EQ(OfferProblem(Offer({vp9}), {"cam"}), "");
}

TEST(CheckOffer, TwoTrackIdsNeedOneVideoAndOneAudioMLine) {
  EXPECT_EQ(OfferProblem(Offer({Video(), Video()}), {"cam", "screen"}),
            "offer has two video m-lines; with two track ids it must have one video and one audio");
  EXPECT_EQ(OfferProblem(Offer({Audio(), Audio()}), {"mic", "music"}),
            "offer has two audio m-lines; with two track ids it must have one video and one audio");
}

TEST(CheckOffer, AudioFirstInTheOfferStillGivesTheFirstIdToVideo) {
  const auto tracks = sdp::CheckOffer(Offer({Audio(), Video()}), {"cam", "mic"}, kNothingPublished);
  ASSERT_EQ(tracks.size(), 2u);
  EXPECT_EQ(tracks[0].kind, MediaKind::kAudio);
  EXPECT_EQ(tracks[0].track_id, "mic");
  EXPECT_EQ(tracks[1].track_id, "cam");
}

TEST(CheckOffer, PublishedKindsDecideWhichIdTakesWhichMLine) {
  // "mic+cam": the first id was published as audio, so the ids swap.
  const auto swapped = sdp::CheckOffer(Offer({Video(), Audio()}), {"mic", "cam"},
                                       Published({{"mic", MediaKind::kAudio}}));
  ASSERT_EQ(swapped.size(), 2u);
  EXPECT_EQ(swapped[0].track_id, "cam");
  EXPECT_EQ(swapped[1].track_id, "mic");
  // Known as video: the second id goes to the video m-line too.
  const auto by_second =
      sdp::CheckOffer(Offer({Video(), Audio()}), {"a", "b"}, Published({{"b", MediaKind::kVideo}}));
  EXPECT_EQ(by_second[0].track_id, "b");
  EXPECT_EQ(by_second[1].track_id, "a");
}

TEST(CheckOffer, AnIdPublishedAsTheOtherKindIsRefused) {
  EXPECT_EQ(OfferProblem(Offer({Video()}), {"cam"}, Published({{"cam", MediaKind::kAudio}})),
            "track 'cam' was published as audio but its m-line is video");
  EXPECT_EQ(OfferProblem(Offer({Audio()}), {"mic"}, Published({{"mic", MediaKind::kVideo}})),
            "track 'mic' was published as video but its m-line is audio");
  EXPECT_EQ(OfferProblem(Offer({Video()}), {"cam"}, Published({{"cam", MediaKind::kVideo}})), "");
}

TEST(OfferSharesIceCredentials, OneUfragForAllMLinesOrNot) {
  EXPECT_TRUE(sdp::OfferSharesIceCredentials(Offer({Video(), Audio()})));
  MLine video = Video();
  video.attributes.push_back("ice-ufrag:first");
  MLine audio = Audio();
  audio.attributes.push_back("ice-ufrag:second");
  EXPECT_FALSE(sdp::OfferSharesIceCredentials(Sdp({video, audio}, {})));
  audio.attributes.back() = "ice-ufrag:first";
  EXPECT_TRUE(sdp::OfferSharesIceCredentials(Sdp({video, audio}, {})));
}

// --- ParseRtpDescription -------------------------------------------------------------------

// A forwarded stream (Janus rtp_forward, a mediasoup PlainTransport): plain RTP, one m-line.
MLine Forwarded(MLine m) {
  m.proto = "RTP/AVP";
  m.direction = "";
  return m;
}

TEST(ParseRtpDescription, AVideoStreamGivesItsCodecAndCaps) {
  MLine video = Forwarded(Video());
  video.formats = "100 96";
  video.attributes = {"rtpmap:100 H265/90000", "rtpmap:96 VP8/90000", "ssrc:1234 cname:janus"};
  const sdp::RtpDescription d = sdp::ParseRtpDescription(Sdp({video}, {}));
  EXPECT_EQ(d.kind, MediaKind::kVideo);
  EXPECT_EQ(d.codec, "VP8");
  EXPECT_EQ(d.caps.rfind("application/x-rtp", 0), 0u) << d.caps;
  EXPECT_NE(d.caps.find("encoding-name=(string)VP8"), std::string::npos) << d.caps;
  EXPECT_NE(d.caps.find("payload=(int)96"), std::string::npos) << d.caps;
  EXPECT_EQ(d.sender_address, ""); // port 9: the sender listens for nothing
  EXPECT_EQ(d.sender_rtcp_port, 0);
}

TEST(ParseRtpDescription, AnAudioStreamTakesTheFirstCodecWeDecode) {
  MLine audio = Forwarded(Audio());
  audio.formats = "0 111";
  audio.attributes = {"rtpmap:0 PCMU/8000", "rtpmap:111 opus/48000/2"};
  const sdp::RtpDescription d = sdp::ParseRtpDescription(Sdp({audio}, {}));
  EXPECT_EQ(d.kind, MediaKind::kAudio);
  EXPECT_EQ(d.codec, "OPUS");
  EXPECT_NE(d.caps.find("payload=(int)111"), std::string::npos) << d.caps;
}

TEST(ParseRtpDescription, TextWithoutAnMLineIsRefused) {
  EXPECT_EQ(RtpProblem(""), "sdp is not valid SDP");
  EXPECT_EQ(RtpProblem("garbage"), "sdp is not valid SDP");
  EXPECT_EQ(RtpProblem(Sdp({}, {})), "sdp is not valid SDP");
  EXPECT_EQ(RtpProblem(Sdp({Forwarded(Video())}, {})), "");
}

TEST(ParseRtpDescription, ExactlyOneMLine) {
  EXPECT_EQ(RtpProblem(Sdp({Forwarded(Video()), Forwarded(Audio())}, {})),
            "sdp must have exactly one m-line (one track), it has 2");
  // An "m=" inside an attribute is no m-line.
  EXPECT_EQ(RtpProblem(Sdp({}, {"tool:m=none"})),
            "sdp must have exactly one m-line (one track), it has 0");
}

TEST(ParseRtpDescription, OnlyAudioOrVideo) {
  MLine text = Forwarded(Video());
  text.media = "text";
  EXPECT_EQ(RtpProblem(Sdp({text}, {})), "m-line media 'text' is not accepted (audio or video)");
}

TEST(ParseRtpDescription, OnlyPlainRtp) {
  EXPECT_EQ(RtpProblem(Sdp({Video()}, {})),
            "m-line protocol 'UDP/TLS/RTP/SAVPF' is not plain RTP (RTP/AVP or RTP/AVPF)");
  MLine avpf = Forwarded(Video());
  avpf.proto = "RTP/AVPF";
  EXPECT_EQ(RtpProblem(Sdp({avpf}, {})), "");
}

TEST(ParseRtpDescription, NeedsACodecWeDecode) {
  MLine video = Forwarded(Video());
  video.formats = "45";
  video.attributes = {"rtpmap:45 AV1/90000"};
  EXPECT_EQ(RtpProblem(Sdp({video}, {})),
            "m-line (video) offers no codec we take (VP8, VP9, H264); it offers: AV1 (with an "
            "a=rtpmap line)");
}

TEST(ParseRtpDescription, ReportsGoBackToWhereTheSenderListens) {
  MLine video = Forwarded(Video());
  video.port = "5004";
  video.connection = "IN IP4 10.1.2.3";
  sdp::RtpDescription d = sdp::ParseRtpDescription(Sdp({video}, {}));
  EXPECT_EQ(d.sender_address, "10.1.2.3");
  EXPECT_EQ(d.sender_rtcp_port, 5005); // the RTP port + 1 by default

  video.attributes.push_back("rtcp:6001");
  d = sdp::ParseRtpDescription(Sdp({video}, {}));
  EXPECT_EQ(d.sender_rtcp_port, 6001);

  // The session-level c= line when the m-line has none.
  video.connection = "";
  std::string text = Sdp({video}, {});
  text.insert(text.find("m=video"), "c=IN IP4 10.9.9.9\r\n");
  d = sdp::ParseRtpDescription(text);
  EXPECT_EQ(d.sender_address, "10.9.9.9");

  // 0.0.0.0 says nothing about where the sender is.
  video.connection = "IN IP4 0.0.0.0";
  d = sdp::ParseRtpDescription(Sdp({video}, {}));
  EXPECT_EQ(d.sender_address, "");
}

// Seen while writing rtp_forward_fuzzer's invariant: a=rtcp (or the m-line port + 1) was taken as
// given, so reports were to go to no UDP port at all (0, 65536, 70000, whatever atoi made of
// a number past int, or a signed overflow of the m-line port + 1).
TEST(ParseRtpDescription, TheSendersRtcpPortMustBeAUdpPort) {
  MLine video = Forwarded(Video());
  video.port = "5004";
  video.connection = "IN IP4 10.1.2.3";
  const std::string problem =
      "the sender's RTCP port (the m-line port + 1, or a=rtcp) must be 1 to 65535";
  for (const char* rtcp : {"rtcp:70000", "rtcp:0", "rtcp:-5", "rtcp:abc", "rtcp:99999999999"}) {
    MLine m = video;
    m.attributes.push_back(rtcp);
    EXPECT_EQ(RtpProblem(Sdp({m}, {})), problem) << rtcp;
  }
  MLine top = video;
  for (const char* port : {"65535", "70000", "2147483647"}) {
    top.port = port;
    EXPECT_EQ(RtpProblem(Sdp({top}, {})), problem) << port;
  }
  top.port = "65535";
  top.attributes.push_back("rtcp:65535"); // RTP and RTCP multiplexed on one port
  EXPECT_EQ(sdp::ParseRtpDescription(Sdp({top}, {})).sender_rtcp_port, 65535);
  // No sender address: no reports go back, whatever the port says.
  MLine nowhere = video;
  nowhere.connection = "IN IP4 0.0.0.0";
  nowhere.attributes.push_back("rtcp:70000");
  EXPECT_EQ(RtpProblem(Sdp({nowhere}, {})), "");
}

} // namespace
} // namespace ssr::sdp_test
