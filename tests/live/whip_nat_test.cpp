// WHIP through a 1:1 NAT (docs/webrtc-networks.md). The aiortc publisher sits in a network
// namespace of its own (tests/e2e/nat-1to1): it reaches the server only at a public address
// that the NAT maps to the server's private one, and a firewall lets in only the HTTP port and
// the ICE UDP range. With ice_advertised_addresses and ice_port_min/ice_port_max the class is
// recorded; without the advertised address the same publisher cannot connect.

#include "../support/output_probe.h"
#include "../support/temp_dir.h"
#include "ingest/advertised_candidates.h"
#include "live_fixture.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPublicAddress = "198.51.100.10";   // TEST-NET-2, inside the test only
constexpr const char* kPrivateAddress = "192.168.77.1";   // the server's, on the NAT's side
constexpr const char* kPublisherAddress = "198.51.100.2"; // the publisher's namespace
constexpr unsigned kIcePortMin = 50000;
constexpr unsigned kIcePortMax = 50019;

// The publisher's namespace behind the NAT, for the life of a test.
class NatNetwork {
 public:
  explicit NatNetwork(int http_port) : publisher_ns_(std::string(Namespace()) + "-pub") {
    BackgroundCommand up(Script() + " up " + publisher_ns_ + " " + kPublicAddress + " " +
                         kPrivateAddress + " " + kPublisherAddress + " " + ServeHost() + " " +
                         std::to_string(http_port) + " " + std::to_string(kIcePortMin) + " " +
                         std::to_string(kIcePortMax) + " 2>&1");
    if (up.Wait(20) != 0)
      throw std::runtime_error("nat-1to1 up failed: " + up.Output());
  }
  ~NatNetwork() { BackgroundCommand(Script() + " down " + publisher_ns_).Wait(20); }
  NatNetwork(const NatNetwork&) = delete;
  NatNetwork& operator=(const NatNetwork&) = delete;

  // The aiortc publisher, run in the publisher's namespace, reaching the server at the
  // public address; the answer SDP is written to `answer`.
  std::string Publisher(const ServeProcess& server, const LiveClass& live, const fs::path& answer,
                        const std::string& args) const {
    return "ip netns exec " + publisher_ns_ + " /usr/bin/python3 " + SSR_SOURCE_DIR +
           "/tests/e2e/whip_publish.py --url http://" + kPublicAddress + ":" +
           std::to_string(server.port()) + "/whip/" + live.sid +
           "/cam-h1+mic-h1 --token=" + live.ingest_token + " --answer-out " + answer.string() +
           " " + args;
  }

  static const char* Namespace() {
    const char* ns = std::getenv("SSR_NETNS_NAME");
    return ns != nullptr ? ns : "";
  }

 private:
  static std::string Script() { return std::string(SSR_SOURCE_DIR) + "/tests/e2e/nat-1to1"; }
  const std::string publisher_ns_;
};

std::vector<ingest::SdpCandidate> CandidatesIn(const fs::path& answer_file) {
  std::ifstream in(answer_file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  GstSDPMessage* sdp = nullptr;
  gst_sdp_message_new_from_text(text.c_str(), &sdp);
  auto candidates = ingest::CandidatesOf(sdp);
  gst_sdp_message_free(sdp);
  return candidates;
}

bool WaitUntil(const std::function<bool()>& condition, double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int>(timeout_s * 1000));
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

class WhipNatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (*NatNetwork::Namespace() == '\0')
      GTEST_SKIP() << "needs tests/e2e/netns-run (it changes the namespace's firewall)";
    temp_dir_.KeepIfTestFailed();
  }
  TempDir temp_dir_;
  const fs::path answer_ = temp_dir_.path() / "answer.sdp";
};

TEST_F(WhipNatTest, AdvertisedAddressAndPortRangeCarryAPublisherThroughTheNat) {
  ServeProcess server(
      {{"SSR_ICE_ADVERTISED_ADDRESSES", std::string(kPublicAddress) + "=" + kPrivateAddress},
       {"SSR_ICE_PORT_MIN", std::to_string(kIcePortMin)},
       {"SSR_ICE_PORT_MAX", std::to_string(kIcePortMax)}});
  const LiveClass live = StartClass(server, "whip-nat");
  const NatNetwork nat(server.port());
  BackgroundCommand publisher(nat.Publisher(server, live, answer_,
                                            "--seconds 9 --video pattern --color 20C040 "
                                            "--audio tone --tone-hz 440"));
  ASSERT_TRUE(
      WaitUntil([&] { return publisher.Output().find("publishing for") != std::string::npos; }, 15))
      << publisher.Output() << server.Log();

  // The answer offers the public address in place of the private one (the other local
  // addresses, which no entry maps, as they are), every port in the range. An active TCP
  // candidate's port is the placeholder 9 (RFC 6544: it listens on none).
  const auto candidates = CandidatesIn(answer_);
  ASSERT_FALSE(candidates.empty()) << "no candidates in " << answer_;
  bool advertised = false;
  for (const auto& c : candidates) {
    advertised = advertised || (c.address == kPublicAddress && c.transport == "udp");
    EXPECT_NE(c.address, kPrivateAddress) << "the private address is still offered";
    if (c.transport == "tcp-act")
      continue;
    EXPECT_GE(c.port, kIcePortMin) << c.address << " " << c.transport;
    EXPECT_LE(c.port, kIcePortMax) << c.address << " " << c.transport;
  }
  EXPECT_TRUE(advertised) << "no UDP candidate at " << kPublicAddress;

  const auto recording = StartRecording(server, live.sid);
  std::this_thread::sleep_for(std::chrono::seconds(4));
  const auto stopped = StopRecording(server, recording.at("id"));
  EXPECT_EQ(publisher.Wait(20), 0) << publisher.Output();
  ASSERT_EQ(stopped.at("status"), "ready");
  OutputProbe probe(DownloadPart(server, recording.at("id"), 1, temp_dir_.path()).string());
  for (double t : {1.0, 2.5}) {
    EXPECT_GT(probe.ColourFraction(t, kTileX0, kTileY0, kTileX1, kTileY1, 0x20C040), 0.8)
        << "tile at " << t << " s: mean " << std::hex
        << probe.MeanColour(t, kTileX0, kTileY0, kTileX1, kTileY1);
  }
  EXPECT_GT(probe.ToneLevel(440, 1.0, 3.0), 0.1);
}

// The same network without the advertised address: the answer offers only addresses the
// publisher cannot reach, and ICE fails. (What the test above shows is the setting's doing.)
TEST_F(WhipNatTest, WithoutTheAdvertisedAddressThePublisherCannotConnect) {
  ServeProcess server({{"SSR_ICE_PORT_MIN", std::to_string(kIcePortMin)},
                       {"SSR_ICE_PORT_MAX", std::to_string(kIcePortMax)}});
  const LiveClass live = StartClass(server, "whip-no-nat");
  const NatNetwork nat(server.port());
  BackgroundCommand publisher(nat.Publisher(server, live, answer_, "--seconds 3"));
  EXPECT_NE(publisher.Wait(30), 0) << publisher.Output();
  EXPECT_NE(publisher.Output().find("WebRTC connection not established"), std::string::npos)
      << publisher.Output();
  const auto candidates = CandidatesIn(answer_);
  ASSERT_FALSE(candidates.empty()) << "the POST was not answered: " << publisher.Output();
  for (const auto& c : candidates)
    EXPECT_NE(c.address, kPublicAddress);
}

} // namespace
} // namespace ssr::test
