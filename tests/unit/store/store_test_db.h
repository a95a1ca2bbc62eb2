#pragma once
// An empty directory for one store test's database (NAME/ssr.db inside the test's TempDir),
// and a way to read what a database holds without going through a store.

#include "../../support/temp_dir.h"
#include "store/database.h"

#include <filesystem>
#include <string>

namespace ssr::store {

inline std::filesystem::path FreshDbPath(const std::string& name) {
  static const test::TempDir root("store"); // removed when the test program ends
  const std::filesystem::path dir = root / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir / "ssr.db";
}

// The first column of the first row of `sql`, as text ("" when there is no row).
inline std::string QueryText(Database& db, const std::string& sql) {
  Statement s(db, sql);
  return s.Step() ? s.Text(0) : "";
}

} // namespace ssr::store
