// store::Database on whichever engine the tier runs (test::TestDatabase: a SQLite file, or a
// database on the postgres tier's server): what the stores rely on reads the same on both.

#include "../../support/test_database.h"
#include "store/database.h"

#include "store_test_db.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace ssr::store {
namespace {

TEST(StoreEngine, ValuesComeBackAsTheyWentIn) {
  Database db(test::TestDatabase(FreshDbPath("values")));
  db.Exec("CREATE TABLE v (i INTEGER, r REAL, t TEXT, n INTEGER);");
  const int64_t big = std::numeric_limits<int64_t>::max();
  const double unix_s = 1796640000.123456; // a REAL of Unix seconds keeps its microseconds
  const std::string text = "it's \"quoted\", ? and ünïcode ✓";
  Statement(db, "INSERT INTO v (i, r, t, n) VALUES (?, ?, ?, ?);")
      .Bind(1, big)
      .Bind(2, unix_s)
      .Bind(3, text)
      .BindNull(4)
      .Run();
  Statement read(db, "SELECT i, r, t, n, i = ?, r > 0 FROM v;");
  read.Bind(1, big);
  ASSERT_TRUE(read.Step());
  EXPECT_EQ(read.Int(0), big);
  EXPECT_DOUBLE_EQ(read.Real(1), unix_s);
  EXPECT_EQ(read.Text(2), text);
  EXPECT_TRUE(read.IsNull(3));
  EXPECT_FALSE(read.IsNull(0));
  EXPECT_EQ(read.Int(4), 1); // a comparison reads as 1 or 0 on both engines
  EXPECT_EQ(read.Text(5), "1");
  EXPECT_EQ(read.Columns(), 6);
  EXPECT_FALSE(read.Step());
}

TEST(StoreEngine, AutoincrementIdsAndReturningWork) {
  Database db(test::TestDatabase(FreshDbPath("ids")));
  db.Exec("CREATE TABLE q (seq INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL);");
  for (const char* user : {"ann", "bob"}) {
    Statement insert(db, "INSERT INTO q (user) VALUES (?) RETURNING seq;");
    insert.Bind(1, std::string(user));
    ASSERT_TRUE(insert.Step());
    EXPECT_EQ(insert.Int(0), user[0] == 'a' ? 1 : 2);
  }
  Statement find(db, "SELECT seq FROM q WHERE user = ?1 OR lower(user) = ?1;");
  find.Bind(1, std::string("bob"));
  ASSERT_TRUE(find.Step());
  EXPECT_EQ(find.Int(0), 2);
}

TEST(StoreEngine, ARolledBackTransactionLeavesNothingAndASavepointUndoesOnlyItsPart) {
  Database db(test::TestDatabase(FreshDbPath("tx")));
  db.Exec("CREATE TABLE k (id TEXT PRIMARY KEY);");
  {
    Transaction outer(db);
    Statement(db, "INSERT INTO k (id) VALUES ('kept');").Run();
    {
      Transaction inner(db);
      Statement(db, "INSERT INTO k (id) VALUES ('undone');").Run();
    } // not committed: rolled back to its savepoint
    outer.Commit();
  }
  {
    Transaction dropped(db);
    Statement(db, "INSERT INTO k (id) VALUES ('dropped');").Run();
  }
  Statement count(db, "SELECT COUNT(*), MIN(id) FROM k;");
  ASSERT_TRUE(count.Step());
  EXPECT_EQ(count.Int(0), 1);
  EXPECT_EQ(count.Text(1), "kept");
}

TEST(StoreEngine, AFailingStatementSaysWhyAndTheConnectionGoesOn) {
  Database db(test::TestDatabase(FreshDbPath("errors")));
  db.Exec("CREATE TABLE u (id TEXT PRIMARY KEY);");
  Statement(db, "INSERT INTO u (id) VALUES ('a');").Run();
  try {
    Statement(db, "INSERT INTO u (id) VALUES ('a');").Run();
    FAIL() << "a duplicate key was accepted";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find(test::TestOnPostgres() ? "postgresql:" : "sqlite:"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(Statement(db, "SELECT nothing FROM nowhere;").Step(), StoreError);
  Statement count(db, "SELECT COUNT(*) FROM u;");
  ASSERT_TRUE(count.Step());
  EXPECT_EQ(count.Int(0), 1);
}

// A database server that restarts (or an administrator ending the session) costs the
// statement that was running, not the connection: the next one connects again.
TEST(StoreEngine, ALostConnectionIsOpenedAgainForTheNextStatement) {
  Database db(test::TestDatabase(FreshDbPath("reconnect")));
  db.Exec("CREATE TABLE r (id TEXT PRIMARY KEY);");
  Statement(db, "INSERT INTO r (id) VALUES ('before');").Run();
  if (test::TestOnPostgres()) {
    int64_t backend = 0;
    {
      Statement pid(db, "SELECT pg_backend_pid();");
      ASSERT_TRUE(pid.Step());
      backend = pid.Int(0);
    }
    Database admin(test::TestDatabase(FreshDbPath("reconnect-admin")));
    {
      Statement end(admin, "SELECT pg_terminate_backend(?);");
      end.Bind(1, backend);
      ASSERT_TRUE(end.Step());
      ASSERT_EQ(end.Int(0), 1);
    }
    // The statement that finds the connection gone fails, saying so.
    EXPECT_THROW(Statement(db, "INSERT INTO r (id) VALUES ('lost');").Run(), StoreError);
  }
  Statement(db, "INSERT INTO r (id) VALUES ('after');").Run();
  Statement count(db, "SELECT COUNT(*) FROM r WHERE id IN ('before', 'after');");
  ASSERT_TRUE(count.Step());
  EXPECT_EQ(count.Int(0), 2);
}

TEST(StoreEngine, AServerThatDoesNotAnswerIsNamedWithoutItsPassword) {
  try {
    Database db("postgresql://ssr:secret-pw@127.0.0.1:1/ssr?connect_timeout=2");
    FAIL() << "connected to a closed port";
  } catch (const StoreError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("cannot open database postgresql://ssr:***@127.0.0.1:1/ssr"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find("secret-pw"), std::string::npos) << message;
  }
}

} // namespace
} // namespace ssr::store
