#pragma once
// Recordings started and stopped by hand through the API, one part per start/stop, written
// by the session's live recorder into DATA/recordings/{rid}/part-N.webm with a
// recording.json beside it. A part still marked "recording" when the server starts was cut
// by a crash: Recover() rewrites it (record::RecoverPart) and publishes it.
// Recording control (countdown, retries, pauses, rollover, notifications) builds on this.

#include "live/session_runtime.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace ssr::live {

class Recordings {
 public:
  Recordings(std::filesystem::path recordings_dir, SessionRuntimes& runtimes);

  // Finishes the parts that a crash left unfinished. Call once at start.
  void Recover();

  // Starts recording `room` of a session now; returns the recording as JSON.
  nlohmann::json Start(const std::string& session_id, const std::string& room,
                       const std::string& title);
  // Stops it (the part is finished, playable); nullopt when there is no such recording.
  std::optional<nlohmann::json> Stop(const std::string& recording_id);
  std::optional<nlohmann::json> Get(const std::string& recording_id);
  // The file of part n (1-based), when it is ready.
  std::optional<std::filesystem::path> PartFile(const std::string& recording_id, int n);

  // Stops every running recording into playable parts (server stop).
  void StopAll();

 private:
  std::optional<nlohmann::json> Load(const std::string& recording_id) const;
  void Save(const nlohmann::json& recording) const;
  std::filesystem::path Dir(const std::string& recording_id) const { return dir_ / recording_id; }

  const std::filesystem::path dir_;
  SessionRuntimes& runtimes_;
  std::mutex mutex_;
};

}  // namespace ssr::live
