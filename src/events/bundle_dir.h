#pragma once
// Where the files of a session bundle are, and the one reader of its events.jsonl.
//
// A bundle is one directory per session (DATA/sessions/ID under `ssr serve`, any directory
// for `ssr render`; docs/session-events.md, "The bundle"):
//   session.json      id, title and time zone, written once when the session is created
//   events.jsonl      the session's events, one JSON object a line, appended as they come
//   assets/           files the events name (slides, videos, images)
//   tracks/           live tracks' media as received, TRACK.EXT
//   live-clock.json   the live session clock's anchor, so that a restart keeps session time
// Code that needs one of these asks BundleDir, so the layout is written down here only; and
// everything that walks events.jsonl (the render loader, the event log, the live runtime's
// replay, the role index, part chapters) does it through ForEachLoggedEvent, so lines are
// split, numbered and parsed the same way everywhere.

#include "events/event.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ssr::events {

// What session.json holds.
struct SessionInfo {
  std::string id;
  std::string title; // required
  std::string timezone = "UTC";
};

class BundleDir {
 public:
  static constexpr const char* kSessionFile = "session.json";
  static constexpr const char* kEventsFile = "events.jsonl";
  static constexpr const char* kAssetsDir = "assets";
  static constexpr const char* kTracksDir = "tracks";
  static constexpr const char* kLiveClockFile = "live-clock.json";

  explicit BundleDir(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // Makes the bundle of a new session in `dir`: assets/, session.json (written to a
  // temporary file and renamed, so a reader never sees half of it) and an empty
  // events.jsonl (one already there is kept: its events are the session's). Throws
  // std::runtime_error or std::filesystem::filesystem_error when the disk says no.
  static BundleDir Create(const std::filesystem::path& dir, const SessionInfo& session);

  const std::filesystem::path& path() const { return dir_; }
  std::filesystem::path SessionFile() const { return dir_ / kSessionFile; }
  std::filesystem::path EventsFile() const { return dir_ / kEventsFile; }
  std::filesystem::path AssetsDir() const { return dir_ / kAssetsDir; }
  std::filesystem::path AssetPath(std::string_view name) const { return AssetsDir() / name; }
  std::filesystem::path TracksDir() const { return dir_ / kTracksDir; }
  std::filesystem::path LiveClockFile() const { return dir_ / kLiveClockFile; }

  // tracks/TRACK.* (any extension; the first by name when there are several), if there is
  // one. nullopt too for an id that is not a plain file name ('/', '\\', "..", NUL).
  std::optional<std::filesystem::path> FindTrackFile(const std::string& track_id) const;

 private:
  std::filesystem::path dir_;
};

// A line of events.jsonl that is not an event: not JSON, or a known type with a missing or
// mistyped field (events::EventError's message).
struct BadEventLine {
  int line = 0;      // 1-based
  std::string error; // e.g. "not JSON: ..." or "chat.message: missing field 'text'"
  // The file's last line, without a line break: a write cut short by a crash, or the line
  // being appended while the log is read.
  bool torn = false;
};

enum class LogRead {
  kRead,       // read to the end, or to where on_event stopped it
  kCannotOpen, // missing, or cannot be opened: nothing was called
  kReadError,  // reading failed part way (what was read was passed on)
};

struct LogReadOptions {
  // When not empty, lines that do not contain this text are skipped without being parsed
  // (a fast first pass for readers that want a few types, e.g. "\"participant.").
  std::string_view only_lines_containing;
};

// Reads an events.jsonl line by line, in file order. A UTF-8 BOM, a '\r' before the line
// break and blank lines are skipped; every other line is parsed with events::ParseEventLine
// (so events carry their line number, and unknown types come as EventType::kUnknown) and
// handed to `on_event`, or to `on_bad_line` when it does not parse. `on_event` returns
// false to stop reading. Nothing is checked across lines ("t" order is the caller's
// business). Exceptions from the callbacks propagate.
LogRead ForEachLoggedEvent(const std::filesystem::path& events_file,
                           const std::function<bool(Event&& event)>& on_event,
                           const std::function<void(const BadEventLine& bad)>& on_bad_line,
                           const LogReadOptions& options = {});

} // namespace ssr::events
