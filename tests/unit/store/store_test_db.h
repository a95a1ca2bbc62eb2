#pragma once
// An empty directory for one store test's database: TMP/ssr_store_<name>_<pid>/ssr.db, and
// a way to read what a database holds without going through a store.

#include "store/database.h"

#include <unistd.h>

#include <filesystem>
#include <string>

namespace ssr::store {

inline std::filesystem::path FreshDbPath(const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("ssr_store_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir / "ssr.db";
}

// The first column of the first row of `sql`, as text ("" when there is no row).
inline std::string QueryText(Database& db, const std::string& sql) {
  Statement s(db, sql);
  return s.Step() ? s.Text(0) : "";
}

} // namespace ssr::store
