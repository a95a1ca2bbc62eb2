// Watching (R13, R19) and share links with the viewer report (R16) through the real
// `ssr serve`: watch URLs serve a part with HTTP Range (directory and S3 backends), expire,
// and die with their recording; share links ask for an e-mail address, record views, can
// expire and be revoked; the viewer report counts what each viewer was actually served.

#include "../support/s3rver_process.h"
#include "control_fixture.h"

#include "../support/test_jwt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::string kJwtSecret = "scenario-jwt-secret-0123456789abcdef";

std::string Code(const httplib::Result& res) {
  return json::parse(res->body)["error"]["code"].get<std::string>();
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Rfc3339(double unix_s) {
  const auto t = static_cast<time_t>(unix_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

class Watch : public ::testing::Test {
 protected:
  void Start(std::map<std::string, std::string> extra = {}) {
    auto env = ControlEnv();
    env["SSR_JWT_SECRET"] = kJwtSecret;
    for (auto& [k, v] : extra)
      env[k] = v;
    server_ = std::make_unique<ServeProcess>(env);
    auto res = PutSettings(*server_, {{"countdown_s", 1}, {"max_part_duration_s", 0}});
    ASSERT_TRUE(res && res->status == 200);
  }
  void TearDown() override {
    if (HasFailure() && server_)
      std::cerr << "--- server log ---\n" << server_->Log();
  }
  // A recording of about two seconds, with a chat message, hosted by "hana": its id once ready.
  std::string Record(const std::string& sid, const std::string& title = "Watched class") {
    Classroom c(*server_, sid, title,
                {{"invitees", json::array({{{"user", "hana"}, {"role", "host"}}})}});
    c.StartHeartbeat();
    c.Join("h1", "host");
    const std::string rid = c.Start()["id"];
    EXPECT_EQ(WaitStatus(*server_, rid, "recording", 8)["status"], "recording");
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    c.Post({{"type", "chat.message"}, {"from", "h1"}, {"text", "hello watchers"}});
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_EQ(StopRecording(*server_, rid)->status, 200);
    EXPECT_EQ(WaitStatus(*server_, rid, "ready", 10)["status"], "ready");
    return rid;
  }
  httplib::Headers Jwt(const std::string& user) {
    return server_->Auth(UserJwt(kJwtSecret, user, user + "@example.org"));
  }
  httplib::Result Post(const std::string& path, const httplib::Headers& who, const json& body) {
    return server_->Client().Post(path, who, body.dump(), "application/json");
  }
  httplib::Result Get(const std::string& path, const httplib::Headers& headers = {}) {
    return server_->Client().Get(path, headers);
  }
  // POST .../parts/{n}/watch as `who`: the response.
  httplib::Result MintWatch(const std::string& rid, int n, const httplib::Headers& who) {
    return Post("/api/v1/recordings/" + rid + "/parts/" + std::to_string(n) + "/watch", who,
                json::object());
  }
  std::string Download(const std::string& rid) {
    const fs::path file = server_->data_dir() / "download.webm";
    EXPECT_EQ(DownloadPart(*server_, rid, 1, file), 200);
    return ReadFile(file);
  }

  std::unique_ptr<ServeProcess> server_;
};

// The Range behaviour of a watch URL, against the part's download.
void ExpectRangesServed(ServeProcess& server, const std::string& url, const std::string& whole) {
  auto client = server.Client();
  const size_t size = whole.size();
  ASSERT_GT(size, 1000u);
  auto all = client.Get(url);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->status, 200);
  EXPECT_TRUE(all->body == whole) << "the whole part differs (" << all->body.size() << " bytes)";
  EXPECT_EQ(all->get_header_value("Accept-Ranges"), "bytes");
  EXPECT_EQ(all->get_header_value("Content-Type"), "video/webm");

  struct Case {
    std::string range;
    size_t first, last;
  };
  for (const Case& c : {Case{"bytes=0-99", 0, 99}, Case{"bytes=100-", 100, size - 1},
                        Case{"bytes=-500", size - 500, size - 1}, Case{"bytes=0-0", 0, 0},
                        Case{"bytes=10-" + std::to_string(size * 2), 10, size - 1}}) {
    auto res = client.Get(url, {{"Range", c.range}});
    ASSERT_TRUE(res) << c.range;
    EXPECT_EQ(res->status, 206) << c.range;
    // Compared as a whole, reported by size (binary bodies make unreadable failures).
    EXPECT_TRUE(res->body == whole.substr(c.first, c.last - c.first + 1))
        << c.range << ": " << res->body.size() << " bytes differ";
    EXPECT_EQ(res->get_header_value("Content-Range"), "bytes " + std::to_string(c.first) + "-" +
                                                          std::to_string(c.last) + "/" +
                                                          std::to_string(size))
        << c.range;
  }
  // Consecutive ranges put together are the download.
  std::string joined;
  for (size_t first = 0; first < size; first += 4096) {
    const size_t last = std::min(size, first + 4096) - 1;
    auto res =
        client.Get(url, {{"Range", "bytes=" + std::to_string(first) + "-" + std::to_string(last)}});
    ASSERT_TRUE(res && res->status == 206);
    joined += res->body;
  }
  EXPECT_TRUE(joined == whole) << "the ranges joined (" << joined.size()
                               << " bytes) differ from the download (" << size << " bytes)";

  auto beyond = client.Get(url, {{"Range", "bytes=" + std::to_string(size) + "-"}});
  ASSERT_TRUE(beyond);
  EXPECT_EQ(beyond->status, 416);
  EXPECT_EQ(beyond->get_header_value("Content-Range"), "bytes */" + std::to_string(size));
  EXPECT_EQ(Code(beyond), "range_not_satisfiable");

  for (const std::string& bad :
       std::vector<std::string>{"bytes=abc", "bytes=5-1", "items=0-9", "bytes=0-1,5-9",
                                "bytes=", "bytes=-", "bytes=1-2-3"}) {
    auto res = client.Get(url, {{"Range", bad}});
    ASSERT_TRUE(res) << bad;
    EXPECT_EQ(res->status, 200) << bad;
    EXPECT_EQ(res->body.size(), size) << bad;
  }
  // If-Range: the range only while the entity tag matches.
  const std::string etag = all->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  auto same = client.Get(url, {{"Range", "bytes=0-9"}, {"If-Range", etag}});
  ASSERT_TRUE(same);
  EXPECT_EQ(same->status, 206);
  auto changed = client.Get(url, {{"Range", "bytes=0-9"}, {"If-Range", "\"other\""}});
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->status, 200);
  EXPECT_EQ(changed->body.size(), size);

  auto head = client.Head(url);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->get_header_value("Content-Length"), std::to_string(size));
  EXPECT_EQ(head->get_header_value("Accept-Ranges"), "bytes");
  EXPECT_TRUE(head->body.empty());
  auto head_range = client.Head(url, {{"Range", "bytes=10-19"}});
  ASSERT_TRUE(head_range);
  EXPECT_EQ(head_range->status, 206);
  EXPECT_EQ(head_range->get_header_value("Content-Length"), "10");
}

TEST_F(Watch, AWatchUrlServesThePartWithRangesToWhoeverHoldsIt) {
  Start();
  const std::string rid = Record("w1");
  const std::string whole = Download(rid);

  auto minted = MintWatch(rid, 1, Jwt("hana"));
  ASSERT_TRUE(minted);
  ASSERT_EQ(minted->status, 201) << minted->body;
  const json body = json::parse(minted->body);
  const std::string url = body["url"];
  EXPECT_THAT(url, StartsWith("/watch/"));
  EXPECT_EQ(body["chat_url"], url + "/chat.vtt");
  EXPECT_TRUE(body["expires_at"].is_string());
  ExpectRangesServed(*server_, url, whole); // no credential but the URL

  auto chat = Get(url + "/chat.vtt");
  ASSERT_TRUE(chat);
  EXPECT_EQ(chat->status, 200);
  EXPECT_THAT(chat->body, StartsWith("WEBVTT"));
  EXPECT_THAT(chat->body, HasSubstr("hello watchers"));

  // The platform may mint too; a stranger, an attendee-less user, may not (404, not 403).
  EXPECT_EQ(MintWatch(rid, 1, server_->Auth())->status, 201);
  auto stranger = MintWatch(rid, 1, Jwt("stranger"));
  ASSERT_TRUE(stranger);
  EXPECT_EQ(stranger->status, 404);
  EXPECT_EQ(Code(stranger), "not_found");
  EXPECT_EQ(MintWatch(rid, 1, {})->status, 401);
  EXPECT_EQ(MintWatch(rid, 2, Jwt("hana"))->status, 404);
  EXPECT_EQ(MintWatch(rid, 0, Jwt("hana"))->status, 404);
  EXPECT_EQ(Get("/api/v1/recordings/" + rid + "/parts/1/watch", Jwt("hana"))->status, 405);

  // Tokens that are not ours.
  for (const std::string& bad :
       std::vector<std::string>{"/watch/x", "/watch/" + std::string(43, 'A'),
                                "/watch/" + url.substr(7, 42) + "%00", "/watch/"}) {
    auto res = Get(bad);
    ASSERT_TRUE(res) << bad;
    EXPECT_EQ(res->status, 404) << bad;
  }
  EXPECT_EQ(server_->Client().Post(url, "", "text/plain")->status, 405);

  // Deleting the recording kills its watch URLs.
  ASSERT_EQ(server_->Client().Delete("/api/v1/recordings/" + rid, server_->Auth())->status, 204);
  auto gone = Get(url);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 404);
  EXPECT_EQ(Get(url + "/chat.vtt")->status, 404);
}

TEST_F(Watch, AnExpiredWatchUrlIsRefusedWith410) {
  Start({{"SSR_WATCH_URL_TTL_S", "2"}});
  const std::string rid = Record("w2");
  auto minted = MintWatch(rid, 1, server_->Auth());
  ASSERT_EQ(minted->status, 201);
  const std::string url = json::parse(minted->body)["url"];
  EXPECT_EQ(Get(url, {{"Range", "bytes=0-9"}})->status, 206);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  auto expired = Get(url);
  ASSERT_TRUE(expired);
  EXPECT_EQ(expired->status, 410);
  EXPECT_EQ(Code(expired), "watch_url_expired");
  EXPECT_EQ(Get(url + "/chat.vtt")->status, 410);
}

TEST(WatchConfig, ABadWatchUrlLifetimeStopsTheServer) {
  const std::map<std::string, std::string> env = {{"SSR_WATCH_URL_TTL_S", "0"}};
  try {
    ServeProcess server(env);
    ADD_FAILURE() << "ssr serve started with watch_url_ttl_s 0";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("watch_url_ttl_s"));
  }
}

TEST_F(Watch, ShareLinksAskForAnEmailRecordViewsAndCanBeRevokedOrExpire) {
  Start();
  const std::string rid = Record("w3", "Class <script>alert(1)</script> & \"more\"");
  const std::string links = "/api/v1/recordings/" + rid + "/links";

  auto created = Post(links, Jwt("hana"), json::object());
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const json link = json::parse(created->body);
  const std::string page = link["url"];
  EXPECT_THAT(page, StartsWith("/s/"));
  EXPECT_TRUE(link["expires_at"].is_null());
  EXPECT_EQ(link["state"], "active");

  // Who may not manage sharing does not even see the recording.
  EXPECT_EQ(Post(links, Jwt("stranger"), json::object())->status, 404);
  EXPECT_EQ(Get(links, Jwt("stranger"))->status, 404);
  EXPECT_EQ(Post(links, {}, json::object())->status, 401);

  // expires_at: RFC 3339, in the future.
  for (const json& bad :
       std::vector<json>{json("tomorrow"), json(Rfc3339(UnixNow() - 60)), json(42),
                         json("2026-02-30T10:00:00Z"), json("2026-11-26T25:00:00Z")}) {
    auto res = Post(links, Jwt("hana"), {{"expires_at", bad}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << bad;
    EXPECT_EQ(json::parse(res->body)["error"]["field"], "expires_at") << res->body;
  }
  EXPECT_EQ(Post(links, Jwt("hana"), {{"expires", "x"}})->status, 400);

  // The page asks for an e-mail address and holds no watch URL, and the title is escaped.
  auto html = Get(page);
  ASSERT_TRUE(html);
  ASSERT_EQ(html->status, 200) << html->body;
  EXPECT_THAT(html->get_header_value("Content-Type"), StartsWith("text/html"));
  EXPECT_THAT(html->body, HasSubstr("type=\"email\""));
  EXPECT_THAT(html->body, HasSubstr("<form"));
  EXPECT_THAT(html->body, Not(HasSubstr("/watch/")));
  EXPECT_THAT(html->body, Not(HasSubstr("<script>alert(1)")));
  EXPECT_THAT(html->body,
              HasSubstr("Class &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;"));
  EXPECT_EQ(html->get_header_value("Referrer-Policy"), "no-referrer");
  // Its own script and style only, by hash; no <base> (L2).
  const std::string csp = html->get_header_value("Content-Security-Policy");
  EXPECT_THAT(csp, HasSubstr("script-src 'sha256-"));
  EXPECT_THAT(csp, Not(HasSubstr("unsafe-inline")));
  EXPECT_THAT(csp, HasSubstr("base-uri 'none'"));

  // Bad addresses are 400 naming the field.
  for (const json& bad :
       std::vector<json>{json(""), json("no-at-sign"), json("a@b"), json("a b@example.org"),
                         json("a@@example.org"), json(".a@example.org"), json("a@-x.org"),
                         json(std::string(250, 'a') + "@example.org"), json(7), json(nullptr),
                         json("a@exa_mple.org"), json("a\n@example.org")}) {
    auto res = Post(page + "/views", {}, {{"email", bad}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << bad;
    EXPECT_EQ(json::parse(res->body)["error"]["field"], "email") << res->body;
  }
  EXPECT_EQ(Post(page + "/views", {}, json::object())->status, 400);
  EXPECT_EQ(server_->Client()
                .Post(page + "/views", "email=a@example.org", "application/x-www-form-urlencoded")
                ->status,
            415);

  auto view = Post(page + "/views", {}, {{"email", "  Viewer@Example.ORG "}});
  ASSERT_TRUE(view);
  ASSERT_EQ(view->status, 201) << view->body;
  const json watch = json::parse(view->body);
  EXPECT_EQ(watch["parts"], 1);
  EXPECT_EQ(watch["title"], "Class <script>alert(1)</script> & \"more\"");
  ASSERT_EQ(watch["watch"].size(), 1u);
  EXPECT_EQ(watch["watch"][0]["n"], 1);
  const std::string url = watch["watch"][0]["url"];
  const std::string chat_url = watch["watch"][0]["chat_url"];
  EXPECT_EQ(Get(url, {{"Range", "bytes=0-99"}})->status, 206);
  EXPECT_EQ(Get(chat_url)->status, 200);

  auto listed = Get(links, Jwt("hana"));
  ASSERT_EQ(listed->status, 200);
  const json list = json::parse(listed->body)["links"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["id"], link["id"]);
  EXPECT_FALSE(list[0].contains("url")); // tokens are stored hashed: shown once, at creation

  // Revoked: the page, new views and the watch URLs it gave are all dead.
  const std::string lid = link["id"];
  EXPECT_EQ(server_->Client().Delete(links + "/" + lid, Jwt("stranger"))->status, 404);
  EXPECT_EQ(server_->Client().Delete(links + "/nope", Jwt("hana"))->status, 404);
  ASSERT_EQ(server_->Client().Delete(links + "/" + lid, Jwt("hana"))->status, 204);
  // The page says so to people (web_app_test.cpp has its words); the rest in JSON.
  auto revoked_page = Get(page);
  ASSERT_TRUE(revoked_page);
  EXPECT_EQ(revoked_page->status, 410);
  EXPECT_THAT(revoked_page->get_header_value("Content-Type"), StartsWith("text/html"));
  std::vector<httplib::Result> dead;
  dead.push_back(Post(page + "/views", {}, {{"email", "late@example.org"}}));
  dead.push_back(Get(url));
  dead.push_back(Get(chat_url));
  for (const auto& res : dead) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 410);
    EXPECT_EQ(Code(res), "link_revoked");
  }
  EXPECT_EQ(json::parse(Get(links, Jwt("hana"))->body)["links"][0]["state"], "revoked");

  // A link that expires: fine before, 410 after.
  auto brief = Post(links, Jwt("hana"), {{"expires_at", Rfc3339(UnixNow() + 3)}});
  ASSERT_EQ(brief->status, 201) << brief->body;
  const json brief_link = json::parse(brief->body);
  EXPECT_TRUE(brief_link["expires_at"].is_string());
  const std::string brief_page = brief_link["url"];
  auto early = Post(brief_page + "/views", {}, {{"email", "early@example.org"}});
  ASSERT_EQ(early->status, 201);
  // Its watch URLs do not outlive the link.
  EXPECT_LE(json::parse(early->body)["watch"][0]["expires_at"].get<std::string>(),
            brief_link["expires_at"].get<std::string>());
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  auto late = Get(brief_page);
  ASSERT_TRUE(late);
  EXPECT_EQ(late->status, 410);
  EXPECT_THAT(late->body, HasSubstr("This link has expired"));
  EXPECT_EQ(Code(Post(brief_page + "/views", {}, {{"email", "y@example.org"}})), "link_expired");
  EXPECT_EQ(Post(brief_page + "/views", {}, {{"email", "x@example.org"}})->status, 410);
  EXPECT_EQ(Get("/s/" + std::string(43, 'x'))->status, 404);
}

TEST_F(Watch, TheViewerReportCountsWhatEachViewerWasServed) {
  Start();
  const std::string rid = Record("w4", "Report, \"quoted\"");
  const std::string whole = Download(rid);
  const size_t size = whole.size();
  const double duration = GetRecording(*server_, rid)["parts"][0]["duration_s"];
  auto created = Post("/api/v1/recordings/" + rid + "/links", Jwt("hana"), json::object());
  ASSERT_EQ(created->status, 201);
  const std::string page = json::parse(created->body)["url"];
  auto open = [&](const std::string& email) {
    auto res = Post(page + "/views", {}, {{"email", email}});
    EXPECT_EQ(res->status, 201) << res->body;
    return json::parse(res->body)["watch"][0]["url"].get<std::string>();
  };
  // ann watches the first half, twice (overlapping); bob everything; the others nothing.
  const size_t half = size / 2;
  const std::string ann1 = open("ann@example.org");
  EXPECT_EQ(Get(ann1, {{"Range", "bytes=0-" + std::to_string(half / 2 - 1)}})->status, 206);
  const std::string ann2 = open("ann@example.org");
  EXPECT_EQ(Get(ann2, {{"Range", "bytes=0-" + std::to_string(half - 1)}})->status, 206);
  EXPECT_EQ(Get(open("bob@example.org"))->status, 200);
  open("=1+2@example.org");
  open("\"smith, j\"@example.org");

  auto report = Get("/api/v1/recordings/" + rid + "/viewers", Jwt("hana"));
  ASSERT_TRUE(report);
  ASSERT_EQ(report->status, 200) << report->body;
  const json viewers = json::parse(report->body)["viewers"];
  ASSERT_EQ(viewers.size(), 4u) << viewers;
  EXPECT_EQ(viewers[0]["email"], "ann@example.org");
  EXPECT_EQ(viewers[0]["views"], 2);
  EXPECT_EQ(viewers[0]["bytes_watched"], half);
  EXPECT_NEAR(viewers[0]["watched_s"].get<double>(), duration / 2, 0.15);
  EXPECT_LE(viewers[0]["first_view_at"].get<std::string>(),
            viewers[0]["last_view_at"].get<std::string>());
  EXPECT_EQ(viewers[1]["email"], "bob@example.org");
  EXPECT_EQ(viewers[1]["views"], 1);
  EXPECT_EQ(viewers[1]["bytes_watched"], size);
  EXPECT_NEAR(viewers[1]["watched_s"].get<double>(), duration, 0.1);
  EXPECT_EQ(viewers[2]["bytes_watched"], 0);

  auto csv = Get("/api/v1/recordings/" + rid + "/viewers?format=csv", Jwt("hana"));
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200);
  EXPECT_THAT(csv->get_header_value("Content-Type"), StartsWith("text/csv"));
  EXPECT_THAT(csv->get_header_value("Content-Disposition"), HasSubstr("attachment"));
  EXPECT_THAT(csv->body,
              StartsWith("email,first_view_at,last_view_at,views,watched_s,bytes_watched,kind,"
                         "name\r\n"));
  EXPECT_THAT(csv->body, HasSubstr("\r\nann@example.org,"));
  EXPECT_THAT(csv->body, HasSubstr(",2,"));
  EXPECT_THAT(csv->body, HasSubstr("\r\n\"'=1+2@example.org\","));
  EXPECT_THAT(csv->body, HasSubstr("\r\n\"\"\"smith, j\"\"@example.org\","));
  EXPECT_EQ(std::count(csv->body.begin(), csv->body.end(), '\n'), 5);

  EXPECT_EQ(Get("/api/v1/recordings/" + rid + "/viewers?format=xml", Jwt("hana"))->status, 400);
  EXPECT_EQ(Get("/api/v1/recordings/" + rid + "/viewers", Jwt("stranger"))->status, 404);
}

// The same Range behaviour when parts live in S3 (s3rver on 127.0.0.1).
TEST(WatchS3, AWatchUrlServesRangesFromTheBucket) {
  S3rverProcess s3({"ssr-parts"});
  ServeProcess server(S3ControlEnv(s3.endpoint(), "ssr-parts", "watch/"));
  ASSERT_EQ(PutSettings(server, {{"countdown_s", 1}, {"max_part_duration_s", 0}})->status, 200);
  Classroom c(server, "ws3", "S3 class");
  c.StartHeartbeat();
  c.Join("h1", "host");
  const std::string rid = c.Start()["id"];
  ASSERT_EQ(WaitStatus(server, rid, "recording", 8)["status"], "recording");
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  ASSERT_EQ(StopRecording(server, rid)->status, 200);
  ASSERT_EQ(WaitStatus(server, rid, "ready", 10)["status"], "ready");
  const fs::path file = server.data_dir() / "download.webm";
  ASSERT_EQ(DownloadPart(server, rid, 1, file), 200);
  auto minted = server.Client().Post("/api/v1/recordings/" + rid + "/parts/1/watch", server.Auth(),
                                     "{}", "application/json");
  ASSERT_EQ(minted->status, 201) << minted->body;
  ExpectRangesServed(server, json::parse(minted->body)["url"], ReadFile(file));
  if (::testing::Test::HasFailure())
    std::cerr << server.Log();
}

// M3: views of share links and watch URLs write rows; strangers and users get a bucket each
// (per client address and per link; per user), then 429 with a truthful Retry-After, and a
// refused request writes nothing. The platform's own requests are not limited.
TEST_F(Watch, ViewsOfALinkAndWatchUrlsAreRateLimitedWith429) {
  Start({{"SSR_SHARE_VIEWS_PER_LINK", "3"},
         {"SSR_SHARE_VIEWS_PER_ADDRESS", "5"},
         {"SSR_WATCH_URLS_PER_CALLER", "2"},
         {"SSR_REQUEST_WINDOW_S", "3000"}}); // one back every 1000 s (per link)
  const std::string rid = Record("w9");
  auto link = [&] {
    auto created = Post("/api/v1/recordings/" + rid + "/links", Jwt("hana"), json::object());
    EXPECT_EQ(created->status, 201) << created->body;
    return json::parse(created->body)["url"].get<std::string>();
  };
  const std::string first = link();
  for (int i = 0; i < 3; ++i) {
    auto view = Post(first + "/views", {}, {{"email", "v" + std::to_string(i) + "@example.org"}});
    EXPECT_EQ(view->status, 201) << view->body;
  }
  auto limited = Post(first + "/views", {}, {{"email", "flood@example.org"}});
  ASSERT_EQ(limited->status, 429) << limited->body;
  EXPECT_EQ(Code(limited), "rate_limited");
  EXPECT_THAT(limited->body, HasSubstr("views of this link"));
  const int retry_after_s = std::stoi(limited->get_header_value("Retry-After"));
  EXPECT_GE(retry_after_s, 990);
  EXPECT_LE(retry_after_s, 1000);
  // Another link of the recording has its own bucket; the address's is then spent (5).
  const std::string second = link();
  EXPECT_EQ(Post(second + "/views", {}, {{"email", "w@example.org"}})->status, 201);
  auto by_address = Post(second + "/views", {}, {{"email", "x@example.org"}});
  EXPECT_EQ(by_address->status, 429);
  EXPECT_THAT(by_address->body, HasSubstr("from this address"));
  // What was refused wrote nothing: three viewers on the first link, one on the second.
  auto report = Get("/api/v1/recordings/" + rid + "/viewers", Jwt("hana"));
  ASSERT_EQ(report->status, 200) << report->body;
  EXPECT_EQ(json::parse(report->body)["viewers"].size(), 4u) << report->body;

  // Watch URLs: two per user, then 429; another user and the platform go on.
  EXPECT_EQ(MintWatch(rid, 1, Jwt("hana"))->status, 201);
  EXPECT_EQ(MintWatch(rid, 1, Jwt("hana"))->status, 201);
  auto too_many = MintWatch(rid, 1, Jwt("hana"));
  EXPECT_EQ(too_many->status, 429);
  EXPECT_THAT(too_many->body, HasSubstr("watch URLs"));
  EXPECT_TRUE(too_many->has_header("Retry-After"));
  EXPECT_EQ(MintWatch(rid, 1, server_->Auth())->status, 201);
  EXPECT_EQ(MintWatch(rid, 1, server_->Auth())->status, 201);
  EXPECT_EQ(MintWatch(rid, 1, server_->Auth())->status, 201);
}

} // namespace
} // namespace ssr::test
