// The library's first slice through the real `ssr serve`: who calls (API key, users' JWTs,
// built-in accounts with a session cookie), which recordings each user sees (R12: hosts and
// co-hosts of the session, from invitees and participant.join's `user`), and renaming and
// deleting them (R14). Recordings are short, with no media: a room whose events flow records.

#include "../support/test_database.h"
#include "control_fixture.h"

#include "../support/temp_dir.h"
#include "../support/test_jwt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <fstream>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;

const std::string kJwtSecret = "scenario-jwt-secret-0123456789abcdef";

std::map<std::string, std::string> LibraryEnv(std::map<std::string, std::string> extra = {}) {
  auto env = ControlEnv();
  env["SSR_JWT_SECRET"] = kJwtSecret;
  for (auto& [k, v] : extra)
    env[k] = v;
  return env;
}

void Sleep(double s) {
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(s * 1000)));
}

std::string Message(const httplib::Result& res) {
  return json::parse(res->body)["error"]["message"].get<std::string>();
}
std::string Code(const httplib::Result& res) {
  return json::parse(res->body)["error"]["code"].get<std::string>();
}

httplib::Headers Cookie(const std::string& token) { return {{"Cookie", "ssr_session=" + token}}; }

// The token of the ssr_session cookie a response sets.
std::string SessionCookieOf(const httplib::Result& res) {
  const std::string set = res->get_header_value("Set-Cookie");
  const size_t start = set.find("ssr_session=");
  if (start == std::string::npos)
    return "";
  const size_t begin = start + std::string("ssr_session=").size();
  return set.substr(begin, set.find(';', begin) - begin);
}

class Library : public ::testing::Test {
 protected:
  void Start(std::map<std::string, std::string> extra = {}, const fs::path& data_dir = {}) {
    server_ = std::make_unique<ServeProcess>(LibraryEnv(std::move(extra)), data_dir);
    auto res = PutSettings(*server_, {{"countdown_s", 3}, {"max_part_duration_s", 0}});
    ASSERT_TRUE(res && res->status == 200);
  }
  void TearDown() override {
    if (HasFailure() && server_)
      std::cerr << "--- server log ---\n" << server_->Log();
  }
  httplib::Headers Jwt(const std::string& user, const std::string& email = "") {
    return server_->Auth(UserJwt(kJwtSecret, user, email));
  }
  httplib::Result Get(const std::string& path, const httplib::Headers& who) {
    return server_->Client().Get(path, who);
  }
  httplib::Result Post(const std::string& path, const httplib::Headers& who, const json& body) {
    return server_->Client().Post(path, who, body.dump(), "application/json");
  }
  httplib::Result Patch(const std::string& path, const httplib::Headers& who,
                        const std::string& body) {
    return server_->Client().Patch(path, who, body, "application/json");
  }
  // A recording of `c`'s main room, recorded ~1 s and stopped: returns its id once ready.
  std::string RecordOnce(Classroom& c) {
    const std::string rid = c.Start()["id"];
    EXPECT_EQ(WaitStatus(*server_, rid, "recording", 8)["status"], "recording");
    Sleep(1);
    EXPECT_EQ(StopRecording(*server_, rid)->status, 200);
    EXPECT_EQ(WaitStatus(*server_, rid, "ready", 8)["status"], "ready");
    return rid;
  }
  std::vector<std::string> ListIds(const httplib::Headers& who, const std::string& query = "") {
    auto res = Get("/api/v1/recordings" + query, who);
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    std::vector<std::string> ids;
    if (!res || res->status != 200)
      return ids;
    const json body = json::parse(res->body);
    for (const json& r : body["recordings"])
      ids.push_back(r["id"]);
    return ids;
  }
  std::unique_ptr<ServeProcess> server_;
};

TEST_F(Library, JwtUsersAreAcceptedAndEveryBadTokenIsA401NamingTheProblem) {
  Start();
  ASSERT_EQ(server_->CreateSession({{"id", "s1"}, {"title", "T"}})->status, 201);
  auto ok = Get("/api/v1/recordings", Jwt("ann"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(json::parse(ok->body),
            json({{"recordings", json::array()}, {"total", 0}, {"limit", 50}, {"offset", 0}}));

  const json hs256 = {{"alg", "HS256"}, {"typ", "JWT"}};
  const auto exp = static_cast<int64_t>(UnixNow() + 3600);
  const json claims = {{"sub", "ann"}, {"name", "Ann"}, {"email", "ann@example.org"}, {"exp", exp}};
  json no_sub = claims;
  no_sub.erase("sub");
  json expired = claims;
  expired["exp"] = static_cast<int64_t>(UnixNow() - 3600);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {MakeJwt(hs256, expired, kJwtSecret), "expired"},
      {MakeJwt(hs256, claims, "wrong-secret-0123456789-0123456789"), "signature does not verify"},
      {MakeJwt({{"alg", "none"}, {"typ", "JWT"}}, claims, "", nullptr), "'none' is not accepted"},
      {MakeJwt({{"alg", "HS512"}, {"typ", "JWT"}}, claims, kJwtSecret, EVP_sha512()),
       "'HS512' is not accepted"},
      {MakeJwt({{"alg", "RS256"}, {"typ", "JWT"}}, claims, kJwtSecret), "'RS256' is not accepted"},
      {MakeJwt(hs256, no_sub, kJwtSecret), "no 'sub'"},
      {"not.a.jwt", "malformed"},
      {"%%%.%%%.%%%", "malformed"},
      {"random-garbage-token", "invalid API key"},
  };
  for (const auto& [token, problem] : bad) {
    auto res = Get("/api/v1/recordings", server_->Auth(token));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << token;
    EXPECT_EQ(Code(res), "unauthorized");
    EXPECT_THAT(Message(res), HasSubstr(problem)) << token;
    EXPECT_EQ(res->get_header_value("WWW-Authenticate"), "Bearer");
  }
  // No credentials at all; a header that is not Bearer.
  auto none = Get("/api/v1/recordings", {});
  EXPECT_EQ(none->status, 401);
  EXPECT_THAT(Message(none), HasSubstr("not signed in"));
  auto basic = Get("/api/v1/recordings", {{"Authorization", "Basic YTpi"}});
  EXPECT_EQ(basic->status, 401);
  EXPECT_THAT(Message(basic), HasSubstr("Bearer"));
  // A user's token does not open the platform's routes; the API key still does.
  auto create = Post("/api/v1/sessions", Jwt("ann"), {{"title", "x"}});
  EXPECT_EQ(create->status, 401);
  EXPECT_THAT(Message(create), HasSubstr("API key"));
  EXPECT_EQ(Get("/api/v1/recordings", server_->Auth())->status, 200);
  auto me = Get("/api/v1/me", Jwt("ann", "Ann@Example.org"));
  ASSERT_EQ(me->status, 200);
  EXPECT_EQ(json::parse(me->body)["user"],
            json({{"id", "ann"}, {"name", "User ann"}, {"email", "ann@example.org"}}));
}

TEST_F(Library, WithoutAJwtSecretUserTokensAreRefusedSayingSo) {
  server_ = std::make_unique<ServeProcess>(ControlEnv());
  auto res = Get("/api/v1/recordings", server_->Auth(UserJwt(kJwtSecret, "ann")));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_THAT(Message(res), HasSubstr("no jwt_secret"));
}

TEST_F(Library, BuiltInAccountsLogInWithACookieAndLogOut) {
  Start();
  // Accounts: by the platform's API, and by the CLI.
  auto created = Post("/api/v1/users", server_->Auth(),
                      {{"id", "ann"},
                       {"email", "Ann@Example.org"},
                       {"name", "Ann"},
                       {"password", "correct horse"}});
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(json::parse(created->body)["email"], "ann@example.org");
  EXPECT_EQ(
      Post("/api/v1/users", server_->Auth(),
           {{"id", "ann2"}, {"email", "ann@example.org"}, {"name", "A"}, {"password", "12345678"}})
          ->status,
      409);
  auto short_pw = Post("/api/v1/users", server_->Auth(),
                       {{"email", "b@example.org"}, {"name", "B"}, {"password", "123"}});
  EXPECT_EQ(short_pw->status, 400);
  EXPECT_EQ(json::parse(short_pw->body)["error"]["field"], "password");
  EXPECT_EQ(Post("/api/v1/users", Jwt("ann"),
                 {{"email", "c@example.org"}, {"name", "C"}, {"password", "12345678"}})
                ->status,
            401);
  {
    const std::string cmd = std::string(SSR_BINARY) + " user add --data " +
                            server_->data_dir().string() + TestDatabaseFlag(server_->data_dir()) +
                            " --id bob --email bob@example.org --name Bob --password-stdin";
    FILE* p = ::popen(cmd.c_str(), "w");
    ASSERT_NE(p, nullptr);
    std::fputs("bobs password\n", p);
    ASSERT_EQ(::pclose(p), 0);
  }

  auto login =
      Post("/api/v1/login", {}, {{"email", "ann@example.org"}, {"password", "correct horse"}});
  ASSERT_EQ(login->status, 200) << login->body;
  EXPECT_EQ(json::parse(login->body)["user"]["id"], "ann");
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  EXPECT_THAT(set_cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(set_cookie, HasSubstr("SameSite=Lax"));
  EXPECT_THAT(set_cookie, HasSubstr("Path=/"));
  const std::string token = SessionCookieOf(login);
  ASSERT_EQ(token.size(), 43u);
  auto me = Get("/api/v1/me", Cookie(token));
  ASSERT_EQ(me->status, 200) << me->body;
  EXPECT_EQ(json::parse(me->body)["user"]["id"], "ann");
  EXPECT_EQ(json::parse(me->body)["has_recordings"], false);
  EXPECT_EQ(Get("/api/v1/recordings", Cookie(token))->status, 200);

  auto bob =
      Post("/api/v1/login", {}, {{"email", "BOB@example.org"}, {"password", "bobs password"}});
  ASSERT_EQ(bob->status, 200) << bob->body;
  EXPECT_EQ(json::parse(bob->body)["user"]["id"], "bob");

  // Wrong password and unknown e-mail: the same answer.
  auto wrong =
      Post("/api/v1/login", {}, {{"email", "ann@example.org"}, {"password", "wrong horse"}});
  auto unknown =
      Post("/api/v1/login", {}, {{"email", "nobody@example.org"}, {"password", "correct horse"}});
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(wrong->body, unknown->body);
  EXPECT_TRUE(wrong->get_header_value("Set-Cookie").empty());
  // Bad bodies name the field.
  auto missing = Post("/api/v1/login", {}, {{"email", "ann@example.org"}});
  EXPECT_EQ(missing->status, 400);
  EXPECT_THAT(Message(missing), HasSubstr("'password'"));
  auto typed = Post("/api/v1/login", {}, {{"email", 5}, {"password", "x"}});
  EXPECT_EQ(typed->status, 400);
  EXPECT_THAT(Message(typed), HasSubstr("'email'"));
  auto not_json = server_->Client().Post("/api/v1/login", "{oops", "application/json");
  EXPECT_EQ(not_json->status, 400);
  EXPECT_EQ(Code(not_json), "invalid_json");
  EXPECT_EQ(Get("/api/v1/me", Cookie("made-up-token"))->status, 401);

  // Another site's page (a sibling subdomain too: "same-site") cannot use the cookie to
  // change anything, nor log its holder out; reading stays as it was (L1).
  for (const char* site : {"cross-site", "same-site"}) {
    httplib::Headers from_elsewhere = Cookie(token);
    from_elsewhere.emplace("Sec-Fetch-Site", site);
    auto logout = server_->Client().Post("/api/v1/logout", from_elsewhere, "", "text/plain");
    EXPECT_EQ(logout->status, 403) << site;
    EXPECT_EQ(Code(logout), "cross_site");
    auto user = Post("/api/v1/users", from_elsewhere,
                     {{"email", "d@example.org"}, {"name", "D"}, {"password", "12345678"}});
    EXPECT_EQ(user->status, 401) << "not the platform's, whatever the site";
    auto link = server_->Client().Post("/api/v1/recordings/any/links", from_elsewhere, "",
                                       "application/x-www-form-urlencoded");
    EXPECT_EQ(link->status, 403) << site << ": " << link->body;
    EXPECT_EQ(Get("/api/v1/me", from_elsewhere)->status, 200);
  }
  EXPECT_EQ(Get("/api/v1/me", Cookie(token))->status, 200) << "logged out by another site";
  httplib::Headers ours = Cookie(token);
  ours.emplace("Sec-Fetch-Site", "same-origin");

  // Logout: the cookie is cleared and no longer works.
  auto logout = server_->Client().Post("/api/v1/logout", ours, "", "application/json");
  EXPECT_EQ(logout->status, 204);
  EXPECT_THAT(logout->get_header_value("Set-Cookie"), HasSubstr("Max-Age=0"));
  auto after = Get("/api/v1/me", Cookie(token));
  EXPECT_EQ(after->status, 401);
  EXPECT_THAT(Message(after), HasSubstr("unknown or expired"));
}

// Behind HTTPS the cookie is __Host- prefixed (Secure, Path=/, no Domain): a sibling
// subdomain cannot set one the server would take (L1).
TEST_F(Library, BehindHttpsTheCookieIsHostOnly) {
  Start({{"SSR_COOKIE_SECURE", "1"}});
  ASSERT_EQ(Post("/api/v1/users", server_->Auth(),
                 {{"id", "ann"},
                  {"email", "ann@example.org"},
                  {"name", "Ann"},
                  {"password", "correct horse"}})
                ->status,
            201);
  auto login =
      Post("/api/v1/login", {}, {{"email", "ann@example.org"}, {"password", "correct horse"}});
  ASSERT_EQ(login->status, 200) << login->body;
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  EXPECT_EQ(set_cookie.rfind("__Host-ssr_session=", 0), 0u) << set_cookie;
  EXPECT_THAT(set_cookie, HasSubstr("; Secure"));
  EXPECT_THAT(set_cookie, HasSubstr("; Path=/;"));
  EXPECT_THAT(set_cookie, ::testing::Not(HasSubstr("Domain")));
  const std::string token = set_cookie.substr(19, set_cookie.find(';') - 19);
  ASSERT_EQ(token.size(), 43u);
  EXPECT_EQ(Get("/api/v1/me", {{"Cookie", "__Host-ssr_session=" + token}})->status, 200);
  // The plain name is not taken: it could have come from a sibling subdomain.
  EXPECT_EQ(Get("/api/v1/me", Cookie(token))->status, 401);
}

TEST_F(Library, AnExpiredSessionCookieIsRefused) {
  Start({{"SSR_LOGIN_SESSION_TTL_S", "1"}});
  ASSERT_EQ(Post("/api/v1/users", server_->Auth(),
                 {{"email", "ann@example.org"}, {"name", "Ann"}, {"password", "correct horse"}})
                ->status,
            201);
  auto login =
      Post("/api/v1/login", {}, {{"email", "ann@example.org"}, {"password", "correct horse"}});
  ASSERT_EQ(login->status, 200);
  const std::string token = SessionCookieOf(login);
  EXPECT_EQ(Get("/api/v1/me", Cookie(token))->status, 200);
  Sleep(1.5);
  auto expired = Get("/api/v1/me", Cookie(token));
  EXPECT_EQ(expired->status, 401);
  EXPECT_THAT(Message(expired), HasSubstr("expired"));
}

// R12: hosts and co-hosts see their sessions' recordings; attendees and strangers see nothing
// and get 404 for every route of a recording they may not see.
TEST_F(Library, EachUserSeesTheRecordingsOfSessionsTheyHostedOrCoHosted) {
  Start();
  Classroom bio(*server_, "bio", "Biology",
                {{"invitees", json::array({{{"user", "ann"}, {"role", "host"}},
                                           {{"user", "cat"}, {"role", "attendee"}}})}});
  Classroom chem(*server_, "chem", "Chemistry",
                 {{"invitees", json::array({{{"user", "dan@example.org"}, {"role", "cohost"}}})}});
  bio.StartHeartbeat();
  chem.StartHeartbeat();
  bio.Post({{"type", "participant.join"},
            {"id", "p-ann"},
            {"name", "Ann"},
            {"role", "host"},
            {"user", "ann"}});
  // Bob co-hosts only through the event's `user`; Cat attends.
  bio.Post({{"type", "participant.join"},
            {"id", "p-bob"},
            {"name", "Bob"},
            {"role", "cohost"},
            {"user", "bob"}});
  bio.Post({{"type", "participant.join"},
            {"id", "p-cat"},
            {"name", "Cat"},
            {"role", "attendee"},
            {"user", "cat"}});
  chem.Post({{"type", "participant.join"}, {"id", "p-dan"}, {"name", "Dan"}, {"role", "cohost"}});
  const std::string bio_rid = RecordOnce(bio);
  const std::string chem_rid = RecordOnce(chem);
  bio.StopHeartbeat();
  chem.StopHeartbeat();

  using Ids = std::vector<std::string>;
  EXPECT_EQ(ListIds(Jwt("ann")), Ids{bio_rid});
  EXPECT_EQ(ListIds(Jwt("bob")), Ids{bio_rid});
  EXPECT_EQ(ListIds(Jwt("cat")), Ids{});
  EXPECT_EQ(ListIds(Jwt("u-dan", "Dan@Example.org")), Ids{chem_rid}); // invited by e-mail
  EXPECT_EQ(ListIds(Jwt("eve")), Ids{});
  EXPECT_EQ(ListIds(server_->Auth()), (Ids{chem_rid, bio_rid})); // newest first
  EXPECT_EQ(ListIds(server_->Auth(), "?session_id=bio"), Ids{bio_rid});
  EXPECT_EQ(ListIds(Jwt("ann"), "?session_id=chem"), Ids{});
  EXPECT_EQ(Get("/api/v1/recordings?session_id=../x", server_->Auth())->status, 400);

  // An item of the list is what GET returns.
  auto list = json::parse(Get("/api/v1/recordings", Jwt("ann"))->body);
  auto one = Get("/api/v1/recordings/" + bio_rid, Jwt("ann"));
  ASSERT_EQ(one->status, 200);
  EXPECT_EQ(list["recordings"][0], json::parse(one->body));
  auto download = Get("/api/v1/recordings/" + bio_rid + "/parts/1/download", Jwt("bob"));
  EXPECT_EQ(download->status, 200);
  EXPECT_GT(download->body.size(), 1000u);

  // Cat (an attendee) and Eve (a stranger): 404 everywhere, as if it did not exist.
  for (const std::string user : {"cat", "eve"}) {
    const std::string base = "/api/v1/recordings/" + bio_rid;
    for (const std::string path : {base, base + "/parts/1/download", base + "/parts/1/chat.vtt"}) {
      auto res = Get(path, Jwt(user));
      EXPECT_EQ(res->status, 404) << user << " " << path;
      EXPECT_EQ(Code(res), "not_found");
    }
    EXPECT_EQ(Patch(base, Jwt(user), R"({"title": "mine"})")->status, 404) << user;
    EXPECT_EQ(server_->Client().Delete(base, Jwt(user))->status, 404) << user;
    // Same answer as for an id that does not exist.
    EXPECT_EQ(Get("/api/v1/recordings/NoSuchRecording", Jwt(user))->body,
              Get("/api/v1/recordings/NoSuchRecording", Jwt(user))->body);
  }
  EXPECT_EQ(GetRecording(*server_, bio_rid)["title"], "Biology");

  auto me = [&](const httplib::Headers& who) { return json::parse(Get("/api/v1/me", who)->body); };
  EXPECT_EQ(me(Jwt("ann"))["has_recordings"], true);
  EXPECT_EQ(me(Jwt("bob"))["has_recordings"], true);
  EXPECT_EQ(me(Jwt("cat"))["has_recordings"], false);
  EXPECT_EQ(me(Jwt("eve"))["has_recordings"], false);
  EXPECT_EQ(me(server_->Auth())["caller"], "platform");
}

// R14: the host renames (trimmed, 1-200 characters) and deletes (files and rows gone);
// a running recording is not deleted.
TEST_F(Library, HostsRenameAndDeleteRecordingsWithTheirFiles) {
  Start();
  Classroom c(*server_, "bio", "Biology",
              {{"invitees", json::array({{{"user", "ann"}, {"role", "host"}}})}});
  c.StartHeartbeat();
  c.Join("h1", "host");
  const std::string rid = c.Start()["id"];
  ASSERT_EQ(WaitStatus(*server_, rid, "recording", 8)["status"], "recording");
  const std::string path = "/api/v1/recordings/" + rid;

  // Renaming works while it records; deleting does not.
  auto renamed = Patch(path, Jwt("ann"), R"({"title": "  Week 1: cells  "})");
  ASSERT_EQ(renamed->status, 200) << renamed->body;
  EXPECT_EQ(json::parse(renamed->body)["title"], "Week 1: cells");
  auto running = server_->Client().Delete(path, Jwt("ann"));
  EXPECT_EQ(running->status, 409);
  EXPECT_EQ(json::parse(running->body)["error"]["status"], "recording");
  EXPECT_THAT(Message(running), HasSubstr("stop it"));
  Sleep(1);
  ASSERT_EQ(StopRecording(*server_, rid)->status, 200);
  const json ready = WaitStatus(*server_, rid, "ready", 8);
  ASSERT_EQ(ready["status"], "ready");
  EXPECT_EQ(ready["title"], "Week 1: cells"); // the controller's later saves kept the new title

  // Bad titles and bodies name the field.
  auto field_of = [&](const std::string& body) {
    auto res = Patch(path, Jwt("ann"), body);
    EXPECT_EQ(res->status, 400) << body;
    const json error = json::parse(res->body)["error"];
    return error.value("field", error["code"].get<std::string>());
  };
  EXPECT_EQ(field_of("{}"), "title");
  EXPECT_EQ(field_of(R"({"title": "   "})"), "title");
  EXPECT_EQ(field_of(R"({"title": 5})"), "title");
  EXPECT_EQ(field_of(json({{"title", std::string(201, 'x')}}).dump()), "title");
  EXPECT_EQ(field_of(R"({"title": "a\nb"})"), "title");
  EXPECT_EQ(field_of(R"({"title": "ok", "status": "ready"})"), "status");
  EXPECT_EQ(field_of("{nope"), "invalid_json");
  EXPECT_EQ(server_->Client().Patch(path, Jwt("ann"), R"({"title": "x"})", "text/plain")->status,
            415);
  auto put = server_->Client().Put(path, Jwt("ann"), R"({"title": "x"})", "application/json");
  EXPECT_EQ(put->status, 405);
  EXPECT_EQ(put->get_header_value("Allow"), "GET, PATCH, DELETE");
  EXPECT_EQ(
      server_->Client().Post("/api/v1/recordings", Jwt("ann"), "{}", "application/json")->status,
      405);
  // 200 characters (here 2-byte ones) are fine; the platform may rename too.
  const std::string long_title = [] {
    std::string s;
    for (int i = 0; i < 200; ++i)
      s += "é";
    return s;
  }();
  EXPECT_EQ(Patch(path, Jwt("ann"), json({{"title", long_title}}).dump())->status, 200);
  auto by_platform = Patch(path, server_->Auth(), R"({"title": "Cells"})");
  ASSERT_EQ(by_platform->status, 200);
  EXPECT_EQ(GetRecording(*server_, rid)["title"], "Cells");

  // Delete: the stored files and the rows go; the recording is gone for everyone.
  const fs::path stored = server_->data_dir() / "storage" / "recordings" / rid;
  ASSERT_TRUE(fs::exists(stored / "part-1.webm"));
  const fs::path db = server_->data_dir() / "ssr.db";
  ASSERT_EQ(CountRows(db, "SELECT COUNT(*) FROM recording_parts WHERE recording_id = ?", rid), 1);
  auto deleted = server_->Client().Delete(path, Jwt("ann"));
  ASSERT_EQ(deleted->status, 204) << deleted->body;
  EXPECT_FALSE(fs::exists(stored));
  EXPECT_TRUE(fs::exists(server_->data_dir() / "storage" / "recordings"));
  EXPECT_FALSE(fs::exists(server_->data_dir() / "live-parts" / rid));
  EXPECT_EQ(CountRows(db, "SELECT COUNT(*) FROM recordings WHERE id = ?", rid), 0);
  EXPECT_EQ(CountRows(db, "SELECT COUNT(*) FROM recording_parts WHERE recording_id = ?", rid), 0);
  EXPECT_EQ(CountRows(db, "SELECT COUNT(*) FROM recording_transitions WHERE recording_id = ?", rid),
            0);
  EXPECT_EQ(Get(path, server_->Auth())->status, 404);
  EXPECT_EQ(Get(path + "/parts/1/download", Jwt("ann"))->status, 404);
  EXPECT_EQ(server_->Client().Delete(path, Jwt("ann"))->status, 404);
  EXPECT_EQ(ListIds(Jwt("ann")), std::vector<std::string>{});
  EXPECT_EQ(json::parse(Get("/api/v1/me", Jwt("ann"))->body)["has_recordings"], false);
}

// M2: a student made co-host for a while, then demoted, keeps watching (any role held lets
// them see) but can no longer rename, delete or share the recording (managing follows the
// role now); promoted again, they manage again.
TEST_F(Library, ACohostDemotedToAttendeeWatchesButNoLongerManages) {
  Start();
  Classroom c(*server_, "bio", "Biology",
              {{"invitees", json::array({{{"user", "ann"}, {"role", "host"}}})}});
  c.StartHeartbeat();
  c.Join("h1", "host");
  c.Post({{"type", "participant.join"},
          {"id", "p-bob"},
          {"name", "Bob"},
          {"role", "attendee"},
          {"user", "bob"}});
  c.Post({{"type", "participant.role"}, {"id", "p-bob"}, {"role", "cohost"}});
  const std::string rid = RecordOnce(c);
  const std::string path = "/api/v1/recordings/" + rid;
  c.Post({{"type", "participant.role"}, {"id", "p-bob"}, {"role", "attendee"}});

  auto seen = Get(path, Jwt("bob"));
  ASSERT_EQ(seen->status, 200) << seen->body;
  EXPECT_EQ(Get(path + "/parts/1/download", Jwt("bob"))->status, 200);
  EXPECT_EQ(Patch(path, Jwt("bob"), R"({"title": "mine"})")->status, 403);
  EXPECT_EQ(Post(path + "/links", Jwt("bob"), json::object())->status, 403);
  EXPECT_EQ(Get(path + "/viewers", Jwt("bob"))->status, 403);
  auto refused = server_->Client().Delete(path, Jwt("bob"));
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(Code(refused), "forbidden");
  EXPECT_EQ(GetRecording(*server_, rid)["status"], "ready");

  c.Post({{"type", "participant.role"}, {"id", "p-bob"}, {"role", "cohost"}});
  EXPECT_EQ(Patch(path, Jwt("bob"), R"({"title": "Cells"})")->status, 200);
  c.StopHeartbeat();
}

// L7: attendees see a recording, not who asked for it nor its history; its hosts see both.
TEST_F(Library, WhoOnlyWatchesDoesNotSeeWhoAskedOrTheHistory) {
  Start();
  Classroom c(*server_, "chem", "Chemistry",
              {{"invitees", json::array({{{"user", "ann"}, {"role", "host"}},
                                         {{"user", "zed"}, {"role", "attendee"}}})}});
  c.StartHeartbeat();
  c.Join("h1", "host");
  const std::string rid = c.Start({{"requested_by", "ann"}})["id"];
  ASSERT_EQ(WaitStatus(*server_, rid, "recording", 8)["status"], "recording");
  Sleep(1);
  ASSERT_EQ(StopRecording(*server_, rid)->status, 200);
  ASSERT_EQ(WaitStatus(*server_, rid, "ready", 8)["status"], "ready");
  c.StopHeartbeat();
  const std::string path = "/api/v1/recordings/" + rid;

  auto host = Get(path, Jwt("ann"));
  ASSERT_EQ(host->status, 200) << host->body;
  const json full = json::parse(host->body);
  EXPECT_EQ(full["requested_by"], "ann");
  ASSERT_TRUE(full["transitions"].is_array());
  EXPECT_GE(full["transitions"].size(), 3u);

  // Shared with the attendees.
  auto sharing = Get(path + "/sharing", Jwt("ann"));
  ASSERT_EQ(sharing->status, 200) << sharing->body;
  httplib::Headers if_match = Jwt("ann");
  if_match.emplace("If-Match", sharing->get_header_value("ETag"));
  auto saved = server_->Client().Put(path + "/sharing", if_match,
                                     json{{"stream_by", {"attendees"}},
                                          {"download_by", json::array()},
                                          {"grants", json::array()},
                                          {"release_at", nullptr},
                                          {"release_timezone", "UTC"}}
                                         .dump(),
                                     "application/json");
  ASSERT_EQ(saved->status, 200) << saved->body;

  auto attendee = Get(path, Jwt("zed"));
  ASSERT_EQ(attendee->status, 200) << attendee->body;
  const json seen = json::parse(attendee->body);
  EXPECT_TRUE(seen["requested_by"].is_null()) << attendee->body;
  EXPECT_FALSE(seen.contains("transitions")) << attendee->body;
  EXPECT_EQ(seen["parts"].size(), full["parts"].size());
  EXPECT_EQ(seen["actions"], json::array({"watch"}));
}

// Roles survive a restart; sessions from before the role index (an upgrade, simulated by
// emptying its tables) are indexed at start from their invitees and events.jsonl.
TEST_F(Library, RolesOfEarlierSessionsAreFoundAfterARestart) {
  const TempDir data;
  Start({}, data);
  std::string rid;
  {
    Classroom c(*server_, "bio", "Biology",
                {{"invitees", json::array({{{"user", "ann"}, {"role", "host"}}})}});
    c.StartHeartbeat();
    c.Post({{"type", "participant.join"},
            {"id", "p-bob"},
            {"name", "Bob"},
            {"role", "cohost"},
            {"user", "bob"}});
    rid = RecordOnce(c);
  }
  ASSERT_EQ(server_->StopWith(SIGTERM), 0);
  Start({}, data);
  EXPECT_EQ(ListIds(Jwt("bob")), std::vector<std::string>{rid});
  ASSERT_EQ(server_->StopWith(SIGTERM), 0);
  Exec(data / "ssr.db", "DELETE FROM session_roles; DELETE FROM session_participants; "
                        "DELETE FROM session_roles_indexed;");
  Start({}, data);
  EXPECT_EQ(ListIds(Jwt("ann")), std::vector<std::string>{rid});
  EXPECT_EQ(ListIds(Jwt("bob")), std::vector<std::string>{rid});
  EXPECT_EQ(ListIds(Jwt("eve")), std::vector<std::string>{});
  EXPECT_THAT(server_->Log(), HasSubstr("roles of 1 earlier session(s) indexed"));
  server_.reset();
}

} // namespace
} // namespace ssr::test
