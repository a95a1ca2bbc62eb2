// SystemdNotifier against a real unix datagram socket (what systemd listens on): watchdog
// pings go out only while the server's loops are healthy, and during a stop without asking.

#include "server/systemd_notifier.h"

#include "../../support/temp_dir.h"

#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>

namespace ssr::server {
namespace {

using Clock = std::chrono::steady_clock;

// Sets an environment variable for the scope (sd_notify reads the process environment).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() { ::unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

// The messages that arrive on `fd` within `window`.
std::vector<std::string> Collect(int fd, Clock::duration window) {
  std::vector<std::string> got;
  const auto until = Clock::now() + window;
  while (Clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    if (::poll(&p, 1, static_cast<int>(std::max<int64_t>(left, 0))) <= 0)
      continue;
    char buffer[256];
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n > 0)
      got.emplace_back(buffer, static_cast<size_t>(n));
  }
  return got;
}

int Count(const std::vector<std::string>& messages, const std::string& which) {
  return static_cast<int>(std::count(messages.begin(), messages.end(), which));
}

TEST(SystemdNotify, WatchdogPingsOnlyWhileHealthyAndAlwaysWhileStopping) {
  const test::TempDir dir("notifier");
  const std::filesystem::path path = dir / "notify.sock";
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const ScopedEnv socket_env("NOTIFY_SOCKET", path.string());
  const ScopedEnv watchdog_env("WATCHDOG_USEC", "200000"); // a ping every 100 ms

  std::atomic<bool> healthy{false};
  std::atomic<int64_t> asked_within_us{0};
  {
    SystemdNotifier notifier([&](std::chrono::microseconds within) {
      asked_within_us = within.count();
      return healthy.load();
    });
    notifier.Ready();
    const auto unhealthy = Collect(fd, std::chrono::milliseconds(600));
    EXPECT_EQ(unhealthy, std::vector<std::string>{"READY=1"}) << "no ping while a loop is stuck";
    EXPECT_EQ(asked_within_us, 200000) << "healthy within the watchdog interval";

    healthy = true;
    const auto pings = Collect(fd, std::chrono::milliseconds(600));
    EXPECT_GE(Count(pings, "WATCHDOG=1"), 3);
    EXPECT_EQ(Count(pings, "WATCHDOG=1"), static_cast<int>(pings.size()));

    healthy = false; // the loops are being stopped
    notifier.Stopping();
    const auto stopping = Collect(fd, std::chrono::milliseconds(600));
    ASSERT_FALSE(stopping.empty());
    EXPECT_EQ(stopping.front(), "STOPPING=1");
    EXPECT_GE(Count(stopping, "WATCHDOG=1"), 3);
  }
  EXPECT_TRUE(Collect(fd, std::chrono::milliseconds(300)).empty()) << "no ping once destroyed";
  ::close(fd);
}

} // namespace
} // namespace ssr::server
