#pragma once
// Whether a share link (/s/{token}) or a watch URL (/watch/{token}) still lets its holder in
// (R16, R19): the rules in one place. A link is live until its owner revokes it or it
// expires; a watch URL until it expires, its share link is revoked, or its recording is
// deleted. Asked on every byte range a player fetches, so the answer is a value, not a throw.

#include "control/recording.h"
#include "library/watch_store.h"

#include <optional>
#include <string>

namespace ssr::control {
class RecordingController;
}

namespace ssr::server {

enum class Admission {
  kAdmitted,
  kUnknown,       // no such token
  kRevoked,       // the link (of the watch URL) was revoked
  kExpired,       // the link or the watch URL expired
  kRecordingGone, // its recording was deleted
};

struct LinkAdmission {
  Admission admission = Admission::kUnknown;
  std::optional<library::ShareLink> link;      // set unless kUnknown
  std::optional<control::Recording> recording; // set when kAdmitted
};

struct WatchAdmission {
  Admission admission = Admission::kUnknown;
  std::optional<library::WatchGrant> grant; // set unless kUnknown
};

class SharingLinks {
 public:
  SharingLinks(library::WatchStore& watch, control::RecordingController& controller)
      : watch_(watch), controller_(controller) {}

  // At Unix time `now_s`.
  LinkAdmission AdmitLink(const std::string& token, double now_s);
  WatchAdmission AdmitWatchUrl(const std::string& token, double now_s);

 private:
  library::WatchStore& watch_;
  control::RecordingController& controller_;
};

// "active", "revoked" or "expired" at `now_s` (the API's state of a link).
const char* LinkStateName(const library::ShareLink& link, double now_s);

} // namespace ssr::server
