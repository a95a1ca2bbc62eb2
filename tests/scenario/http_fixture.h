#pragma once
// Network fixtures for scenario tests of streams: a small HTTP file server (one directory on
// 127.0.0.1 at a free port, from its own thread, with Content-Length and Range, which
// FFmpeg's http protocol needs to read and seek; cpp-httplib speaks the protocol), a
// listener that never answers (a hung server) and a port where nothing listens.

#include <filesystem>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace ssr::test {

class HttpFixture {
 public:
  // Serves `dir` at http://127.0.0.1:PORT/. Throws std::runtime_error when it cannot bind.
  explicit HttpFixture(const std::filesystem::path& dir);
  ~HttpFixture();
  HttpFixture(const HttpFixture&) = delete;
  HttpFixture& operator=(const HttpFixture&) = delete;

  int port() const { return port_; }
  std::string Url(const std::string& name) const; // http://127.0.0.1:PORT/NAME

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

// Accepts TCP connections on 127.0.0.1 (the kernel completes them) and never answers.
class SilentServer {
 public:
  SilentServer(); // throws std::runtime_error
  ~SilentServer();
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;

  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A port on 127.0.0.1 where nothing listens (bound to find a free one, then closed).
int ClosedPort();

} // namespace ssr::test
