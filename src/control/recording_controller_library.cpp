// What the library changes in a recording (R14): its title, and its removal with every file it
// has — stored objects, part files left in live-parts/ — so nothing is orphaned.

#include "control/recording_controller.h"

#include "common/log.h"

namespace ssr::control {
namespace {

namespace fs = std::filesystem;

} // namespace

Recording RecordingController::Rename(const std::string& recording_id, const std::string& title) {
  std::lock_guard lock(mutex_);
  if (auto it = recordings_.find(recording_id); it != recordings_.end()) {
    it->second.title = title;
    store_.SaveRecording(it->second);
    return it->second;
  }
  auto r = store_.FindRecording(recording_id);
  if (!r) {
    throw ControlError(ErrorKind::kNotFound, "no recording '" + recording_id + "'");
  }
  r->title = title;
  store_.SaveRecording(*r);
  return *r;
}

void RecordingController::Delete(const std::string& recording_id) {
  std::lock_guard lock(mutex_);
  if (auto it = recordings_.find(recording_id); it != recordings_.end()) {
    throw ControlError(ErrorKind::kConflict,
                       "recording '" + recording_id + "' is " +
                           std::string(StatusName(it->second.status)) +
                           ": stop it and wait until it is ready (or failed) to delete it");
  }
  if (!store_.FindRecording(recording_id)) {
    throw ControlError(ErrorKind::kNotFound, "no recording '" + recording_id + "'");
  }
  // Files first, rows last: if removing a file fails, the recording is still there and a
  // second DELETE finishes the job (removing what is already gone is no error).
  for (const Part& p : store_.Parts(recording_id)) {
    if (!p.storage_key.empty())
      storage_.Remove(p.storage_key);
    storage_.Remove(StorageKey(recording_id, p.n, ".webm"));
    storage_.Remove(StorageKey(recording_id, p.n, ".vtt"));
    storage_.Remove(StorageKey(recording_id, p.n, ".chapters.vtt"));
    if (!p.local_path.empty()) {
      std::error_code ignored;
      const fs::path local = p.local_path;
      fs::remove(local, ignored);
      fs::remove(fs::path(local).replace_extension(".vtt"), ignored);
      fs::remove(local.string() + ".cut", ignored);
    }
  }
  std::error_code ec;
  fs::remove_all(options_.parts_dir / recording_id, ec);
  if (ec) {
    throw store::StoreError("cannot remove " + (options_.parts_dir / recording_id).string() + ": " +
                            ec.message());
  }
  store_.DeleteRecording(recording_id);
  Logger("control")->info("recording {} deleted with its files", recording_id);
}

void RecordingController::DeleteSession(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  for (const auto& [id, r] : recordings_) {
    if (r.session_id == session_id) {
      throw ControlError(ErrorKind::kConflict,
                         "recording '" + id + "' of session '" + session_id + "' is " +
                             std::string(StatusName(r.status)) +
                             ": stop it and wait until it is ready (or failed) to delete the "
                             "session");
    }
  }
  if (!FindSession(session_id)) {
    throw ControlError(ErrorKind::kNotFound, "no session '" + session_id + "'");
  }
  sessions_.erase(session_id);
  store_.DeleteSession(session_id);
  Logger("control")->info("session {} deleted", session_id);
}

std::vector<Recording> RecordingController::RecordingsOfSession(const std::string& session_id) {
  return store_.RecordingsOfSession(session_id);
}

} // namespace ssr::control
