#pragma once
// Where a test's database lives. The same suites run on both store engines:
// - by default, a SQLite file at the path the test names;
// - in the postgres tier (ctest label `postgres`), SSR_TEST_POSTGRES names a file holding the
//   URL of a throwaway server (scripts/postgres-cluster), and each path the test names gets a
//   fresh database of its own on that server — the same one each time the same path is named,
//   so a test that reopens "its file" reopens its database.

#include <filesystem>
#include <string>
#include <vector>

namespace ssr::test {

bool TestOnPostgres();

// A SQLite path, or a postgresql:// URL; for store::Database and SSR_DATABASE_URL.
std::string TestDatabase(const std::filesystem::path& sqlite_path);

// What `ssr user --data DIR` needs besides to find the database of the server serving DIR:
// "" on SQLite (DIR/ssr.db), " --database URL" on PostgreSQL.
std::string TestDatabaseFlag(const std::filesystem::path& data_dir);

// After the data directory holding `from` was copied to the one holding `to` (server stopped):
// gives `to` a copy of `from`'s database too (nothing to do for a SQLite file, which was copied).
void CopyTestDatabase(const std::filesystem::path& from, const std::filesystem::path& to);

// The tables of that database (for tests that check nothing is left behind).
std::vector<std::string> TestDatabaseTables(const std::filesystem::path& sqlite_path);

} // namespace ssr::test
