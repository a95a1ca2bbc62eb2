// Cross-origin calls from an embedding platform's page (setting cors_origins) through the
// real `ssr serve`: preflights answered before authentication for allowed origins, refused
// for others; every answer to an allowed origin carries the CORS headers, errors included;
// paths that take no cross-origin calls and other origins get none; bad origins in the
// setting stop the server at start, naming them.

#include "../support/serve_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ssr::test {
namespace {

using ::testing::HasSubstr;

const std::string kAllowed = "https://class.example.org";

class Cors : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServeProcess>(std::map<std::string, std::string>{
        {"SSR_CORS_ORIGINS", kAllowed + " , http://localhost:5173"}});
  }
  httplib::Result Options(const std::string& path, const std::string& origin) {
    return server_->Client().Options(
        path, {{"Origin", origin},
               {"Access-Control-Request-Method", "POST"},
               {"Access-Control-Request-Headers", "authorization, content-type"}});
  }
  std::unique_ptr<ServeProcess> server_;
};

TEST_F(Cors, PreflightsFromAllowedOriginsAreAnsweredBeforeAuthentication) {
  for (const std::string path : {"/api/v1/recordings", "/api/v1/sessions/s1/recordings",
                                 "/whip/s1/cam", "/watch/anything", "/api/v1/no-such-route"}) {
    for (const std::string& origin : {kAllowed, std::string("http://localhost:5173")}) {
      auto res = Options(path, origin);
      ASSERT_TRUE(res) << path;
      EXPECT_EQ(res->status, 204) << path;
      EXPECT_EQ(res->get_header_value("Access-Control-Allow-Origin"), origin) << path;
      EXPECT_EQ(res->get_header_value("Access-Control-Allow-Methods"),
                "GET, HEAD, POST, PUT, PATCH, DELETE");
      EXPECT_EQ(res->get_header_value("Access-Control-Allow-Headers"),
                "Authorization, Content-Type, If-Match, Last-Event-ID");
      EXPECT_EQ(res->get_header_value("Access-Control-Max-Age"), "600");
      EXPECT_EQ(res->get_header_value("Vary"), "Origin");
    }
  }
  for (const std::string origin : {"https://evil.example.org", "https://class.example.org.evil",
                                   "http://class.example.org", "null"}) {
    auto res = Options("/api/v1/recordings", origin);
    ASSERT_TRUE(res) << origin;
    EXPECT_EQ(res->status, 403) << origin;
    EXPECT_FALSE(res->has_header("Access-Control-Allow-Origin")) << origin;
    EXPECT_THAT(res->body, HasSubstr("cors_origins")) << origin;
  }
}

TEST_F(Cors, AnswersToAllowedOriginsCarryTheHeadersAndOthersDoNot) {
  auto ok = server_->Client().Get(
      "/api/v1/recordings",
      {{"Origin", kAllowed}, {"Authorization", std::string("Bearer ") + kApiKey}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->get_header_value("Access-Control-Allow-Origin"), kAllowed);
  EXPECT_EQ(ok->get_header_value("Vary"), "Origin");
  EXPECT_EQ(ok->get_header_value("Access-Control-Expose-Headers"),
            "ETag, Location, Retry-After, Content-Disposition");
  // Errors too: the page can read why.
  auto unauthorized = server_->Client().Get("/api/v1/recordings", {{"Origin", kAllowed}});
  ASSERT_TRUE(unauthorized);
  EXPECT_EQ(unauthorized->status, 401);
  EXPECT_EQ(unauthorized->get_header_value("Access-Control-Allow-Origin"), kAllowed);
  auto missing = server_->Client().Get("/watch/" + std::string(43, 'x'), {{"Origin", kAllowed}});
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->get_header_value("Access-Control-Allow-Origin"), kAllowed);

  auto other = server_->Client().Get("/api/v1/recordings",
                                     {{"Origin", "https://evil.example.org"},
                                      {"Authorization", std::string("Bearer ") + kApiKey}});
  EXPECT_EQ(other->status, 200);
  EXPECT_FALSE(other->has_header("Access-Control-Allow-Origin"));
  auto none = server_->Client().Get("/api/v1/recordings", server_->Auth());
  EXPECT_FALSE(none->has_header("Access-Control-Allow-Origin"));
  // Not an API, WHIP or watch path: no CORS, and OPTIONS is no route there.
  auto livez = server_->Client().Get("/livez", {{"Origin", kAllowed}});
  EXPECT_FALSE(livez->has_header("Access-Control-Allow-Origin"));
  EXPECT_EQ(server_->Client().Options("/livez", {{"Origin", kAllowed}})->status, 405);
}

TEST(CorsSetting, OriginsThatAreNoOriginsStopTheServerNamingThem) {
  for (const std::string bad : {"class.example.org", "https://class.example.org/",
                                "ftp://class.example.org", "https://*.example.org", "https://"}) {
    try {
      ServeProcess server({{"SSR_CORS_ORIGINS", bad}});
      ADD_FAILURE() << bad << " was accepted";
    } catch (const std::runtime_error& e) {
      EXPECT_THAT(e.what(), HasSubstr("cors_origins: '" + bad + "'")) << e.what();
    }
  }
}

} // namespace
} // namespace ssr::test
