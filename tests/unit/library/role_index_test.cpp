#include "library/role_index.h"

#include "events/event_parser.h"

#include "../../support/temp_dir.h"
#include "../../support/test_database.h"

#include <fstream>
#include <gtest/gtest.h>

namespace ssr::library {
namespace {

namespace fs = std::filesystem;
using events::Role;
using events::Roles;
using nlohmann::json;

events::Event Join(double t, const std::string& id, const std::string& role,
                   const std::string& user = "") {
  json e = {{"t", t}, {"type", "participant.join"}, {"id", id}, {"name", id}, {"role", role}};
  if (!user.empty())
    e["user"] = user;
  return events::ParseEvent(e);
}

Caller User(const std::string& id, const std::string& email = "") {
  return Caller::User(id, "", email);
}

TEST(RoleIndex, RolesComeFromInviteesAndFromJoinsWithAUser) {
  const test::TempDir dir;
  store::Database index_db(ssr::test::TestDatabase(dir / "sources.db"));
  RoleIndex index(index_db);
  index.AddInvitees("bio", json::array({{{"user", "ann"}, {"role", "host"}},
                                        {{"user", "bob"}, {"role", "attendee"}}}));
  index.AddEvents("bio", {Join(1, "p1", "cohost", "cat"), Join(2, "p2", "attendee"),
                          Join(3, "p3", "presenter", "bob")});
  EXPECT_EQ(index.RolesOf("bio", User("ann")), Roles{Role::kHost});
  EXPECT_EQ(index.RolesOf("bio", User("cat")), Roles{Role::kCohost});
  EXPECT_EQ(index.RolesOf("bio", User("bob")), (Roles{Role::kPresenter, Role::kAttendee}));
  EXPECT_TRUE(index.RolesOf("bio", User("dan")).empty());
  EXPECT_TRUE(index.RolesOf("chem", User("ann")).empty()); // another session
  EXPECT_TRUE(index.RolesOf("bio", Caller::Platform()).empty());
}

TEST(RoleIndex, ARoleChangeCountsForTheParticipantsUserAndRolesAreKept) {
  const test::TempDir dir;
  store::Database index_db(ssr::test::TestDatabase(dir / "changes.db"));
  RoleIndex index(index_db);
  index.AddEvents(
      "bio", {Join(1, "p1", "attendee", "eve"),
              events::ParseEvent(
                  {{"t", 2}, {"type", "participant.role"}, {"id", "p1"}, {"role", "cohost"}}),
              events::ParseEvent(
                  {{"t", 3}, {"type", "participant.role"}, {"id", "p1"}, {"role", "attendee"}}),
              // A participant without a user: nobody to credit.
              events::ParseEvent(
                  {{"t", 4}, {"type", "participant.role"}, {"id", "zz"}, {"role", "host"}})});
  EXPECT_EQ(index.RolesOf("bio", User("eve")), (Roles{Role::kCohost, Role::kAttendee}));
}

TEST(RoleIndex, TheLatestRoleIsTheLastEventsElseTheInvites) {
  const test::TempDir dir;
  store::Database index_db(ssr::test::TestDatabase(dir / "latest.db"));
  RoleIndex index(index_db);
  index.AddInvitees("bio", json::array({{{"user", "ann"}, {"role", "host"}},
                                        {{"user", "bob"}, {"role", "attendee"}}}));
  EXPECT_EQ(index.LatestRole("bio", User("ann")), Role::kHost);
  auto role = [](double t, const std::string& id, const std::string& r) {
    return events::ParseEvent({{"t", t}, {"type", "participant.role"}, {"id", id}, {"role", r}});
  };
  // Ann joins as a host, is made an attendee, then a host again; Bob is promoted.
  index.AddEvents("bio", {Join(1, "p1", "host", "ann"), role(2, "p1", "attendee"),
                          Join(3, "p2", "attendee", "Bob@Example.org")});
  EXPECT_EQ(index.LatestRole("bio", User("ann")), Role::kAttendee);
  index.AddEvents("bio", {role(4, "p1", "host"), role(5, "p2", "cohost")});
  EXPECT_EQ(index.LatestRole("bio", User("ann")), Role::kHost);
  EXPECT_EQ(index.LatestRole("bio", User("u9", "bob@example.org")), Role::kCohost);
  EXPECT_EQ(index.LatestRole("bio", User("bob")), Role::kAttendee); // the invite's
  EXPECT_EQ(index.LatestRole("bio", User("dan")), std::nullopt);
  EXPECT_EQ(index.LatestRole("bio", Caller::Platform()), std::nullopt);
  EXPECT_EQ(index.ParticipantIdsOf("bio", User("ann")), std::vector<std::string>{"p1"});
  EXPECT_EQ(index.ParticipantIdsOf("bio", User("u9", "bob@example.org")),
            std::vector<std::string>{"p2"});
  EXPECT_TRUE(index.ParticipantIdsOf("chem", User("ann")).empty());
}

TEST(RoleIndex, AUserIsMatchedByIdOrByEmailIgnoringCase) {
  const test::TempDir dir;
  store::Database index_db(ssr::test::TestDatabase(dir / "email.db"));
  RoleIndex index(index_db);
  index.AddInvitees("bio", json::array({{{"user", "Ann@Example.org"}, {"role", "host"}}}));
  index.AddInvitees("chem", json::array({{{"user", "u-ann"}, {"role", "cohost"}}}));
  const Caller ann = User("u-ann", "ann@example.org");
  EXPECT_EQ(index.RolesOf("bio", ann), Roles{Role::kHost});
  const auto sessions = index.SessionsOf(ann);
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions.at("chem"), Roles{Role::kCohost});
  // No e-mail: no match on the empty string.
  EXPECT_TRUE(index.SessionsOf(User("nobody")).empty());
}

TEST(RoleIndex, SurvivesAReopen) {
  const test::TempDir dir;
  const fs::path db = dir / "reopen.db";
  {
    store::Database first(ssr::test::TestDatabase(db));
    RoleIndex(first).AddInvitees("bio", json::array({{{"user", "ann"}, {"role", "host"}}}));
  }
  store::Database reopened(ssr::test::TestDatabase(db));
  EXPECT_EQ(RoleIndex(reopened).RolesOf("bio", User("ann")), Roles{Role::kHost});
}

TEST(RoleIndex, SessionsFromBeforeTheIndexAreIndexedOnceFromTheirInviteesAndEventLog) {
  const test::TempDir dir;
  const fs::path db = dir / "ssr.db";
  const fs::path sessions = db.parent_path() / "sessions";
  fs::create_directories(sessions / "old");
  fs::create_directories(sessions / "new");
  std::ofstream(sessions / "old" / "events.jsonl")
      << R"({"t": 0, "type": "participant.join", "id": "p1", "name": "B", "role": "attendee", "user": "bob"})"
      << "\n"
      << R"({"t": 1, "type": "chat.message", "from": "p1", "text": "participant.join"})"
      << "\n"
      << R"({"t": 2, "type": "participant.role", "id": "p1", "role": "cohost"})"
      << "\n"
      << R"({"t": 3, "type": "participant.jo)"; // a torn last line
  store::Database index_db(ssr::test::TestDatabase(db));
  RoleIndex index(index_db);
  index.AddInvitees("new", json::array()); // created with the index: not read again
  std::vector<std::string> asked;
  auto invitees_of = [&](const std::string& id) {
    asked.push_back(id);
    return json::array({{{"user", "ann"}, {"role", "host"}}});
  };
  EXPECT_EQ(IndexExistingSessions(index, sessions, invitees_of), 1u);
  EXPECT_EQ(asked, std::vector<std::string>{"old"});
  EXPECT_EQ(index.RolesOf("old", User("bob")), (Roles{Role::kAttendee, Role::kCohost}));
  EXPECT_EQ(index.RolesOf("old", User("ann")), Roles{Role::kHost});
  EXPECT_EQ(IndexExistingSessions(index, sessions, invitees_of), 0u); // once
}

TEST(RoleIndex, MembersHaveTheirNameAndLatestRoleAndInvitesDoNotOverrideEvents) {
  const test::TempDir dir;
  store::Database index_db(ssr::test::TestDatabase(dir / "members.db"));
  RoleIndex index(index_db);
  index.AddEvents("bio", {Join(1, "p1", "presenter", "bob"), Join(2, "p2", "attendee")});
  index.AddInvitees("bio", json::array({{{"user", "bob"}, {"role", "attendee"}},
                                        {{"user", "Ann@Example.org"}, {"role", "host"}}}));
  std::vector<Member> members = index.Members("bio");
  ASSERT_EQ(members.size(), 2u); // p2 has no user
  EXPECT_EQ(members[0].user, "Ann@Example.org");
  EXPECT_EQ(members[0].name, "");
  EXPECT_EQ(members[0].role, Role::kHost);
  EXPECT_EQ(members[1].user, "bob");
  EXPECT_EQ(members[1].name, "p1");
  EXPECT_EQ(members[1].role, Role::kPresenter); // the event came first: the invite is older
  index.AddEvents(
      "bio", {events::ParseEvent(
                 json{{"t", 3}, {"type", "participant.role"}, {"id", "p1"}, {"role", "cohost"}})});
  EXPECT_EQ(index.LatestRole("bio", User("bob")), Role::kCohost);
  EXPECT_EQ(index.LatestRole("bio", User("someone", "ann@example.org")), Role::kHost);
  EXPECT_EQ(index.LatestRole("bio", User("dan")), std::nullopt);
  EXPECT_EQ(index.LatestRole("bio", Caller::Platform()), std::nullopt);
  EXPECT_EQ(index.Members("chem").size(), 0u);
}

} // namespace
} // namespace ssr::library
