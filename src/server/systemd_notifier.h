#pragma once
// Tells systemd how `ssr serve` is doing when it runs as a Type=notify service
// (deploy/systemd/ssr.service), through libsystemd's sd_notify: READY=1 once it listens,
// WATCHDOG=1 at half of WatchdogSec while the server's loops run, STOPPING=1 when a graceful
// stop begins. Outside systemd (no NOTIFY_SOCKET) every call does nothing.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace ssr::server {

class SystemdNotifier {
 public:
  // `healthy(interval)`: whether the loops the watchdog vouches for still go round
  // (`interval` is the watchdog's, WatchdogSec). A server stuck in a deadlock stops the pings,
  // and systemd restarts it once WatchdogSec passes without one.
  using Health = std::function<bool(std::chrono::microseconds within)>;
  explicit SystemdNotifier(Health healthy);
  ~SystemdNotifier(); // ends the pings
  SystemdNotifier(const SystemdNotifier&) = delete;
  SystemdNotifier& operator=(const SystemdNotifier&) = delete;

  // READY=1; then, if systemd asked for a watchdog (WATCHDOG_USEC), pings on a thread.
  void Ready();
  // STOPPING=1. Pings go on without asking `healthy` (the loops are being stopped): how long
  // a stop may take is TimeoutStopSec's business.
  void Stopping();

 private:
  void PingWhileHealthy(std::chrono::microseconds interval);

  Health healthy_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool ending_ = false;
  std::thread pinger_;
};

} // namespace ssr::server
