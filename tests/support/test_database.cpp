#include "test_database.h"

#include "store/database.h"

#include <pqxx/pqxx>

#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <unistd.h>

namespace ssr::test {
namespace {

// The server's URL, from the file SSR_TEST_POSTGRES names; "" in the SQLite tiers.
const std::string& ServerUrl() {
  static const std::string url = [] {
    const char* file = std::getenv("SSR_TEST_POSTGRES");
    if (file == nullptr || *file == '\0') {
      return std::string();
    }
    std::ifstream in(file);
    std::string line;
    if (!std::getline(in, line) || line.empty()) {
      throw std::runtime_error(std::string("SSR_TEST_POSTGRES: no URL in ") + file +
                               " (is the postgres_cluster fixture running?)");
    }
    return line;
  }();
  return url;
}

// The URL of database `name` on the same server (the server URL ends in "/postgres").
std::string WithDatabase(const std::string& server, const std::string& name) {
  return server.substr(0, server.rfind('/') + 1) + name;
}

std::string NewDatabase() {
  static std::mt19937_64 random{std::random_device{}()};
  const std::string name =
      "t" + std::to_string(getpid()) + "_" + std::to_string(random() % 1000000000);
  pqxx::connection admin(ServerUrl());
  pqxx::nontransaction tx(admin);
  tx.exec("CREATE DATABASE " + tx.quote_name(name) + ";");
  return WithDatabase(ServerUrl(), name);
}

// Path named -> its database's URL.
std::map<std::string, std::string>& Databases() {
  static std::map<std::string, std::string> databases;
  return databases;
}
std::mutex& DatabasesMutex() {
  static std::mutex mutex;
  return mutex;
}

} // namespace

bool TestOnPostgres() { return !ServerUrl().empty(); }

std::string TestDatabase(const std::filesystem::path& sqlite_path) {
  if (!TestOnPostgres()) {
    return sqlite_path.string();
  }
  std::lock_guard lock(DatabasesMutex());
  auto found = Databases().find(sqlite_path.string());
  if (found == Databases().end()) {
    found = Databases().emplace(sqlite_path.string(), NewDatabase()).first;
  }
  return found->second;
}

std::string TestDatabaseFlag(const std::filesystem::path& data_dir) {
  return TestOnPostgres() ? " --database " + TestDatabase(data_dir / "ssr.db") : "";
}

void CopyTestDatabase(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (!TestOnPostgres()) {
    return;
  }
  const std::string source = TestDatabase(from);
  const std::string name = "t" + std::to_string(getpid()) + "_copy_" +
                           std::to_string(std::hash<std::string>{}(to.string()) % 1000000000);
  {
    pqxx::connection admin(ServerUrl());
    pqxx::nontransaction tx(admin);
    tx.exec("CREATE DATABASE " + tx.quote_name(name) + " TEMPLATE " +
            tx.quote_name(source.substr(source.rfind('/') + 1)) + ";");
  }
  std::lock_guard lock(DatabasesMutex());
  Databases()[to.string()] = WithDatabase(ServerUrl(), name);
}

std::vector<std::string> TestDatabaseTables(const std::filesystem::path& sqlite_path) {
  store::Database db(TestDatabase(sqlite_path));
  store::Statement list(db, TestOnPostgres()
                                ? "SELECT table_name FROM information_schema.tables WHERE "
                                  "table_schema = current_schema() ORDER BY table_name;"
                                : "SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                                  "NOT LIKE 'sqlite_%' ORDER BY name;");
  std::vector<std::string> tables;
  while (list.Step()) {
    tables.push_back(list.Text(0));
  }
  return tables;
}

} // namespace ssr::test
