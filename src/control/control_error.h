#pragma once
// A request to recording control that cannot be done (bad input or the wrong moment). The
// HTTP layer maps the kind to a status: 404, 409, 400.

#include <stdexcept>
#include <string>

namespace ssr::control {

class ControlError : public std::runtime_error {
 public:
  enum class Kind { kNotFound, kConflict, kBadRequest };
  ControlError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

} // namespace ssr::control
