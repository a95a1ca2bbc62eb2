#pragma once
// Raw tracks are the largest files of a session (every webcam and microphone as received) and
// nothing needs them once its recordings are made, but `ssr render` of the bundle. The
// organization's `raw_track_retention_days` (0: kept for ever) says how long they stay after
// the session's last activity: the newest of events.jsonl and its track files. Then
// `sessions/<sid>/tracks/` is removed; events, assets and recordings stay
// (docs/security.md, "Retention").

#include <filesystem>
#include <set>
#include <string>

namespace ssr::server {

class RawTrackPurge {
 public:
  explicit RawTrackPurge(std::filesystem::path sessions_dir)
      : sessions_dir_(std::move(sessions_dir)) {}

  // Removes the tracks of every session idle for longer than `retention_days` at `now_s`
  // (Unix seconds), except those of `recording_sessions` (a recording not finished may
  // still need them). Returns how many sessions lost their tracks. Throws std::runtime_error
  // when a directory cannot be read or a file removed (what was removed stays removed).
  size_t Purge(double now_s, int retention_days, const std::set<std::string>& recording_sessions);

 private:
  const std::filesystem::path sessions_dir_;
};

} // namespace ssr::server
