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

// Reads a whole file; `file` names it in errors ("session.json").
std::string ReadFile(const fs::path& dir, const std::string& file) {
  const fs::path path = dir / file;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    throw BundleError(file + ": missing (expected " + path.string() + ")");
  }
  if (!fs::is_regular_file(path, ec)) {
    throw BundleError(file + ": not a regular file (" + path.string() + ")");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw BundleError(file + ": cannot be read (" + path.string() + ")");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw BundleError(file + ": read error (" + path.string() + ")");
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

SessionInfo LoadSession(const fs::path& dir) {
  const std::string text = ReadFile(dir, "session.json");
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

bool IsBlank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

void LoadEvents(const fs::path& dir, Bundle& bundle) {
  const std::string text = ReadFile(dir, "events.jsonl");
  std::string_view rest = StripBom(text);
  int line_number = 0;
  double last_t = 0;
  int last_line = 0;
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    ++line_number;
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    if (IsBlank(line)) {
      continue;
    }
    Event event;
    try {
      event = ParseEventLine(line, line_number);
    } catch (const EventError& error) {
      throw BundleError("events.jsonl:" + std::to_string(line_number) + ": " + error.what());
    }
    if (last_line > 0 && event.t < last_t) {
      throw BundleError("events.jsonl:" + std::to_string(line_number) + ": \"t\" " +
                        FormatSeconds(event.t) + " is before " + FormatSeconds(last_t) +
                        " on line " + std::to_string(last_line) +
                        " (events must be in order of t)");
    }
    last_t = event.t;
    last_line = line_number;
    if (event.type == EventType::kUnknown) {
      bundle.warnings.push_back("events.jsonl:" + std::to_string(line_number) +
                                ": unknown event type '" + event.type_name + "'; ignored");
      continue;
    }
    bundle.events.push_back(std::move(event));
  }
}

} // namespace

std::optional<fs::path> Bundle::TrackFile(const std::string& track_id) const {
  if (track_id.empty() || track_id == "." || track_id.find('/') != std::string::npos ||
      track_id.find('\\') != std::string::npos || track_id.find("..") != std::string::npos ||
      track_id.find('\0') != std::string::npos) {
    return std::nullopt;
  }
  std::error_code ec;
  std::vector<fs::path> matches;
  for (fs::directory_iterator it(dir / "tracks", ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path name = it->path().filename();
    if (name.stem() == track_id && name.has_extension() && it->is_regular_file(ec)) {
      matches.push_back(it->path());
    }
  }
  if (matches.empty()) {
    return std::nullopt;
  }
  std::sort(matches.begin(), matches.end()); // the same choice on every run
  return matches.front();
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
  bundle.session = LoadSession(dir);
  LoadEvents(dir, bundle);
  return bundle;
}

} // namespace ssr::events
