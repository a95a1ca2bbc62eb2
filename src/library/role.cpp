#include "library/role.h"

namespace ssr::library {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kHost: return "host";
    case Role::kCohost: return "cohost";
    case Role::kPresenter: return "presenter";
    case Role::kAttendee: return "attendee";
  }
  return "attendee";
}

std::optional<Role> RoleFromName(std::string_view name) {
  if (name == "host") return Role::kHost;
  if (name == "cohost") return Role::kCohost;
  if (name == "presenter") return Role::kPresenter;
  if (name == "attendee") return Role::kAttendee;
  return std::nullopt;
}

bool RunsSession(const Roles& roles) {
  return roles.count(Role::kHost) > 0 || roles.count(Role::kCohost) > 0;
}

}  // namespace ssr::library
