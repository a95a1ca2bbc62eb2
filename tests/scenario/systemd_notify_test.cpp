// `ssr serve` as a systemd Type=notify service, on the real binary: the test plays systemd's
// part, binding the unix datagram socket that NOTIFY_SOCKET names and setting WATCHDOG_USEC,
// and reads what the server sends: READY=1 once its port answers, WATCHDOG=1 again and again
// while it runs, STOPPING=1 when SIGTERM begins a graceful stop.

#include "../support/serve_fixture.h"
#include "../support/spawn.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>

namespace ssr::test {
namespace {

using Clock = std::chrono::steady_clock;

// The datagram socket systemd would listen on.
class NotifySocket {
 public:
  explicit NotifySocket(const std::filesystem::path& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::runtime_error("cannot bind " + path.string());
    }
  }
  ~NotifySocket() { ::close(fd_); }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  // The next datagram, or "" when none comes within `timeout`.
  std::string Receive(Clock::duration timeout) const {
    pollfd p{fd_, POLLIN, 0};
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count();
    if (::poll(&p, 1, static_cast<int>(ms)) <= 0)
      return "";
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "";
  }

  // Datagrams until one is `wanted` (returned with those before it), or `timeout` passes.
  std::vector<std::string> ReceiveUntil(const std::string& wanted, Clock::duration timeout) const {
    std::vector<std::string> got;
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      const std::string message = Receive(deadline - Clock::now());
      if (message.empty())
        continue;
      got.push_back(message);
      if (message == wanted)
        break;
    }
    return got;
  }

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

int ExitStatusWithin(pid_t pid, Clock::duration timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid)
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return -1;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(SystemdNotify, ReadyOnceListeningWatchdogWhileRunningStoppingOnSigterm) {
  const TempDir dir("notify"); // a short path: sun_path holds 108 bytes
  const NotifySocket notify(dir / "notify.sock");
  const int port = FreePort();
  const std::filesystem::path log = dir / "serve.log";
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(log_fd, 0);
  SpawnOptions options;
  options.env = {{"NOTIFY_SOCKET", notify.path().string()},
                 {"WATCHDOG_USEC", "400000"}, // a ping every 200 ms
                 {"SSR_API_KEY", kApiKey},
                 {"SSR_WEB_DIR", (dir / "no-web").string()}};
  options.stdout_fd = log_fd;
  options.stderr_fd = log_fd;
  const pid_t pid = Spawn({SSR_BINARY, "serve", "--listen", "127.0.0.1:" + std::to_string(port),
                           "--data", (dir / "data").string()},
                          options);
  ::close(log_fd);

  // READY=1 is the first thing it says, and then the port answers at once.
  const std::string first = notify.Receive(std::chrono::seconds(30));
  ASSERT_EQ(first, "READY=1") << ReadFile(log);
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1);
  auto live = client.Get("/livez");
  ASSERT_TRUE(live) << "READY=1 came before the port answered";
  EXPECT_EQ(live->status, 200);

  // WATCHDOG=1 every half interval while it runs: about 10 in two seconds.
  int pings = 0;
  const auto until = Clock::now() + std::chrono::seconds(2);
  while (Clock::now() < until) {
    const std::string message = notify.Receive(until - Clock::now());
    if (message.empty())
      continue;
    EXPECT_EQ(message, "WATCHDOG=1");
    pings += message == "WATCHDOG=1" ? 1 : 0;
  }
  EXPECT_GE(pings, 6);
  EXPECT_LE(pings, 14);

  // SIGTERM: STOPPING=1, then a clean exit.
  ::kill(pid, SIGTERM);
  const std::vector<std::string> after =
      notify.ReceiveUntil("STOPPING=1", std::chrono::seconds(10));
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(after.back(), "STOPPING=1") << ReadFile(log);
  EXPECT_EQ(ExitStatusWithin(pid, std::chrono::seconds(20)), 0) << ReadFile(log);
}

// Without a watchdog (no WATCHDOG_USEC) the server says READY=1 and STOPPING=1 and no more.
TEST(SystemdNotify, NoWatchdogPingsUnlessSystemdAsks) {
  const TempDir dir("notify"); // a short path: sun_path holds 108 bytes
  const NotifySocket notify(dir / "notify.sock");
  ServeProcess server(
      std::map<std::string, std::string>{{"NOTIFY_SOCKET", notify.path().string()}});
  EXPECT_EQ(notify.Receive(std::chrono::seconds(5)), "READY=1");
  EXPECT_EQ(notify.Receive(std::chrono::seconds(1)), "");
  ASSERT_EQ(server.StopWith(SIGTERM), 0);
  EXPECT_EQ(notify.Receive(std::chrono::seconds(1)), "STOPPING=1");
}

} // namespace
} // namespace ssr::test
