#pragma once
// `ssr serve`: opens the data directory and the database, listens, and serves each
// connection on its own thread until Stop(), which stops accepting, lets requests in flight
// finish and closes idle connections, WebSockets and notification streams. Recording control
// runs beside it: a ticker thread (timers), a storing thread (parts to storage) and the
// webhook sender; a stop ends running recordings as stored, ready parts before it returns.

#include "notify/notification_hub.h"
#include "control/recording_controller.h"
#include "control/recording_store.h"
#include "storage/storage_backend.h"
#include "notify/webhook_outbox.h"
#include "notify/webhook_sender.h"
#include "http/api.h"
#include "http/connection_registry.h"
#include "http/metrics.h"
#include "server/config.h"
#include "auth/jwt_verifier.h"
#include "http/caller_resolver.h"
#include "events/event_log.h"
#include "library/account_store.h"
#include "library/recording_library.h"
#include "library/role_index.h"
#include "library/sharing_store.h"
#include "library/watch_store.h"
#include "store/session_store.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace ssr::http {

class Server {
 public:
  // Creates DATA/ and DATA/sessions/, opens DATA/ssr.db and binds the listening socket.
  // Throws std::runtime_error (store::StoreError, a bind failure) with a clear message.
  explicit Server(server::ServerConfig config);
  ~Server();

  // Accepts until Stop(); returns when every connection has closed.
  void Run();
  // Thread-safe; not async-signal-safe (call it from a thread that waited for the signal).
  void Stop();

  uint16_t port() const { return port_; }

 private:
  const server::ServerConfig config_;
  std::unique_ptr<store::Database> database_;  // DATA/ssr.db: one connection, every store's
  std::unique_ptr<store::SessionStore> store_;
  std::unique_ptr<events::EventLogs> logs_;
  std::unique_ptr<live::SessionRuntimes> runtimes_;
  std::unique_ptr<control::RecordingStore> control_store_;
  std::unique_ptr<notify::WebhookOutbox> outbox_;
  std::unique_ptr<storage::StorageBackend> storage_;
  std::unique_ptr<notify::NotificationHub> hub_;
  std::unique_ptr<live::RuntimeRecorderPort> recorder_;
  std::unique_ptr<control::RecordingController> controller_;
  std::unique_ptr<notify::WebhookSender> webhook_sender_;
  // The library: accounts and login sessions, roles in sessions, the access policy's facts.
  std::unique_ptr<library::AccountStore> accounts_;
  std::unique_ptr<library::RoleIndex> roles_;
  std::unique_ptr<library::SharingStore> sharing_;
  std::unique_ptr<library::WatchStore> watch_;
  std::unique_ptr<library::RecordingLibrary> library_;
  std::unique_ptr<auth::JwtVerifier> jwt_;
  std::unique_ptr<CallerResolver> callers_;
  Metrics metrics_;
  std::unique_ptr<Api> api_;
  ConnectionRegistry registry_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  uint16_t port_ = 0;

  // Recording control's threads: Tick (timers) and ProcessPending (storing) every
  // control_tick_ms, on two threads so that hashing a long part never delays a countdown.
  void StartControlThreads();
  void StopControlThreads();
  // Running recordings end as stored parts (SIGTERM): stop, then store until none is left.
  void FinishRecordings();
  std::mutex control_mutex_;
  std::condition_variable control_wake_;
  bool control_stopping_ = false;
  std::thread ticker_;
  std::thread storer_;
};

}  // namespace ssr::http
