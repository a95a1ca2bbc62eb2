#pragma once
// The open connections of the server, so that it can stop: each connection says when it is
// idle (waiting for the next request or WebSocket message) and when it is busy. Stop() shuts
// down idle sockets at once; busy ones finish their request and then see Stopping(). Idle
// HTTP connections silent for longer than the idle timeout are shut down too, and so is a
// connection whose deadline passed: a request body or a response write that makes no
// progress in time (the blocking read or write then fails and the connection closes).
// It also counts the connections of each client address, for the per-address cap.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace ssr::http {

class ConnectionRegistry {
 public:
  using Clock = std::chrono::steady_clock;

  // `address`: the client's IP address, for CountFrom.
  uint64_t Add(int fd, const std::string& address);
  void Remove(uint64_t id); // the connection's last act; wakes WaitEmpty

  // Marks the connection idle; false when the server is stopping (close instead).
  // `reapable`: an HTTP connection (closed after the idle timeout); WebSockets are not.
  bool EnterIdle(uint64_t id, bool reapable);
  void LeaveIdle(uint64_t id);
  bool Stopping() const;
  size_t Size() const;
  // How many open connections come from `address`.
  size_t CountFrom(const std::string& address) const;

  // The connection is shut down when `deadline` passes (at the next Reap) unless it is
  // cleared or moved first.
  void SetDeadline(uint64_t id, Clock::time_point deadline);
  void ClearDeadline(uint64_t id);

  void Stop();
  // Shuts down HTTP connections idle for longer than `idle_timeout`, and connections past
  // their deadline.
  void Reap(Clock::duration idle_timeout);
  // Shuts down every connection, busy or not (a stop whose grace period is over).
  void ShutdownAll();
  // False if connections remain after `timeout`.
  bool WaitEmpty(std::chrono::steady_clock::duration timeout);
  void WaitEmpty();

 private:
  struct Entry {
    int fd = -1;
    bool idle = false;
    bool reapable = false;
    std::chrono::steady_clock::time_point idle_since;
    std::string address;
    Clock::time_point deadline = Clock::time_point::max();
  };
  mutable std::mutex mutex_;
  std::condition_variable empty_;
  std::map<uint64_t, Entry> entries_;
  uint64_t next_id_ = 1;
  bool stopping_ = false;
};

} // namespace ssr::http
