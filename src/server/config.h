#pragma once
// The settings of `ssr serve`: one typed struct, defaults in the member initializers, loaded
// from an optional JSON file (comments allowed) and SSR_* environment variables, then from
// command-line flags, and validated before the server starts. One table (Settings(), in
// config.cpp) names each setting once: its file key, its variable, how it is read and checked.

#include "common/error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ssr::server {

class ConfigError : public Error {
 public:
  explicit ConfigError(const std::string& message) : Error(ErrorKind::kInvalid, message) {}
};

// The compile-time default of `web_dir`: ${PROJECT_SOURCE_DIR}/web/dist.
std::filesystem::path DefaultWebDir();

struct ServerConfig {
  std::string listen = "127.0.0.1:8080";    // host:port (SSR_LISTEN)
  std::filesystem::path data_dir = "./var"; // ssr.db and sessions/ (SSR_DATA_DIR)
  // The database: empty for DATA/ssr.db (SQLite), or a postgresql:// URL (SSR_DATABASE_URL).
  std::string database;
  std::string api_key; // platform Bearer key, required (SSR_API_KEY)
  // The fleet (docs/scaling.md). role: "all" (one process does everything), "api" (the API,
  // library and web app; records nothing) or "worker" (records and ingests the sessions it
  // holds) (SSR_ROLE, --role). api and worker need a PostgreSQL database and a data directory
  // shared by the fleet. advertise_url: where publishers and the API reach this process
  // (SSR_ADVERTISE_URL, --advertise); empty: http://<listen>. A worker heartbeats every
  // worker_heartbeat_ms (SSR_WORKER_HEARTBEAT_MS); one silent for worker_lease_ms
  // (SSR_WORKER_LEASE_MS) is dead, and the others take its sessions over.
  std::string role = "all";
  std::string advertise_url;
  int worker_heartbeat_ms = 1000;
  int worker_lease_ms = 5000;
  uint64_t max_asset_bytes = 512ull << 20; // PUT .../assets/{name} (SSR_MAX_ASSET_BYTES)
  uint64_t max_body_bytes = 16ull << 20;   // JSON request bodies (SSR_MAX_BODY_BYTES)
  int max_connections = 512;               // more get 503 at once (SSR_MAX_CONNECTIONS)
  int shutdown_grace_s = 10; // a stop waits this long for requests in flight (SSR_SHUTDOWN_GRACE_S)
  int idle_timeout_s = 60;   // a connection silent this long is closed (SSR_IDLE_TIMEOUT_S)
  // Transport limits (docs/security.md, "Limits"). A request body must arrive, and each
  // block of a response must be taken by the client, within request_timeout_s, else the
  // connection is closed (SSR_REQUEST_TIMEOUT_S). One client address may hold at most
  // max_connections_per_address connections; more get 503 (SSR_MAX_CONNECTIONS_PER_ADDRESS).
  int request_timeout_s = 30;
  int max_connections_per_address = 32;
  // Login (POST /api/v1/login): each account and each client address has a bucket of
  // attempts that refills over login_window_s (SSR_LOGIN_ACCOUNT_ATTEMPTS,
  // SSR_LOGIN_ADDRESS_ATTEMPTS, SSR_LOGIN_WINDOW_S); an empty bucket answers 429. At most
  // login_max_concurrent_hashes passwords are checked at once, 0: one per CPU core; more
  // answer 503 (SSR_LOGIN_MAX_CONCURRENT_HASHES).
  int login_account_attempts = 10;
  int login_address_attempts = 100;
  int login_window_s = 300;
  int login_max_concurrent_hashes = 0;
  // Views and watch URLs (docs/security.md, "Share links and watch URLs"): buckets refilled
  // over request_window_s (SSR_REQUEST_WINDOW_S) of share_views_per_address views of share
  // links per client address (SSR_SHARE_VIEWS_PER_ADDRESS), share_views_per_link views per
  // link (SSR_SHARE_VIEWS_PER_LINK) and watch_urls_per_caller watch URLs per user, or per
  // address for the platform (SSR_WATCH_URLS_PER_CALLER); an empty bucket answers 429.
  int share_views_per_address = 120;
  int share_views_per_link = 600;
  int watch_urls_per_caller = 120;
  int request_window_s = 600;
  // Live recording: the composer runs this far behind real time; media later than that
  // misses its frame (SSR_LIVE_LATENCY_MS). Must exceed the jitter buffer's latency.
  int live_latency_ms = 300;
  int jitter_buffer_ms = 200; // RTP/WebRTC jitter buffers (SSR_JITTER_BUFFER_MS)
  // Admission: recordings recorded at once; one more waits in its countdown for a slot
  // (SSR_MAX_LIVE_RECORDINGS). 0: two per CPU core (bench/RESULTS.md, "Capacity and overload").
  int max_live_recordings = 0;
  std::string
      rtp_bind_address;     // RTP forwards arrive here; empty: listen host (SSR_RTP_BIND_ADDRESS)
  int rtp_port_min = 40000; // UDP port pairs for RTP forwards (SSR_RTP_PORT_MIN)
  int rtp_port_max = 41000; // (SSR_RTP_PORT_MAX)
  // What one session may hold at once: WHIP resources (pipelines) and tracks with media
  // (SSR_INGEST_MAX_WHIP_RESOURCES, SSR_INGEST_MAX_TRACKS).
  int ingest_max_whip_resources = 100;
  int ingest_max_tracks = 200;
  // WebRTC (WHIP) on real networks (docs/webrtc-networks.md). ice_advertised_addresses:
  // "PUBLIC" or "PUBLIC=PRIVATE" entries; a host candidate on PRIVATE (on any local address of
  // the family without one) is advertised at PUBLIC instead, for a server behind a 1:1 NAT
  // (SSR_ICE_ADVERTISED_ADDRESSES, comma-separated). ice_port_min/ice_port_max: the UDP ports
  // ICE may use; 0 and 0: any (SSR_ICE_PORT_MIN, SSR_ICE_PORT_MAX). ice_stun_server:
  // stun://HOST[:PORT] (SSR_ICE_STUN_SERVER); ice_turn_servers: turn(s)://USER:PASSWORD@HOST[:PORT]
  // [?transport=udp|tcp], never logged with the credentials (SSR_ICE_TURN_SERVERS,
  // comma-separated).
  std::vector<std::string> ice_advertised_addresses;
  int ice_port_min = 0;
  int ice_port_max = 0;
  std::string ice_stun_server;
  std::vector<std::string> ice_turn_servers;

  // Recording control (docs/recording-control.md). Org settings (autostart, countdown,
  // attempts, max part duration, grace, webhook URL and secret) live in the database
  // (GET/PUT /api/v1/settings); these are the server's own.
  std::filesystem::path storage_dir; // stored parts; empty: DATA/storage (SSR_STORAGE_DIR)
  // The storage backend (docs/architecture.md, "Storage"): null for a directory at
  // StorageRoot(), or a backend's configuration object, e.g. {"kind": "s3", "endpoint": ...,
  // "bucket": ..., "region": ..., "access_key": ..., "secret_key": ..., "prefix": ...}
  // (SSR_STORAGE_KIND, SSR_S3_ENDPOINT, SSR_S3_BUCKET, SSR_S3_REGION, SSR_S3_ACCESS_KEY,
  // SSR_S3_SECRET_KEY, SSR_S3_PREFIX).
  nlohmann::json storage;
  int control_tick_ms = 200; // timers and storing are checked this often (SSR_CONTROL_TICK_MS)
  int64_t webhook_backoff_base_ms =
      2000; // first retry delay, doubled each time (SSR_WEBHOOK_BACKOFF_BASE_MS)
  int64_t webhook_backoff_max_ms = 600000; // longest retry delay (SSR_WEBHOOK_BACKOFF_MAX_MS)
  int webhook_timeout_ms = 10000;          // connect and read, per POST (SSR_WEBHOOK_TIMEOUT_MS)
  int webhook_max_attempts = 440;          // then a delivery is given up (SSR_WEBHOOK_MAX_ATTEMPTS)

  // Library (docs/http-api.md "Who calls"): users' JWTs are HS256 with this secret, at least
  // 32 characters; empty: JWTs are refused (SSR_JWT_SECRET). Built-in accounts' login sessions
  // last login_session_ttl_s (SSR_LOGIN_SESSION_TTL_S); cookie_secure adds `Secure` to the
  // cookie, for a server reached over HTTPS (SSR_COOKIE_SECURE).
  std::string jwt_secret;
  // What a JWT must say beyond its signature (auth::JwtPolicy, docs/security.md "Users'
  // tokens"): `iss` equal to jwt_issuer and `aud` naming jwt_audience when these are set
  // (SSR_JWT_ISSUER, SSR_JWT_AUDIENCE); `exp` at most jwt_max_lifetime_s ahead, 0 = no bound
  // (SSR_JWT_MAX_LIFETIME_S); jwt_emails_verified false: an `email` identifies its holder only
  // with `"email_verified": true` (SSR_JWT_EMAILS_VERIFIED).
  std::string jwt_issuer;
  std::string jwt_audience;
  int64_t jwt_max_lifetime_s = int64_t{24} * 3600;
  bool jwt_emails_verified = true;
  int64_t login_session_ttl_s = int64_t{7} * 24 * 3600;
  bool cookie_secure = false;
  // R19: how long a watch URL (POST .../parts/{n}/watch, POST /s/{token}/views) stays valid
  // (SSR_WATCH_URL_TTL_S).
  int64_t watch_url_ttl_s = int64_t{2} * 3600;
  // Retention (docs/security.md, "Data: deletion, retention, permissions"): a watch URL's
  // row, with the byte ranges it served and the progress reported for it, is deleted
  // watch_token_retention_s after it expired (SSR_WATCH_TOKEN_RETENTION_S); a delivered
  // webhook row webhook_retention_s after delivery (SSR_WEBHOOK_RETENTION_S). The purge runs
  // every purge_interval_s (SSR_PURGE_INTERVAL_S).
  int64_t watch_token_retention_s = int64_t{30} * 24 * 3600;
  int64_t webhook_retention_s = int64_t{7} * 24 * 3600;
  int64_t purge_interval_s = 3600;

  // The web app (docs/web.md): the directory of its build, index.html and assets/ (SSR_WEB_DIR);
  // by default the source tree's web/dist, where `make build` writes it.
  std::filesystem::path web_dir = DefaultWebDir();
  // Origins (scheme://host[:port]) whose pages may call the API, WHIP and watch URLs from the
  // browser (CORS); empty: none but the server's own (SSR_CORS_ORIGINS, comma-separated).
  std::vector<std::string> cors_origins;
  // stream.start URLs (docs/security.md, "Media URLs"): host names and addresses the recorder
  // may open although they are not public (loopback, private, link-local ...); empty: only
  // public http(s) hosts (SSR_STREAM_URL_ALLOW, comma-separated).
  std::vector<std::string> stream_url_allow;
  // GET /metrics without the API key (SSR_METRICS_PUBLIC), for a scraper that cannot send one.
  bool metrics_public = false;
  // Operations (docs/operations.md). The log's format: "text" (lines that start with their UTC
  // time) or "json" (one object per line) (SSR_LOG_FORMAT). access_log: one line per HTTP
  // request, naming its route pattern, never its path (SSR_ACCESS_LOG).
  std::string log_format = "text";
  bool access_log = true;

  // TEST ONLY, never in production. `test_faults` enables PUT
  // /api/v1/sessions/{sid}/test-faults (per-session recorder faults); the two fault_* make
  // every recorder start fail / never flow (SSR_TEST_FAULTS, SSR_FAULT_RECORDER_UNAVAILABLE,
  // SSR_FAULT_NO_MEDIA: "1"/"true" or "0"/"false").
  bool test_faults = false;
  bool fault_recorder_unavailable = false;
  bool fault_no_media = false;

  // What store::Database opens: `database`, or DATA/ssr.db.
  std::string DatabaseLocation() const {
    return database.empty() ? (data_dir / "ssr.db").string() : database;
  }
  // Where stored parts go: storage_dir, or DATA/storage.
  std::filesystem::path StorageRoot() const {
    return storage_dir.empty() ? data_dir / "storage" : storage_dir;
  }

  // The storage backend's configuration object (MakeStorageBackend): `storage`, with a
  // directory backend's "root" defaulting to StorageRoot().
  nlohmann::json StorageConfig() const;

  // advertise_url, or http://<listen>.
  std::string AdvertiseUrl() const {
    return advertise_url.empty() ? "http://" + listen : advertise_url;
  }
  bool RecordsHere() const { return role != "api"; } // all and worker record
  bool InFleet() const { return role != "all"; }

  // Host and port of `listen`, after Validate().
  std::string host() const;
  uint16_t port() const;
};

// Reads `path` (a JSON object with the fields above; unknown keys are errors) over `config`.
void ApplyConfigFile(ServerConfig& config, const std::filesystem::path& path);

// Reads SSR_* variables through `getenv` (std::getenv by default) over `config`.
void ApplyEnvironment(ServerConfig& config,
                      const std::function<const char*(const char*)>& getenv = nullptr);

// Throws ConfigError naming the setting and what is wrong.
void Validate(const ServerConfig& config);

// One row of the settings table: the key in the config file and the SSR_* variable (empty for
// the settings that have none; the S3 variables fill keys of `storage`).
struct SettingName {
  const char* key;
  const char* variable;
};
std::vector<SettingName> SettingNames();

} // namespace ssr::server
