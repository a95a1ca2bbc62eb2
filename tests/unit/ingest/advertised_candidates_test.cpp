// Advertised addresses in a WHIP answer (a server behind a 1:1 NAT): host candidates on a
// mapped private address carry the public one, same port; other candidates stay as they are.
// Candidate lines as webrtcbin writes them (libnice's format), read back by libnice.

#include "ingest/advertised_candidates.h"

#include <gtest/gtest.h>

#include <string>

namespace ssr::ingest {
namespace {

constexpr const char* kAnswer = "v=0\r\n"
                                "o=- 1 0 IN IP4 0.0.0.0\r\n"
                                "s=-\r\n"
                                "t=0 0\r\n"
                                "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
                                "c=IN IP4 0.0.0.0\r\n"
                                "a=candidate:1 1 UDP 2015363327 10.0.0.5 50001 typ host\r\n"
                                "a=candidate:2 1 UDP 2015363071 172.17.0.1 50002 typ host\r\n"
                                "a=candidate:3 1 UDP 2015363583 fd00::5 50003 typ host\r\n"
                                "a=candidate:4 1 UDP 1679819007 198.51.100.20 61000 typ srflx "
                                "raddr 10.0.0.5 rport 50001\r\n"
                                "a=candidate:5 1 UDP 847249663 192.0.2.9 49152 typ relay "
                                "raddr 10.0.0.5 rport 50004\r\n"
                                "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                                "c=IN IP4 0.0.0.0\r\n"
                                "a=candidate:1 1 UDP 2015363327 10.0.0.5 50005 typ host\r\n";

struct Sdp {
  Sdp() { gst_sdp_message_new_from_text(kAnswer, &message); }
  ~Sdp() { gst_sdp_message_free(message); }
  Sdp(const Sdp&) = delete;
  Sdp& operator=(const Sdp&) = delete;
  std::string Text() const {
    gchar* text = gst_sdp_message_as_text(message);
    std::string result = text;
    g_free(text);
    return result;
  }
  GstSDPMessage* message = nullptr;
};

std::vector<std::string> Listed(const GstSDPMessage* sdp) {
  std::vector<std::string> listed;
  for (const SdpCandidate& c : CandidatesOf(sdp))
    listed.push_back(c.address + " " + std::to_string(c.port) + " " + c.type);
  return listed;
}

TEST(AdvertisedCandidates, CandidatesAreReadWithTheirAddressPortAndType) {
  const Sdp sdp;
  EXPECT_EQ(Listed(sdp.message),
            (std::vector<std::string>{"10.0.0.5 50001 host", "172.17.0.1 50002 host",
                                      "fd00::5 50003 host", "198.51.100.20 61000 srflx",
                                      "192.0.2.9 49152 relay", "10.0.0.5 50005 host"}));
}

TEST(AdvertisedCandidates, NoEntryLeavesTheAnswerAsItWas) {
  Sdp sdp;
  const std::string before = sdp.Text();
  AdvertiseAddresses(sdp.message, {});
  EXPECT_EQ(sdp.Text(), before);
}

TEST(AdvertisedCandidates, AnEntryWithoutPrivateAddressMapsEveryHostOfItsFamily) {
  Sdp sdp;
  AdvertiseAddresses(sdp.message, {{"203.0.113.10", ""}});
  EXPECT_EQ(Listed(sdp.message),
            (std::vector<std::string>{"203.0.113.10 50001 host", "203.0.113.10 50002 host",
                                      "fd00::5 50003 host", "198.51.100.20 61000 srflx",
                                      "192.0.2.9 49152 relay", "203.0.113.10 50005 host"}));
  const std::string text = sdp.Text();
  // Everything but the address is kept: foundation, component, transport, priority.
  EXPECT_NE(text.find("a=candidate:1 1 UDP 2015363327 203.0.113.10 50001 typ host\r\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("raddr 10.0.0.5 rport 50001"), std::string::npos) << text;
}

TEST(AdvertisedCandidates, AnEntryWithAPrivateAddressMapsOnlyThatAddress) {
  Sdp sdp;
  AdvertiseAddresses(sdp.message, {{"203.0.113.10", "10.0.0.5"}, {"2001:db8::5", "fd00::5"}});
  EXPECT_EQ(Listed(sdp.message),
            (std::vector<std::string>{"203.0.113.10 50001 host", "172.17.0.1 50002 host",
                                      "2001:db8::5 50003 host", "198.51.100.20 61000 srflx",
                                      "192.0.2.9 49152 relay", "203.0.113.10 50005 host"}));
}

TEST(IceOptions, RedactedUrlHidesCredentials) {
  EXPECT_EQ(RedactedUrl("turn://ssr:secret@turn.example.org:3478?transport=tcp"),
            "turn://***@turn.example.org:3478?transport=tcp");
  EXPECT_EQ(RedactedUrl("stun://stun.example.org"), "stun://stun.example.org");
  EXPECT_EQ(RedactedUrl("user:secret"), "not shown: not a URL");
}

} // namespace
} // namespace ssr::ingest
