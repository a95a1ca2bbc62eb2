// The schema registry (store/schemas.h) on real SQLite files: a fresh database gets every
// migration once; a database written by the release before the registry (tests/fixtures/
// ssr-db-v0.db, see tests/fixtures/README.md) is adopted and keeps every row; a database a
// newer ssr migrated is refused with an error that says so.

#include "store/schemas.h"

#include "control/recording_store.h"
#include "library/account_store.h"
#include "library/role_index.h"
#include "library/sharing_store.h"
#include "library/watch_store.h"
#include "notify/webhook_outbox.h"
#include "store/session_store.h"
#include "store_test_db.h"

#include <gtest/gtest.h>

#include <set>

namespace ssr::store {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> RegistryIds() {
  std::vector<std::string> ids;
  for (const Migration& m : Schemas())
    ids.push_back(m.id);
  return ids;
}

// Every table's and index's SQL, to see that a second open changes nothing.
std::string SchemaText(Database& db) {
  std::string text;
  Statement s(db, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name;");
  while (s.Step())
    text += s.Text(0) + " " + s.Text(1) + ": " + s.Text(2) + "\n";
  return text;
}

fs::path LegacyCopy(const std::string& name) {
  const fs::path db = FreshDbPath(name);
  fs::copy_file(fs::path(SSR_SOURCE_DIR) / "tests/fixtures/ssr-db-v0.db", db);
  return db;
}

TEST(Schemas, IdsAreUniqueAndNameTheirFeature) {
  std::set<std::string> seen;
  for (const Migration& m : Schemas()) {
    const std::string id = m.id;
    EXPECT_TRUE(seen.insert(id).second) << id << " twice";
    const auto dash = id.rfind('-');
    ASSERT_NE(dash, std::string::npos) << id;
    EXPECT_GT(std::stoi(id.substr(dash + 1)), 0) << id;
  }
}

TEST(Schemas, AFreshDatabaseGetsEveryMigrationOnceAndASecondOpenChangesNothing) {
  const fs::path path = FreshDbPath("fresh");
  std::string schema;
  {
    Database db(path);
    EXPECT_EQ(AppliedMigrations(db), RegistryIds());
    schema = SchemaText(db);
    EXPECT_NE(schema.find("table sessions:"), std::string::npos);
    EXPECT_EQ(schema.find("control_sessions"), std::string::npos) << "merged into sessions";
    EXPECT_EQ(schema.find("_schema:"), std::string::npos) << "no version tables";
  }
  Database again(path);
  EXPECT_EQ(AppliedMigrations(again), RegistryIds());
  EXPECT_EQ(SchemaText(again), schema);
}

TEST(Schemas, ADatabaseFromBeforeTheRegistryIsAdoptedAndKeepsItsRows) {
  const fs::path path = LegacyCopy("legacy");
  Database db(path);
  EXPECT_EQ(AppliedMigrations(db), RegistryIds());
  EXPECT_EQ(QueryText(db, "PRAGMA user_version;"), "0");
  EXPECT_EQ(QueryText(db, "SELECT name FROM sqlite_master WHERE name LIKE '%_schema' OR "
                          "name = 'control_sessions';"),
            "");
  SessionStore sessions(db);
  EXPECT_EQ(sessions.Count(), 2);
  const auto bio = sessions.Find("bio-101");
  ASSERT_TRUE(bio);
  EXPECT_EQ(bio->title, "Biology 101");
  EXPECT_EQ(bio->timezone, "Europe/Berlin");
  EXPECT_TRUE(bio->autostart);
  EXPECT_EQ(bio->invitees.size(), 2u);
  EXPECT_EQ(bio->ingest_token_hash.size(), 64u);
  EXPECT_FALSE(sessions.Find("chem-7")->autostart);

  control::RecordingStore control(db);
  const auto bio_control = control.FindSession("bio-101");
  ASSERT_TRUE(bio_control);
  EXPECT_TRUE(bio_control->started);
  EXPECT_EQ(bio_control->start_wall_s, 1796000000.5);
  EXPECT_EQ(bio_control->autostart, std::optional<bool>(true));
  EXPECT_EQ(control.FindSession("chem-7")->autostart, std::nullopt);
  EXPECT_EQ(control.OpenSessions().size(), 2u);
  EXPECT_EQ(control.LoadSettings().countdown_s, 5);
  EXPECT_EQ(control.LoadSettings().webhook_url, "https://hooks.example.org/ssr");
  const auto rec = control.FindRecording("rec-1");
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->status, control::RecordingStatus::kReady);
  ASSERT_EQ(control.Parts("rec-1").size(), 1u);
  EXPECT_EQ(control.Parts("rec-1")[0].size_bytes, 123456u);
  EXPECT_EQ(control.Transitions("rec-1").size(), 2u);

  notify::WebhookOutbox outbox(db);
  ASSERT_TRUE(outbox.Find("evt-1"));
  EXPECT_EQ(outbox.PendingCount(), 1);

  library::AccountStore accounts(db);
  const auto ann = accounts.CheckPassword("ann@example.org", "secret-pass-1");
  ASSERT_TRUE(ann);
  EXPECT_EQ(ann->name, "Ann Host");

  library::RoleIndex roles(db);
  const auto host = library::Caller::User("ann", "", "ann@example.org");
  EXPECT_EQ(roles.RolesOf("bio-101", host).size(), 1u);
  EXPECT_EQ(roles.Members("bio-101").size(), 2u);
  EXPECT_EQ(roles.ParticipantIdsOf("bio-101", host), std::vector<std::string>{"p-ann"});

  library::SharingStore sharing(db);
  const auto shared = sharing.Load("rec-1");
  ASSERT_TRUE(shared);
  EXPECT_EQ(shared->version, 2);
  EXPECT_EQ(shared->settings.grants.size(), 1u);

  library::WatchStore watch(db);
  EXPECT_EQ(watch.Links("rec-1").size(), 1u);
  EXPECT_EQ(watch.Views("rec-1").size(), 2u); // a share-link view and a user's view
  EXPECT_EQ(watch.Served("rec-1").size(), 1u);
  EXPECT_EQ(watch.Progress("rec-1").size(), 1u);
}

TEST(Schemas, ReopeningAnAdoptedDatabaseChangesNothing) {
  const fs::path path = LegacyCopy("legacy_again");
  std::string schema;
  {
    Database db(path);
    schema = SchemaText(db);
  }
  Database again(path);
  EXPECT_EQ(AppliedMigrations(again), RegistryIds());
  EXPECT_EQ(SchemaText(again), schema);
  EXPECT_EQ(SessionStore(again).Count(), 2);
}

TEST(Schemas, ADatabaseANewerSsrMigratedIsRefusedNamingTheMigration) {
  const fs::path path = FreshDbPath("newer");
  {
    Database db(path);
    Statement(db, "INSERT INTO schema_migrations (id, position) VALUES ('future-1', 99);").Run();
  }
  try {
    Database again(path);
    FAIL() << "opened a database with an unknown migration";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("'future-1'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("newer ssr"), std::string::npos) << e.what();
  }
}

TEST(Schemas, ALegacyVersionNewerThanTheLastReleaseIsRefused) {
  const fs::path path = LegacyCopy("legacy_newer");
  {
    // Written by hand: not through Database, which would adopt it.
    Database scratch(FreshDbPath("scratch"));
    scratch.Exec("ATTACH DATABASE '" + path.string() +
                 "' AS old;"
                 "UPDATE old.watch_schema SET version = 3; DETACH DATABASE old;");
  }
  try {
    Database db(path);
    FAIL() << "opened a database whose watch_schema is newer than any release";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("watch_schema is at version 3"), std::string::npos)
        << e.what();
  }
  // Nothing was changed: the old version table is still there.
  Database scratch(FreshDbPath("scratch2"));
  scratch.Exec("ATTACH DATABASE '" + path.string() + "' AS old;");
  EXPECT_EQ(QueryText(scratch, "SELECT version FROM old.watch_schema;"), "3");
}

} // namespace
} // namespace ssr::store
