#include "events/role.h"

#include <iterator>

namespace ssr::events {

static_assert(std::size(kRoleNames) == static_cast<size_t>(Role::kAttendee) + 1,
              "one name per role");

std::string_view RoleName(Role role) { return kRoleNames[static_cast<size_t>(role)]; }

std::optional<Role> ParseRole(std::string_view name) {
  for (size_t i = 0; i < std::size(kRoleNames); ++i) {
    if (kRoleNames[i] == name) {
      return static_cast<Role>(i);
    }
  }
  return std::nullopt;
}

bool RunsSession(Role role) { return role == Role::kHost || role == Role::kCohost; }

bool RunsSession(const Roles& roles) {
  return roles.count(Role::kHost) > 0 || roles.count(Role::kCohost) > 0;
}

} // namespace ssr::events
