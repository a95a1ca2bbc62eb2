// Publisher credentials through the real `ssr serve` (review finding M6): the platform mints
// a token per participant bound to its track ids (POST /api/v1/sessions/{sid}/publishers);
// with it a publisher ingests those tracks over WHIP and RTP and no others, in its own
// session only, while the session's ingest token still ingests any track.

#include "control_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ssr::test {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

httplib::Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

std::string ErrorCode(const httplib::Result& res) {
  return json::parse(res->body)["error"]["code"].get<std::string>();
}

class IngestCredentials : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* sid : {"pub", "other"}) {
      auto created = server_.CreateSession({{"id", sid}, {"title", "Publishers"}});
      ASSERT_EQ(created->status, 201) << created->body;
      ingest_tokens_[sid] = json::parse(created->body)["ingest_token"];
    }
  }
  void TearDown() override {
    if (HasFailure())
      std::cerr << "--- server log ---\n" << server_.Log();
  }
  httplib::Result Mint(const json& body, const httplib::Headers& who) {
    return server_.Client().Post("/api/v1/sessions/pub/publishers", who, body.dump(),
                                 "application/json");
  }
  std::string MintOk(const std::string& participant, const json& tracks) {
    auto res = Mint({{"participant", participant}, {"tracks", tracks}}, server_.Auth());
    EXPECT_EQ(res->status, 201) << res->body;
    const json body = json::parse(res->body);
    EXPECT_EQ(body["participant"], participant);
    EXPECT_EQ(body["tracks"], tracks);
    return body["token"];
  }
  httplib::Result Forward(const std::string& sid, const std::string& track,
                          const std::string& token) {
    return server_.Client().Post("/api/v1/sessions/" + sid + "/tracks/" + track + "/rtp",
                                 Bearer(token), json{{"sdp", kRtpVideoSdp}}.dump(),
                                 "application/json");
  }
  httplib::Result Offer(const std::string& sid, const std::string& tracks,
                        const std::string& token) {
    return server_.Client().Post("/whip/" + sid + "/" + tracks, Bearer(token), "v=0\r\n",
                                 "application/sdp");
  }

  ServeProcess server_;
  std::map<std::string, std::string> ingest_tokens_;
};

TEST_F(IngestCredentials, APublishersTokenIngestsItsOwnTracksOnly) {
  const std::string p1 = MintOk("p1", json::array({"cam-p1", "mic-p1"}));
  const std::string p2 = MintOk("p2", json::array({"cam-p2"}));
  ASSERT_EQ(p1.size(), 43u);

  // RTP: its own track, not another's.
  auto theirs = Forward("pub", "cam-p1", p2);
  ASSERT_EQ(theirs->status, 403) << theirs->body;
  EXPECT_EQ(ErrorCode(theirs), "not_your_track");
  EXPECT_THAT(theirs->body, HasSubstr("track 'cam-p1' is not one of participant 'p2''s"));
  EXPECT_EQ(Forward("pub", "cam-p2", p2)->status, 201);
  EXPECT_EQ(Forward("pub", "cam-p1", p1)->status, 201);

  // WHIP: every track of the URL must be its own; the offer is looked at only then.
  EXPECT_EQ(Offer("pub", "cam-p1", p2)->status, 403);
  EXPECT_EQ(Offer("pub", "cam-p1+cam-p2", p1)->status, 403);
  auto own = Offer("pub", "cam-p1+mic-p1", p1);
  EXPECT_EQ(own->status, 400) << own->body; // past the credential: a bad offer
  EXPECT_EQ(ErrorCode(own), "bad_offer");
  auto remove = server_.Client().Delete("/whip/pub/cam-p2/r123", Bearer(p1));
  EXPECT_EQ(remove->status, 403) << remove->body;
  EXPECT_EQ(server_.Client().Delete("/whip/pub/cam-p2/r123", Bearer(p2))->status, 404);

  // Its session only.
  EXPECT_EQ(Forward("other", "cam-p1", p1)->status, 401);
  EXPECT_EQ(Offer("other", "cam-p1", p1)->status, 401);
  // The session's ingest token and the API key still ingest any track.
  EXPECT_EQ(Forward("pub", "cam-x", ingest_tokens_["pub"])->status, 201);
  EXPECT_EQ(Forward("pub", "cam-y", kApiKey)->status, 201);
}

TEST_F(IngestCredentials, MintingNamesEveryBadFieldAndRefusesAnotherParticipantsTrack) {
  MintOk("p1", json::array({"cam-p1"}));
  auto taken = Mint({{"participant", "p2"}, {"tracks", {"cam-p2", "cam-p1"}}}, server_.Auth());
  ASSERT_EQ(taken->status, 409) << taken->body;
  EXPECT_EQ(ErrorCode(taken), "track_taken");
  EXPECT_THAT(taken->body, HasSubstr("track 'cam-p1' belongs to another participant"));
  // The same participant may get another token (a second device).
  MintOk("p1", json::array({"cam-p1"}));

  const auto field_of = [&](const json& body) {
    auto res = Mint(body, server_.Auth());
    EXPECT_EQ(res->status, 400) << body << ": " << res->body;
    return json::parse(res->body)["error"]["field"].get<std::string>();
  };
  EXPECT_EQ(field_of({{"tracks", {"cam"}}}), "participant");
  EXPECT_EQ(field_of({{"participant", ""}, {"tracks", {"cam"}}}), "participant");
  EXPECT_EQ(field_of({{"participant", "a\nb"}, {"tracks", {"cam"}}}), "participant");
  EXPECT_EQ(field_of({{"participant", "p3"}}), "tracks");
  EXPECT_EQ(field_of({{"participant", "p3"}, {"tracks", json::array()}}), "tracks");
  EXPECT_EQ(field_of({{"participant", "p3"}, {"tracks", {"a/b"}}}), "tracks");
  EXPECT_EQ(field_of({{"participant", "p3"}, {"tracks", {7}}}), "tracks");
  EXPECT_EQ(field_of({{"participant", "p3"}, {"tracks", {"cam"}}, {"role", "host"}}), "role");
  // Only the platform mints: not with the session's ingest token.
  EXPECT_EQ(
      Mint({{"participant", "p3"}, {"tracks", {"cam-p3"}}}, Bearer(ingest_tokens_["pub"]))->status,
      401);
  EXPECT_EQ(server_.Client()
                .Post("/api/v1/sessions/nowhere/publishers", server_.Auth(),
                      json{{"participant", "p"}, {"tracks", {"c"}}}.dump(), "application/json")
                ->status,
            404);
}

} // namespace
} // namespace ssr::test
