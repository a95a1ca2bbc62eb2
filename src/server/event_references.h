#pragma once
// What an accepted batch refers to that its session does not know: a participant that never
// joined, a track that was never published, an asset that was not uploaded. Events are facts
// of the class and are logged either way; the platform is told at once, in the answer, rather
// than viewers finding a "cannot be shown" card in the recording.

#include "events/bundle_dir.h"
#include "events/event.h"

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace ssr::server {

class EventReferences {
 public:
  // Reads what the session's events.jsonl made known, the first time the session is seen
  // (after a restart); call it before the batch is logged. Prime and Check of one session
  // must not run at once (the intake calls them under the session's order lock); different
  // sessions may.
  void Prime(const std::string& session_id, const events::BundleDir& bundle);
  // Learns what `batch` (as logged) makes known and returns a warning for each reference to
  // something unknown, e.g. "event 2: track.publish: participant 'p9' has not joined".
  std::vector<std::string> Check(const std::string& session_id, const events::BundleDir& bundle,
                                 const std::vector<events::Event>& batch);

  // A deleted session is forgotten (under its order lock, like Prime and Check).
  void Forget(const std::string& session_id);

 private:
  struct Known {
    std::set<std::string> participants;
    std::set<std::string> tracks;
  };
  static void Learn(Known& known, const events::Event& event);
  // The session's entry (made when missing: `made` says so). Only Forget removes one, under
  // the session's order lock, so the reference stays valid after the map's lock is released.
  Known& For(const std::string& session_id, bool* made = nullptr);

  std::mutex mutex_; // guards sessions_ (the map, not the entries)
  std::map<std::string, Known> sessions_;
};

} // namespace ssr::server
