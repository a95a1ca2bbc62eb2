#pragma once
// An empty directory for one test's database: TMP/ssr_<suite>_<name>_<pid>/ssr.db.

#include <unistd.h>

#include <filesystem>
#include <string>

namespace ssr::library {

inline std::filesystem::path FreshDb(const std::string& suite, const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("ssr_" + suite + "_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir / "ssr.db";
}

}  // namespace ssr::library
