#include "serve_fixture.h"

#include "test_database.h"

#include "spawn.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace ssr::test {

namespace fs = std::filesystem;

std::string ServeHost() {
  const char* netns_address = std::getenv("SSR_NETNS_ADDR_A");
  return netns_address != nullptr && *netns_address != '\0' ? netns_address : "127.0.0.1";
}

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot bind a free port");
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

ServeProcess::ServeProcess(std::map<std::string, std::string> env, const fs::path& data_dir) {
  data_dir_ = data_dir.empty() ? temp_dir_ / "data" : data_dir;
  port_ = FreePort();
  const std::string listen = ServeHost() + ":" + std::to_string(port_);
  const std::string log = (temp_dir_ / "serve.log").string();
  const std::string data = data_dir_.string();
  // No web app unless a test gives one: the source tree's web/dist may or may not be built.
  const std::string no_web = (temp_dir_ / "no-web").string();
  // stdout goes to the log too: a child left running must not hold the test runner's pipe.
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0)
    throw std::runtime_error("cannot create " + log);
  env.emplace("SSR_WEB_DIR", no_web);
  env.emplace("SSR_API_KEY", kApiKey);
  if (TestOnPostgres()) { // the data directory's own database, on the test server
    env.emplace("SSR_DATABASE_URL", TestDatabase(data_dir_ / "ssr.db"));
  }
  SpawnOptions options{env, log_fd, log_fd};
  pid_ = Spawn({SSR_BINARY, "serve", "--listen", listen, "--data", data}, options);
  ::close(log_fd);
  WaitUntilLive();
}

void ServeProcess::WaitUntilLive() {
  // Generous: a sanitized build on a loaded 2-core machine starts slowly; a live server
  // answers at once.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    httplib::Client cli = Client();
    cli.set_connection_timeout(1);
    if (auto res = cli.Get("/livez"); res && res->status == 200) {
      return;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("ssr serve exited at start: " + Log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
  throw std::runtime_error("ssr serve did not answer /livez within 30 s: " + Log());
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::string ServeProcess::Log() const {
  std::ifstream in(temp_dir_ / "serve.log");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

long ServeProcess::PeakRssKiB() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) == 0)
      return std::stol(line.substr(6));
  }
  return -1;
}

int ServeProcess::StopWith(int signal, double timeout_s) {
  ::kill(pid_, signal);
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int>(timeout_s * 1000));
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

httplib::Client ServeProcess::Client() const {
  httplib::Client cli(ServeHost(), port_);
  cli.set_read_timeout(30);
  return cli;
}

httplib::Headers ServeProcess::Auth(const std::string& key) const {
  return {{"Authorization", "Bearer " + key}};
}

httplib::Result ServeProcess::CreateSession(const nlohmann::json& body) {
  return Client().Post("/api/v1/sessions", Auth(), body.dump(), "application/json");
}

httplib::Result ServeProcess::PostEvents(const std::string& sid, const nlohmann::json& body) {
  return Client().Post("/api/v1/sessions/" + sid + "/events", Auth(), body.dump(),
                       "application/json");
}

std::string RawExchange(int port, const std::string& bytes) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "";
  }
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0)
      break;
    sent += static_cast<size_t>(n);
  }
  std::string answer;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0)
      continue;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    answer.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return answer;
}

double MetricValue(ServeProcess& server, const std::string& name) {
  auto res = server.Client().Get("/metrics", server.Auth());
  if (!res)
    return -1;
  std::istringstream in(res->body);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name + " ", 0) == 0)
      return std::stod(line.substr(name.size() + 1));
  }
  return -1;
}

} // namespace ssr::test
