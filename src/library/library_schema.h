#pragma once
// The library's tables in DATA/ssr.db, with their own version table (library_schema):
// built-in accounts, login sessions, who had which role in which session, and each
// recording's sharing settings (R15), and each session's members with their names.

#include "store/database.h"

namespace ssr::library {

const store::Schema& LibrarySchema();

}  // namespace ssr::library
