#include "auth/sodium_init.h"

#include <sodium.h>

#include <stdexcept>

namespace ssr::auth {

void InitSodium() {
  static const int kInitResult = sodium_init();
  if (kInitResult < 0) {
    throw std::runtime_error("libsodium failed to initialize");
  }
}

} // namespace ssr::auth
