#pragma once
// A participant's role in a session, as invite lists and participant events name it.

#include <optional>
#include <set>
#include <string_view>

namespace ssr::library {

enum class Role { kHost, kCohost, kPresenter, kAttendee };

std::string_view RoleName(Role role);  // "host", "cohost", "presenter", "attendee"
std::optional<Role> RoleFromName(std::string_view name);

using Roles = std::set<Role>;

// Hosts and co-hosts run a session: they manage its recordings (R12, R14).
bool RunsSession(const Roles& roles);

}  // namespace ssr::library
