#include "server/raw_track_purge.h"

#include "common/log.h"
#include "events/bundle_dir.h"

#include <sys/stat.h>

#include <algorithm>
#include <stdexcept>
#include <system_error>

namespace ssr::server {
namespace {

namespace fs = std::filesystem;

// Modification time in Unix seconds; 0 when the file is not there.
double ModifiedAt(const fs::path& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0)
    return 0;
  return static_cast<double>(info.st_mtim.tv_sec) + static_cast<double>(info.st_mtim.tv_nsec) / 1e9;
}

// The newest of the session's event log and its track files.
double LastActivity(const events::BundleDir& bundle) {
  double last = ModifiedAt(bundle.EventsFile());
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(bundle.TracksDir(), ec))
    last = std::max(last, ModifiedAt(entry.path()));
  if (ec)
    throw std::runtime_error("cannot list " + bundle.TracksDir().string() + ": " + ec.message());
  return last;
}

} // namespace

size_t RawTrackPurge::Purge(double now_s, int retention_days,
                            const std::set<std::string>& recording_sessions) {
  if (retention_days <= 0)
    return 0;
  const double idle_since = now_s - static_cast<double>(retention_days) * 86400.0;
  size_t purged = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(sessions_dir_, ec)) {
    const std::string session_id = entry.path().filename().string();
    const events::BundleDir bundle(entry.path());
    if (recording_sessions.count(session_id) != 0 || !fs::is_directory(bundle.TracksDir()))
      continue;
    const double last = LastActivity(bundle);
    if (last > idle_since)
      continue;
    std::error_code removed;
    const auto files = fs::remove_all(bundle.TracksDir(), removed);
    if (removed) {
      throw std::runtime_error("cannot remove " + bundle.TracksDir().string() + ": " +
                               removed.message());
    }
    Logger("store")->info("retention: session {}: raw tracks removed ({} file(s); last activity "
                          "{:.1f} days ago, raw_track_retention_days {})",
                          session_id, files > 0 ? files - 1 : 0, (now_s - last) / 86400.0,
                          retention_days);
    ++purged;
  }
  if (ec)
    throw std::runtime_error("cannot list " + sessions_dir_.string() + ": " + ec.message());
  return purged;
}

} // namespace ssr::server
