// WHIP (RFC 9725) conformance of POST /whip/{sid}/{tracks}: 201 with the answer, Location
// and ETag; 401 without the session's ingest token; 4xx naming what is wrong with an offer;
// DELETE ends the resource and frees its pipeline and threads.

#include "live_fixture.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace ssr::test {
namespace {

// A complete offer (audio + video, with candidates) made by aiortc.
std::string RealOffer() {
  BackgroundCommand offer(
      std::string("/usr/bin/python3 ") + SSR_SOURCE_DIR +
      "/tests/e2e/whip_publish.py --url http://unused/ --token unused --offer-only");
  if (offer.Wait(30) != 0)
    throw std::runtime_error("no offer: " + offer.Output());
  std::string text = offer.Output();
  return text.substr(text.find("v=0"));
}

httplib::Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

TEST(WhipConformanceTest, CreatedWithAnswerLocationAndEtagThenDeleted) {
  ServeProcess server;
  const LiveClass live = StartClass(server, "whip-conf");
  const std::string offer = RealOffer();
  auto res = server.Client().Post("/whip/whip-conf/cam-h1+mic-h1", Bearer(live.ingest_token), offer,
                                  "application/sdp");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/sdp");
  const std::string location = res->get_header_value("Location");
  EXPECT_EQ(location.rfind("/whip/whip-conf/cam-h1+mic-h1/", 0), 0u) << location;
  EXPECT_FALSE(res->get_header_value("ETag").empty());
  EXPECT_NE(res->body.find("v=0"), std::string::npos);
  EXPECT_NE(res->body.find("a=candidate"), std::string::npos)
      << "non-trickle answer has candidates";
  EXPECT_NE(res->body.find("a=recvonly"), std::string::npos);
  EXPECT_EQ(MetricValue(server, "ssr_ingest_active"), 1);

  // No trickle ICE: PATCH is refused; DELETE ends the resource, once.
  auto patch = server.Client().Patch(location, Bearer(live.ingest_token), "a=end-of-candidates\r\n",
                                     "application/trickle-ice-sdpfrag");
  ASSERT_TRUE(patch);
  EXPECT_EQ(patch->status, 405);
  auto del = server.Client().Delete(location, Bearer("wrong-token"));
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 401);
  del = server.Client().Delete(location, Bearer(live.ingest_token));
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 200);
  EXPECT_EQ(MetricValue(server, "ssr_ingest_active"), 0);
  del = server.Client().Delete(location, Bearer(live.ingest_token));
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 404);
}

TEST(WhipConformanceTest, UnauthorizedWithoutTheSessionsIngestToken) {
  ServeProcess server;
  const LiveClass live = StartClass(server, "whip-auth");
  const LiveClass other = StartClass(server, "whip-other");
  const std::string offer = RealOffer();
  for (const auto& headers : {httplib::Headers{}, Bearer("not-a-token"), Bearer(other.ingest_token),
                              httplib::Headers{{"Authorization", "Basic " + live.ingest_token}}}) {
    auto res =
        server.Client().Post("/whip/whip-auth/cam-h1+mic-h1", headers, offer, "application/sdp");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << res->body;
    EXPECT_NE(res->body.find("ingest token"), std::string::npos) << res->body;
  }
  EXPECT_EQ(MetricValue(server, "ssr_ingest_active"), 0);
  // An unknown session is the same 401 without a credential for it, so strangers cannot tell
  // which sessions exist (review L3); the platform's API key learns it does not exist.
  for (const auto& headers : {httplib::Headers{}, Bearer(live.ingest_token)}) {
    auto res = server.Client().Post("/whip/no-such-session/cam", headers, offer, "application/sdp");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << res->body;
  }
  auto res =
      server.Client().Post("/whip/no-such-session/cam", Bearer(kApiKey), offer, "application/sdp");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_NE(res->body.find("no session 'no-such-session'"), std::string::npos) << res->body;
}

// One session holds at most ingest_max_whip_resources WHIP resources: past it, 409 naming the
// limit, and a DELETE makes room (review M6: each resource is a pipeline with threads and
// sockets).
TEST(WhipConformanceTest, ResourcesAreCappedPerSession) {
  ServeProcess server(std::map<std::string, std::string>{{"SSR_INGEST_MAX_WHIP_RESOURCES", "2"}});
  const LiveClass live = StartClass(server, "whip-caps");
  const std::string offer = RealOffer();
  const auto publish = [&](const std::string& tracks) {
    return server.Client().Post("/whip/whip-caps/" + tracks, Bearer(live.ingest_token), offer,
                                "application/sdp");
  };
  std::string first;
  for (const std::string tracks : {"cam-1+mic-1", "cam-2+mic-2"}) {
    auto res = publish(tracks);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    if (first.empty())
      first = res->get_header_value("Location");
  }
  auto res = publish("cam-3+mic-3");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409) << res->body;
  EXPECT_NE(res->body.find("\"ingest_limit\""), std::string::npos) << res->body;
  EXPECT_NE(res->body.find("the limit is 2 per session (ingest_max_whip_resources)"),
            std::string::npos)
      << res->body;
  EXPECT_EQ(MetricValue(server, "ssr_ingest_active"), 2);
  auto del = server.Client().Delete(first, Bearer(live.ingest_token));
  ASSERT_TRUE(del);
  ASSERT_EQ(del->status, 200);
  res = publish("cam-3+mic-3");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201) << res->body;
}

TEST(WhipConformanceTest, BadOffersGetAReason) {
  ServeProcess server;
  const LiveClass live = StartClass(server, "whip-bad");
  const std::string offer = RealOffer();
  const std::string video_only = offer.substr(0, offer.find("m=audio"));
  std::string recvonly = offer;
  for (size_t at = recvonly.find("a=sendonly"); at != std::string::npos;
       at = recvonly.find("a=sendonly")) {
    recvonly.replace(at, 10, "a=recvonly");
  }
  std::string no_codec = offer; // the video m-line offers only a codec we do not take
  const size_t vp8 = no_codec.find("VP8/90000");
  ASSERT_NE(vp8, std::string::npos);
  no_codec.replace(vp8, 3, "AV1");
  struct Case {
    std::string tracks, body, content_type, expected;
    int status;
  };
  const std::vector<Case> cases = {
      {"cam-h1", "hello", "application/sdp", "not SDP", 400},
      {"cam-h1", "v=0\r\nthis is not sdp\r\n", "application/sdp", "m-line", 400},
      {"cam-h1", offer, "application/json", "application/sdp", 415},
      {"cam-h1", offer, "application/sdp", "2 m-lines for 1 track id", 400},
      {"cam-h1+mic-h1", video_only, "application/sdp", "1 m-lines for 2 track id", 400},
      {"cam-h1+mic-h1", recvonly, "application/sdp", "must send media", 400},
      {"cam-h1+mic-h1", no_codec, "application/sdp", "no codec we take", 400},
      {"mic-h1", video_only, "application/sdp", "published as audio", 400},
      {"a+b+c", offer, "application/sdp", "at most two track ids", 400},
      {"bad%20id", offer, "application/sdp", "may contain only", 400},
  };
  for (const Case& c : cases) {
    auto res = server.Client().Post("/whip/whip-bad/" + c.tracks, Bearer(live.ingest_token), c.body,
                                    c.content_type);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, c.status) << c.expected << ": " << res->body;
    EXPECT_NE(res->body.find(c.expected), std::string::npos) << res->body;
  }
  EXPECT_EQ(MetricValue(server, "ssr_ingest_active"), 0);
  // The server is fine afterwards.
  auto res = server.Client().Get("/livez");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST(WhipConformanceTest, DeleteFreesPipelinesAndThreads) {
  ServeProcess server;
  const LiveClass live = StartClass(server, "whip-threads");
  auto publish_once = [&] {
    BackgroundCommand publisher(WhipPublisherCommand(server, live, "cam-h1+mic-h1", "--seconds 2"));
    return publisher.Wait(30) == 0 ? std::string() : publisher.Output();
  };
  // The first session starts GStreamer's process-wide threads; later ones must not add any.
  ASSERT_EQ(publish_once(), "");
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const int baseline = ThreadCount(server.pid());
  std::vector<int> after;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(publish_once(), "");
    std::this_thread::sleep_for(std::chrono::seconds(1));
    after.push_back(ThreadCount(server.pid()));
    EXPECT_EQ(MetricValue(server, "ssr_ingest_active"), 0);
  }
  for (int n : after)
    EXPECT_LE(n, baseline + 2) << "threads: baseline " << baseline;
  EXPECT_LE(after.back(), after.front()) << "threads grow with each WHIP session";
}

} // namespace
} // namespace ssr::test
