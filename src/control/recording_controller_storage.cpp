#include "control/recording_controller.h"

#include "common/log.h"

#include <algorithm>
#include <fstream>

namespace ssr::control {
namespace {

namespace fs = std::filesystem;

void RemoveQuietly(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
}

} // namespace

// Main-room parts are stored as soon as they end; a breakout's wait for room.close or
// session.end (R11).
bool RecordingController::Released(const Recording& r) {
  if (r.room == "main") {
    return true;
  }
  LiveSession* s = FindSession(r.session_id);
  return !s || s->row.ended || !s->presence.RoomOpen(r.room);
}

std::optional<RecordingController::StoreJob> RecordingController::NextStoreJob(double wall_s) {
  for (const auto& [id, r] : recordings_) {
    if (r.status == RecordingStatus::kInitializing || !Released(r) || no_part_to_store_.count(id)) {
      continue;
    }
    bool processing = false;
    for (const Part& p : store_.Parts(id)) {
      processing = processing || p.status == PartStatus::kProcessing;
      const std::string job_key = id + "/" + std::to_string(p.n);
      auto wait = store_waits_.find(job_key);
      if (wait != store_waits_.end() && wait->second.retry_at > wall_s) {
        continue;
      }
      if (p.status == PartStatus::kProcessing && !storing_.count(job_key)) {
        storing_.insert(job_key);
        return StoreJob{r, p, fs::path(p.local_path).replace_extension(".vtt")};
      }
    }
    // Read again only when one of its parts changes (SavePart): a running recording's parts
    // are not read every tick (the database's load per recording, docs/scaling.md).
    if (!processing)
      no_part_to_store_.insert(id);
  }
  return std::nullopt;
}

// Outside the lock, like the part itself. Chapters help but are not the recording: a part
// is stored without them rather than not at all.
void RecordingController::StoreChapters(const Recording& r, const Part& part) {
  if (!options_.chapters_vtt) {
    return;
  }
  const fs::path local = fs::path(part.local_path).replace_extension(".chapters.vtt");
  try {
    const std::string vtt = options_.chapters_vtt(r, part);
    if (vtt.empty()) {
      return;
    }
    {
      std::ofstream out(local, std::ios::binary | std::ios::trunc);
      out << vtt;
      if (!out.flush()) {
        throw storage::StorageError("cannot write " + local.string());
      }
    }
    storage_.Put(local, StorageKey(r.id, part.n, ".chapters.vtt"));
  } catch (const std::exception& e) {
    Logger("control")->error("recording {} part {}: chapters not stored: {}", r.id, part.n,
                             e.what());
  }
  RemoveQuietly(local);
}

storage::StoredObject RecordingController::StoreFiles(const StoreJob& job, Part& part) {
  const std::string key = StorageKey(part.recording_id, part.n, ".webm");
  const std::string job_key = part.recording_id + "/" + std::to_string(part.n);
  StoreWait earlier;
  {
    std::lock_guard lock(mutex_);
    if (auto wait = store_waits_.find(job_key); wait != store_waits_.end()) {
      earlier = wait->second;
    }
  }
  if (part.interrupted && options_.repair_part) {
    if (!earlier.repaired) {
      storage_.Abandon(key); // the repair rewrites the file: what was stored of it is stale
      // The tail that never reached the disk is gone: report what the file holds.
      const double repaired_s = options_.repair_part(part.local_path);
      if (repaired_s >= 0)
        part.duration_s = repaired_s;
      std::lock_guard lock(mutex_);
      store_waits_[job_key].repaired = true;
    }
  }
  storage::StoredObject stored;
  if (earlier.webm) {
    stored = *earlier.webm;
  } else {
    stored = storage_.Put(part.local_path, key);
    std::lock_guard lock(mutex_);
    store_waits_[job_key].webm = stored;
  }
  if (fs::exists(job.vtt)) {
    storage_.Put(job.vtt, StorageKey(part.recording_id, part.n, ".vtt"));
  }
  StoreChapters(job.recording, part);
  return stored;
}

void RecordingController::WaitForStorage(const Part& part, const std::string& error,
                                         double wall_s) {
  StoreWait& wait = store_waits_[part.recording_id + "/" + std::to_string(part.n)];
  wait.error = error;
  wait.delay_s = std::clamp(wait.delay_s * 2, 2.0, 60.0);
  wait.retry_at = wall_s + wait.delay_s;
  Logger("control")->warn("recording {} part {}: storage unavailable, the part waits on disk and "
                          "is stored when it answers (next try in {:.0f} s): {}",
                          part.recording_id, part.n, wait.delay_s, error);
}

void RecordingController::ProcessPending(double wall_s) {
  while (true) {
    std::optional<StoreJob> job;
    {
      std::lock_guard lock(mutex_);
      job = NextStoreJob(wall_s);
    }
    if (!job) {
      break;
    }
    Part part = job->part;
    std::string error;
    bool transient = false;
    try { // outside the lock: hashing a long part takes a while
      const storage::StoredObject stored = StoreFiles(*job, part);
      part.size_bytes = stored.size_bytes;
      part.sha256 = stored.sha256;
      part.storage_key = StorageKey(part.recording_id, part.n, ".webm");
      part.status = PartStatus::kReady;
    } catch (const storage::StorageError& e) {
      error = "storing part " + std::to_string(part.n) + " failed: " + e.what();
      transient = e.transient();
      part.status = transient ? PartStatus::kProcessing : PartStatus::kFailed;
    } catch (const std::exception& e) {
      error = "storing part " + std::to_string(part.n) + " failed: " + e.what();
      part.status = PartStatus::kFailed;
    }
    std::lock_guard lock(mutex_);
    SavePart(part);
    const std::string job_key = part.recording_id + "/" + std::to_string(part.n);
    storing_.erase(job_key);
    if (transient) {
      WaitForStorage(part, error, wall_s);
      continue;
    }
    store_waits_.erase(job_key);
    if (part.status == PartStatus::kFailed) {
      ++counters_.store_failures;
    }
    if (part.status == PartStatus::kReady) {
      RemoveQuietly(part.local_path);
      RemoveQuietly(job->vtt);
    } else if (auto it = recordings_.find(part.recording_id); it != recordings_.end()) {
      Logger("control")->error("recording {}: {}", part.recording_id, error);
      it->second.error = error;
      store_.SaveRecording(it->second);
    }
  }
  std::lock_guard lock(mutex_);
  FinishRecordings(wall_s);
}

void RecordingController::AddUploadProgress(Part& part) {
  if (part.status != PartStatus::kRecording && part.status != PartStatus::kProcessing) {
    return;
  }
  PartUpload upload;
  if (auto progress = storage_.Progress(StorageKey(part.recording_id, part.n, ".webm"))) {
    upload.stored_bytes = progress->stored_bytes;
    upload.error = progress->error;
  }
  auto wait = store_waits_.find(part.recording_id + "/" + std::to_string(part.n));
  if (wait != store_waits_.end() && !wait->second.error.empty()) {
    upload.error = wait->second.error;
  }
  upload.waiting_for_storage = !upload.error.empty();
  part.upload = upload;
}

StorageBacklog RecordingController::Backlog() {
  StorageBacklog backlog;
  std::vector<Part> parts;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, r] : recordings_) {
      for (Part& p : store_.Parts(id)) {
        AddUploadProgress(p);
        if (p.upload) {
          parts.push_back(std::move(p));
        }
      }
    }
  }
  for (const Part& p : parts) { // file sizes outside the lock
    std::error_code ec;
    const uint64_t on_disk = fs::file_size(p.local_path, ec);
    backlog.bytes += ec ? 0 : on_disk - std::min(on_disk, p.upload->stored_bytes);
    if (p.status == PartStatus::kProcessing) {
      ++backlog.parts;
      backlog.waiting_parts += p.upload->waiting_for_storage ? 1 : 0;
    }
  }
  backlog.failed_requests = storage_.FailedRequests();
  return backlog;
}

// Ready when some part is ready and none failed in storing. A part that failed while it was
// recorded (it has an error) is left out: the others play.
void RecordingController::Complete(Recording& r, const std::vector<Part>& parts, double wall_s) {
  const bool store_failed = std::any_of(parts.begin(), parts.end(), [](const Part& p) {
    return p.status == PartStatus::kFailed && p.error.empty();
  });
  const auto ready = std::count_if(parts.begin(), parts.end(),
                                   [](const Part& p) { return p.status == PartStatus::kReady; });
  if (store_failed) {
    state_.Move(r, RecordingStatus::kFailed, wall_s, r.error);
    Notify(r, "recording.failed", wall_s,
           "The recording \"" + r.title + "\" could not be stored, so it cannot be played.",
           r.error);
  } else if (ready == 0) {
    if (r.error.empty()) {
      r.error = "no part was recorded";
    }
    state_.Move(r, RecordingStatus::kFailed, wall_s, r.error);
    Notify(r, "recording.failed", wall_s,
           "The recording \"" + r.title + "\" could not be written, so it cannot be played.",
           r.error);
  } else {
    state_.Move(r, RecordingStatus::kReady, wall_s,
                std::to_string(ready) + " part(s) stored and verified" +
                    (static_cast<size_t>(ready) < parts.size()
                         ? ", " + std::to_string(parts.size() - ready) + " failed"
                         : ""));
    Notify(r, "recording.ready", wall_s,
           "The recording \"" + r.title + "\" is ready to watch in Recorded Sessions.");
  }
}

void RecordingController::FinishRecordings(double wall_s) {
  for (auto it = recordings_.begin(); it != recordings_.end();) {
    Recording& r = it->second;
    if (r.status == RecordingStatus::kProcessing) {
      const auto parts = store_.Parts(r.id);
      const bool pending = std::any_of(parts.begin(), parts.end(), [](const Part& p) {
        return p.status == PartStatus::kRecording || p.status == PartStatus::kProcessing;
      });
      if (!pending) {
        Complete(r, parts, wall_s);
      }
    }
    if (r.status == RecordingStatus::kReady || r.status == RecordingStatus::kFailed) {
      for (auto wait = store_waits_.lower_bound(r.id + "/");
           wait != store_waits_.end() && wait->first.rfind(r.id + "/", 0) == 0;) {
        wait = store_waits_.erase(wait);
      }
      running_.erase(r.id);
      alive_saved_at_.erase(r.id);
      no_part_to_store_.erase(r.id);
      it = recordings_.erase(it);
    } else {
      ++it;
    }
  }
}

} // namespace ssr::control
