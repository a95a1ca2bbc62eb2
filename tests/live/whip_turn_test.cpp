// ice_turn_servers reaches webrtcbin (docs/webrtc-networks.md): with a real TURN server
// (coturn, on the namespace's second address) the WHIP answer carries a relay candidate
// allocated on it, and the TURN password appears nowhere in the server's log.

#include "../support/temp_dir.h"
#include "ingest/advertised_candidates.h"
#include "live_fixture.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

namespace ssr::test {
namespace {

constexpr const char* kTurnPassword = "tUrN-s3cret";
constexpr int kRelayPortMin = 52000;
constexpr int kRelayPortMax = 52100;

// coturn on SSR_NETNS_ADDR_B:3478, long-term credentials ssr:kTurnPassword.
class TurnServer {
 public:
  TurnServer()
      : address_(std::getenv("SSR_NETNS_ADDR_B")),
        process_("exec turnserver -n --no-cli --no-tls --no-dtls --listening-ip=" + address_ +
                 " --relay-ip=" + address_ + " --listening-port=3478 --lt-cred-mech --realm=ssr" +
                 " --user=ssr:" + kTurnPassword + " --min-port=" + std::to_string(kRelayPortMin) +
                 " --max-port=" + std::to_string(kRelayPortMax) + " --log-file=stdout") {
    std::this_thread::sleep_for(std::chrono::milliseconds(500)); // listening
  }
  std::string Url() const {
    return std::string("turn://ssr:") + kTurnPassword + "@" + address_ + ":3478?transport=udp";
  }
  const std::string& address() const { return address_; }
  std::string Log() const { return process_.Output(); }

 private:
  const std::string address_;
  BackgroundCommand process_;
};

// A complete offer (audio + video, with candidates) made by aiortc.
std::string AiortcOffer() {
  BackgroundCommand offer(
      std::string("/usr/bin/python3 ") + SSR_SOURCE_DIR +
      "/tests/e2e/whip_publish.py --url http://unused/ --token unused --offer-only");
  if (offer.Wait(30) != 0)
    throw std::runtime_error("no offer: " + offer.Output());
  const std::string text = offer.Output();
  return text.substr(text.find("v=0"));
}

TEST(WhipTurnTest, TheAnswerCarriesARelayCandidateAndTheLogNoPassword) {
  if (std::getenv("SSR_NETNS_ADDR_B") == nullptr)
    GTEST_SKIP() << "needs tests/e2e/netns-run";
  const TurnServer turn;
  ServeProcess server({{"SSR_ICE_TURN_SERVERS", turn.Url()}});
  const LiveClass live = StartClass(server, "whip-turn");
  auto res = server.Client().Post("/whip/whip-turn/cam-h1+mic-h1",
                                  {{"Authorization", "Bearer " + live.ingest_token}}, AiortcOffer(),
                                  "application/sdp");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body << server.Log() << turn.Log();

  GstSDPMessage* sdp = nullptr;
  gst_sdp_message_new_from_text(res->body.c_str(), &sdp);
  const auto candidates = ingest::CandidatesOf(sdp);
  gst_sdp_message_free(sdp);
  bool relayed = false;
  for (const auto& c : candidates) {
    if (c.type == "relay") {
      relayed = true;
      EXPECT_EQ(c.address, turn.address());
      EXPECT_GE(c.port, static_cast<unsigned>(kRelayPortMin));
      EXPECT_LE(c.port, static_cast<unsigned>(kRelayPortMax));
    }
  }
  EXPECT_TRUE(relayed) << res->body << turn.Log();

  const std::string log = server.Log();
  EXPECT_NE(log.find("TURN turn://***@" + turn.address() + ":3478"), std::string::npos) << log;
  EXPECT_EQ(log.find(kTurnPassword), std::string::npos) << log;
}

} // namespace
} // namespace ssr::test
