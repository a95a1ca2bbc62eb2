// What a player does besides fetching media, through the real `ssr serve`: logged-in viewers
// in the viewer report (kind "user"), seconds watched from the spans the player reports
// (POST /watch/{token}/progress), fresh watch URLs while the viewer keeps the right
// (POST /watch/{token}/renew), the share-link reply the app plays from, and an ssr.db from
// before all this migrating.

#include "../support/test_database.h"
#include "control_fixture.h"

#include "../support/test_jwt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kJwtSecret = "scenario-jwt-secret-0123456789abcdef";

class WatchProgress : public ::testing::Test {
 protected:
  void Start(const fs::path& data_dir = {}) {
    auto env = ControlEnv();
    env["SSR_JWT_SECRET"] = kJwtSecret;
    server_ = std::make_unique<ServeProcess>(env, data_dir);
    ASSERT_EQ(PutSettings(*server_, {{"countdown_s", 1}, {"max_part_duration_s", 0}})->status, 200);
  }
  void TearDown() override {
    if (HasFailure() && server_)
      std::cerr << "--- server log ---\n" << server_->Log();
  }
  // A ready recording of about two seconds hosted by hana, ann attending.
  std::string Record(const std::string& sid) {
    Classroom c(*server_, sid, "Watched class",
                {{"invitees", json::array({{{"user", "hana"}, {"role", "host"}},
                                           {{"user", "ann"}, {"role", "attendee"}}})}});
    c.StartHeartbeat();
    const std::string rid = c.Start()["id"];
    EXPECT_EQ(WaitStatus(*server_, rid, "recording", 8)["status"], "recording");
    std::this_thread::sleep_for(std::chrono::milliseconds(2000));
    EXPECT_EQ(StopRecording(*server_, rid)->status, 200);
    EXPECT_EQ(WaitStatus(*server_, rid, "ready", 10)["status"], "ready");
    return rid;
  }
  httplib::Headers Jwt(const std::string& user) {
    return server_->Auth(UserJwt(kJwtSecret, user, user + "@example.org"));
  }
  httplib::Result Post(const std::string& path, const json& body,
                       const httplib::Headers& who = {}) {
    return server_->Client().Post(path, who, body.dump(), "application/json");
  }
  void Share(const std::string& rid, const json& stream_by) {
    httplib::Headers headers = Jwt("hana");
    headers.emplace("If-Match", "*");
    const json body = {{"stream_by", stream_by},
                       {"download_by", json::array()},
                       {"grants", json::array()},
                       {"release_at", nullptr},
                       {"release_timezone", "UTC"}};
    auto res = server_->Client().Put("/api/v1/recordings/" + rid + "/sharing", headers, body.dump(),
                                     "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }
  std::string Mint(const std::string& rid, const httplib::Headers& who) {
    auto res = Post("/api/v1/recordings/" + rid + "/parts/1/watch", json::object(), who);
    EXPECT_TRUE(res && res->status == 201) << (res ? res->body : "no answer");
    return res && res->status == 201 ? json::parse(res->body)["url"].get<std::string>() : "";
  }
  json Viewers(const std::string& rid) {
    auto res = server_->Client().Get("/api/v1/recordings/" + rid + "/viewers", Jwt("hana"));
    EXPECT_TRUE(res && res->status == 200);
    return json::parse(res->body)["viewers"];
  }
  double Duration(const std::string& rid) {
    return GetRecording(*server_, rid)["parts"][0]["duration_s"].get<double>();
  }

  std::unique_ptr<ServeProcess> server_;
};

TEST_F(WatchProgress, LoggedInViewersAreReportedWithTheSecondsTheirPlayerPlayed) {
  Start();
  const std::string rid = Record("p1");
  const double duration = Duration(rid);
  ASSERT_GT(duration, 1.6);
  Share(rid, {"attendees"});
  const std::string url = Mint(rid, Jwt("ann"));
  ASSERT_THAT(url, StartsWith("/watch/"));
  EXPECT_EQ(server_->Client().Get(url, {{"Range", "bytes=0-99"}})->status, 206);

  ASSERT_EQ(Post(url + "/progress", {{"watched", {{0, 1.0}}}})->status, 204);
  // Cumulative reports repeat what was said: counted once.
  ASSERT_EQ(Post(url + "/progress", {{"watched", {{0, 1.0}, {0.5, 1.5}}}})->status, 204);
  Mint(rid, Jwt("ann")); // another URL in the same viewing: the same view

  json viewers = Viewers(rid);
  ASSERT_EQ(viewers.size(), 1u) << viewers.dump();
  EXPECT_EQ(viewers[0]["kind"], "user");
  EXPECT_EQ(viewers[0]["email"], "ann@example.org");
  EXPECT_EQ(viewers[0]["name"], "User ann");
  EXPECT_EQ(viewers[0]["views"], 1);
  EXPECT_NEAR(viewers[0]["watched_s"].get<double>(), 1.5, 0.011); // spans, not bytes
  EXPECT_EQ(viewers[0]["bytes_watched"], 100);

  // A link viewer with no report: bytes served; with a report past the end: the whole part.
  auto link = Post("/api/v1/recordings/" + rid + "/links", json::object(), Jwt("hana"));
  const std::string page = json::parse(link->body)["url"];
  const json opened = json::parse(Post(page + "/views", {{"email", "bob@example.org"}})->body);
  const std::string bob_url = opened["url"];
  EXPECT_EQ(server_->Client().Get(bob_url)->status, 200);
  const json cat_view = json::parse(Post(page + "/views", {{"email", "cat@example.org"}})->body);
  ASSERT_EQ(
      Post(cat_view["url"].get<std::string>() + "/progress", {{"watched", {{0, 3600}}}})->status,
      204);
  viewers = Viewers(rid);
  ASSERT_EQ(viewers.size(), 3u) << viewers.dump();
  EXPECT_EQ(viewers[1]["kind"], "link");
  EXPECT_EQ(viewers[1]["email"], "bob@example.org");
  EXPECT_NEAR(viewers[1]["watched_s"].get<double>(), duration, 0.05);
  EXPECT_EQ(viewers[2]["email"], "cat@example.org");
  EXPECT_NEAR(viewers[2]["watched_s"].get<double>(), duration, 0.01);
  EXPECT_EQ(viewers[2]["bytes_watched"], 0);

  auto csv =
      server_->Client().Get("/api/v1/recordings/" + rid + "/viewers?format=csv", Jwt("hana"));
  ASSERT_EQ(csv->status, 200);
  EXPECT_THAT(csv->body, StartsWith("email,first_view_at,last_view_at,views,watched_s,"
                                    "bytes_watched,kind,name\r\n"));
  EXPECT_THAT(csv->body, HasSubstr(",1.50,100,user,User ann\r\n"));
  EXPECT_THAT(csv->body, HasSubstr("\r\nbob@example.org,"));
}

TEST_F(WatchProgress, BadProgressReportsAreRefusedNamingWhatIsWrong) {
  Start();
  const std::string rid = Record("p2");
  const std::string url = Mint(rid, Jwt("hana"));
  // Bodies as text: nlohmann would make objects of some pairs written as initializer lists.
  for (const auto& [text, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({})", "watched"},
           {R"({"watched": 3})", "watched"},
           {R"({"watched": null})", "watched"},
           {R"({"watched": {"0": 1}})", "watched"},
           {R"({"watched": [[1]]})", "watched[0]"},
           {R"({"watched": [[0, 1], [2, 1]]})", "watched[1]"},
           {R"({"watched": [[-1, 2]]})", "watched[0]"},
           {R"({"watched": [["0", 2]]})", "watched[0]"},
           {R"({"watched": [[0, 1, 2]]})", "watched[0]"},
           {R"({"watched": [[0, 1e12]]})", "watched[0]"},
           {R"({"watched": [7]})", "watched[0]"},
           {R"({"watched": [], "seconds": 3})", "seconds"}}) {
    auto res = server_->Client().Post(url + "/progress", text, "application/json");
    ASSERT_TRUE(res) << text;
    EXPECT_EQ(res->status, 400) << text;
    EXPECT_EQ(json::parse(res->body)["error"]["field"], field) << text << " " << res->body;
  }
  json many = json::array();
  for (int i = 0; i < 1001; ++i)
    many.push_back({i, i + 0.5});
  EXPECT_EQ(json::parse(Post(url + "/progress", {{"watched", many}})->body)["error"]["field"],
            "watched");
  EXPECT_EQ(Post(url + "/progress", json::array())->status, 400);
  EXPECT_EQ(server_->Client().Post(url + "/progress", "{", "application/json")->status, 400);
  EXPECT_EQ(server_->Client().Post(url + "/progress", "watched=1", "text/plain")->status, 415);
  EXPECT_EQ(Post("/watch/" + std::string(43, 'x') + "/progress", {{"watched", {{0, 1}}}})->status,
            404);
  EXPECT_EQ(Post("/watch/short/progress", {{"watched", {{0, 1}}}})->status, 404);
  auto get = server_->Client().Get(url + "/progress");
  EXPECT_EQ(get->status, 405);
  EXPECT_EQ(get->get_header_value("Allow"), "POST");
  EXPECT_EQ(Post(url + "/progress", {{"watched", json::array()}})->status, 204);
}

TEST_F(WatchProgress, AWatchUrlIsRenewedWhileTheViewerKeepsTheRight) {
  Start();
  const std::string rid = Record("p3");
  Share(rid, {"attendees"});
  const std::string anns = Mint(rid, Jwt("ann"));
  auto renewed = Post(anns + "/renew", json::object());
  ASSERT_TRUE(renewed);
  ASSERT_EQ(renewed->status, 201) << renewed->body;
  const json fresh = json::parse(renewed->body);
  EXPECT_THAT(fresh["url"].get<std::string>(), StartsWith("/watch/"));
  EXPECT_NE(fresh["url"], anns);
  EXPECT_EQ(fresh["chat_url"], fresh["url"].get<std::string>() + "/chat.vtt");
  EXPECT_EQ(fresh["part"], 1);
  EXPECT_TRUE(fresh["expires_at"].is_string());
  EXPECT_EQ(
      server_->Client().Get(fresh["url"].get<std::string>(), {{"Range", "bytes=0-9"}})->status,
      206);
  // The renewed URL belongs to the same view.
  ASSERT_EQ(Post(fresh["url"].get<std::string>() + "/progress", {{"watched", {{0, 1}}}})->status,
            204);
  EXPECT_EQ(Viewers(rid).size(), 1u);
  EXPECT_EQ(Viewers(rid)[0]["views"], 1);

  // The platform's and the host's URLs renew; ann's no longer once sharing is withdrawn.
  EXPECT_EQ(Post(Mint(rid, server_->Auth()) + "/renew", json::object())->status, 201);
  EXPECT_EQ(Post(Mint(rid, Jwt("hana")) + "/renew", json::object())->status, 201);
  Share(rid, json::array());
  EXPECT_EQ(Post(fresh["url"].get<std::string>() + "/renew", json::object())->status, 404);

  // A link viewer's URL renews while the link lives; never past the link's expiry.
  auto link = Post("/api/v1/recordings/" + rid + "/links", json::object(), Jwt("hana"));
  const json created = json::parse(link->body);
  const std::string page = created["url"];
  const std::string bobs =
      json::parse(Post(page + "/views", {{"email", "bob@example.org"}})->body)["url"];
  EXPECT_EQ(Post(bobs + "/renew", json::object())->status, 201);
  ASSERT_EQ(server_->Client()
                .Delete("/api/v1/recordings/" + rid + "/links/" + created["id"].get<std::string>(),
                        Jwt("hana"))
                ->status,
            204);
  auto revoked = Post(bobs + "/renew", json::object());
  EXPECT_EQ(revoked->status, 410);
  EXPECT_EQ(json::parse(revoked->body)["error"]["code"], "link_revoked");
  EXPECT_EQ(Post("/watch/" + std::string(43, 'x') + "/renew", json::object())->status, 404);
  EXPECT_EQ(server_->Client().Get(anns + "/renew")->status, 405);
}

TEST_F(WatchProgress, AShareLinkViewTellsTheAppAboutTheRecordingAndPlaysAnyPart) {
  Start();
  const std::string rid = Record("p4");
  auto link = Post("/api/v1/recordings/" + rid + "/links", json::object(), Jwt("hana"));
  const std::string page = json::parse(link->body)["url"];
  auto res = Post(page + "/views", {{"email", "dan@example.org"}});
  ASSERT_EQ(res->status, 201) << res->body;
  const json view = json::parse(res->body);
  EXPECT_EQ(view["part"], 1);
  EXPECT_THAT(view["url"].get<std::string>(), StartsWith("/watch/"));
  EXPECT_EQ(view["chat_url"], view["url"].get<std::string>() + "/chat.vtt");
  EXPECT_TRUE(view["expires_at"].is_string());
  EXPECT_EQ(view["recording"]["id"], rid);
  EXPECT_EQ(view["recording"]["title"], "Watched class");
  EXPECT_TRUE(view["recording"]["recorded_at"].is_string());
  EXPECT_GT(view["recording"]["duration_s"].get<double>(), 1.5);
  ASSERT_EQ(view["recording"]["parts"].size(), 1u);
  EXPECT_EQ(view["recording"]["parts"][0]["n"], 1);
  EXPECT_EQ(view["recording"]["parts"][0]["status"], "ready");
  EXPECT_EQ(view["watch"].size(), 1u); // as before

  auto again = Post(page + "/views", {{"email", "dan@example.org"}, {"part", 1}});
  ASSERT_EQ(again->status, 201) << again->body;
  EXPECT_EQ(json::parse(again->body)["part"], 1);
  EXPECT_EQ(Viewers(rid)[0]["views"], 1); // asking for a part is the same view
  EXPECT_EQ(Post(page + "/views", {{"email", "dan@example.org"}, {"part", 2}})->status, 404);
  for (const json& bad : {json(0), json("1"), json(1.5), json(-3)}) {
    auto res_bad = Post(page + "/views", {{"email", "dan@example.org"}, {"part", bad}});
    EXPECT_EQ(res_bad->status, 400) << bad;
    EXPECT_EQ(json::parse(res_bad->body)["error"]["field"], "part") << bad;
  }
}

TEST_F(WatchProgress, AnEarlierDatabaseMigratesAndKeepsItsViews) {
  Start();
  const std::string rid = Record("p5");
  auto link = Post("/api/v1/recordings/" + rid + "/links", json::object(), Jwt("hana"));
  const std::string page = json::parse(link->body)["url"];
  const std::string url =
      json::parse(Post(page + "/views", {{"email", "old@example.org"}})->body)["url"];
  EXPECT_EQ(server_->Client().Get(url, {{"Range", "bytes=0-199"}})->status, 206);
  const fs::path data = server_->data_dir();
  ASSERT_EQ(server_->StopWith(SIGTERM), 0);
  const fs::path kept = data.parent_path().string() + "-kept";
  fs::copy(data, kept, fs::copy_options::recursive);
  CopyTestDatabase(data / "ssr.db", kept / "ssr.db");
  // Back to the watch tables as version 1 wrote them.
  Exec(kept / "ssr.db", R"sql(
    DROP TABLE watch_progress;
    CREATE TABLE t AS SELECT token_hash, recording_id, part, expires_at_s, user_id, view_id
      FROM watch_tokens;
    DROP TABLE watch_tokens;
    DROP TABLE user_views;
    CREATE TABLE watch_tokens (
      token_hash TEXT PRIMARY KEY,
      recording_id TEXT NOT NULL,
      part INTEGER NOT NULL,
      expires_at_s REAL NOT NULL,
      user_id TEXT NOT NULL,
      view_id INTEGER REFERENCES share_views (id)
    );
    INSERT INTO watch_tokens SELECT * FROM t;
    DROP TABLE t;
    DELETE FROM schema_migrations WHERE id = 'watch-2';
  )sql");
  server_.reset();
  Start(kept);
  json viewers = Viewers(rid);
  ASSERT_EQ(viewers.size(), 1u);
  EXPECT_EQ(viewers[0]["email"], "old@example.org");
  EXPECT_EQ(viewers[0]["bytes_watched"], 200);
  EXPECT_EQ(viewers[0]["kind"], "link");
  // The old URL still plays and now reports progress; users are counted.
  ASSERT_EQ(Post(url + "/progress", {{"watched", {{0, 0.5}}}})->status, 204);
  Mint(rid, Jwt("hana"));
  viewers = Viewers(rid);
  ASSERT_EQ(viewers.size(), 2u);
  EXPECT_NEAR(viewers[0]["watched_s"].get<double>(), 0.5, 0.01);
  EXPECT_EQ(viewers[1]["kind"], "user");
  server_.reset();
  fs::remove_all(kept);
}

} // namespace
} // namespace ssr::test
