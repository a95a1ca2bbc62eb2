#include "http/server.h"

#include "common/log.h"
#include "http/connection.h"

#include <sys/socket.h>

#include <condition_variable>
#include <thread>

namespace ssr::http {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

ServerConfig WithDefaults(ServerConfig config) {
  if (config.rtp_bind_address.empty()) config.rtp_bind_address = config.host();
  return config;
}

live::RuntimeOptions RuntimeOptionsOf(const ServerConfig& config) {
  live::RuntimeOptions options;
  options.recorder_latency_s = config.live_latency_ms / 1000.0;
  options.whip.jitter_latency_ms = config.jitter_buffer_ms;
  options.rtp.jitter_latency_ms = config.jitter_buffer_ms;
  options.rtp.bind_address = config.rtp_bind_address;
  options.rtp.port_min = config.rtp_port_min;
  options.rtp.port_max = config.rtp_port_max;
  return options;
}

}  // namespace

Server::Server(ServerConfig config) : config_(WithDefaults(std::move(config))), acceptor_(io_) {
  std::filesystem::create_directories(config_.data_dir / "sessions");
  store_ = std::make_unique<store::SessionStore>(config_.data_dir / "ssr.db");
  logs_ = std::make_unique<ingest::EventLogs>(config_.data_dir / "sessions");
  runtimes_ = std::make_unique<live::SessionRuntimes>(config_.data_dir / "sessions",
                                                      RuntimeOptionsOf(config_));
  recordings_ = std::make_unique<live::Recordings>(config_.data_dir / "recordings", *runtimes_);
  // Parts a crash (kill -9) left unfinished are rewritten and published before serving.
  recordings_->Recover();
  api_ = std::make_unique<Api>(config_, *store_, *logs_, metrics_, *runtimes_, *recordings_);

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

Server::~Server() {
  if (runtimes_) runtimes_->ShutdownAll();
}

void Server::Run() {
  auto log = Logger("http");
  log->info("listening on {}:{}, data in {}", config_.host(), port_, config_.data_dir.string());

  // Closes HTTP connections that stay silent past the idle timeout.
  std::mutex reaper_mutex;
  std::condition_variable reaper_wake;
  std::thread reaper([&] {
    std::unique_lock lock(reaper_mutex);
    while (!reaper_wake.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_.load(); })) {
      registry_.ReapIdle(std::chrono::seconds(config_.idle_timeout_s));
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
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // e.g. out of descriptors
      continue;
    }
    if (registry_.Size() >= static_cast<size_t>(config_.max_connections)) {
      log->warn("refusing a connection: {} open", registry_.Size());
      RefuseConnection(socket, metrics_);
      continue;
    }
    const uint64_t id = registry_.Add(socket.native_handle());
    auto connection =
        std::make_unique<Connection>(std::move(socket), id, *api_, registry_, metrics_);
    std::thread([this, id, connection = std::move(connection)]() mutable {
      connection->Run();
      connection.reset();  // the socket is gone before Run() may return and io_ end
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
  // Recordings in progress end as playable parts; ingest and raw track files are closed.
  recordings_->StopAll();
  runtimes_->ShutdownAll();
  log->info("stopped");
}

void Server::Stop() {
  stopping_ = true;
  ::shutdown(acceptor_.native_handle(), SHUT_RDWR);  // wakes the blocked accept()
  registry_.Stop();
}

}  // namespace ssr::http
