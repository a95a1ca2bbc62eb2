#pragma once
// Crash recovery of a recorded part: a WebM whose writer was killed has its clusters on disk
// (1 s each, flushed as written) but no cues (seek index) and no duration, and may end in a
// half-written cluster. RecoverPart copies every complete packet into a new WebM with cues
// and duration, so the part plays and seeks; at most the last unflushed second is lost.

#include "common/error.h"

#include <filesystem>
#include <stdexcept>

namespace ssr::record {

struct RecoveryResult {
  double duration_s = 0; // of the recovered file
  int64_t packets = 0;   // packets copied
};

class RecoveryError : public Error {
 public:
  explicit RecoveryError(const std::string& message) : Error(ErrorKind::kInvalid, message) {}
};

// Writes the recovered part to `out` (through a temporary file renamed at the end, so `out`
// is either absent or complete). Throws RecoveryError when `in` holds no readable media.
RecoveryResult RecoverPart(const std::filesystem::path& in, const std::filesystem::path& out);

} // namespace ssr::record
