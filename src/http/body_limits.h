#pragma once
// How large a request body each route takes. Most routes carry a few small JSON fields
// (a login, a share-link viewer's e-mail, a settings object), so they get a small limit of
// their own; only the events, WHIP offers and the like may use the server's max_body_bytes
// (assets have max_asset_bytes). A body over the limit is refused with 413 from its
// Content-Length, before any of it is read (docs/security.md, "Limits").

#include "http/router.h"

#include <cstdint>

namespace ssr::http {

// The largest body `kind` takes: its own small limit, or `max_body_bytes` when it has none
// (never more than `max_body_bytes`).
uint64_t BodyLimitFor(RouteKind kind, uint64_t max_body_bytes);

} // namespace ssr::http
