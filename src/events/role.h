#pragma once
// A participant's role in a session: the one type for it, whether it comes from an event
// (participant.join/role), an invite list (POST /api/v1/sessions), the library's role index
// or recording control's presence. Its names are the events contract's (docs/session-events.md)
// and come from one table, which the event parser checks against too.

#include <optional>
#include <set>
#include <string_view>

namespace ssr::events {

enum class Role { kHost, kCohost, kPresenter, kAttendee };

// The contract's names, in the enum's order.
inline constexpr std::string_view kRoleNames[] = {"host", "cohost", "presenter", "attendee"};

std::string_view RoleName(Role role);
// nullopt for anything but one of kRoleNames.
std::optional<Role> ParseRole(std::string_view name);

using Roles = std::set<Role>;

// Hosts and co-hosts run a session: they manage its recordings (R12, R14).
bool RunsSession(Role role);
bool RunsSession(const Roles& roles);

} // namespace ssr::events
