#include "http_fixture.h"

#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace ssr::test {

namespace {

// A TCP socket bound to 127.0.0.1 at a free port; `listen_backlog` >= 0 also listens.
int BindLoopback(int listen_backlog, int* port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      (listen_backlog >= 0 && listen(fd, listen_backlog) != 0) ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string error = std::strerror(errno);
    close(fd);
    throw std::runtime_error("bind 127.0.0.1: " + error);
  }
  *port = ntohs(addr.sin_port);
  return fd;
}

} // namespace

HttpFixture::HttpFixture(const std::filesystem::path& dir)
    : server_(std::make_unique<httplib::Server>()) {
  if (!server_->set_mount_point("/", dir.string())) {
    throw std::runtime_error("http fixture: cannot serve " + dir.string());
  }
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) {
    throw std::runtime_error("http fixture: cannot bind 127.0.0.1");
  }
  // Bound and listening already: connections made before the loop starts simply wait.
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() before the loop runs would be lost and leave it in accept() for ever: a test that
  // ends at once would then hang in the destructor.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server_->is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

HttpFixture::~HttpFixture() {
  server_->stop();
  thread_.join();
}

std::string HttpFixture::Url(const std::string& name) const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/" + name;
}

SilentServer::SilentServer() { fd_ = BindLoopback(16, &port_); }

SilentServer::~SilentServer() { close(fd_); }

int ClosedPort() {
  int port = 0;
  close(BindLoopback(-1, &port));
  return port;
}

} // namespace ssr::test
