#pragma once
// The one place that answers "may this caller see / stream / download / manage this
// recording". Pure: the facts (the caller's roles in the recording's session, the recording's
// sharing settings, the time) are gathered by the caller of Allows (library/recording_library).
//
// Today: the platform may do everything; a host or co-host of the recording's session may do
// everything; anyone else nothing (the API answers 404). The sharing inputs of R15 are already
// here, with defaults that mean "not shared", so sharing only has to store and load them.

#include "events/role.h"
#include "library/caller.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ssr::library {

enum class Action {
  kSee,           // find it in the list, read it (GET)
  kStream,        // watch it (R13)
  kDownload,      // download a part (R13)
  kRename,        // R14
  kDelete,        // R14
  kManageSharing, // R15, R16
};

// Who "Allow Streaming By" / "Allow Download By" name (R15).
enum class Audience { kAttendees, kPresenters };

// A per-participant grant (R15); `user` is a user id or e-mail.
struct Grant {
  std::string user;
  bool stream = false;
  bool download = false;
};

// A recording's sharing settings (R15). The defaults share it with no one.
struct SharingSettings {
  std::set<Audience> stream_by;
  std::set<Audience> download_by;
  std::vector<Grant> grants;
  std::optional<double> release_at_s; // Unix seconds; before it, only managers see it
};

struct AccessFacts {
  events::Roles roles; // every role the caller held in the recording's session
  SharingSettings sharing;
  double now_s = 0; // Unix seconds
  // The caller's role in the session now (RoleIndex::LatestRole): renaming, deleting and
  // managing sharing need it to be host or co-host; seeing and watching go by any role held
  // (docs/security.md, "Who may manage a recording").
  std::optional<events::Role> latest_role;
};

bool Allows(const Caller& caller, const AccessFacts& facts, Action action);

} // namespace ssr::library
