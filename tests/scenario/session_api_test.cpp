// A session and its participants through the real `ssr serve`: GET /api/v1/sessions/{sid}
// for the platform and anyone with a role in it (which role, whether they may record), the
// participants for the platform, hosts and co-hosts (names from participant.join, latest
// roles), 404 for everyone else; and an ssr.db from before the participants' names migrates.

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

const std::string kJwtSecret = "scenario-jwt-secret-0123456789abcdef";

class SessionApi : public ::testing::Test {
 protected:
  void Start(const fs::path& data_dir = {}) {
    auto env = ControlEnv();
    env["SSR_JWT_SECRET"] = kJwtSecret;
    server_ = std::make_unique<ServeProcess>(env, data_dir);
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
  // {user: [name, role]} of GET .../participants as `who`.
  std::map<std::string, std::pair<std::string, std::string>> People(const std::string& sid,
                                                                    const httplib::Headers& who) {
    auto res = Get("/api/v1/sessions/" + sid + "/participants", who);
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    std::map<std::string, std::pair<std::string, std::string>> people;
    if (!res || res->status != 200)
      return people;
    const json body = json::parse(res->body);
    for (const json& p : body["participants"]) {
      people[p["user"]] = {p["name"], p["role"]};
    }
    return people;
  }
  // A session: hana hosts, carl co-hosts, ann attends (invited); pia joins as a presenter
  // with her e-mail, hana joins with her name, a guest joins with no user.
  void MakeClass() {
    auto created = server_->CreateSession(
        {{"id", "bio"},
         {"title", "Biology"},
         {"timezone", "Europe/Paris"},
         {"invitees", json::array({{{"user", "hana"}, {"role", "host"}},
                                   {{"user", "carl"}, {"role", "cohost"}},
                                   {{"user", "ann"}, {"role", "attendee"}}})}});
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 201) << created->body;
    location_ = created->get_header_value("Location");
    auto events = server_->PostEvents("bio", json::array({{{"t", 0.0},
                                                           {"type", "participant.join"},
                                                           {"id", "p1"},
                                                           {"name", "Hana Host"},
                                                           {"role", "host"},
                                                           {"user", "hana"}},
                                                          {{"t", 0.5},
                                                           {"type", "participant.join"},
                                                           {"id", "p2"},
                                                           {"name", "Pia Presenter"},
                                                           {"role", "presenter"},
                                                           {"user", "pia@example.org"}},
                                                          {{"t", 0.7},
                                                           {"type", "participant.join"},
                                                           {"id", "p3"},
                                                           {"name", "Guest"},
                                                           {"role", "attendee"}}}));
    ASSERT_TRUE(events);
    ASSERT_EQ(events->status, 202) << events->body;
  }

  std::unique_ptr<ServeProcess> server_;
  std::string location_;
};

TEST_F(SessionApi, ASessionIsReadByThePlatformAndItsMembersOnly) {
  Start();
  MakeClass();
  // The Location of POST /api/v1/sessions resolves.
  ASSERT_EQ(location_, "/api/v1/sessions/bio");
  auto platform = Get(location_, server_->Auth());
  ASSERT_TRUE(platform);
  ASSERT_EQ(platform->status, 200) << platform->body;
  const json s = json::parse(platform->body);
  EXPECT_EQ(s["id"], "bio");
  EXPECT_EQ(s["title"], "Biology");
  EXPECT_EQ(s["timezone"], "Europe/Paris");
  EXPECT_TRUE(s["created_at"].is_string());
  EXPECT_EQ(s["ended"], false);
  EXPECT_EQ(s["your_role"], "platform");
  EXPECT_EQ(s["can_record"], true);
  // One server records its sessions itself: it names itself as their worker, and says where
  // their media goes.
  const std::string url = server_->BaseUrl();
  EXPECT_EQ(s["worker"], json({{"id", "local"}, {"url", url}}));
  EXPECT_EQ(s["ingest"], json({{"whip_url", url + "/whip/bio"},
                               {"rtp_url", url + "/api/v1/sessions/bio/tracks/{track}/rtp"}}));
  auto workers = Get("/api/v1/workers", server_->Auth());
  ASSERT_EQ(workers->status, 200) << workers->body;
  const json local = json::parse(workers->body)["workers"];
  ASSERT_EQ(local.size(), 1u) << local;
  EXPECT_EQ(local[0]["id"], "local");
  EXPECT_EQ(local[0]["state"], "active");
  EXPECT_GT(local[0]["capacity"].get<int>(), 0);
  EXPECT_EQ(Get("/api/v1/workers", Jwt("hana"))->status, 401);

  const std::vector<std::tuple<httplib::Headers, std::string, bool>> members = {
      {Jwt("hana"), "host", true},
      {Jwt("carl"), "cohost", true},
      {Jwt("ann"), "attendee", false},
      {Jwt("someone", "PIA@example.org"), "presenter", false}}; // matched by e-mail
  for (const auto& [who, role, can_record] : members) {
    auto res = Get(location_, who);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << role << ": " << res->body;
    EXPECT_EQ(json::parse(res->body)["your_role"], role);
    EXPECT_EQ(json::parse(res->body)["can_record"], can_record) << role;
    EXPECT_FALSE(json::parse(res->body).contains("worker")) << "the platform's to know";
  }
  // Strangers and unknown sessions alike: 404; nobody: 401; reading (and the platform's
  // DELETE) only: 405.
  EXPECT_EQ(Get(location_, Jwt("stranger"))->status, 404);
  EXPECT_EQ(Get("/api/v1/sessions/nope", server_->Auth())->status, 404);
  EXPECT_EQ(Get("/api/v1/sessions/bad%20id", server_->Auth())->status, 404);
  EXPECT_EQ(Get(location_, {})->status, 401);
  auto put = server_->Client().Put(location_, server_->Auth(), "{}", "application/json");
  EXPECT_EQ(put->status, 405);
  EXPECT_EQ(put->get_header_value("Allow"), "GET, DELETE");

  // The latest role counts: ann made a co-host may record; the end of the class shows.
  ASSERT_EQ(
      server_
          ->PostEvents(
              "bio",
              json::array(
                  {{{"t", 1.0},
                    {"type", "participant.join"},
                    {"id", "p4"},
                    {"name", "Ann"},
                    {"role", "attendee"},
                    {"user", "ann"}},
                   {{"t", 1.5}, {"type", "participant.role"}, {"id", "p4"}, {"role", "cohost"}},
                   {{"t", 2.0}, {"type", "session.end"}}}))
          ->status,
      202);
  const json ann = json::parse(Get(location_, Jwt("ann"))->body);
  EXPECT_EQ(ann["your_role"], "cohost");
  EXPECT_EQ(ann["can_record"], true);
  EXPECT_EQ(json::parse(Get(location_, server_->Auth())->body)["ended"], true);
}

TEST_F(SessionApi, ParticipantsAreListedForThoseWhoRunTheSession) {
  Start();
  MakeClass();
  const auto people = People("bio", server_->Auth());
  ASSERT_EQ(people.size(), 4u); // the guest without a user is not someone to share with
  EXPECT_EQ(people.at("hana"), std::make_pair(std::string("Hana Host"), std::string("host")));
  EXPECT_EQ(people.at("carl"), std::make_pair(std::string(""), std::string("cohost")));
  EXPECT_EQ(people.at("ann"), std::make_pair(std::string(""), std::string("attendee")));
  EXPECT_EQ(people.at("pia@example.org"),
            std::make_pair(std::string("Pia Presenter"), std::string("presenter")));
  EXPECT_EQ(People("bio", Jwt("hana")), people);
  EXPECT_EQ(People("bio", Jwt("carl")), people);
  for (const std::string who : {"ann", "stranger"}) {
    auto res = Get("/api/v1/sessions/bio/participants", Jwt(who));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404) << who;
  }
  EXPECT_EQ(Get("/api/v1/sessions/bio/participants", Jwt("someone", "pia@example.org"))->status,
            404);
  EXPECT_EQ(Get("/api/v1/sessions/bio/participants", {})->status, 401);
  EXPECT_EQ(Get("/api/v1/sessions/nope/participants", server_->Auth())->status, 404);

  // A role change is the latest role; a name given later is kept.
  ASSERT_EQ(
      server_
          ->PostEvents(
              "bio",
              json::array(
                  {{{"t", 3.0}, {"type", "participant.role"}, {"id", "p2"}, {"role", "cohost"}},
                   {{"t", 3.5},
                    {"type", "participant.join"},
                    {"id", "p5"},
                    {"name", "Carl C."},
                    {"role", "cohost"},
                    {"user", "carl"}}}))
          ->status,
      202);
  const auto after = People("bio", server_->Auth());
  EXPECT_EQ(after.at("pia@example.org").second, "cohost");
  EXPECT_EQ(after.at("carl").first, "Carl C.");
  EXPECT_EQ(People("bio", Jwt("someone", "pia@example.org")).size(), 4u);
}

TEST_F(SessionApi, AnEarlierDatabaseGetsItsParticipantsNamesAtStart) {
  Start();
  MakeClass();
  const fs::path data = server_->data_dir();
  const fs::path kept =
      data.parent_path().parent_path() / (data.parent_path().filename().string() + "-kept");
  ASSERT_EQ(server_->StopWith(SIGTERM), 0);
  fs::copy(data, kept, fs::copy_options::recursive);
  CopyTestDatabase(data / "ssr.db", kept / "ssr.db");
  // The database as the version before session_members wrote it.
  Exec(kept / "ssr.db",
       "DROP TABLE session_members; DELETE FROM schema_migrations WHERE id = 'library-3';");
  server_.reset();
  Start(kept);
  const auto people = People("bio", server_->Auth());
  EXPECT_EQ(people.size(), 4u);
  EXPECT_EQ(people.at("hana").first, "Hana Host");
  EXPECT_EQ(people.at("pia@example.org").second, "presenter");
  EXPECT_EQ(json::parse(Get("/api/v1/sessions/bio", Jwt("hana"))->body)["your_role"], "host");
  EXPECT_THAT(server_->Log(), HasSubstr("earlier session"));
  server_.reset();
  fs::remove_all(kept);
}

} // namespace
} // namespace ssr::test
