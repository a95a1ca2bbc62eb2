#include "server/app.h"

#include "auth/tokens.h"
#include "common/log.h"
#include "events/bundle_dir.h"
#include "ingest/ice_options.h"
#include "record/part_recovery.h"
#include "storage/s3_storage.h"
#include "store/postgres_engine.h"

#include <chrono>

namespace ssr::server {
namespace {

ServerConfig WithDefaults(ServerConfig config) {
  if (config.rtp_bind_address.empty())
    config.rtp_bind_address = config.host();
  return config;
}

live::RuntimeOptions RuntimeOptionsOf(const ServerConfig& config) {
  live::RuntimeOptions options;
  options.recorder_latency_s = config.live_latency_ms / 1000.0;
  options.whip.jitter_latency_ms = config.jitter_buffer_ms;
  ingest::ParseAdvertisedAddresses(config.ice_advertised_addresses,
                                   options.whip.ice.advertised); // checked by Validate
  options.whip.ice.port_min = static_cast<unsigned>(config.ice_port_min);
  options.whip.ice.port_max = static_cast<unsigned>(config.ice_port_max);
  options.whip.ice.stun_server = config.ice_stun_server;
  options.whip.ice.turn_servers = config.ice_turn_servers;
  options.rtp.jitter_latency_ms = config.jitter_buffer_ms;
  options.rtp.bind_address = config.rtp_bind_address;
  options.rtp.port_min = config.rtp_port_min;
  options.rtp.port_max = config.rtp_port_max;
  options.stream_url_allow = config.stream_url_allow;
  options.max_whip_resources = config.ingest_max_whip_resources;
  options.max_tracks = config.ingest_max_tracks;
  return options;
}

// What WHIP sessions will offer publishers; TURN URLs without their credentials.
void LogIceSettings(const ingest::IceOptions& ice) {
  std::string advertised;
  for (const ingest::AdvertisedAddress& a : ice.advertised) {
    advertised += (advertised.empty() ? "" : ", ") + a.public_address + " for " +
                  (a.private_address.empty() ? "any local address" : a.private_address);
  }
  std::string turn;
  for (const std::string& url : ice.turn_servers)
    turn += (turn.empty() ? "" : ", ") + ingest::RedactedUrl(url);
  Logger("ingest")->info(
      "WebRTC ICE: advertised {}; UDP ports {}; STUN {}; TURN {}",
      advertised.empty() ? "the interfaces' own addresses" : advertised,
      ice.port_min == 0 ? "any" : std::to_string(ice.port_min) + "-" + std::to_string(ice.port_max),
      ice.stun_server.empty() ? "none" : ingest::RedactedUrl(ice.stun_server),
      turn.empty() ? "none" : turn);
}

// A part cut short by a crash becomes playable and seekable in place (record::RecoverPart).
double RepairPart(const std::filesystem::path& webm) {
  const std::filesystem::path cut = webm.string() + ".cut";
  std::filesystem::rename(webm, cut);
  double duration_s = -1;
  try {
    const auto result = record::RecoverPart(cut, webm);
    Logger("record")->info("{}: recovered after an interruption ({:.2f} s, {} packets)",
                           webm.string(), result.duration_s, result.packets);
    duration_s = result.duration_s;
  } catch (...) {
    std::error_code ignored;
    std::filesystem::rename(cut, webm, ignored);
    throw;
  }
  std::filesystem::remove(cut);
  return duration_s;
}

// The listeners of the event intake, in the order they get a batch: the live runtime first
// (a part recording control starts must already see these events), then the role index,
// then recording control.
class LiveRuntimeListener : public SessionEventListener {
 public:
  explicit LiveRuntimeListener(live::SessionRuntimes& runtimes) : runtimes_(runtimes) {}
  const char* Name() const override { return "the live runtime"; }
  // A new runtime replays events.jsonl, which must not hold the batch yet.
  void BeforeLogged(const std::string& session_id) override { runtimes_.For(session_id); }
  void OnSessionEvents(const std::string& session_id, const std::vector<events::Event>& events,
                       double /*wall_s*/) override {
    runtimes_.For(session_id)->OnEvents(events);
  }

 private:
  live::SessionRuntimes& runtimes_;
};

class RoleIndexListener : public SessionEventListener {
 public:
  explicit RoleIndexListener(library::RoleIndex& roles) : roles_(roles) {}
  const char* Name() const override { return "the role index"; }
  void OnSessionEvents(const std::string& session_id, const std::vector<events::Event>& events,
                       double /*wall_s*/) override {
    roles_.AddEvents(session_id, events); // who had which role (R12)
  }

 private:
  library::RoleIndex& roles_;
};

class RecordingControlListener : public SessionEventListener {
 public:
  RecordingControlListener(control::RecordingController& controller, Sessions& sessions)
      : controller_(controller), sessions_(sessions) {}
  const char* Name() const override { return "recording control"; }
  void BeforeLogged(const std::string& session_id) override {
    sessions_.RegisterWithControl(session_id);
  }
  void OnSessionEvents(const std::string& session_id, const std::vector<events::Event>& events,
                       double wall_s) override {
    for (const events::Event& event : events) {
      try {
        controller_.OnEvent(wall_s, session_id, event);
      } catch (const std::exception& e) {
        // One event control cannot take must not keep the next ones from it.
        Logger("control")->error("session {}: event t={:.3f} {}: {}", session_id, event.t,
                                 events::EventTypeName(event.type), e.what());
      }
    }
  }

 private:
  control::RecordingController& controller_;
  Sessions& sessions_;
};

} // namespace

double WallNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

App::App(ServerConfig config)
    : config_(WithDefaults(std::move(config))),
      data_dir_lock_(config_.InFleet() ? nullptr : std::make_unique<DataDirLock>(config_.data_dir)),
      sessions_dir_(config_.data_dir / "sessions") {
  std::filesystem::create_directories(sessions_dir_);
  // One connection to DATA/ssr.db, migrated as it opens; every store below shares it.
  database_ = std::make_unique<store::Database>(config_.DatabaseLocation());
  session_store_ = std::make_unique<store::SessionStore>(*database_);
  publishers_ = std::make_unique<store::PublisherTokens>(*database_);
  logs_ = std::make_unique<events::EventLogs>(sessions_dir_);
  const live::RuntimeOptions runtime_options = RuntimeOptionsOf(config_);
  LogIceSettings(runtime_options.whip.ice);
  runtimes_ = std::make_unique<live::SessionRuntimes>(sessions_dir_, runtime_options);
  recording_store_ = std::make_unique<control::RecordingStore>(*database_);
  outbox_ = std::make_unique<notify::WebhookOutbox>(*database_);
  WireStorage();
  hub_ = std::make_unique<notify::NotificationHub>(outbox_.get());
  WireControl();
  WireLibrary();
  WireIntake();
  WireFleet();
  if (config_.test_faults || config_.fault_no_media || config_.fault_recorder_unavailable) {
    Logger("server")->warn("TEST FAULT INJECTION IS ON (test_faults={}, fault_no_media={}, "
                           "fault_recorder_unavailable={}): not for production",
                           config_.test_faults, config_.fault_no_media,
                           config_.fault_recorder_unavailable);
  }
}

void App::WireStorage() {
  storage_ = storage::MakeStorageBackend(config_.StorageConfig());
  Logger("control")->info("storage: {} backend", storage_->Kind());
  if (const auto* s3 = dynamic_cast<const storage::S3Storage*>(storage_.get())) {
    // Not fatal (S3 may be back before the first part ends), but said now rather than when
    // a recording fails to store.
    try {
      s3->CheckBucket();
      Logger("control")->info("storage: bucket '{}' at {} answers", s3->config().bucket,
                              s3->config().endpoint);
    } catch (const storage::StorageError& e) {
      Logger("control")->error("storage: {}; parts cannot be stored until this is fixed", e.what());
    }
  }
}

void App::WireControl() {
  recorder_ = std::make_unique<live::RuntimeRecorderPort>(
      *runtimes_,
      [store = recording_store_.get()](const std::string& recording_id) {
        const auto r = store->FindRecording(recording_id);
        return r ? std::optional<std::string>(r->session_id) : std::nullopt;
      },
      // SSR_FAULT_*: every session starts with the fault on (a session's own plan replaces it).
      live::RecorderFaults{config_.fault_recorder_unavailable ? live::RecorderFaults::kAlways : 0,
                           config_.fault_no_media ? live::RecorderFaults::kAlways : 0});
  control::ControllerOptions options;
  options.parts_dir = config_.data_dir / "live-parts";
  // Two 720p classes per core hold their latency on the machines measured (bench/RESULTS.md,
  // "Capacity and overload"); beyond that a recording waits for a slot.
  constexpr int kRecordingsPerCore = 2;
  options.max_live_recordings =
      config_.max_live_recordings > 0
          ? config_.max_live_recordings
          : kRecordingsPerCore *
                static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  options.repair_part = RepairPart;
  if (config_.InFleet()) {
    // A worker starts holding nothing (its id is new); the API records nothing.
    options.holds_session = [](const std::string&) { return false; };
  }
  options.chapters_vtt = [sessions = sessions_dir_](const control::Recording& r,
                                                    const control::Part& p) {
    return PartChaptersVtt(events::BundleDir(sessions / r.session_id).EventsFile(), r.room,
                           p.start_t, p.start_t + p.duration_s);
  };
  controller_ = std::make_unique<control::RecordingController>(*recording_store_, *recorder_,
                                                               *storage_, *hub_, options);
  // After a restart (a crash included): running recordings get a new part, the interrupted
  // one is repaired and stored; countdowns and grace periods go on.
  controller_->Resume(WallNow());
  notify::WebhookSenderOptions webhook_options;
  webhook_options.backoff_base_ms = config_.webhook_backoff_base_ms;
  webhook_options.backoff_max_ms = config_.webhook_backoff_max_ms;
  webhook_options.timeout_ms = config_.webhook_timeout_ms;
  webhook_options.max_attempts = config_.webhook_max_attempts;
  webhook_options.poll_interval_ms = std::min<int64_t>(500, config_.webhook_backoff_base_ms);
  webhook_sender_ = std::make_unique<notify::WebhookSender>(
      *outbox_, [controller = controller_.get()] { return controller->settings().webhook_secret; },
      webhook_options);
  parts_ = std::make_unique<Parts>(*controller_);
}

void App::WireLibrary() {
  accounts_ = std::make_unique<library::AccountStore>(*database_);
  roles_ = std::make_unique<library::RoleIndex>(*database_);
  // Sessions from before the role index (an upgrade): index them once.
  if (const size_t n =
          library::IndexExistingSessions(*roles_, sessions_dir_, [this](const std::string& id) {
            const auto session = session_store_->Find(id);
            return session ? session->invitees : nlohmann::json::array();
          })) {
    Logger("library")->info("roles of {} earlier session(s) indexed", n);
  }
  sharing_ = std::make_unique<library::SharingStore>(*database_);
  watch_ = std::make_unique<library::WatchStore>(*database_);
  library_ = std::make_unique<library::RecordingLibrary>(*roles_, *sharing_, *recording_store_);
  auth::JwtPolicy jwt_policy;
  jwt_policy.issuer = config_.jwt_issuer;
  jwt_policy.audience = config_.jwt_audience;
  jwt_policy.max_lifetime_s = static_cast<double>(config_.jwt_max_lifetime_s);
  jwt_policy.emails_verified = config_.jwt_emails_verified;
  jwt_ = std::make_unique<auth::JwtVerifier>(config_.jwt_secret, 30, jwt_policy);
  if (config_.jwt_secret.empty()) {
    Logger("server")->info("no jwt_secret (SSR_JWT_SECRET): users' JWTs are refused");
  }
  sharing_links_ = std::make_unique<SharingLinks>(*watch_, *controller_);
  // Deleting a recording deletes every row about it, in one transaction (M4).
  recording_store_->AddRowsOwner(*sharing_);
  recording_store_->AddRowsOwner(*watch_);
  recording_store_->AddRowsOwner(*outbox_);
  retention_purge_ = std::make_unique<RetentionPurge>(
      *watch_, *outbox_, *controller_, sessions_dir_,
      RetentionSettings{config_.watch_token_retention_s, config_.webhook_retention_s,
                        config_.purge_interval_s});
}

void App::WireFleet() {
  if (!config_.InFleet())
    return;
  fleet_ = std::make_unique<fleet::FleetStore>(*database_, config_.worker_lease_ms);
  Logger("fleet")->info("role {}: the fleet's database is {}", config_.role,
                        store::RedactedUrl(config_.database));
  if (config_.role != "worker")
    return;
  fleet::MemberOptions options;
  options.worker_id = "w-" + auth::RandomToken(6);
  options.url = config_.AdvertiseUrl();
  options.heartbeat_ms = config_.worker_heartbeat_ms;
  options.lease_ms = config_.worker_lease_ms;
  member_ = std::make_unique<fleet::FleetMember>(
      config_.DatabaseLocation(), options,
      [this] {
        const control::RecorderLoad load = controller_->Load();
        return fleet::WorkerLoad{load.capacity, load.admitted};
      },
      [this](const std::vector<std::string>& ids) { AdoptSessions(ids); },
      [this](const std::vector<std::string>& ids) { LetGoOfSessionsTakenElsewhere(ids); });
}

void App::PlaceSession(const std::string& session_id) {
  if (!fleet_)
    return;
  if (const auto worker = fleet_->Place(session_id)) {
    Logger("fleet")->info("session {} placed on worker {} ({})", session_id, worker->id,
                          worker->url);
  } else {
    Logger("fleet")->warn("session {}: no live worker; the next one to heartbeat takes it",
                          session_id);
  }
}

nlohmann::json App::Placement(const std::string& session_id) {
  std::string id = "local";
  std::string url = config_.AdvertiseUrl();
  if (fleet_) {
    const auto worker = fleet_->WorkerOf(session_id);
    if (!worker || !worker->alive)
      return {{"worker", nullptr}, {"ingest", nullptr}};
    id = worker->id;
    url = worker->url;
  }
  return {{"worker", {{"id", id}, {"url", url}}},
          {"ingest",
           {{"whip_url", url + "/whip/" + session_id},
            {"rtp_url", url + "/api/v1/sessions/" + session_id + "/tracks/{track}/rtp"}}}};
}

void App::AdoptSessions(const std::vector<std::string>& session_ids) {
  const std::string webhook_url = controller_->settings().webhook_url;
  for (const std::string& id : session_ids) {
    try {
      sessions_->RegisterWithControl(id);
      controller_->AdoptSession(WallNow(), id);
      // The platform moves the session's publishers to the new worker.
      const nlohmann::json placement = Placement(id);
      notify::Notification n;
      n.id = auth::RandomToken(12);
      n.type = "session.worker_changed";
      n.session_id = id;
      n.message = "The session is now recorded by another server; publishers reconnect to it.";
      n.at = control::FormatRfc3339(WallNow());
      if (placement.at("worker").is_object()) {
        n.worker_id = placement.at("worker").at("id");
        n.worker_url = placement.at("worker").at("url");
        n.whip_url = placement.at("ingest").at("whip_url");
        n.rtp_url = placement.at("ingest").at("rtp_url");
      }
      hub_->Publish(n, webhook_url, static_cast<int64_t>(WallNow() * 1000));
    } catch (const std::exception& e) {
      Logger("fleet")->error("session {}: taking it over: {}", id, e.what());
    }
  }
}

void App::LetGoOfSessionsTakenElsewhere(const std::vector<std::string>& held) {
  const std::set<std::string> held_here(held.begin(), held.end());
  for (const std::string& id : controller_->SessionsRecordingHere()) {
    if (held_here.count(id))
      continue;
    // Not in the list: let go only when another worker holds it (a session of the days before
    // the fleet has no row at all, and stays here).
    const auto worker = fleet_->WorkerOf(id);
    if (worker && worker->id != member_->worker_id()) {
      controller_->LetGoOfSession(id);
      runtimes_->Remove(id);
    }
  }
}

void App::WireIntake() {
  sessions_ = std::make_unique<Sessions>(sessions_dir_, *session_store_, *controller_, *roles_);
  intake_ = std::make_unique<EventIntake>(*logs_, media::StreamUrlPolicy(config_.stream_url_allow));
  listeners_.push_back(std::make_unique<LiveRuntimeListener>(*runtimes_));
  listeners_.push_back(std::make_unique<RoleIndexListener>(*roles_));
  listeners_.push_back(std::make_unique<RecordingControlListener>(*controller_, *sessions_));
  for (const auto& listener : listeners_)
    intake_->AddListener(*listener);
  session_deletion_ = std::make_unique<SessionDeletion>(
      sessions_dir_, *sessions_, *controller_, *roles_, *intake_, *runtimes_, *publishers_);
}

App::~App() {
  StopControlThreads();
  if (webhook_sender_)
    webhook_sender_->Stop();
  if (runtimes_)
    runtimes_->ShutdownAll();
}

void App::Start() {
  const auto period = std::chrono::milliseconds(config_.control_tick_ms);
  auto loop = [this, period](const char* what, auto step) {
    std::unique_lock lock(control_mutex_);
    while (!control_wake_.wait_for(lock, period, [&] { return control_stopping_; })) {
      lock.unlock();
      try {
        step(WallNow());
      } catch (const std::exception& e) {
        Logger("control")->error("{}: {}", what, e.what());
      }
      lock.lock();
    }
  };
  // A worker whose lease ran out (frozen, cut off from the database) may have lost sessions to
  // another: recording control waits until its next heartbeat says which it still holds.
  auto holds_lease = [this] { return !member_ || member_->HoldsLease(); };
  ticker_ = std::thread(loop, "tick", [this, holds_lease](double now) {
    if (config_.role != "worker")
      retention_purge_->MaybePurge(now); // never throws
    if (holds_lease())
      controller_->Tick(now);
    last_tick_ = std::chrono::steady_clock::now();
  });
  storer_ = std::thread(loop, "storing", [this, holds_lease](double now) {
    if (holds_lease())
      controller_->ProcessPending(now);
  });
  // The API's processes deliver the webhooks the whole fleet queues.
  if (config_.role != "worker")
    webhook_sender_->Start();
  if (member_)
    member_->Start();
}

void App::StopControlThreads() {
  {
    std::lock_guard lock(control_mutex_);
    control_stopping_ = true;
    control_wake_.notify_all();
  }
  if (ticker_.joinable())
    ticker_.join();
  if (storer_.joinable())
    storer_.join();
}

void App::Finish() {
  StopControlThreads();
  try {
    FinishRecordings();
  } catch (const std::exception& e) {
    Logger("control")->error("stopping: recordings: {}", e.what());
  }
  webhook_sender_->Stop();
  runtimes_->ShutdownAll();
}

void App::FinishRecordings() {
  if (member_) {
    // A worker drained (SIGTERM): each running part ends as a finished part, and the sessions
    // go to other workers, which store those parts and go on in new ones.
    member_->Drain([this] { controller_->SuspendForRestart(WallNow()); });
    return;
  }
  // A graceful stop is an upgrade or a restart, not the end of the classes: each running part
  // ends as a finished part and is stored; its recording goes on in a new part when the server
  // is back (RecordingController::Resume). Paused and initializing recordings keep their state
  // (grace periods and countdowns go on after the restart). Breakout parts wait for their room
  // to close (R11), so they stay processing.
  controller_->SuspendForRestart(WallNow());
  controller_->ProcessPending(WallNow());
}

} // namespace ssr::server
