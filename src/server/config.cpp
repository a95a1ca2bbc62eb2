#include "server/config.h"

#include "ingest/ice_options.h"
#include "media/stream_url_policy.h"
#include "storage/storage_backend.h"
#include "store/engine.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <limits>

namespace ssr::server {
namespace {

bool SplitListen(const std::string& listen, std::string& host, uint16_t& port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) {
    return false;
  }
  host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string p = listen.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc() || end != p.data() + p.size() || value > 65535) {
    return false;
  }
  port = static_cast<uint16_t>(value);
  return true;
}

template <typename T> T ParseNumber(const std::string& name, const std::string& text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw ConfigError(name + ": '" + text + "' is not a valid number");
  }
  return value;
}

bool ParseBool(const std::string& name, const std::string& text) {
  if (text == "1" || text == "true")
    return true;
  if (text == "0" || text == "false" || text.empty())
    return false;
  throw ConfigError(name + ": '" + text + "' is not a boolean (1, 0, true, false)");
}

// SSR_S3_* variables and the s3 backend's keys they set.
constexpr std::pair<const char*, const char*> kS3Variables[] = {
    {"SSR_S3_ENDPOINT", "endpoint"},     {"SSR_S3_BUCKET", "bucket"},
    {"SSR_S3_REGION", "region"},         {"SSR_S3_ACCESS_KEY", "access_key"},
    {"SSR_S3_SECRET_KEY", "secret_key"}, {"SSR_S3_PREFIX", "prefix"}};

// The "kind" of a storage configuration; "" when there is none or it is not a string.
std::string StorageKind(const nlohmann::json& storage) {
  if (!storage.is_object() || !storage.contains("kind") || !storage["kind"].is_string())
    return "";
  return storage["kind"].get<std::string>();
}

// "https://a.example, http://b.example:8080" -> each entry (checked by Validate).
std::vector<std::string> SplitCommaList(const std::string& text) {
  std::vector<std::string> origins;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos)
      end = text.size();
    std::string origin = text.substr(start, end - start);
    while (!origin.empty() && origin.front() == ' ')
      origin.erase(origin.begin());
    while (!origin.empty() && origin.back() == ' ')
      origin.pop_back();
    if (!origin.empty())
      origins.push_back(origin);
    start = end + 1;
  }
  return origins;
}

// Empty when `origin` is an origin as browsers send it ("https://host[:port]"), else why not.
std::string CheckOrigin(const std::string& origin) {
  const size_t scheme_end = origin.find("://");
  if (scheme_end == std::string::npos)
    return "is not an origin (e.g. https://classroom.example.org)";
  const std::string scheme = origin.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https")
    return "must start with http:// or https://";
  const std::string rest = origin.substr(scheme_end + 3);
  if (rest.empty())
    return "has no host";
  if (rest.find('/') != std::string::npos)
    return "must not have a path (not even a trailing '/')";
  for (unsigned char c : rest) {
    if (c <= 0x20 || c >= 0x7f || c == '*' || c == '?' || c == '#' || c == '@') {
      return "has a character that cannot be in an origin";
    }
  }
  return "";
}

// Builds a remote backend once to check its settings (no network); a directory backend is
// checked when the server creates it.
void ValidateStorage(const ServerConfig& config) {
  const nlohmann::json storage = config.StorageConfig();
  const std::string kind = StorageKind(storage);
  if (kind.empty()) {
    throw ConfigError("storage: needs a \"kind\" string (\"directory\" or \"s3\")");
  }
  if (kind == "directory") {
    if (!config.storage.is_null() && config.storage.contains("root") &&
        !config.storage_dir.empty()) {
      throw ConfigError("storage.root and storage_dir: set one, not both");
    }
    return;
  }
  try {
    storage::MakeStorageBackend(storage);
  } catch (const storage::StorageError& e) {
    throw ConfigError(e.what());
  }
}

// One setting: where it lives in the file and the environment, how a value is read from each,
// and the check Validate makes of it alone ("" when fine). Checks between settings are in
// Validate below.
struct Setting {
  const char* key;
  const char* variable; // "" for none
  std::function<void(ServerConfig&, const nlohmann::json&)> from_json;
  std::function<void(ServerConfig&, const std::string&)> from_text;
  std::function<std::string(const ServerConfig&)> check;
};

template <typename T>
Setting Number(const char* key, const char* variable, T ServerConfig::*member, T min, T max,
               const char* rule) {
  return {key, variable,
          [member](ServerConfig& c, const nlohmann::json& v) { c.*member = v.get<T>(); },
          [member, variable](ServerConfig& c, const std::string& text) {
            c.*member = ParseNumber<T>(variable, text);
          },
          [member, min, max, rule](const ServerConfig& c) {
            return c.*member < min || c.*member > max ? std::string(rule) : std::string();
          }};
}

Setting Text(const char* key, const char* variable, std::string ServerConfig::*member) {
  return {key, variable,
          [member](ServerConfig& c, const nlohmann::json& v) { c.*member = v.get<std::string>(); },
          [member](ServerConfig& c, const std::string& text) { c.*member = text; },
          [](const ServerConfig&) { return std::string(); }};
}

Setting Path(const char* key, const char* variable, std::filesystem::path ServerConfig::*member,
             const char* if_empty) {
  return {key, variable,
          [member](ServerConfig& c, const nlohmann::json& v) { c.*member = v.get<std::string>(); },
          [member](ServerConfig& c, const std::string& text) { c.*member = text; },
          [member, if_empty](const ServerConfig& c) {
            return if_empty != nullptr && (c.*member).empty() ? std::string(if_empty)
                                                              : std::string();
          }};
}

Setting Flag(const char* key, const char* variable, bool ServerConfig::*member) {
  return {key, variable,
          [member](ServerConfig& c, const nlohmann::json& v) { c.*member = v.get<bool>(); },
          [member, variable](ServerConfig& c, const std::string& text) {
            c.*member = ParseBool(variable, text);
          },
          [](const ServerConfig&) { return std::string(); }};
}

constexpr int64_t kDay = int64_t{24} * 3600;
constexpr uint64_t kNoLimit = ~uint64_t{0};
constexpr int kIntMax = std::numeric_limits<int>::max();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

const std::vector<Setting>& Table() {
  using C = ServerConfig;
  static const std::vector<Setting> kTable = {
      {"listen", "SSR_LISTEN",
       [](C& c, const nlohmann::json& v) { c.listen = v.get<std::string>(); },
       [](C& c, const std::string& t) { c.listen = t; },
       [](const C& c) {
         std::string host;
         uint16_t port = 0;
         return SplitListen(c.listen, host, port)
                    ? std::string()
                    : "'" + c.listen + "' is not HOST:PORT (e.g. 127.0.0.1:8080)";
       }},
      Path("data_dir", "SSR_DATA_DIR", &C::data_dir, "must not be empty"),
      {"database", "SSR_DATABASE_URL",
       [](C& c, const nlohmann::json& v) { c.database = v.get<std::string>(); },
       [](C& c, const std::string& t) { c.database = t; },
       [](const C& c) {
         return c.database.empty() || store::IsPostgresUrl(c.database)
                    ? std::string()
                    : std::string("must be empty (DATA/ssr.db) or a postgresql:// URL");
       }},
      {"role", "SSR_ROLE", [](C& c, const nlohmann::json& v) { c.role = v.get<std::string>(); },
       [](C& c, const std::string& t) { c.role = t; },
       [](const C& c) {
         return c.role == "all" || c.role == "api" || c.role == "worker"
                    ? std::string()
                    : "'" + c.role + "' is not a role (all, api or worker)";
       }},
      {"advertise_url", "SSR_ADVERTISE_URL",
       [](C& c, const nlohmann::json& v) { c.advertise_url = v.get<std::string>(); },
       [](C& c, const std::string& t) { c.advertise_url = t; },
       [](const C& c) {
         // http(s)://HOST:PORT, as an origin: the API appends the paths.
         const std::string problem = c.advertise_url.empty() ? "" : CheckOrigin(c.advertise_url);
         return problem.empty() ? problem : "'" + c.advertise_url + "' " + problem;
       }},
      Number<int>("worker_heartbeat_ms", "SSR_WORKER_HEARTBEAT_MS", &C::worker_heartbeat_ms, 50,
                  60000, "must be 50 to 60000"),
      Number<int>("worker_lease_ms", "SSR_WORKER_LEASE_MS", &C::worker_lease_ms, 100, 600000,
                  "must be 100 to 600000 and at least twice worker_heartbeat_ms"),
      {"api_key", "SSR_API_KEY",
       [](C& c, const nlohmann::json& v) { c.api_key = v.get<std::string>(); },
       [](C& c, const std::string& t) { c.api_key = t; },
       [](const C& c) {
         if (c.api_key.empty())
           return std::string("not set (set SSR_API_KEY to the platform's API key)");
         if (c.api_key.size() < 16)
           return std::string("too short (at least 16 characters)");
         return std::string();
       }},
      Number<uint64_t>("max_asset_bytes", "SSR_MAX_ASSET_BYTES", &C::max_asset_bytes, 1, kNoLimit,
                       "must be > 0"),
      Number<uint64_t>("max_body_bytes", "SSR_MAX_BODY_BYTES", &C::max_body_bytes, 1, kNoLimit,
                       "must be > 0"),
      Number<int>("max_connections", "SSR_MAX_CONNECTIONS", &C::max_connections, 1, kIntMax,
                  "must be > 0"),
      Number<int>("shutdown_grace_s", "SSR_SHUTDOWN_GRACE_S", &C::shutdown_grace_s, 0, kIntMax,
                  "must be >= 0"),
      Number<int>("idle_timeout_s", "SSR_IDLE_TIMEOUT_S", &C::idle_timeout_s, 1, kIntMax,
                  "must be > 0"),
      Number<int>("request_timeout_s", "SSR_REQUEST_TIMEOUT_S", &C::request_timeout_s, 1, 3600,
                  "must be 1 to 3600"),
      Number<int>("max_connections_per_address", "SSR_MAX_CONNECTIONS_PER_ADDRESS",
                  &C::max_connections_per_address, 1, kIntMax, "must be > 0"),
      Number<int>("login_account_attempts", "SSR_LOGIN_ACCOUNT_ATTEMPTS",
                  &C::login_account_attempts, 1, kIntMax, "must be > 0"),
      Number<int>("login_address_attempts", "SSR_LOGIN_ADDRESS_ATTEMPTS",
                  &C::login_address_attempts, 1, kIntMax, "must be > 0"),
      Number<int>("login_window_s", "SSR_LOGIN_WINDOW_S", &C::login_window_s, 1, 24 * 3600,
                  "must be 1 to 86400 (a day)"),
      Number<int>("login_max_concurrent_hashes", "SSR_LOGIN_MAX_CONCURRENT_HASHES",
                  &C::login_max_concurrent_hashes, 0, 1024, "must be 0 (one per core) to 1024"),
      Number<int>("share_views_per_address", "SSR_SHARE_VIEWS_PER_ADDRESS",
                  &C::share_views_per_address, 1, kIntMax, "must be > 0"),
      Number<int>("share_views_per_link", "SSR_SHARE_VIEWS_PER_LINK", &C::share_views_per_link, 1,
                  kIntMax, "must be > 0"),
      Number<int>("watch_urls_per_caller", "SSR_WATCH_URLS_PER_CALLER", &C::watch_urls_per_caller,
                  1, kIntMax, "must be > 0"),
      Number<int>("request_window_s", "SSR_REQUEST_WINDOW_S", &C::request_window_s, 1, 24 * 3600,
                  "must be 1 to 86400 (a day)"),
      Number<int>("live_latency_ms", "SSR_LIVE_LATENCY_MS", &C::live_latency_ms, 1, 10000,
                  "must exceed jitter_buffer_ms and be at most 10000"),
      Number<int>("jitter_buffer_ms", "SSR_JITTER_BUFFER_MS", &C::jitter_buffer_ms, 0, 5000,
                  "must be 0 to 5000"),
      Number<int>("max_live_recordings", "SSR_MAX_LIVE_RECORDINGS", &C::max_live_recordings, 0,
                  10000, "must be 0 (two per core) to 10000"),
      Text("rtp_bind_address", "SSR_RTP_BIND_ADDRESS", &C::rtp_bind_address),
      Number<int>("rtp_port_min", "SSR_RTP_PORT_MIN", &C::rtp_port_min, 1024, 65535,
                  "must be 1024 to 65535"),
      Number<int>("rtp_port_max", "SSR_RTP_PORT_MAX", &C::rtp_port_max, 1024, 65535,
                  "must be 1024 to 65535"),
      Number<int>("ingest_max_whip_resources", "SSR_INGEST_MAX_WHIP_RESOURCES",
                  &C::ingest_max_whip_resources, 1, 10000, "must be 1 to 10000"),
      Number<int>("ingest_max_tracks", "SSR_INGEST_MAX_TRACKS", &C::ingest_max_tracks, 1, 10000,
                  "must be 1 to 10000"),
      {"ice_advertised_addresses", "SSR_ICE_ADVERTISED_ADDRESSES",
       [](C& c, const nlohmann::json& v) {
         c.ice_advertised_addresses = v.get<std::vector<std::string>>();
       },
       [](C& c, const std::string& t) { c.ice_advertised_addresses = SplitCommaList(t); },
       [](const C& c) {
         std::vector<ingest::AdvertisedAddress> parsed;
         return ingest::ParseAdvertisedAddresses(c.ice_advertised_addresses, parsed);
       }},
      // 1-1023 and the pair are checked in Validate (CheckIcePorts).
      Number<int>("ice_port_min", "SSR_ICE_PORT_MIN", &C::ice_port_min, 0, 65535,
                  "must be 0 (any port) or 1024 to 65535"),
      Number<int>("ice_port_max", "SSR_ICE_PORT_MAX", &C::ice_port_max, 0, 65535,
                  "must be 0 (any port) or 1024 to 65535"),
      {"ice_stun_server", "SSR_ICE_STUN_SERVER",
       [](C& c, const nlohmann::json& v) { c.ice_stun_server = v.get<std::string>(); },
       [](C& c, const std::string& t) { c.ice_stun_server = t; },
       [](const C& c) {
         if (c.ice_stun_server.empty())
           return std::string();
         const std::string problem = ingest::CheckStunUrl(c.ice_stun_server);
         return problem.empty() ? problem
                                : problem + " (" + ingest::RedactedUrl(c.ice_stun_server) + ")";
       }},
      // A TURN URL holds a password: errors show it redacted (ingest::RedactedUrl).
      {"ice_turn_servers", "SSR_ICE_TURN_SERVERS",
       [](C& c, const nlohmann::json& v) {
         c.ice_turn_servers = v.get<std::vector<std::string>>();
       },
       [](C& c, const std::string& t) { c.ice_turn_servers = SplitCommaList(t); },
       [](const C& c) {
         for (size_t i = 0; i < c.ice_turn_servers.size(); ++i) {
           const std::string& url = c.ice_turn_servers[i];
           if (const std::string problem = ingest::CheckTurnUrl(url); !problem.empty()) {
             return "entry " + std::to_string(i + 1) + " (" + ingest::RedactedUrl(url) + ") " +
                    problem;
           }
         }
         return std::string();
       }},
      Path("storage_dir", "SSR_STORAGE_DIR", &C::storage_dir, nullptr),
      // The backend's own keys are checked by building it (ValidateStorage); its variables
      // (SSR_STORAGE_KIND, SSR_S3_*) are read by ApplyStorageEnvironment.
      {"storage", "",
       [](C& c, const nlohmann::json& v) {
         if (StorageKind(v).empty()) {
           throw ConfigError("must be an object with a \"kind\" string (\"directory\", \"s3\")");
         }
         c.storage = v;
       },
       nullptr, [](const C&) { return std::string(); }},
      Number<int>("control_tick_ms", "SSR_CONTROL_TICK_MS", &C::control_tick_ms, 10, 5000,
                  "must be 10 to 5000"),
      Number<int64_t>("webhook_backoff_base_ms", "SSR_WEBHOOK_BACKOFF_BASE_MS",
                      &C::webhook_backoff_base_ms, 1, kInt64Max, "must be > 0"),
      Number<int64_t>("webhook_backoff_max_ms", "SSR_WEBHOOK_BACKOFF_MAX_MS",
                      &C::webhook_backoff_max_ms, 1, kInt64Max, "must be > 0"),
      Number<int>("webhook_max_attempts", "SSR_WEBHOOK_MAX_ATTEMPTS", &C::webhook_max_attempts, 1,
                  1'000'000, "must be from 1 to 1000000"),
      Number<int>("webhook_timeout_ms", "SSR_WEBHOOK_TIMEOUT_MS", &C::webhook_timeout_ms, 100,
                  120000, "must be 100 to 120000"),
      {"jwt_secret", "SSR_JWT_SECRET",
       [](C& c, const nlohmann::json& v) { c.jwt_secret = v.get<std::string>(); },
       [](C& c, const std::string& t) { c.jwt_secret = t; },
       [](const C& c) {
         return !c.jwt_secret.empty() && c.jwt_secret.size() < 32
                    ? std::string("too short (at least 32 characters for HS256), or leave it "
                                  "empty to refuse users' JWTs")
                    : std::string();
       }},
      Text("jwt_issuer", "SSR_JWT_ISSUER", &C::jwt_issuer),
      Text("jwt_audience", "SSR_JWT_AUDIENCE", &C::jwt_audience),
      Number<int64_t>("jwt_max_lifetime_s", "SSR_JWT_MAX_LIFETIME_S", &C::jwt_max_lifetime_s, 0,
                      366 * kDay, "must be 0 (no bound) to 31622400 (366 days)"),
      Flag("jwt_emails_verified", "SSR_JWT_EMAILS_VERIFIED", &C::jwt_emails_verified),
      Number<int64_t>("login_session_ttl_s", "SSR_LOGIN_SESSION_TTL_S", &C::login_session_ttl_s, 1,
                      366 * kDay, "must be 1 to 31622400 (366 days)"),
      Flag("cookie_secure", "SSR_COOKIE_SECURE", &C::cookie_secure),
      Number<int64_t>("watch_url_ttl_s", "SSR_WATCH_URL_TTL_S", &C::watch_url_ttl_s, 1, 7 * kDay,
                      "must be 1 to 604800 (7 days)"),
      Number<int64_t>("watch_token_retention_s", "SSR_WATCH_TOKEN_RETENTION_S",
                      &C::watch_token_retention_s, 0, 3660 * kDay,
                      "must be 0 to 316224000 (3660 days)"),
      Number<int64_t>("webhook_retention_s", "SSR_WEBHOOK_RETENTION_S", &C::webhook_retention_s, 0,
                      3660 * kDay, "must be 0 to 316224000 (3660 days)"),
      Number<int64_t>("purge_interval_s", "SSR_PURGE_INTERVAL_S", &C::purge_interval_s, 1, kDay,
                      "must be 1 to 86400 (a day)"),
      Path("web_dir", "SSR_WEB_DIR", &C::web_dir,
           "must not be empty (the directory of the built web app)"),
      {"cors_origins", "SSR_CORS_ORIGINS",
       [](C& c, const nlohmann::json& v) { c.cors_origins = v.get<std::vector<std::string>>(); },
       [](C& c, const std::string& t) { c.cors_origins = SplitCommaList(t); },
       [](const C& c) {
         for (const std::string& origin : c.cors_origins) {
           if (const std::string problem = CheckOrigin(origin); !problem.empty()) {
             return "'" + origin + "' " + problem;
           }
         }
         return std::string();
       }},
      {"stream_url_allow", "SSR_STREAM_URL_ALLOW",
       [](C& c, const nlohmann::json& v) {
         c.stream_url_allow = v.get<std::vector<std::string>>();
       },
       [](C& c, const std::string& t) {
         c.stream_url_allow = media::StreamUrlPolicy::ParseAllowList(t);
       },
       [](const C& c) {
         for (const std::string& entry : c.stream_url_allow) {
           if (std::string problem = media::StreamUrlPolicy::CheckAllowEntry(entry);
               !problem.empty()) {
             return problem;
           }
         }
         return std::string();
       }},
      Flag("test_faults", "SSR_TEST_FAULTS", &C::test_faults),
      Flag("metrics_public", "SSR_METRICS_PUBLIC", &C::metrics_public),
      {"log_format", "SSR_LOG_FORMAT",
       [](C& c, const nlohmann::json& v) { c.log_format = v.get<std::string>(); },
       [](C& c, const std::string& t) { c.log_format = t; },
       [](const C& c) {
         return c.log_format == "text" || c.log_format == "json"
                    ? std::string()
                    : "'" + c.log_format + "' is not a log format (text or json)";
       }},
      Flag("access_log", "SSR_ACCESS_LOG", &C::access_log),
      Flag("fault_recorder_unavailable", "SSR_FAULT_RECORDER_UNAVAILABLE",
           &C::fault_recorder_unavailable),
      Flag("fault_no_media", "SSR_FAULT_NO_MEDIA", &C::fault_no_media),
  };
  return kTable;
}

// The fleet's roles share one PostgreSQL database; a worker's heartbeat must fit its lease twice.
void CheckFleet(const ServerConfig& c) {
  if (c.role != "all" && !store::IsPostgresUrl(c.database)) {
    throw ConfigError("role: '" + c.role +
                      "' needs the fleet's PostgreSQL database (database / SSR_DATABASE_URL = "
                      "postgresql://...); SQLite serves one process only (role all)");
  }
  if (c.worker_lease_ms < 2 * c.worker_heartbeat_ms) {
    throw ConfigError("worker_lease_ms: must be at least twice worker_heartbeat_ms (" +
                      std::to_string(c.worker_heartbeat_ms) +
                      "), or one late heartbeat loses the worker's sessions");
  }
}

// The ICE port range: both 0 (any), or both set, ordered, clear of the RTP forwards' range.
void CheckIcePorts(const ServerConfig& c) {
  if (c.ice_port_min == 0 && c.ice_port_max == 0)
    return;
  if (c.ice_port_min == 0 || c.ice_port_max == 0) {
    throw ConfigError("ice_port_min/ice_port_max: set both, or neither (any port)");
  }
  if (c.ice_port_min < 1024 || c.ice_port_max < 1024) {
    throw ConfigError(std::string(c.ice_port_min < 1024 ? "ice_port_min" : "ice_port_max") +
                      ": must be 0 (any port) or 1024 to 65535");
  }
  const std::string range = std::to_string(c.ice_port_min) + "-" + std::to_string(c.ice_port_max);
  if (c.ice_port_min > c.ice_port_max) {
    throw ConfigError("ice_port_min/ice_port_max: " + range +
                      " is empty (ice_port_min must be <= ice_port_max)");
  }
  if (c.ice_port_min <= c.rtp_port_max && c.rtp_port_min <= c.ice_port_max) {
    throw ConfigError("ice_port_min/ice_port_max: " + range + " overlaps rtp_port_min/" +
                      "rtp_port_max (" + std::to_string(c.rtp_port_min) + "-" +
                      std::to_string(c.rtp_port_max) + "); RTP forwards and ICE need ports " +
                      "of their own");
  }
}

// SSR_STORAGE_KIND replaces a storage of another kind; SSR_S3_* fill the s3 backend's keys.
void ApplyStorageEnvironment(ServerConfig& config,
                             const std::function<const char*(const char*)>& get) {
  if (const char* v = get("SSR_STORAGE_KIND")) {
    if (StorageKind(config.storage) != v) {
      config.storage = nlohmann::json{{"kind", v}}; // another kind: the file's keys do not apply
    }
  }
  for (const auto& [variable, key] : kS3Variables) {
    if (const char* v = get(variable)) {
      if (StorageKind(config.storage) != "s3") {
        throw ConfigError(std::string(variable) +
                          ": set, but the storage kind is not s3 (set SSR_STORAGE_KIND=s3)");
      }
      config.storage[key] = v;
    }
  }
}

} // namespace

std::filesystem::path DefaultWebDir() {
#ifdef SSR_DEFAULT_WEB_DIR
  return SSR_DEFAULT_WEB_DIR;
#else
  return "web/dist";
#endif
}

nlohmann::json ServerConfig::StorageConfig() const {
  nlohmann::json config = storage.is_null() ? nlohmann::json{{"kind", "directory"}} : storage;
  if (StorageKind(config) == "directory" && !config.contains("root")) {
    config["root"] = StorageRoot().string();
  }
  return config;
}

std::string ServerConfig::host() const {
  std::string host;
  uint16_t port = 0;
  SplitListen(listen, host, port);
  return host;
}

uint16_t ServerConfig::port() const {
  std::string host;
  uint16_t port = 0;
  SplitListen(listen, host, port);
  return port;
}

std::vector<SettingName> SettingNames() {
  std::vector<SettingName> names;
  for (const Setting& s : Table())
    names.push_back({s.key, s.variable});
  return names;
}

void ApplyConfigFile(ServerConfig& config, const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    throw ConfigError("cannot read config file " + path.string());
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in, nullptr, true, /*ignore_comments=*/true);
  } catch (const nlohmann::json::parse_error& e) {
    throw ConfigError(path.string() + ": not valid JSON: " + e.what());
  }
  if (!j.is_object()) {
    throw ConfigError(path.string() + ": must be a JSON object");
  }
  for (const auto& item : j.items()) {
    // Named, not a structured binding: the lambda below captures it (clang 14 cannot).
    const std::string& key = item.key();
    const nlohmann::json& value = item.value();
    const std::string where = path.string() + ": '" + key + "'";
    const auto& table = Table();
    const auto setting =
        std::find_if(table.begin(), table.end(), [&](const Setting& s) { return key == s.key; });
    if (setting == table.end()) {
      throw ConfigError(where + " is not a setting");
    }
    try {
      setting->from_json(config, value);
    } catch (const ConfigError& e) {
      throw ConfigError(where + " " + e.what());
    } catch (const nlohmann::json::exception&) {
      throw ConfigError(where + " has the wrong type (" + value.type_name() + ")");
    }
  }
}

void ApplyEnvironment(ServerConfig& config,
                      const std::function<const char*(const char*)>& getenv_fn) {
  auto get = [&](const char* name) -> const char* {
    return getenv_fn ? getenv_fn(name) : std::getenv(name);
  };
  for (const Setting& setting : Table()) {
    if (setting.from_text == nullptr)
      continue;
    if (const char* v = get(setting.variable))
      setting.from_text(config, v);
  }
  ApplyStorageEnvironment(config, get);
}

void Validate(const ServerConfig& config) {
  for (const Setting& setting : Table()) {
    if (const std::string problem = setting.check(config); !problem.empty()) {
      throw ConfigError(std::string(setting.key) + ": " + problem);
    }
  }
  if (config.live_latency_ms <= config.jitter_buffer_ms) {
    throw ConfigError("live_latency_ms: must exceed jitter_buffer_ms (" +
                      std::to_string(config.jitter_buffer_ms) + ") and be at most 10000");
  }
  if (config.rtp_port_max - config.rtp_port_min < 2) {
    throw ConfigError(
        "rtp_port_min/rtp_port_max: need a range of at least 2 ports within 1024-65535");
  }
  CheckIcePorts(config);
  CheckFleet(config);
  if (config.webhook_backoff_max_ms < config.webhook_backoff_base_ms) {
    throw ConfigError("webhook_backoff_max_ms: must be >= webhook_backoff_base_ms (" +
                      std::to_string(config.webhook_backoff_base_ms) + ")");
  }
  ValidateStorage(config);
}

} // namespace ssr::server
