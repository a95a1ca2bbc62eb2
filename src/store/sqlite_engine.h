#pragma once
// The embedded engine: a SQLite file (DATA/ssr.db by default) in WAL mode, owner-only.

#include "store/engine.h"

#include <filesystem>
#include <memory>

namespace ssr::store {

// Throws StoreError when the file cannot be opened.
std::unique_ptr<Engine> OpenSqlite(const std::filesystem::path& path);

} // namespace ssr::store
