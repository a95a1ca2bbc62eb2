#pragma once
// Deleting a session (DELETE /api/v1/sessions/{sid}): its bundle (session.json, events.jsonl,
// assets/, tracks/), its row, its publisher tokens, its live runtime and what the intake knew
// of it; its recordings
// with it, or kept (docs/security.md, "Deleting a session").
//
// Kept recordings stay visible to the people who held a role in the session (the roles stay
// indexed), so the session's id is not given to a new session afterwards: a new session of
// that id would inherit those people.

#include <filesystem>
#include <string>
#include <vector>

namespace ssr::control {
class RecordingController;
}
namespace ssr::library {
class RoleIndex;
}
namespace ssr::live {
class SessionRuntimes;
}
namespace ssr::store {
class PublisherTokens;
}

namespace ssr::server {

class EventIntake;
class Sessions;

struct DeletedSession {
  std::vector<std::string> recordings_deleted;
  std::vector<std::string> recordings_kept;
};

class SessionDeletion {
 public:
  SessionDeletion(std::filesystem::path sessions_dir, Sessions& sessions,
                  control::RecordingController& controller, library::RoleIndex& roles,
                  EventIntake& intake, live::SessionRuntimes& runtimes,
                  store::PublisherTokens& publishers)
      : sessions_dir_(std::move(sessions_dir)), sessions_(sessions), controller_(controller),
        roles_(roles), intake_(intake), runtimes_(runtimes), publishers_(publishers) {}

  // Throws ssr::Error: kNotFound for an unknown session; kConflict while one of its
  // recordings is initializing, recording, paused or processing (nothing is deleted then,
  // but recordings deleted before the one found running stay deleted); kUnavailable when a
  // file cannot be removed (what is left is named; the rows are gone).
  DeletedSession Delete(const std::string& session_id, bool delete_recordings);

 private:
  const std::filesystem::path sessions_dir_;
  Sessions& sessions_;
  control::RecordingController& controller_;
  library::RoleIndex& roles_;
  EventIntake& intake_;
  live::SessionRuntimes& runtimes_;
  store::PublisherTokens& publishers_;
};

} // namespace ssr::server
