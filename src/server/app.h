#pragma once
// The service `ssr serve` runs, wired once: the data directory and the one database, the
// stores, storage, notifications, the live runtimes, recording control with its threads,
// the library, and the application services the HTTP routes call (sessions, event intake,
// share-link rules, parts). http::Server is the transport in front of it.
//
// Lifecycle: construct (opens, migrates, resumes recordings a crash interrupted), Start()
// (control threads, webhook sender), then Finish() once no request is in flight (running
// recordings end as stored, ready parts; ingest closes).

#include "auth/jwt_verifier.h"
#include "control/recording_controller.h"
#include "control/recording_store.h"
#include "events/event_log.h"
#include "fleet/fleet_member.h"
#include "fleet/fleet_store.h"
#include "library/account_store.h"
#include "library/recording_library.h"
#include "library/role_index.h"
#include "library/sharing_store.h"
#include "library/watch_store.h"
#include "live/runtime_recorder_port.h"
#include "live/session_runtime.h"
#include "notify/notification_hub.h"
#include "notify/webhook_outbox.h"
#include "notify/webhook_sender.h"
#include "server/config.h"
#include "server/data_dir_lock.h"
#include "server/event_intake.h"
#include "server/parts.h"
#include "server/retention_purge.h"
#include "server/session_deletion.h"
#include "server/sessions.h"
#include "server/sharing_links.h"
#include "storage/storage_backend.h"
#include "store/database.h"
#include "store/publisher_tokens.h"
#include "store/session_store.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace ssr::server {

class App {
 public:
  // Creates DATA/ and DATA/sessions/, opens and migrates DATA/ssr.db, resumes recordings.
  // Throws std::runtime_error (store::StoreError...) with a clear message.
  explicit App(ServerConfig config);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Recording control's threads (timers, storing) and the webhook sender.
  void Start();
  // Running recordings end as stored parts (a stop, SIGTERM); threads and ingest stop.
  void Finish();

  // When recording control's timer thread last went round (the systemd watchdog asks): it
  // runs every control_tick_ms, so a long silence means it is stuck.
  std::chrono::steady_clock::time_point LastTick() const { return last_tick_.load(); }

  const ServerConfig& config() const { return config_; }

  // The fleet (docs/scaling.md); null in role all.
  fleet::FleetStore* fleet() { return fleet_.get(); }
  // A new session goes to a worker (fleet roles; role all records it here).
  void PlaceSession(const std::string& session_id);
  // Where the session is recorded and its media goes: {"worker": {"id", "url"} or null,
  // "ingest": {"whip_url", "rtp_url"} or null} (null: no live worker holds it yet).
  nlohmann::json Placement(const std::string& session_id);
  const std::filesystem::path& sessions_dir() const { return sessions_dir_; }
  store::SessionStore& session_store() { return *session_store_; }
  store::PublisherTokens& publishers() { return *publishers_; }
  Sessions& sessions() { return *sessions_; }
  SessionDeletion& session_deletion() { return *session_deletion_; }
  EventIntake& intake() { return *intake_; }
  SharingLinks& sharing_links() { return *sharing_links_; }
  Parts& parts() { return *parts_; }
  live::SessionRuntimes& runtimes() { return *runtimes_; }
  live::RuntimeRecorderPort& recorder() { return *recorder_; }
  control::RecordingController& controller() { return *controller_; }
  control::RecordingStore& recording_store() { return *recording_store_; }
  notify::NotificationHub& hub() { return *hub_; }
  notify::WebhookOutbox& outbox() { return *outbox_; }
  notify::WebhookSender& webhook_sender() { return *webhook_sender_; }
  storage::StorageBackend& storage() { return *storage_; }
  library::AccountStore& accounts() { return *accounts_; }
  library::RoleIndex& roles() { return *roles_; }
  library::SharingStore& sharing() { return *sharing_; }
  library::WatchStore& watch() { return *watch_; }
  library::RecordingLibrary& library() { return *library_; }
  const auth::JwtVerifier& jwt() const { return *jwt_; }

 private:
  void WireStorage();
  void WireControl();
  void WireLibrary();
  void WireIntake();
  void WireFleet();
  // A worker took these sessions over from one that died or left.
  void AdoptSessions(const std::vector<std::string>& session_ids);
  void StopControlThreads();
  void FinishRecordings();

  const ServerConfig config_;
  // First taken, last released: one server per directory (role all; a fleet shares it).
  const std::unique_ptr<DataDirLock> data_dir_lock_;
  const std::filesystem::path sessions_dir_;
  std::unique_ptr<store::Database> database_; // DATA/ssr.db: one connection, every store's
  std::unique_ptr<store::SessionStore> session_store_;
  std::unique_ptr<store::PublisherTokens> publishers_; // publisher credentials (M6)
  std::unique_ptr<events::EventLogs> logs_;
  std::unique_ptr<live::SessionRuntimes> runtimes_;
  std::unique_ptr<control::RecordingStore> recording_store_;
  std::unique_ptr<notify::WebhookOutbox> outbox_;
  std::unique_ptr<storage::StorageBackend> storage_;
  std::unique_ptr<notify::NotificationHub> hub_;
  std::unique_ptr<live::RuntimeRecorderPort> recorder_;
  std::unique_ptr<control::RecordingController> controller_;
  std::unique_ptr<notify::WebhookSender> webhook_sender_;
  std::unique_ptr<library::AccountStore> accounts_;
  std::unique_ptr<library::RoleIndex> roles_;
  std::unique_ptr<library::SharingStore> sharing_;
  std::unique_ptr<library::WatchStore> watch_;
  std::unique_ptr<library::RecordingLibrary> library_;
  std::unique_ptr<auth::JwtVerifier> jwt_;
  std::unique_ptr<Sessions> sessions_;
  std::unique_ptr<EventIntake> intake_;
  std::unique_ptr<SessionDeletion> session_deletion_;
  std::vector<std::unique_ptr<SessionEventListener>> listeners_;
  std::unique_ptr<SharingLinks> sharing_links_;
  std::unique_ptr<RetentionPurge> retention_purge_; // run by the ticker thread
  std::unique_ptr<Parts> parts_;
  std::unique_ptr<fleet::FleetStore> fleet_;   // fleet roles
  std::unique_ptr<fleet::FleetMember> member_; // role worker

  // Tick (timers) and ProcessPending (storing) every control_tick_ms, on two threads so that
  // hashing a long part never delays a countdown.
  std::mutex control_mutex_;
  std::condition_variable control_wake_;
  bool control_stopping_ = false;
  std::thread ticker_;
  std::thread storer_;
  std::atomic<std::chrono::steady_clock::time_point> last_tick_{std::chrono::steady_clock::now()};
};

// Unix seconds now (recording control's wall time).
double WallNow();

} // namespace ssr::server
