// store::SessionStore on a real SQLite file: create, find, count, the id conflict, and the
// one sessions table it shares with recording control (control::RecordingStore).

#include "../../support/test_database.h"
#include "store/session_store.h"

#include "control/recording_store.h"
#include "store_test_db.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace ssr::store {
namespace {

SessionRecord Bio() {
  SessionRecord s;
  s.id = "bio";
  s.title = "Biology";
  s.timezone = "Europe/Berlin";
  s.autostart = true;
  s.invitees = nlohmann::json::array({{{"user", "ann"}, {"role", "host"}}});
  s.ingest_token_hash = "hash-of-token";
  return s;
}

TEST(SessionStore, CreatesFindsAndCountsSessions) {
  Database db(ssr::test::TestDatabase(FreshDbPath("create")));
  SessionStore sessions(db);
  EXPECT_EQ(sessions.Count(), 0);
  EXPECT_FALSE(sessions.Find("bio"));
  ASSERT_TRUE(sessions.Create(Bio()));
  const auto found = sessions.Find("bio");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->title, "Biology");
  EXPECT_EQ(found->timezone, "Europe/Berlin");
  EXPECT_TRUE(found->autostart);
  EXPECT_EQ(found->invitees, Bio().invitees);
  EXPECT_EQ(found->ingest_token_hash, "hash-of-token");
  EXPECT_EQ(found->created_at.size(), 20u) << found->created_at; // 2026-12-06T11:00:00Z
  EXPECT_EQ(sessions.Count(), 1);
}

TEST(SessionStore, ASecondSessionWithTheSameIdIsRefusedAndChangesNothing) {
  Database db(ssr::test::TestDatabase(FreshDbPath("conflict")));
  SessionStore sessions(db);
  ASSERT_TRUE(sessions.Create(Bio()));
  SessionRecord other = Bio();
  other.title = "Other";
  EXPECT_FALSE(sessions.Create(other));
  EXPECT_EQ(sessions.Find("bio")->title, "Biology");
  EXPECT_EQ(sessions.Count(), 1);
}

TEST(SessionStore, OneRowHoldsThePlatformsAndRecordingControlsViewOfASession) {
  Database db(ssr::test::TestDatabase(FreshDbPath("one_row")));
  SessionStore sessions(db);
  control::RecordingStore control(db);
  SessionRecord chem = Bio();
  chem.id = "chem";
  chem.autostart = false;
  ASSERT_TRUE(sessions.Create(chem));
  // Control sees the platform's session at once, with no override of the organization's
  // autostart (false on the platform means "the organization decides").
  auto row = control.FindSession("chem");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->title, "Biology");
  EXPECT_FALSE(row->autostart);
  EXPECT_FALSE(row->started);
  row->autostart = true;
  row->started = true;
  row->start_wall_s = 1796000000.5;
  control.SaveSession(*row);
  // Control's save keeps the platform's columns; the platform sees the override.
  const auto found = sessions.Find("chem");
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->autostart);
  EXPECT_EQ(found->ingest_token_hash, "hash-of-token");
  EXPECT_EQ(found->invitees, Bio().invitees);
  EXPECT_EQ(control.FindSession("chem")->start_wall_s, 1796000000.5);
  EXPECT_EQ(sessions.Count(), 1);
}

TEST(SessionStore, ThreadsSharingTheConnectionDoNotInterleaveTransactions) {
  Database db(ssr::test::TestDatabase(FreshDbPath("threads")));
  SessionStore sessions(db);
  control::RecordingStore control(db);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        SessionRecord s = Bio();
        s.id = "s" + std::to_string(t) + "-" + std::to_string(i);
        EXPECT_TRUE(sessions.Create(s));
        // A transaction (recording + transition) racing the other threads' statements.
        control::Recording r;
        r.id = "r" + s.id;
        r.session_id = s.id;
        r.title = "R";
        r.created_at = "2026-12-06T11:00:00.000Z";
        control.SaveTransition(r, {r.id, "initializing", "recording", r.created_at, "test"});
      }
    });
  }
  for (std::thread& t : threads)
    t.join();
  EXPECT_EQ(sessions.Count(), 100);
  EXPECT_EQ(control.AllRecordings().size(), 100u);
  EXPECT_EQ(control.Transitions("rs3-24").size(), 1u);
}

TEST(Transaction, ANestedTransactionIsASavepointOfTheOuterOne) {
  Database db(ssr::test::TestDatabase(FreshDbPath("nested")));
  SessionStore sessions(db);
  {
    Transaction outer(db);
    SessionRecord a = Bio();
    a.id = "a";
    sessions.Create(a);
    {
      Transaction inner(db);
      SessionRecord b = Bio();
      b.id = "b";
      sessions.Create(b);
      // not committed: only b goes
    }
    outer.Commit();
  }
  EXPECT_TRUE(sessions.Find("a"));
  EXPECT_FALSE(sessions.Find("b"));
  {
    Transaction outer(db);
    SessionRecord c = Bio();
    c.id = "c";
    sessions.Create(c);
  } // rolled back
  EXPECT_FALSE(sessions.Find("c"));
}

} // namespace
} // namespace ssr::store
