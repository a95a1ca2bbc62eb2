#include "http/connection_registry.h"

#include <sys/socket.h>

namespace ssr::http {

uint64_t ConnectionRegistry::Add(int fd, const std::string& address) {
  std::lock_guard lock(mutex_);
  const uint64_t id = next_id_++;
  entries_[id] = Entry{fd, false, false, Clock::now(), address};
  return id;
}

size_t ConnectionRegistry::CountFrom(const std::string& address) const {
  std::lock_guard lock(mutex_);
  size_t count = 0;
  for (const auto& [id, e] : entries_) {
    if (e.address == address) {
      ++count;
    }
  }
  return count;
}

void ConnectionRegistry::SetDeadline(uint64_t id, Clock::time_point deadline) {
  std::lock_guard lock(mutex_);
  entries_.at(id).deadline = deadline;
}

void ConnectionRegistry::ClearDeadline(uint64_t id) { SetDeadline(id, Clock::time_point::max()); }

void ConnectionRegistry::Remove(uint64_t id) {
  std::lock_guard lock(mutex_);
  entries_.erase(id);
  if (entries_.empty()) {
    empty_.notify_all();
  }
}

bool ConnectionRegistry::EnterIdle(uint64_t id, bool reapable) {
  std::lock_guard lock(mutex_);
  if (stopping_) {
    return false;
  }
  Entry& e = entries_.at(id);
  e.idle = true;
  e.reapable = reapable;
  e.idle_since = std::chrono::steady_clock::now();
  return true;
}

void ConnectionRegistry::LeaveIdle(uint64_t id) {
  std::lock_guard lock(mutex_);
  entries_.at(id).idle = false;
}

bool ConnectionRegistry::Stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

size_t ConnectionRegistry::Size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void ConnectionRegistry::Stop() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  for (auto& [id, e] : entries_) {
    if (e.idle) {
      ::shutdown(e.fd, SHUT_RDWR); // the blocked read returns; the connection closes
    }
  }
}

void ConnectionRegistry::Reap(Clock::duration idle_timeout) {
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  for (auto& [id, e] : entries_) {
    if (e.idle && e.reapable && now - e.idle_since > idle_timeout) {
      ::shutdown(e.fd, SHUT_RDWR);
      e.idle = false;
    } else if (now > e.deadline) {
      ::shutdown(e.fd, SHUT_RDWR); // the blocked read or write fails; the connection closes
      e.deadline = Clock::time_point::max();
    }
  }
}

void ConnectionRegistry::ShutdownAll() {
  std::lock_guard lock(mutex_);
  for (auto& [id, e] : entries_) {
    ::shutdown(e.fd, SHUT_RDWR);
  }
}

bool ConnectionRegistry::WaitEmpty(std::chrono::steady_clock::duration timeout) {
  std::unique_lock lock(mutex_);
  return empty_.wait_for(lock, timeout, [this] { return entries_.empty(); });
}

void ConnectionRegistry::WaitEmpty() {
  std::unique_lock lock(mutex_);
  empty_.wait(lock, [this] { return entries_.empty(); });
}

} // namespace ssr::http
