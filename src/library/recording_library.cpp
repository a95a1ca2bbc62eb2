#include "library/recording_library.h"

#include <algorithm>
#include <map>
#include <set>

namespace ssr::library {

RecordingLibrary::RecordingLibrary(RoleIndex& roles, SharingStore& sharing,
                                   control::RecordingStore& store)
    : roles_(roles), sharing_(sharing), store_(store) {}

SharingSettings RecordingLibrary::SharingOf(const std::string& recording_id) {
  auto saved = sharing_.Load(recording_id);
  return saved ? std::move(saved->settings) : SharingSettings{};
}

bool RecordingLibrary::May(const Caller& caller, const control::Recording& recording, Action action,
                           double now_s) {
  if (caller.platform())
    return true;
  if (!caller.user())
    return false;
  const AccessFacts facts{roles_.RolesOf(recording.session_id, caller), SharingOf(recording.id),
                          now_s, roles_.LatestRole(recording.session_id, caller)};
  return Allows(caller, facts, action);
}

std::vector<control::Recording>
RecordingLibrary::Visible(const Caller& caller, const std::string& session_id, double now_s) {
  std::vector<control::Recording> visible;
  if (caller.platform()) {
    visible = session_id.empty() ? store_.AllRecordings() : store_.RecordingsOfSession(session_id);
  } else if (caller.user()) {
    const std::map<std::string, events::Roles> sessions = roles_.SessionsOf(caller);
    std::set<std::string> seen;
    auto consider = [&](control::Recording r) {
      if (!session_id.empty() && r.session_id != session_id)
        return;
      if (!seen.insert(r.id).second)
        return;
      const auto roles = sessions.find(r.session_id);
      const AccessFacts facts{roles == sessions.end() ? events::Roles{} : roles->second,
                              SharingOf(r.id), now_s};
      if (Allows(caller, facts, Action::kSee))
        visible.push_back(std::move(r));
    };
    for (const auto& [sid, roles] : sessions) {
      if (!session_id.empty() && sid != session_id)
        continue;
      for (control::Recording& r : store_.RecordingsOfSession(sid))
        consider(std::move(r));
    }
    // Shared through a grant with someone who had no role in the session.
    for (const std::string& rid : sharing_.GrantedTo(caller)) {
      if (auto r = store_.FindRecording(rid))
        consider(std::move(*r));
    }
  }
  // Newest first; RFC 3339 UTC times of one format sort as strings.
  std::stable_sort(
      visible.begin(), visible.end(), [](const control::Recording& a, const control::Recording& b) {
        return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
      });
  return visible;
}

RecordingLibrary::Permissions RecordingLibrary::PermissionsOf(const Caller& caller,
                                                              const control::Recording& recording,
                                                              double now_s) {
  Permissions permissions;
  AccessFacts facts{caller.user() ? roles_.RolesOf(recording.session_id, caller) : events::Roles{},
                    SharingOf(recording.id), now_s,
                    roles_.LatestRole(recording.session_id, caller)};
  permissions.release_at_s = facts.sharing.release_at_s;
  for (const Action action : {Action::kStream, Action::kDownload, Action::kRename, Action::kDelete,
                              Action::kManageSharing}) {
    if (Allows(caller, facts, action))
      permissions.actions.insert(action);
  }
  return permissions;
}

bool RecordingLibrary::HasAny(const Caller& caller, double now_s) {
  return !Visible(caller, "", now_s).empty();
}

} // namespace ssr::library
