#include "events/bundle_dir.h"

#include "events/event_parser.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace ssr::events {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Writes `text` to `path` through a temporary file and a rename.
void WriteFileAtomically(const fs::path& path, const std::string& text) {
  const fs::path temp = path.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      throw std::runtime_error("cannot write " + temp.string());
    }
  }
  fs::rename(temp, path);
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

} // namespace

BundleDir BundleDir::Create(const fs::path& dir, const SessionInfo& session) {
  BundleDir bundle(dir);
  fs::create_directories(bundle.AssetsDir());
  WriteFileAtomically(
      bundle.SessionFile(),
      nlohmann::json{{"id", session.id}, {"title", session.title}, {"timezone", session.timezone}}
              .dump(2) +
          "\n");
  std::error_code ec;
  if (!fs::exists(bundle.EventsFile(), ec)) {
    std::ofstream events(bundle.EventsFile(), std::ios::app);
    if (!events) {
      throw std::runtime_error("cannot create " + bundle.EventsFile().string());
    }
  }
  return bundle;
}

std::optional<fs::path> BundleDir::FindTrackFile(const std::string& track_id) const {
  if (track_id.empty() || track_id == "." || track_id.find('/') != std::string::npos ||
      track_id.find('\\') != std::string::npos || track_id.find("..") != std::string::npos ||
      track_id.find('\0') != std::string::npos) {
    return std::nullopt;
  }
  std::error_code ec;
  std::vector<fs::path> matches;
  for (fs::directory_iterator it(TracksDir(), ec), end; !ec && it != end; it.increment(ec)) {
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

LogRead ForEachLoggedEvent(const fs::path& events_file,
                           const std::function<bool(Event&& event)>& on_event,
                           const std::function<void(const BadEventLine& bad)>& on_bad_line,
                           const LogReadOptions& options) {
  std::ifstream in(events_file, std::ios::binary);
  if (!in) {
    return LogRead::kCannotOpen;
  }
  std::string text;
  for (int number = 1; std::getline(in, text); ++number) {
    std::string_view line = text;
    if (number == 1 && line.starts_with(kBom)) {
      line.remove_prefix(kBom.size());
    }
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    if (IsBlank(line)) {
      continue;
    }
    if (!options.only_lines_containing.empty() &&
        line.find(options.only_lines_containing) == std::string_view::npos) {
      continue;
    }
    const bool last_without_break = in.eof(); // getline hit the end before a '\n'
    Event event;
    try {
      event = ParseEventLine(line, number);
    } catch (const EventError& error) {
      on_bad_line(BadEventLine{number, error.what(), last_without_break});
      continue;
    }
    if (!on_event(std::move(event))) {
      return LogRead::kRead;
    }
  }
  return in.bad() ? LogRead::kReadError : LogRead::kRead;
}

} // namespace ssr::events
