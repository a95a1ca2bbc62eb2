#pragma once
// The one schema registry of the ssr database (DATA/ssr.db): every table's migrations in one
// ordered list with stable ids, and the table (schema_migrations) recording which were
// applied. A feature that needs a table or a column appends a migration here; it does not add
// a version table. store::Database applies what is missing when it opens.
//
// Databases from before the registry (four version mechanisms: PRAGMA user_version for
// sessions, the control_schema, library_schema and watch_schema tables) are adopted on the
// first open: the migrations their versions imply are marked applied, the old version tables
// are dropped, and the rest are applied.

#include <string>
#include <vector>

namespace ssr::store {

class Database;

struct Migration {
  const char* id;  // "<feature>-<n>", e.g. "watch-2"; never reused
  const char* sql; // DDL (and data moves), in the dialect both engines read (store::ToPostgres)
  // What PostgreSQL runs instead, where the SQLite text moves data by SQLite's own means (a
  // PostgreSQL database is made from this release on, so it has no such rows); nullptr: `sql`.
  const char* postgres_sql = nullptr;
};

// In the order they are applied.
const std::vector<Migration>& Schemas();

// In one transaction: adopts legacy version tables, refuses a database that has a migration
// this ssr does not know (made by a newer ssr) with a StoreError naming it, then applies the
// missing migrations in order. Applying to an up-to-date database changes nothing.
void MigrateToLatest(Database& db);

// The ids recorded as applied, in the order they were applied.
std::vector<std::string> AppliedMigrations(Database& db);

} // namespace ssr::store
