#include "http/server_config.h"

#include "storage/storage_backend.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdlib>
#include <fstream>

namespace ssr::http {
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

template <typename T>
T ParseNumber(const std::string& name, const std::string& text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw ConfigError(name + ": '" + text + "' is not a valid number");
  }
  return value;
}

bool ParseBool(const std::string& name, const std::string& text) {
  if (text == "1" || text == "true") return true;
  if (text == "0" || text == "false" || text.empty()) return false;
  throw ConfigError(name + ": '" + text + "' is not a boolean (1, 0, true, false)");
}

// SSR_S3_* variables and the s3 backend's keys they set.
constexpr std::pair<const char*, const char*> kS3Variables[] = {
    {"SSR_S3_ENDPOINT", "endpoint"},     {"SSR_S3_BUCKET", "bucket"},
    {"SSR_S3_REGION", "region"},         {"SSR_S3_ACCESS_KEY", "access_key"},
    {"SSR_S3_SECRET_KEY", "secret_key"}, {"SSR_S3_PREFIX", "prefix"}};

// The "kind" of a storage configuration; "" when there is none or it is not a string.
std::string StorageKind(const nlohmann::json& storage) {
  if (!storage.is_object() || !storage.contains("kind") || !storage["kind"].is_string()) return "";
  return storage["kind"].get<std::string>();
}

// "https://a.example, http://b.example:8080" -> each origin (checked by Validate).
std::vector<std::string> ParseOrigins(const std::string& text) {
  std::vector<std::string> origins;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string origin = text.substr(start, end - start);
    while (!origin.empty() && origin.front() == ' ') origin.erase(origin.begin());
    while (!origin.empty() && origin.back() == ' ') origin.pop_back();
    if (!origin.empty()) origins.push_back(origin);
    start = end + 1;
  }
  return origins;
}

}  // namespace

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
  for (const auto& [key, value] : j.items()) {
    const std::string where = path.string() + ": '" + key + "'";
    try {
      if (key == "listen") {
        config.listen = value.get<std::string>();
      } else if (key == "data_dir") {
        config.data_dir = value.get<std::string>();
      } else if (key == "api_key") {
        config.api_key = value.get<std::string>();
      } else if (key == "max_asset_bytes") {
        config.max_asset_bytes = value.get<uint64_t>();
      } else if (key == "max_body_bytes") {
        config.max_body_bytes = value.get<uint64_t>();
      } else if (key == "max_connections") {
        config.max_connections = value.get<int>();
      } else if (key == "shutdown_grace_s") {
        config.shutdown_grace_s = value.get<int>();
      } else if (key == "idle_timeout_s") {
        config.idle_timeout_s = value.get<int>();
      } else if (key == "live_latency_ms") {
        config.live_latency_ms = value.get<int>();
      } else if (key == "jitter_buffer_ms") {
        config.jitter_buffer_ms = value.get<int>();
      } else if (key == "rtp_bind_address") {
        config.rtp_bind_address = value.get<std::string>();
      } else if (key == "rtp_port_min") {
        config.rtp_port_min = value.get<int>();
      } else if (key == "rtp_port_max") {
        config.rtp_port_max = value.get<int>();
      } else if (key == "storage_dir") {
        config.storage_dir = value.get<std::string>();
      } else if (key == "storage") {
        if (StorageKind(value).empty()) {
          throw ConfigError(where + " must be an object with a \"kind\" string (\"directory\", \"s3\")");
        }
        config.storage = value;
      } else if (key == "control_tick_ms") {
        config.control_tick_ms = value.get<int>();
      } else if (key == "webhook_backoff_base_ms") {
        config.webhook_backoff_base_ms = value.get<int64_t>();
      } else if (key == "webhook_backoff_max_ms") {
        config.webhook_backoff_max_ms = value.get<int64_t>();
      } else if (key == "webhook_timeout_ms") {
        config.webhook_timeout_ms = value.get<int>();
      } else if (key == "jwt_secret") {
        config.jwt_secret = value.get<std::string>();
      } else if (key == "login_session_ttl_s") {
        config.login_session_ttl_s = value.get<int64_t>();
      } else if (key == "watch_url_ttl_s") {
        config.watch_url_ttl_s = value.get<int64_t>();
      } else if (key == "web_dir") {
        config.web_dir = value.get<std::string>();
      } else if (key == "cors_origins") {
        config.cors_origins = value.get<std::vector<std::string>>();
      } else if (key == "cookie_secure") {
        config.cookie_secure = value.get<bool>();
      } else if (key == "test_faults") {
        config.test_faults = value.get<bool>();
      } else if (key == "fault_recorder_unavailable") {
        config.fault_recorder_unavailable = value.get<bool>();
      } else if (key == "fault_no_media") {
        config.fault_no_media = value.get<bool>();
      } else {
        throw ConfigError(where + " is not a setting");
      }
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
  if (const char* v = get("SSR_LISTEN")) config.listen = v;
  if (const char* v = get("SSR_DATA_DIR")) config.data_dir = v;
  if (const char* v = get("SSR_API_KEY")) config.api_key = v;
  if (const char* v = get("SSR_MAX_ASSET_BYTES")) {
    config.max_asset_bytes = ParseNumber<uint64_t>("SSR_MAX_ASSET_BYTES", v);
  }
  if (const char* v = get("SSR_MAX_BODY_BYTES")) {
    config.max_body_bytes = ParseNumber<uint64_t>("SSR_MAX_BODY_BYTES", v);
  }
  if (const char* v = get("SSR_MAX_CONNECTIONS")) {
    config.max_connections = ParseNumber<int>("SSR_MAX_CONNECTIONS", v);
  }
  if (const char* v = get("SSR_SHUTDOWN_GRACE_S")) {
    config.shutdown_grace_s = ParseNumber<int>("SSR_SHUTDOWN_GRACE_S", v);
  }
  if (const char* v = get("SSR_IDLE_TIMEOUT_S")) {
    config.idle_timeout_s = ParseNumber<int>("SSR_IDLE_TIMEOUT_S", v);
  }
  if (const char* v = get("SSR_LIVE_LATENCY_MS")) {
    config.live_latency_ms = ParseNumber<int>("SSR_LIVE_LATENCY_MS", v);
  }
  if (const char* v = get("SSR_JITTER_BUFFER_MS")) {
    config.jitter_buffer_ms = ParseNumber<int>("SSR_JITTER_BUFFER_MS", v);
  }
  if (const char* v = get("SSR_RTP_BIND_ADDRESS")) config.rtp_bind_address = v;
  if (const char* v = get("SSR_RTP_PORT_MIN")) config.rtp_port_min = ParseNumber<int>("SSR_RTP_PORT_MIN", v);
  if (const char* v = get("SSR_RTP_PORT_MAX")) config.rtp_port_max = ParseNumber<int>("SSR_RTP_PORT_MAX", v);
  if (const char* v = get("SSR_STORAGE_DIR")) config.storage_dir = v;
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
  if (const char* v = get("SSR_CONTROL_TICK_MS")) {
    config.control_tick_ms = ParseNumber<int>("SSR_CONTROL_TICK_MS", v);
  }
  if (const char* v = get("SSR_WEBHOOK_BACKOFF_BASE_MS")) {
    config.webhook_backoff_base_ms = ParseNumber<int64_t>("SSR_WEBHOOK_BACKOFF_BASE_MS", v);
  }
  if (const char* v = get("SSR_WEBHOOK_BACKOFF_MAX_MS")) {
    config.webhook_backoff_max_ms = ParseNumber<int64_t>("SSR_WEBHOOK_BACKOFF_MAX_MS", v);
  }
  if (const char* v = get("SSR_WEBHOOK_TIMEOUT_MS")) {
    config.webhook_timeout_ms = ParseNumber<int>("SSR_WEBHOOK_TIMEOUT_MS", v);
  }
  if (const char* v = get("SSR_JWT_SECRET")) config.jwt_secret = v;
  if (const char* v = get("SSR_LOGIN_SESSION_TTL_S")) {
    config.login_session_ttl_s = ParseNumber<int64_t>("SSR_LOGIN_SESSION_TTL_S", v);
  }
  if (const char* v = get("SSR_WATCH_URL_TTL_S")) {
    config.watch_url_ttl_s = ParseNumber<int64_t>("SSR_WATCH_URL_TTL_S", v);
  }
  if (const char* v = get("SSR_WEB_DIR")) config.web_dir = v;
  if (const char* v = get("SSR_CORS_ORIGINS")) {
    config.cors_origins = ParseOrigins(v);
  }
  if (const char* v = get("SSR_COOKIE_SECURE")) config.cookie_secure = ParseBool("SSR_COOKIE_SECURE", v);
  if (const char* v = get("SSR_TEST_FAULTS")) config.test_faults = ParseBool("SSR_TEST_FAULTS", v);
  if (const char* v = get("SSR_FAULT_RECORDER_UNAVAILABLE")) {
    config.fault_recorder_unavailable = ParseBool("SSR_FAULT_RECORDER_UNAVAILABLE", v);
  }
  if (const char* v = get("SSR_FAULT_NO_MEDIA")) {
    config.fault_no_media = ParseBool("SSR_FAULT_NO_MEDIA", v);
  }
}

namespace {

// Empty when `origin` is an origin as browsers send it ("https://host[:port]"), else why not.
std::string CheckOrigin(const std::string& origin) {
  const size_t scheme_end = origin.find("://");
  if (scheme_end == std::string::npos) return "is not an origin (e.g. https://classroom.example.org)";
  const std::string scheme = origin.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return "must start with http:// or https://";
  const std::string rest = origin.substr(scheme_end + 3);
  if (rest.empty()) return "has no host";
  if (rest.find('/') != std::string::npos) return "must not have a path (not even a trailing '/')";
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
    if (!config.storage.is_null() && config.storage.contains("root") && !config.storage_dir.empty()) {
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

}  // namespace

void Validate(const ServerConfig& config) {
  std::string host;
  uint16_t port = 0;
  if (!SplitListen(config.listen, host, port)) {
    throw ConfigError("listen: '" + config.listen + "' is not HOST:PORT (e.g. 127.0.0.1:8080)");
  }
  if (config.data_dir.empty()) {
    throw ConfigError("data_dir: must not be empty");
  }
  if (config.api_key.empty()) {
    throw ConfigError("api_key: not set (set SSR_API_KEY to the platform's API key)");
  }
  if (config.api_key.size() < 16) {
    throw ConfigError("api_key: too short (at least 16 characters)");
  }
  if (!config.jwt_secret.empty() && config.jwt_secret.size() < 32) {
    throw ConfigError("jwt_secret: too short (at least 32 characters for HS256), or leave it "
                      "empty to refuse users' JWTs");
  }
  if (config.watch_url_ttl_s < 1 || config.watch_url_ttl_s > 7 * 24 * 3600) {
    throw ConfigError("watch_url_ttl_s: must be 1 to 604800 (7 days)");
  }
  if (config.login_session_ttl_s < 1 || config.login_session_ttl_s > 366 * 24 * 3600) {
    throw ConfigError("login_session_ttl_s: must be 1 to 31622400 (366 days)");
  }
  if (config.max_asset_bytes == 0) {
    throw ConfigError("max_asset_bytes: must be > 0");
  }
  if (config.max_body_bytes == 0) {
    throw ConfigError("max_body_bytes: must be > 0");
  }
  if (config.max_connections <= 0) {
    throw ConfigError("max_connections: must be > 0");
  }
  if (config.shutdown_grace_s < 0) {
    throw ConfigError("shutdown_grace_s: must be >= 0");
  }
  if (config.jitter_buffer_ms < 0 || config.jitter_buffer_ms > 5000) {
    throw ConfigError("jitter_buffer_ms: must be 0 to 5000");
  }
  if (config.live_latency_ms <= config.jitter_buffer_ms || config.live_latency_ms > 10000) {
    throw ConfigError("live_latency_ms: must exceed jitter_buffer_ms (" +
                      std::to_string(config.jitter_buffer_ms) + ") and be at most 10000");
  }
  if (config.rtp_port_min < 1024 || config.rtp_port_max > 65535 ||
      config.rtp_port_max - config.rtp_port_min < 2) {
    throw ConfigError("rtp_port_min/rtp_port_max: need a range of at least 2 ports within 1024-65535");
  }
  if (config.idle_timeout_s <= 0) {
    throw ConfigError("idle_timeout_s: must be > 0");
  }
  if (config.control_tick_ms < 10 || config.control_tick_ms > 5000) {
    throw ConfigError("control_tick_ms: must be 10 to 5000");
  }
  if (config.webhook_backoff_base_ms < 1) {
    throw ConfigError("webhook_backoff_base_ms: must be > 0");
  }
  if (config.webhook_backoff_max_ms < config.webhook_backoff_base_ms) {
    throw ConfigError("webhook_backoff_max_ms: must be >= webhook_backoff_base_ms (" +
                      std::to_string(config.webhook_backoff_base_ms) + ")");
  }
  if (config.webhook_timeout_ms < 100 || config.webhook_timeout_ms > 120000) {
    throw ConfigError("webhook_timeout_ms: must be 100 to 120000");
  }
  if (config.web_dir.empty()) {
    throw ConfigError("web_dir: must not be empty (the directory of the built web app)");
  }
  for (const std::string& origin : config.cors_origins) {
    if (const std::string problem = CheckOrigin(origin); !problem.empty()) {
      throw ConfigError("cors_origins: '" + origin + "' " + problem);
    }
  }
  ValidateStorage(config);
}

}  // namespace ssr::http
