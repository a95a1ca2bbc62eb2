#include "server/systemd_notifier.h"

#include "common/log.h"

#include <systemd/sd-daemon.h>

#include <cstdint>

namespace ssr::server {

SystemdNotifier::SystemdNotifier(Health healthy) : healthy_(std::move(healthy)) {}

SystemdNotifier::~SystemdNotifier() {
  {
    std::lock_guard lock(mutex_);
    ending_ = true;
    wake_.notify_all();
  }
  if (pinger_.joinable()) {
    pinger_.join();
  }
}

void SystemdNotifier::Ready() {
  sd_notify(0, "READY=1");
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    const std::chrono::microseconds interval(usec);
    Logger("server")->info("systemd watchdog: a ping every {} ms", usec / 2000);
    pinger_ = std::thread([this, interval] { PingWhileHealthy(interval); });
  }
}

void SystemdNotifier::Stopping() {
  sd_notify(0, "STOPPING=1");
  std::lock_guard lock(mutex_);
  stopping_ = true;
}

void SystemdNotifier::PingWhileHealthy(std::chrono::microseconds interval) {
  bool was_healthy = true;
  std::unique_lock lock(mutex_);
  // Half the interval, as sd_watchdog_enabled(3) advises: a late ping still arrives in time.
  while (!wake_.wait_for(lock, interval / 2, [this] { return ending_; })) {
    const bool stopping = stopping_;
    lock.unlock();
    const bool healthy = stopping || healthy_(interval);
    if (healthy) {
      sd_notify(0, "WATCHDOG=1");
    } else if (was_healthy) {
      Logger("server")->error("systemd watchdog: a server loop has not run for {} ms; no more "
                              "pings until it does",
                              interval.count() / 1000);
    }
    was_healthy = healthy;
    lock.lock();
  }
}

} // namespace ssr::server
