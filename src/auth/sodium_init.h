#pragma once

namespace ssr::auth {

// Initializes libsodium once per process (safe from any thread, cheap after the first call);
// throws std::runtime_error when it cannot. Call before any other libsodium function.
void InitSodium();

} // namespace ssr::auth
