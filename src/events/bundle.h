#pragma once
// A session bundle loaded for rendering: session.json and every event of events.jsonl,
// checked (events/bundle_dir.h says where the files are).

#include "common/error.h"
#include "events/bundle_dir.h"
#include "events/event.h"

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ssr::events {

// A broken bundle: the message names the file, the line where relevant, and what is wrong,
// e.g. "events.jsonl:7: chat.message: missing field 'text'".
class BundleError : public Error {
 public:
  explicit BundleError(const std::string& message) : Error(ErrorKind::kInvalid, message) {}
};

struct Bundle {
  std::filesystem::path dir;
  SessionInfo session;
  std::vector<Event> events;         // in file order; "t" is non-decreasing
  std::vector<std::string> warnings; // e.g. "events.jsonl:3: unknown event type 'x'; ignored"

  // tracks/ID.* (any extension), if present.
  std::optional<std::filesystem::path> TrackFile(const std::string& track_id) const;
  std::filesystem::path AssetPath(const std::string& name) const {
    return BundleDir(dir).AssetPath(name);
  }
};

// Loads and validates a bundle. Throws BundleError: a missing or unreadable session.json or
// events.jsonl, session.json without a string "title", a line that is not JSON, a known
// event with a missing/mistyped field, or a "t" smaller than the line before.
Bundle LoadBundle(const std::filesystem::path& dir);

} // namespace ssr::events
