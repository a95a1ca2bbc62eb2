#include "http/server.h"

#include "common/log.h"
#include "storage/directory_storage.h"
#include "storage/s3_storage.h"
#include "events/bundle_dir.h"
#include "http/connection.h"
#include "record/chapter_cues.h"
#include "record/part_recovery.h"

#include <sys/socket.h>

#include <condition_variable>
#include <thread>

namespace ssr::http {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

server::ServerConfig WithDefaults(server::ServerConfig config) {
  if (config.rtp_bind_address.empty()) config.rtp_bind_address = config.host();
  return config;
}

live::RuntimeOptions RuntimeOptionsOf(const server::ServerConfig& config) {
  live::RuntimeOptions options;
  options.recorder_latency_s = config.live_latency_ms / 1000.0;
  options.whip.jitter_latency_ms = config.jitter_buffer_ms;
  options.rtp.jitter_latency_ms = config.jitter_buffer_ms;
  options.rtp.bind_address = config.rtp_bind_address;
  options.rtp.port_min = config.rtp_port_min;
  options.rtp.port_max = config.rtp_port_max;
  return options;
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

// The chapters of a part from the session's events.jsonl. The log may be growing while it is
// read (a main-room part is stored while the class goes on): a line that does not parse (the
// one being written) is skipped, and reading stops at the part's end.
std::string PartChaptersVtt(const std::filesystem::path& events_jsonl, const std::string& room,
                            double start_t, double end_t) {
  std::vector<events::Event> events;
  const auto read = events::ForEachLoggedEvent(
      events_jsonl,
      [&events, end_t](events::Event&& event) {
        events.push_back(std::move(event));
        return events.back().t < end_t;
      },
      [](const events::BadEventLine&) {});
  if (read == events::LogRead::kCannotOpen) {
    throw std::runtime_error("cannot read " + events_jsonl.string());
  }
  return record::ChaptersVtt(record::ChapterCues(events, room, start_t, end_t));
}

}  // namespace

Server::Server(server::ServerConfig config) : config_(WithDefaults(std::move(config))), acceptor_(io_) {
  std::filesystem::create_directories(config_.data_dir / "sessions");
  // One connection to DATA/ssr.db, migrated as it opens; every store below shares it.
  database_ = std::make_unique<store::Database>(config_.data_dir / "ssr.db");
  store_ = std::make_unique<store::SessionStore>(*database_);
  logs_ = std::make_unique<events::EventLogs>(config_.data_dir / "sessions");
  runtimes_ = std::make_unique<live::SessionRuntimes>(config_.data_dir / "sessions",
                                                      RuntimeOptionsOf(config_));
  control_store_ = std::make_unique<control::RecordingStore>(*database_);
  outbox_ = std::make_unique<notify::WebhookOutbox>(*database_);
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
      Logger("control")->error("storage: {}; parts cannot be stored until this is fixed",
                               e.what());
    }
  }
  hub_ = std::make_unique<notify::NotificationHub>(outbox_.get());
  recorder_ = std::make_unique<live::RuntimeRecorderPort>(
      *runtimes_, [store = control_store_.get()](const std::string& recording_id) {
        const auto r = store->FindRecording(recording_id);
        return r ? std::optional<std::string>(r->session_id) : std::nullopt;
      },
      // SSR_FAULT_*: every session starts with the fault on (a session's own plan replaces it).
      live::RecorderFaults{config_.fault_recorder_unavailable ? live::RecorderFaults::kAlways : 0,
                           config_.fault_no_media ? live::RecorderFaults::kAlways : 0});
  control::ControllerOptions control_options;
  control_options.parts_dir = config_.data_dir / "live-parts";
  control_options.repair_part = RepairPart;
  control_options.chapters_vtt = [sessions = config_.data_dir / "sessions"](
                                     const control::Recording& r, const control::Part& p) {
    return PartChaptersVtt(events::BundleDir(sessions / r.session_id).EventsFile(), r.room,
                           p.start_t, p.start_t + p.duration_s);
  };
  controller_ = std::make_unique<control::RecordingController>(
      *control_store_, *recorder_, *storage_, *hub_, control_options);
  // After a restart (a crash included): running recordings get a new part, the interrupted
  // one is repaired and stored; countdowns and grace periods go on.
  controller_->Resume(WallNow());
  notify::WebhookSenderOptions webhook_options;
  webhook_options.backoff_base_ms = config_.webhook_backoff_base_ms;
  webhook_options.backoff_max_ms = config_.webhook_backoff_max_ms;
  webhook_options.timeout_ms = config_.webhook_timeout_ms;
  webhook_options.poll_interval_ms = std::min<int64_t>(500, config_.webhook_backoff_base_ms);
  webhook_sender_ = std::make_unique<notify::WebhookSender>(
      *outbox_, [controller = controller_.get()] { return controller->settings().webhook_secret; },
      webhook_options);
  if (config_.test_faults || config_.fault_no_media || config_.fault_recorder_unavailable) {
    Logger("http")->warn("TEST FAULT INJECTION IS ON (test_faults={}, fault_no_media={}, "
                         "fault_recorder_unavailable={}): not for production",
                         config_.test_faults, config_.fault_no_media,
                         config_.fault_recorder_unavailable);
  }
  accounts_ = std::make_unique<library::AccountStore>(*database_);
  roles_ = std::make_unique<library::RoleIndex>(*database_);
  // Sessions from before the role index (an upgrade): index them once.
  if (const size_t n = library::IndexExistingSessions(
          *roles_, config_.data_dir / "sessions",
          [this](const std::string& id) {
            const auto session = store_->Find(id);
            return session ? session->invitees : nlohmann::json::array();
          })) {
    Logger("library")->info("roles of {} earlier session(s) indexed", n);
  }
  sharing_ = std::make_unique<library::SharingStore>(*database_);
  watch_ = std::make_unique<library::WatchStore>(*database_);
  library_ = std::make_unique<library::RecordingLibrary>(*roles_, *sharing_, *control_store_);
  jwt_ = std::make_unique<auth::JwtVerifier>(config_.jwt_secret);
  callers_ = std::make_unique<CallerResolver>(config_.api_key, *jwt_, *accounts_);
  if (config_.jwt_secret.empty()) {
    Logger("http")->info("no jwt_secret (SSR_JWT_SECRET): users' JWTs are refused");
  }
  api_ = std::make_unique<Api>(config_, *store_, *logs_, metrics_, *runtimes_,
                               RecordingControl{*controller_, *control_store_, *hub_, *storage_,
                                                *recorder_},
                               LibraryServices{*accounts_, *roles_, *sharing_, *library_, *callers_,
                                               *watch_});

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
  StopControlThreads();
  if (webhook_sender_) webhook_sender_->Stop();
  if (runtimes_) runtimes_->ShutdownAll();
}

void Server::StartControlThreads() {
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
  ticker_ = std::thread(loop, "tick", [this](double now) { controller_->Tick(now); });
  storer_ = std::thread(loop, "storing", [this](double now) { controller_->ProcessPending(now); });
  webhook_sender_->Start();
}

void Server::StopControlThreads() {
  {
    std::lock_guard lock(control_mutex_);
    control_stopping_ = true;
    control_wake_.notify_all();
  }
  if (ticker_.joinable()) ticker_.join();
  if (storer_.joinable()) storer_.join();
}

void Server::FinishRecordings() {
  auto log = Logger("control");
  for (const control::Recording& r : controller_->Unfinished()) {
    if (r.status == control::RecordingStatus::kRecording ||
        r.status == control::RecordingStatus::kPaused) {
      log->info("stopping: recording {} ends here", r.id);
      controller_->Stop(WallNow(), r.id, "server stopping");
    }
  }
  // Initializing recordings are left as they are: a restart asks the recorder again.
  // Breakout recordings wait for their room to close (R11), so they stay processing.
  controller_->ProcessPending(WallNow());
}

void Server::Run() {
  auto log = Logger("http");
  log->info("listening on {}:{}, data in {}", config_.host(), port_, config_.data_dir.string());
  StartControlThreads();

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
  // Recordings in progress end as stored, playable parts; ingest and raw track files close.
  StopControlThreads();
  try {
    FinishRecordings();
  } catch (const std::exception& e) {
    log->error("stopping: recordings: {}", e.what());
  }
  webhook_sender_->Stop();
  runtimes_->ShutdownAll();
  log->info("stopped");
}

void Server::Stop() {
  stopping_ = true;
  ::shutdown(acceptor_.native_handle(), SHUT_RDWR);  // wakes the blocked accept()
  registry_.Stop();
}

}  // namespace ssr::http
