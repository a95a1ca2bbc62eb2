#include "events/bundle.h"

#include "events/event_parser.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <system_error>

namespace ssr::events {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string FormatSeconds(double t) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", t);
  return buffer;
}

// Throws unless `file` of the bundle is there and a regular file; `file` names it in errors.
fs::path ExistingFile(const BundleDir& bundle, const char* file) {
  fs::path path = bundle.path() / file;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    throw BundleError(std::string(file) + ": missing (expected " + path.string() + ")");
  }
  if (!fs::is_regular_file(path, ec)) {
    throw BundleError(std::string(file) + ": not a regular file (" + path.string() + ")");
  }
  return path;
}

// Reads a whole file of the bundle ("session.json").
std::string ReadFile(const BundleDir& bundle, const char* file) {
  const fs::path path = ExistingFile(bundle, file);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw BundleError(std::string(file) + ": cannot be read (" + path.string() + ")");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw BundleError(std::string(file) + ": read error (" + path.string() + ")");
  }
  return text.str();
}

std::string_view StripBom(std::string_view text) {
  return text.starts_with(kBom) ? text.substr(kBom.size()) : text;
}

std::string OptionalString(const json& object, const char* field, std::string fallback) {
  const auto value = object.find(field);
  if (value == object.end() || value->is_null()) {
    return fallback;
  }
  if (!value->is_string()) {
    throw BundleError(std::string("session.json: field '") + field + "' must be a string");
  }
  return value->get<std::string>();
}

SessionInfo LoadSession(const BundleDir& bundle) {
  const std::string text = ReadFile(bundle, BundleDir::kSessionFile);
  json object;
  try {
    object = json::parse(StripBom(text));
  } catch (const json::exception& error) {
    std::string reason = error.what(); // "[json.exception.parse_error.101] parse error at..."
    if (const auto tag_end = reason.find("] ");
        reason.starts_with("[json.") && tag_end != std::string::npos) {
      reason = reason.substr(tag_end + 2);
    }
    throw BundleError("session.json: not JSON: " + reason);
  }
  if (!object.is_object()) {
    throw BundleError("session.json: must be a JSON object");
  }
  SessionInfo info;
  const auto title = object.find("title");
  if (title == object.end()) {
    throw BundleError("session.json: missing required field 'title'");
  }
  if (!title->is_string()) {
    throw BundleError("session.json: field 'title' must be a string");
  }
  info.title = title->get<std::string>();
  info.id = OptionalString(object, "id", "");
  info.timezone = OptionalString(object, "timezone", info.timezone);
  return info;
}

// Every event of events.jsonl, in order; the first bad line or "t" going back stops the load.
void LoadEvents(const BundleDir& dir, Bundle& bundle) {
  const fs::path path = ExistingFile(dir, BundleDir::kEventsFile);
  const std::string file = BundleDir::kEventsFile;
  const std::string where = file + ":";
  double last_t = 0;
  int last_line = 0;
  const auto on_event = [&](Event&& event) {
    if (last_line > 0 && event.t < last_t) {
      throw BundleError(where + std::to_string(event.line) + ": \"t\" " + FormatSeconds(event.t) +
                        " is before " + FormatSeconds(last_t) + " on line " +
                        std::to_string(last_line) + " (events must be in order of t)");
    }
    last_t = event.t;
    last_line = event.line;
    if (event.type == EventType::kUnknown) {
      bundle.warnings.push_back(where + std::to_string(event.line) + ": unknown event type '" +
                                event.type_name + "'; ignored");
    } else {
      bundle.events.push_back(std::move(event));
    }
    return true;
  };
  const auto on_bad_line = [&](const BadEventLine& bad) {
    throw BundleError(where + std::to_string(bad.line) + ": " + bad.error);
  };
  switch (ForEachLoggedEvent(path, on_event, on_bad_line)) {
  case LogRead::kRead:
    return;
  case LogRead::kCannotOpen:
    throw BundleError(file + ": cannot be read (" + path.string() + ")");
  case LogRead::kReadError:
    throw BundleError(file + ": read error (" + path.string() + ")");
  }
}

} // namespace

std::optional<fs::path> Bundle::TrackFile(const std::string& track_id) const {
  return BundleDir(dir).FindTrackFile(track_id);
}

Bundle LoadBundle(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    throw BundleError(dir.string() + ": bundle directory does not exist");
  }
  if (!fs::is_directory(dir, ec)) {
    throw BundleError(dir.string() + ": not a directory (a bundle is a directory)");
  }
  Bundle bundle;
  bundle.dir = dir;
  bundle.session = LoadSession(BundleDir(dir));
  LoadEvents(BundleDir(dir), bundle);
  return bundle;
}

} // namespace ssr::events
