#pragma once

#include "common/error.h"

#include <string>

namespace ssr::store {

// A database that cannot be opened, a statement the engine refused, a lost connection.
class StoreError : public Error {
 public:
  explicit StoreError(const std::string& message) : Error(ErrorKind::kInternal, message) {}
};

} // namespace ssr::store
