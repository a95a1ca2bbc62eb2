#include "library/recording_library.h"

#include <algorithm>

namespace ssr::library {

RecordingLibrary::RecordingLibrary(RoleIndex& roles, control::RecordingStore& store)
    : roles_(roles), store_(store) {}

SharingSettings RecordingLibrary::SharingOf(const std::string& /*recording_id*/) { return {}; }

bool RecordingLibrary::May(const Caller& caller, const control::Recording& recording,
                           Action action, double now_s) {
  if (caller.platform()) return true;
  if (!caller.user()) return false;
  const AccessFacts facts{roles_.RolesOf(recording.session_id, caller), SharingOf(recording.id),
                          now_s};
  return Allows(caller, facts, action);
}

std::vector<control::Recording> RecordingLibrary::Visible(const Caller& caller,
                                                          const std::string& session_id,
                                                          double now_s) {
  std::vector<control::Recording> visible;
  if (caller.platform()) {
    visible = session_id.empty() ? store_.AllRecordings() : store_.RecordingsOfSession(session_id);
  } else if (caller.user()) {
    for (const auto& [sid, roles] : roles_.SessionsOf(caller)) {
      if (!session_id.empty() && sid != session_id) continue;
      for (control::Recording& r : store_.RecordingsOfSession(sid)) {
        if (Allows(caller, AccessFacts{roles, SharingOf(r.id), now_s}, Action::kSee)) {
          visible.push_back(std::move(r));
        }
      }
    }
  }
  // Newest first; RFC 3339 UTC times of one format sort as strings.
  std::stable_sort(visible.begin(), visible.end(),
                   [](const control::Recording& a, const control::Recording& b) {
                     return a.created_at != b.created_at ? a.created_at > b.created_at
                                                         : a.id > b.id;
                   });
  return visible;
}

bool RecordingLibrary::HasAny(const Caller& caller, double now_s) {
  return !Visible(caller, "", now_s).empty();
}

}  // namespace ssr::library
