#include "server/session_deletion.h"

#include "common/error.h"
#include "common/log.h"
#include "control/recording_controller.h"
#include "library/role_index.h"
#include "live/session_runtime.h"
#include "server/event_intake.h"
#include "server/sessions.h"
#include "store/publisher_tokens.h"

#include <system_error>

namespace ssr::server {

DeletedSession SessionDeletion::Delete(const std::string& session_id, bool delete_recordings) {
  if (!sessions_.Find(session_id))
    throw Error(ErrorKind::kNotFound, "no session '" + session_id + "'");
  DeletedSession deleted;
  // Recordings first, while the session is still there: a DELETE that fails half-way (a
  // stored object that cannot be removed) can be sent again.
  if (delete_recordings) {
    for (const control::Recording& r : controller_.RecordingsOfSession(session_id)) {
      controller_.Delete(r.id); // kConflict for one that is not finished
      deleted.recordings_deleted.push_back(r.id);
    }
  }
  // Then the row, under recording control's lock: it checks again that nothing records.
  controller_.DeleteSession(session_id);
  for (const control::Recording& r : controller_.RecordingsOfSession(session_id))
    deleted.recordings_kept.push_back(r.id);
  sessions_.Forget(session_id);
  intake_.ForgetSession(session_id);
  runtimes_.Remove(session_id); // closes its WHIP resources and RTP forwards
  roles_.DeleteSession(session_id, /*keep_roles=*/!deleted.recordings_kept.empty());
  publishers_.DeleteSession(session_id);

  const std::filesystem::path bundle = sessions_dir_ / session_id;
  std::error_code ec;
  std::filesystem::remove_all(bundle, ec);
  if (ec) {
    throw Error(ErrorKind::kUnavailable, "session '" + session_id +
                                             "' is deleted but its files are not: cannot remove " +
                                             bundle.string() + ": " + ec.message());
  }
  Logger("sessions")
      ->info("session {} deleted with its bundle; {} recording(s) deleted, {} kept", session_id,
             deleted.recordings_deleted.size(), deleted.recordings_kept.size());
  return deleted;
}

} // namespace ssr::server
