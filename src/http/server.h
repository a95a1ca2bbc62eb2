#pragma once
// `ssr serve`: opens the data directory and the database, listens, and serves each
// connection on its own thread until Stop(), which stops accepting, lets requests in flight
// finish and closes idle connections and WebSockets.

#include "http/api.h"
#include "http/connection_registry.h"
#include "http/metrics.h"
#include "http/server_config.h"
#include "ingest/event_log.h"
#include "store/session_store.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <memory>

namespace ssr::http {

class Server {
 public:
  // Creates DATA/ and DATA/sessions/, opens DATA/ssr.db and binds the listening socket.
  // Throws std::runtime_error (store::StoreError, a bind failure) with a clear message.
  explicit Server(ServerConfig config);
  ~Server();

  // Accepts until Stop(); returns when every connection has closed.
  void Run();
  // Thread-safe; not async-signal-safe (call it from a thread that waited for the signal).
  void Stop();

  uint16_t port() const { return port_; }

 private:
  const ServerConfig config_;
  std::unique_ptr<store::SessionStore> store_;
  std::unique_ptr<ingest::EventLogs> logs_;
  std::unique_ptr<live::SessionRuntimes> runtimes_;
  std::unique_ptr<live::Recordings> recordings_;
  Metrics metrics_;
  std::unique_ptr<Api> api_;
  ConnectionRegistry registry_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  uint16_t port_ = 0;
};

}  // namespace ssr::http
