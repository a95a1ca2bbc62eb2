#pragma once
// `ssr serve`'s transport: listens, and serves each connection on its own thread until
// Stop(), which stops accepting, lets requests in flight finish and closes idle connections,
// WebSockets and notification streams. What the requests reach is the server::App the
// caller built and runs (App::Start before Run, App::Finish after).

#include "http/access_log.h"
#include "http/api.h"
#include "http/caller_resolver.h"
#include "http/connection_registry.h"
#include "http/metrics.h"
#include "server/app.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <chrono>
#include <memory>

namespace ssr::http {

class Server {
 public:
  // Binds the listening socket of app.config().listen. Throws std::runtime_error with a
  // clear message when it cannot.
  explicit Server(server::App& app);

  // Accepts until Stop(); returns when every connection has closed.
  void Run();
  // Thread-safe; not async-signal-safe (call it from a thread that waited for the signal).
  void Stop();

  uint16_t port() const { return port_; }
  // When the loop that closes idle and overdue connections last went round (every second while
  // Run() runs; the systemd watchdog asks).
  std::chrono::steady_clock::time_point LastReap() const { return last_reap_.load(); }

 private:
  const server::ServerConfig& config_;
  CallerResolver callers_;
  Metrics metrics_;
  AccessLog access_log_;
  std::unique_ptr<Api> api_;
  ConnectionRegistry registry_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::chrono::steady_clock::time_point> last_reap_{std::chrono::steady_clock::now()};
  uint16_t port_ = 0;
};

} // namespace ssr::http
