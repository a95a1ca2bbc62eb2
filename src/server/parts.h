#pragma once
// The parts of a recording as the library serves them: finding part n and whether it can be
// served yet, and the chapters of a part from its session's events (for storing them beside
// the part). A part is served only when it is ready (stored, hashed); the answer is a value
// so that each route words its own error.

#include "control/recording.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ssr::control {
class RecordingController;
}

namespace ssr::server {

struct PartLookup {
  enum class Found { kReady, kNotReady, kNoSuchPart } found = Found::kNoSuchPart;
  control::Part part; // set unless kNoSuchPart
};

class Parts {
 public:
  explicit Parts(control::RecordingController& controller) : controller_(controller) {}

  PartLookup Find(const std::string& recording_id, int n);
  std::vector<control::Part> All(const std::string& recording_id);

 private:
  control::RecordingController& controller_;
};

// The chapters (WebVTT) of the part of `room` over [start_t, end_t) of a session, from its
// events.jsonl. The log may be growing while it is read (a main-room part is stored while the
// class goes on): a line that does not parse (the one being written) is skipped, and reading
// stops at the part's end.
std::string PartChaptersVtt(const std::filesystem::path& events_jsonl, const std::string& room,
                            double start_t, double end_t);

} // namespace ssr::server
