#pragma once
// A request to recording control that cannot be done (bad input, an unknown session or
// recording, or the wrong moment): an ssr::Error of kind kInvalid, kNotFound or kConflict.

#include "common/error.h"

#include <string>
#include <utility>

namespace ssr::control {

class ControlError : public Error {
 public:
  ControlError(ErrorKind kind, const std::string& message, std::string field = {})
      : Error(kind, message, std::move(field)) {}
};

} // namespace ssr::control
