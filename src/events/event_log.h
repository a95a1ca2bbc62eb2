#pragma once
// Appends validated session events to a bundle's events.jsonl, one JSON line per event,
// written straight to the file (no user-space buffer), so the directory is a bundle
// `ssr render` can read at any time. A batch is appended whole or not at all: a write that
// fails part way (a full disk) is cut back to the last good length, so the log never keeps
// half a batch or a torn line.

#include "common/error.h"
#include "events/event_parser.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

namespace ssr::events {

// A batch that cannot be appended: `index` is the 0-based position of the bad event in the
// batch, the message says what is wrong (from events::ParseEvent, or "t" going backwards).
class EventLogError : public Error {
 public:
  EventLogError(size_t index, const std::string& message)
      : Error(ErrorKind::kInvalid, message), index_(index) {}
  size_t index() const { return index_; }

 private:
  size_t index_;
};

// One session's events.jsonl. Thread-safe.
class EventLog {
 public:
  // Opens (creating if needed) the file; the last "t" in it is where the next batch may start.
  explicit EventLog(const std::filesystem::path& path);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Validates every event of the batch (each with events::ParseEvent, "t" non-decreasing
  // from the last appended event), then appends all of them, or none: throws EventLogError
  // for the first bad event and writes nothing. A write that fails (ENOSPC, EFBIG, EIO)
  // throws Error(kUnavailable) saying why, after cutting the file back to its length
  // before the batch. Returns the parsed events. `check`, when given, is a further rule of
  // the caller's for each parsed event (e.g. the stream URL policy); it throws EventError.
  using EventCheck = std::function<void(const Event&)>;
  std::vector<events::Event> Append(const std::vector<nlohmann::json>& batch,
                                    const EventCheck& check = nullptr);

  double last_t() const;

 private:
  const std::filesystem::path path_;
  mutable std::mutex mutex_;
  // Writes `bytes` at the end of the file, all of them or (cut back) none; throws.
  void WriteAllOrNothing(const std::string& bytes);

  int fd_ = -1;
  double last_t_ = 0;
  // A failed write could not be cut back (e.g. the file is a device): the file may end
  // in a torn line, so the next batch starts with a line break of its own.
  bool may_end_torn_ = false;
};

// The open event logs of all sessions, keyed by session id.
class EventLogs {
 public:
  explicit EventLogs(std::filesystem::path sessions_dir) : sessions_dir_(std::move(sessions_dir)) {}
  EventLog& For(const std::string& session_id);
  // Closes a deleted session's log (no EventLog of it may be in use: the intake calls this
  // under the session's order lock).
  void Forget(const std::string& session_id);
  const std::filesystem::path& sessions_dir() const { return sessions_dir_; }

 private:
  const std::filesystem::path sessions_dir_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<EventLog>> logs_;
};

} // namespace ssr::events
