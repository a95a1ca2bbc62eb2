#pragma once
// The fleet's engine: a PostgreSQL server, reached by a postgresql:// URL (SSR_DATABASE_URL or
// the config's `database`), through libpqxx. Statements arrive in the shared dialect and are
// translated by store::ToPostgres.

#include "store/engine.h"

#include <memory>
#include <string>

namespace ssr::store {

// Connects; throws StoreError naming the server (never the password) when it cannot.
std::unique_ptr<Engine> OpenPostgres(const std::string& url);

// The URL with its password replaced by "***", for messages and logs.
std::string RedactedUrl(const std::string& url);

} // namespace ssr::store
