// The web app served by the real `ssr serve` (setting web_dir): index.html for the app's
// pages with their security headers, assets by extension and nothing outside assets/, a page
// for people when the app is not built, and share links that cannot be opened explained to
// people (404 unknown, 410 revoked or expired) rather than in JSON.

#include "control_fixture.h"

#include "../support/temp_dir.h"
#include "../support/test_jwt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <optional>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::string kJwtSecret = "scenario-jwt-secret-0123456789abcdef";
const std::string kIndex = "<!doctype html><title>ssr test app</title><div id=app></div>\n";
const std::string kCsp = "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
                         "style-src 'self' 'unsafe-inline'; frame-ancestors 'self'";

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string Rfc3339(double unix_s) {
  const auto t = static_cast<time_t>(unix_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The status code of a raw HTTP exchange ("HTTP/1.1 404 Not Found" -> 404).
int StatusOf(const std::string& raw) { return raw.size() > 12 ? std::stoi(raw.substr(9, 3)) : -1; }

class WebAppServing : public ::testing::Test {
 protected:
  void SetUp() override {
    web_ = root_ / "dist";
    WriteFile(web_ / "index.html", kIndex);
    WriteFile(web_ / "assets" / "app.js", "console.log('app');\n");
    WriteFile(web_ / "assets" / "app.css", "body{margin:0}\n");
    WriteFile(web_ / "assets" / "app.js.map", "{\"version\":3}\n");
    WriteFile(web_ / "assets" / "icon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>\n");
    WriteFile(web_ / "assets" / "data.bin", "\x01\x02");
    WriteFile(web_ / "assets" / ".hidden", "hidden\n");
    WriteFile(web_ / "secret.txt", "not an asset\n");
    WriteFile(root_ / "outside.txt", "outside the web app\n");
  }
  void TearDown() override {
    if (HasFailure() && server_)
      std::cerr << "--- server log ---\n" << server_->Log();
    server_.reset();
  }
  void Start(const fs::path& web_dir) {
    auto env = ControlEnv();
    env["SSR_JWT_SECRET"] = kJwtSecret;
    env["SSR_WEB_DIR"] = web_dir.string();
    server_ = std::make_unique<ServeProcess>(env);
  }
  httplib::Result Get(const std::string& path, const httplib::Headers& headers = {}) {
    return server_->Client().Get(path, headers);
  }
  std::string RawGet(const std::string& target) {
    return RawExchange(server_->port(),
                       "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  }

  TempDir root_; // dist/ (a small web app) and a file outside it
  fs::path web_;
  std::unique_ptr<ServeProcess> server_;
};

TEST_F(WebAppServing, EveryPageOfTheAppIsIndexHtmlWithItsSecurityHeaders) {
  Start(web_);
  for (const std::string path : {"/", "/login", "/recordings", "/recordings/r123",
                                 "/sessions/class-1", "/recordings/r1?x=1"}) {
    auto res = Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path;
    EXPECT_EQ(res->body, kIndex) << path;
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8") << path;
    EXPECT_EQ(res->get_header_value("Content-Security-Policy"), kCsp) << path;
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(res->get_header_value("Referrer-Policy"), "no-referrer") << path;
  }
  // Pages are read, not written; paths that are no page are the API's 404.
  auto post = server_->Client().Post("/login", "x", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET");
  for (const std::string path : {"/nowhere", "/recordings/r1/extra", "/sessions/"}) {
    auto res = Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_THAT(res->get_header_value("Content-Type"), StartsWith("application/json")) << path;
  }
  // The API is still the API.
  EXPECT_EQ(Get("/api/v1/recordings")->status, 401);
  EXPECT_EQ(Get("/livez")->status, 200);
}

TEST_F(WebAppServing, AssetsHaveTheirContentTypeAndNothingOutsideAssetsIsServed) {
  Start(web_);
  const std::vector<std::pair<std::string, std::string>> types = {
      {"app.js", "text/javascript; charset=utf-8"},
      {"app.css", "text/css; charset=utf-8"},
      {"app.js.map", "application/json; charset=utf-8"},
      {"icon.svg", "image/svg+xml"},
      {"data.bin", "application/octet-stream"}};
  for (const auto& [file, type] : types) {
    auto res = Get("/assets/" + file);
    ASSERT_TRUE(res) << file;
    EXPECT_EQ(res->status, 200) << file;
    EXPECT_EQ(res->get_header_value("Content-Type"), type) << file;
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << file;
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-cache") << file;
  }
  EXPECT_EQ(Get("/assets/app.js")->body, "console.log('app');\n");
  auto missing = Get("/assets/missing.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_THAT(missing->body, HasSubstr("missing.js"));

  // Traversal, plain and percent-encoded, and hidden files: refused, never the file's bytes.
  for (const std::string target :
       {"/assets/../ssr.db", "/assets/%2e%2e/ssr.db", "/assets/%2e%2e%2fssr.db",
        "/assets/..%2F..%2Foutside.txt", "/assets/%2E%2E%2Fsecret.txt", "/assets/.hidden",
        "/assets/..", "/assets/", "/assets/sub%2Fapp.js", "/assets/%2fetc%2fpasswd",
        "/assets/..%5csecret.txt", "/assets/../../outside.txt"}) {
    const std::string raw = RawGet(target);
    EXPECT_EQ(StatusOf(raw), 404) << target << "\n" << raw.substr(0, 200);
    EXPECT_THAT(raw, Not(HasSubstr("SQLite format"))) << target;
    EXPECT_THAT(raw, Not(HasSubstr("not an asset"))) << target;
    EXPECT_THAT(raw, Not(HasSubstr("outside the web app"))) << target;
    EXPECT_THAT(raw, Not(HasSubstr("root:"))) << target;
  }
  EXPECT_EQ(StatusOf(RawGet("/assets/%zz")), 400); // badly encoded
}

TEST_F(WebAppServing, WithoutABuildPagesSayHowToBuildIt) {
  Start(root_ / "not-built");
  for (const std::string path : {"/", "/recordings", "/sessions/s1"}) {
    auto res = Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 503) << path;
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8") << path;
    EXPECT_THAT(res->body, HasSubstr("not built")) << path;
    EXPECT_THAT(res->body, HasSubstr("make build")) << path;
    EXPECT_EQ(res->get_header_value("Content-Security-Policy"), kCsp) << path;
  }
  EXPECT_EQ(Get("/assets/app.js")->status, 404);
  EXPECT_EQ(Get("/livez")->status, 200);
}

// A ready recording of session `sid` hosted by "hana", and a share link to it: {rid, path}.
// `link_ttl_s`: the link expires that long after it is made (counted from then, not from the
// call: recording takes longer on a slow or sanitized build).
std::pair<std::string, std::string> RecordAndShare(ServeProcess& server, const std::string& sid,
                                                   std::optional<double> link_ttl_s = {}) {
  Classroom c(server, sid, "Shared class",
              {{"invitees", json::array({{{"user", "hana"}, {"role", "host"}}})}});
  c.StartHeartbeat();
  const std::string rid = c.Start()["id"];
  EXPECT_EQ(WaitStatus(server, rid, "recording", 8)["status"], "recording");
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  EXPECT_EQ(StopRecording(server, rid)->status, 200);
  EXPECT_EQ(WaitStatus(server, rid, "ready", 10)["status"], "ready");
  json link_body = json::object();
  if (link_ttl_s)
    link_body["expires_at"] = Rfc3339(UnixNow() + *link_ttl_s);
  auto link = server.Client().Post("/api/v1/recordings/" + rid + "/links", server.Auth(),
                                   link_body.dump(), "application/json");
  EXPECT_TRUE(link && link->status == 201);
  return {rid, json::parse(link->body)["url"].get<std::string>()};
}

TEST_F(WebAppServing, ShareLinksOpenTheAppOrExplainToPeopleWhyNot) {
  Start(web_);
  ASSERT_EQ(PutSettings(*server_, {{"countdown_s", 1}, {"max_part_duration_s", 0}})->status, 200);
  const auto [rid, page] = RecordAndShare(*server_, "share1");
  const auto expiring = RecordAndShare(*server_, "share2", 3.0).second;

  auto live = Get(page);
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200);
  EXPECT_EQ(live->body, kIndex);
  EXPECT_EQ(live->get_header_value("Content-Security-Policy"), kCsp);
  EXPECT_EQ(live->get_header_value("Cache-Control"), "no-store");
  // The app goes on with POST /s/{token}/views, as the built-in page did.
  auto views = server_->Client().Post(page + "/views", json{{"email", "v@example.org"}}.dump(),
                                      "application/json");
  ASSERT_TRUE(views);
  EXPECT_EQ(views->status, 201) << views->body;

  auto expect_page = [&](const std::string& path, int status, const std::string& heading) {
    auto res = Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, status) << path;
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8") << path;
    EXPECT_THAT(res->body, HasSubstr("<h1>" + heading + "</h1>")) << path;
    EXPECT_THAT(res->body, Not(HasSubstr("\"error\""))) << path;
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
  };
  expect_page("/s/" + std::string(43, 'x'), 404, "This link does not exist");
  expect_page("/s/garbled", 404, "This link does not exist");
  expect_page("/s/%3Cscript%3E", 404, "This link does not exist");

  std::this_thread::sleep_for(std::chrono::milliseconds(3200));
  expect_page(expiring, 410, "This link has expired");

  const std::string lid = json::parse(
      Get("/api/v1/recordings/" + rid + "/links", server_->Auth())->body)["links"][0]["id"];
  ASSERT_EQ(server_->Client()
                .Delete("/api/v1/recordings/" + rid + "/links/" + lid, server_->Auth())
                ->status,
            204);
  expect_page(page, 410, "This link has been revoked");
  // Programs still get JSON from the views route.
  auto revoked_views = server_->Client().Post(
      page + "/views", json{{"email", "v@example.org"}}.dump(), "application/json");
  EXPECT_EQ(json::parse(revoked_views->body)["error"]["code"], "link_revoked");
}

TEST_F(WebAppServing, WithoutABuildALiveShareLinkStillHasItsBuiltInPage) {
  Start(root_ / "not-built");
  ASSERT_EQ(PutSettings(*server_, {{"countdown_s", 1}, {"max_part_duration_s", 0}})->status, 200);
  const std::string page = RecordAndShare(*server_, "share3").second;
  auto res = Get(page);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->body, HasSubstr("type=\"email\""));
  EXPECT_THAT(res->body, HasSubstr("Shared class"));
  auto unknown = Get("/s/" + std::string(43, 'y'));
  EXPECT_EQ(unknown->status, 404);
  EXPECT_THAT(unknown->body, HasSubstr("This link does not exist"));
}

} // namespace
} // namespace ssr::test
