// Applies store::Schemas() to a database (see store/schemas.h), adopting the version tables of
// SQLite databases made before the registry (a PostgreSQL database never had them).

#include "store/database.h"
#include "store/schemas.h"

#include <algorithm>
#include <set>

namespace ssr::store {
namespace {

// A version mechanism of the layout before the registry: version N of it meant the first N
// migrations of `feature` (which had `released` of them then).
struct LegacyVersion {
  const char* table; // nullptr: PRAGMA user_version
  const char* feature;
  int released;
};

constexpr LegacyVersion kLegacy[] = {
    {nullptr, "sessions", 1},
    {"control_schema", "control", 1},
    {"library_schema", "library", 3},
    {"watch_schema", "watch", 2},
};

bool TableExists(Database& db, const std::string& name) { return db.engine().HasTable(name); }

int LegacyVersionOf(Database& db, const LegacyVersion& legacy) {
  if (legacy.table == nullptr) {
    Statement s(db, "PRAGMA user_version;");
    return s.Step() ? static_cast<int>(s.Int(0)) : 0;
  }
  if (!TableExists(db, legacy.table)) {
    return 0;
  }
  Statement s(db, std::string("SELECT version FROM ") + legacy.table + ";");
  return s.Step() ? static_cast<int>(s.Int(0)) : 0;
}

void MarkApplied(Database& db, const std::string& id) {
  Statement(db, "INSERT INTO schema_migrations (id, position) VALUES (?, "
                "(SELECT COALESCE(MAX(position), 0) + 1 FROM schema_migrations)) "
                "ON CONFLICT (id) DO NOTHING;")
      .Bind(1, id)
      .Run();
}

// Marks what the old version tables say is there, then removes them: from here on
// schema_migrations is the only record.
void AdoptLegacyVersions(Database& db) {
  for (const LegacyVersion& legacy : kLegacy) {
    const int version = LegacyVersionOf(db, legacy);
    const std::string where = legacy.table ? legacy.table : "PRAGMA user_version";
    if (version > legacy.released) {
      throw StoreError("database: " + where + " is at version " + std::to_string(version) +
                       ", newer than this ssr knows (" + std::to_string(legacy.released) +
                       "); use the ssr that wrote it");
    }
    for (int n = 1; n <= version; ++n) {
      MarkApplied(db, std::string(legacy.feature) + "-" + std::to_string(n));
    }
    if (legacy.table != nullptr && TableExists(db, legacy.table)) {
      db.Exec(std::string("DROP TABLE ") + legacy.table + ";");
    } else if (legacy.table == nullptr && version > 0) {
      db.Exec("PRAGMA user_version = 0;");
    }
  }
}

} // namespace

std::vector<std::string> AppliedMigrations(Database& db) {
  std::vector<std::string> ids;
  Statement s(db, "SELECT id FROM schema_migrations ORDER BY position;");
  while (s.Step()) {
    ids.push_back(s.Text(0));
  }
  return ids;
}

void MigrateToLatest(Database& db) {
  Transaction tx(db);
  db.engine().LockForMigration(); // two processes opening at once migrate once
  if (!TableExists(db, "schema_migrations")) {
    db.Exec("CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, position INTEGER NOT NULL);");
    if (db.engine().MayHoldLegacyLayout()) {
      AdoptLegacyVersions(db);
    }
  }
  const std::vector<std::string> applied_list = AppliedMigrations(db);
  const std::set<std::string> applied(applied_list.begin(), applied_list.end());
  const std::vector<Migration>& known = Schemas();
  for (const std::string& id : applied_list) {
    const bool is_known =
        std::any_of(known.begin(), known.end(), [&](const Migration& m) { return id == m.id; });
    if (!is_known) {
      throw StoreError("database: migration '" + id +
                       "' was applied by a newer ssr than this one; use that ssr (or newer)");
    }
  }
  for (const Migration& m : known) {
    if (!applied.count(m.id)) {
      const bool postgres = std::string(db.engine().Name()) == "postgresql";
      db.Exec(postgres && m.postgres_sql != nullptr ? m.postgres_sql : m.sql);
      MarkApplied(db, m.id);
    }
  }
  tx.Commit();
}

} // namespace ssr::store
