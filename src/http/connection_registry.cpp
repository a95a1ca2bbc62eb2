#include "http/connection_registry.h"

#include <sys/socket.h>

namespace ssr::http {

uint64_t ConnectionRegistry::Add(int fd) {
  std::lock_guard lock(mutex_);
  const uint64_t id = next_id_++;
  entries_[id] = Entry{fd, false, false, std::chrono::steady_clock::now()};
  return id;
}

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

void ConnectionRegistry::ReapIdle(std::chrono::steady_clock::duration timeout) {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  for (auto& [id, e] : entries_) {
    if (e.idle && e.reapable && now - e.idle_since > timeout) {
      ::shutdown(e.fd, SHUT_RDWR);
      e.idle = false;
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
