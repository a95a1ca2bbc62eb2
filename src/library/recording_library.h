#pragma once
// A caller's view of the recordings: gathers the facts the access policy needs (the caller's
// roles in a recording's session, the recording's sharing settings, the time) and asks it.
// Every library route decides through here.

#include "control/recording.h"
#include "control/recording_store.h"
#include "library/access_policy.h"
#include "library/caller.h"
#include "library/role_index.h"
#include "library/sharing_store.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ssr::library {

class RecordingLibrary {
 public:
  RecordingLibrary(RoleIndex& roles, SharingStore& sharing, control::RecordingStore& store);

  bool May(const Caller& caller, const control::Recording& recording, Action action, double now_s);

  // The recordings `caller` may see, newest first: all of them for the platform, else those
  // of sessions where the caller held a role and those with a grant naming the caller, when
  // the policy lets them see (R12: hosted, co-hosted, shared with them and released).
  // `session_id` ("": any) keeps one session's.
  std::vector<control::Recording> Visible(const Caller& caller, const std::string& session_id,
                                          double now_s);

  // What `caller` may do with `recording` as the policy says (of kStream, kDownload, kRename,
  // kDelete, kManageSharing; the state of the recording is not considered here), and its
  // scheduled release (R15), if any.
  struct Permissions {
    std::set<Action> actions;
    std::optional<double> release_at_s;
  };
  Permissions PermissionsOf(const Caller& caller, const control::Recording& recording,
                            double now_s);

  // R12: whether the "Recorded Sessions" tab has anything to show.
  bool HasAny(const Caller& caller, double now_s);

 private:
  // The saved sharing settings (R15); none saved: shared with no one.
  SharingSettings SharingOf(const std::string& recording_id);

  RoleIndex& roles_;
  SharingStore& sharing_;
  control::RecordingStore& store_;
};

} // namespace ssr::library
