#include "events/event_log.h"

#include "events/bundle_dir.h"

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
  file_ = std::fopen(path_.c_str(), "a");
  if (file_ == nullptr) {
    throw std::runtime_error("cannot open " + path_.string() + " for appending");
  }
  // A last line without its line break (cut short by a crash) must not swallow the next
  // event: it gets its break now and stays a line of its own that readers skip.
  if (EndsWithoutLineBreak(path_) && (std::fputc('\n', file_) == EOF || std::fflush(file_) != 0)) {
    std::fclose(file_);
    throw std::runtime_error("cannot write " + path_.string());
  }
}

EventLog::~EventLog() {
  if (file_ != nullptr) {
    std::fclose(file_);
  }
}

double EventLog::last_t() const {
  std::lock_guard lock(mutex_);
  return last_t_;
}

std::vector<events::Event> EventLog::Append(const std::vector<nlohmann::json>& batch) {
  std::lock_guard lock(mutex_);
  double t = last_t_;
  std::string lines;
  std::vector<events::Event> parsed;
  parsed.reserve(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    try {
      events::Event e = events::ParseEvent(batch[i]);
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
  if (std::fwrite(lines.data(), 1, lines.size(), file_) != lines.size() ||
      std::fflush(file_) != 0) {
    throw std::runtime_error("cannot write " + path_.string());
  }
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

} // namespace ssr::events
