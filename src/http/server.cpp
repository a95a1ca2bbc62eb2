#include "http/server.h"

#include "common/log.h"
#include "http/connection.h"

#include <sys/socket.h>

#include <condition_variable>
#include <thread>

namespace ssr::http {

namespace asio = boost::asio;
using asio::ip::tcp;

Server::Server(server::App& app)
    : config_(app.config()),
      callers_(config_.api_key, app.jwt(), app.accounts(), config_.cookie_secure),
      access_log_(config_.access_log), acceptor_(io_) {
  api_ = std::make_unique<Api>(app, metrics_, callers_);
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(config_.host(), ec);
  if (ec) {
    throw std::runtime_error("listen: '" + config_.host() + "' is not an IP address");
  }
  const tcp::endpoint endpoint(address, config_.port());
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + config_.listen + ": " + ec.message());
  }
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

void Server::Run() {
  auto log = Logger("http");
  log->info("listening on {}:{}, data in {}", config_.host(), port_, config_.data_dir.string());

  // Closes HTTP connections that stay silent past the idle timeout, and connections whose
  // body read or response write is past its deadline (Connection::Deadline).
  std::mutex reaper_mutex;
  std::condition_variable reaper_wake;
  std::thread reaper([&] {
    std::unique_lock lock(reaper_mutex);
    while (!reaper_wake.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_.load(); })) {
      registry_.Reap(std::chrono::seconds(config_.idle_timeout_s));
      last_reap_ = std::chrono::steady_clock::now();
    }
  });

  while (!stopping_) {
    tcp::socket socket(io_);
    boost::system::error_code ec;
    acceptor_.accept(socket, ec);
    if (ec) {
      if (stopping_) {
        break;
      }
      log->warn("accept: {}", ec.message());
      std::this_thread::sleep_for(std::chrono::milliseconds(50)); // e.g. out of descriptors
      continue;
    }
    if (registry_.Size() >= static_cast<size_t>(config_.max_connections)) {
      log->warn("refusing a connection: {} open", registry_.Size());
      RefuseConnection(socket, metrics_, access_log_, "the server has too many open connections");
      continue;
    }
    const std::string address = socket.remote_endpoint(ec).address().to_string();
    if (registry_.CountFrom(address) >= static_cast<size_t>(config_.max_connections_per_address)) {
      log->warn("refusing a connection from {}: {} open from there", address,
                registry_.CountFrom(address));
      RefuseConnection(socket, metrics_, access_log_, "this address has too many open connections");
      continue;
    }
    const uint64_t id = registry_.Add(socket.native_handle(), address);
    auto connection =
        std::make_unique<Connection>(std::move(socket), id, *api_, registry_, metrics_, access_log_,
                                     std::chrono::seconds(config_.request_timeout_s));
    std::thread([this, id, connection = std::move(connection)]() mutable {
      connection->Run();
      connection.reset(); // the socket is gone before Run() may return and io_ end
      registry_.Remove(id);
    }).detach();
  }
  log->info("stopping: waiting up to {} s for requests in flight", config_.shutdown_grace_s);
  if (!registry_.WaitEmpty(std::chrono::seconds(config_.shutdown_grace_s))) {
    log->warn("stopping: {} connection(s) still busy after {} s; closing them", registry_.Size(),
              config_.shutdown_grace_s);
    registry_.ShutdownAll();
    registry_.WaitEmpty();
  }
  {
    std::lock_guard lock(reaper_mutex);
    reaper_wake.notify_all();
  }
  reaper.join();
}

void Server::Stop() {
  stopping_ = true;
  ::shutdown(acceptor_.native_handle(), SHUT_RDWR); // wakes the blocked accept()
  registry_.Stop();
}

} // namespace ssr::http
