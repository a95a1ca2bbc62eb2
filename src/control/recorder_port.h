#pragma once
// What recording control asks of the live recorder. The live runtime implements it; tests use
// an in-memory implementation that records the calls and can be told to fail.

#include "control/part_video.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace ssr::control {

// What a finished part cost: frames on its clock, those shed to keep up with the wall clock
// (graceful overload), those finished late.
struct PartStats {
  int64_t frames = 0;
  int64_t shed_frames = 0;
  int64_t late_frames = 0;
};

class RecorderPort {
 public:
  virtual ~RecorderPort() = default;
  // Begins writing part `n` of recording `recording_id` for `room` from session time `start_t`
  // into `webm_path` (+ .vtt beside it), at `video`'s size, frame rate and bitrate. Throws
  // std::runtime_error when the recorder is unavailable.
  virtual void StartPart(const std::string& recording_id, int n, const std::string& room,
                         const std::filesystem::path& webm_path, double start_t,
                         const PartVideo& video) = 0;
  // true once that part's recorder runs and media or events of the room flow.
  virtual bool Flowing(const std::string& recording_id) = 0;
  // Ends the running part exactly at session time `end_t` (frames up to end_t, no more) and
  // returns when the file is finished and playable, with what the part cost.
  virtual PartStats StopPart(const std::string& recording_id, double end_t) = 0;
  // Why the running part of the recording failed (disk full, an encoder error), once it has:
  // it then writes nothing more and waits for StopPart. nullopt while it is well (or none runs).
  virtual std::optional<std::string> PartError(const std::string& /*recording_id*/) {
    return std::nullopt;
  }
};

} // namespace ssr::control
