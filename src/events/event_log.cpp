#include "events/event_log.h"

#include "common/log.h"
#include "events/bundle_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ssr::events {
namespace {

std::string FormatT(double t) {
  std::ostringstream s;
  s << t;
  return s.str();
}

// True when the file is not empty and its last byte is not '\n'.
bool EndsWithoutLineBreak(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in || in.tellg() <= 0)
    return false;
  in.seekg(-1, std::ios::end);
  return in.get() != '\n';
}

} // namespace

EventLog::EventLog(const std::filesystem::path& path) : path_(path) {
  // Find the last "t" already written (the server may have restarted). A line that does not
  // parse (a torn last line after a crash) does not count.
  ForEachLoggedEvent(
      path_,
      [this](Event&& event) {
        last_t_ = event.t;
        return true;
      },
      [](const BadEventLine&) {});
  // Owner-only: the log holds chat text and participants' names (docs/security.md).
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    throw std::runtime_error("cannot open " + path_.string() +
                             " for appending: " + std::strerror(errno));
  }
  // A last line without its line break (cut short by a crash) must not swallow the next
  // event: the next batch starts with a line break, so the torn line stays a line of its
  // own that readers skip.
  may_end_torn_ = EndsWithoutLineBreak(path_);
}

EventLog::~EventLog() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

void EventLog::WriteAllOrNothing(const std::string& bytes) {
  struct stat before {};
  if (::fstat(fd_, &before) != 0) {
    throw Error(ErrorKind::kUnavailable, "cannot append to " + path_.string() + ": " +
                                             std::strerror(errno) + "; nothing was recorded");
  }
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + written, bytes.size() - written);
    if (n > 0) {
      written += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    const int write_errno = n < 0 ? errno : ENOSPC;
    std::string outcome = "no event of this batch was recorded";
    if (written > 0 && ::ftruncate(fd_, before.st_size) != 0) {
      outcome +=
          std::string(" (a torn line is left: cutting back failed: ") + std::strerror(errno) + ")";
      may_end_torn_ = true;
    } else if (!S_ISREG(before.st_mode)) {
      may_end_torn_ = true; // not a file (a device): what it kept cannot be cut back
    }
    const std::string message =
        "cannot append to " + path_.string() + ": " + std::strerror(write_errno) + "; " + outcome;
    Logger("events")->error("{}", message);
    throw Error(ErrorKind::kUnavailable, message);
  }
}

double EventLog::last_t() const {
  std::lock_guard lock(mutex_);
  return last_t_;
}

std::vector<events::Event> EventLog::Append(const std::vector<nlohmann::json>& batch,
                                            const EventCheck& check) {
  std::lock_guard lock(mutex_);
  double t = last_t_;
  std::string lines;
  std::vector<events::Event> parsed;
  parsed.reserve(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    try {
      events::Event e = events::ParseEvent(batch[i]);
      if (check) {
        check(e);
      }
      if (e.t < t) {
        throw EventLogError(i, "\"t\" " + FormatT(e.t) + " is before the previous event's " +
                                   FormatT(t) + " (t must not go backwards)");
      }
      t = e.t;
      parsed.push_back(std::move(e));
    } catch (const events::EventError& e) {
      throw EventLogError(i, e.what());
    }
    lines += batch[i].dump();
    lines += '\n';
  }
  if (may_end_torn_)
    lines.insert(lines.begin(), '\n');
  WriteAllOrNothing(lines);
  may_end_torn_ = false;
  last_t_ = t;
  return parsed;
}

EventLog& EventLogs::For(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  auto& log = logs_[session_id];
  if (!log) {
    log = std::make_unique<EventLog>(BundleDir(sessions_dir_ / session_id).EventsFile());
  }
  return *log;
}

void EventLogs::Forget(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  logs_.erase(session_id);
}

} // namespace ssr::events
