#include "library/access_policy.h"

#include <algorithm>
#include <cctype>

namespace ssr::library {
namespace {

using events::Role;
using events::Roles;

bool EqualsIgnoringCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

bool Names(const Grant& grant, const Caller& caller) {
  return grant.user == caller.user_id ||
         (!caller.email.empty() && EqualsIgnoringCase(grant.user, caller.email));
}

// True when one of the caller's roles is in `audience`.
bool InAudience(const Roles& roles, const std::set<Audience>& audience) {
  return (roles.count(Role::kAttendee) && audience.count(Audience::kAttendees)) ||
         (roles.count(Role::kPresenter) && audience.count(Audience::kPresenters));
}

bool Shared(const Caller& caller, const AccessFacts& facts, bool download) {
  const SharingSettings& s = facts.sharing;
  if (InAudience(facts.roles, download ? s.download_by : s.stream_by))
    return true;
  return std::any_of(s.grants.begin(), s.grants.end(), [&](const Grant& g) {
    return Names(g, caller) && (download ? g.download : g.stream);
  });
}

} // namespace

bool Allows(const Caller& caller, const AccessFacts& facts, Action action) {
  if (caller.platform())
    return true;
  if (!caller.user())
    return false; // share-link viewers come through their link (R16)
  switch (action) {
  case Action::kRename:
  case Action::kDelete:
  case Action::kManageSharing:
    // A student made co-host to present, then demoted, no longer manages (review M2).
    return facts.latest_role && events::RunsSession(*facts.latest_role);
  case Action::kSee:
  case Action::kStream:
  case Action::kDownload:
    break;
  }
  if (events::RunsSession(facts.roles))
    return true;
  // Attendees, presenters and granted users: only what is shared, once released.
  if (facts.sharing.release_at_s && facts.now_s < *facts.sharing.release_at_s)
    return false;
  switch (action) {
  case Action::kStream:
    return Shared(caller, facts, false);
  case Action::kDownload:
    return Shared(caller, facts, true);
  default:
    return Shared(caller, facts, false) || Shared(caller, facts, true);
  }
}

} // namespace ssr::library
