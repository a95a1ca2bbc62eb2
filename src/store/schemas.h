#pragma once
// The schemas of the ssr database (DATA/ssr.db), each a version table and its ordered
// migrations (store::Database migrates them when it opens).

#include "store/database.h"

namespace ssr::store {

// Recording control (sessions' control state, recordings, parts, transitions, organization
// settings) and the webhook outbox.
const Schema& ControlSchema();

} // namespace ssr::store
