#include "library/account_store.h"

#include "../../support/temp_dir.h"
#include "../../support/test_database.h"
#include <gmock/gmock.h>

#include <gtest/gtest.h>

namespace ssr::library {
namespace {

namespace fs = std::filesystem;

std::string FieldOf(AccountStore& store, const NewAccount& a) {
  try {
    store.Create(a);
  } catch (const AccountError& e) {
    return e.field();
  }
  return "created";
}

TEST(AccountStore, CreatesAndChecksPasswordsWithTheSameAnswerForBadEmailAndPassword) {
  const test::TempDir dir;
  store::Database store_db(ssr::test::TestDatabase(dir / "create.db"));
  AccountStore store(store_db);
  const Account ann = store.Create({"ann", "  Ann@Example.ORG ", " Ann Lee ", "correct horse"});
  EXPECT_EQ(ann.email, "ann@example.org");
  EXPECT_EQ(ann.name, "Ann Lee");
  const auto ok = store.CheckPassword("ANN@example.org", "correct horse");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->id, "ann");
  EXPECT_FALSE(store.CheckPassword("ann@example.org", "wrong horse"));
  EXPECT_FALSE(store.CheckPassword("nobody@example.org", "correct horse"));
  // A random id when none is given.
  EXPECT_FALSE(store.Create({"", "bob@example.org", "Bob", "password-b"}).id.empty());
}

TEST(AccountStore, RefusesBadFieldsAndTakenIdsOrEmails) {
  const test::TempDir dir;
  store::Database store_db(ssr::test::TestDatabase(dir / "refuse.db"));
  AccountStore store(store_db);
  store.Create({"ann", "ann@example.org", "Ann", "password-a"});
  EXPECT_EQ(FieldOf(store, {"x", "not-an-email", "X", "password-x"}), "email");
  EXPECT_EQ(FieldOf(store, {"x", "x@example.org", "   ", "password-x"}), "name");
  EXPECT_EQ(FieldOf(store, {"x", "x@example.org", "X", "short"}), "password");
  EXPECT_EQ(FieldOf(store, {"has space", "x@example.org", "X", "password-x"}), "id");
  EXPECT_EQ(FieldOf(store, {"ann", "x@example.org", "X", "password-x"}), "id");
  EXPECT_EQ(FieldOf(store, {"x", "ANN@example.org", "X", "password-x"}), "email");
}

TEST(AccountStore, LoginSessionsExpireAndClose) {
  const test::TempDir dir;
  store::Database store_db(ssr::test::TestDatabase(dir / "sessions.db"));
  AccountStore store(store_db);
  store.Create({"ann", "ann@example.org", "Ann", "password-a"});
  const std::string token = store.OpenLoginSession("ann", 1000, 0);
  EXPECT_EQ(token.size(), 43u);
  ASSERT_TRUE(store.FindLoginSession(token, 999));
  EXPECT_EQ(store.FindLoginSession(token, 999)->id, "ann");
  EXPECT_FALSE(store.FindLoginSession(token, 1000)); // expired, and removed
  EXPECT_FALSE(store.FindLoginSession(token, 0));
  EXPECT_FALSE(store.FindLoginSession("made-up", 0));
  const std::string second = store.OpenLoginSession("ann", 1000, 0);
  store.CloseLoginSession(second);
  EXPECT_FALSE(store.FindLoginSession(second, 1));
}

} // namespace
} // namespace ssr::library
