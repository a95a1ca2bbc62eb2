#pragma once
// The settings of `ssr serve`: one typed struct, defaults in the member initializers, loaded
// from an optional JSON file (comments allowed) and SSR_* environment variables, then from
// command-line flags, and validated before the server starts.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

namespace ssr::http {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ServerConfig {
  std::string listen = "127.0.0.1:8080";       // host:port (SSR_LISTEN)
  std::filesystem::path data_dir = "./var";    // ssr.db and sessions/ (SSR_DATA_DIR)
  std::string api_key;                         // platform Bearer key, required (SSR_API_KEY)
  uint64_t max_asset_bytes = 512ull << 20;     // PUT .../assets/{name} (SSR_MAX_ASSET_BYTES)
  uint64_t max_body_bytes = 16ull << 20;       // JSON request bodies (SSR_MAX_BODY_BYTES)
  int max_connections = 512;                   // more get 503 at once (SSR_MAX_CONNECTIONS)
  int shutdown_grace_s = 10;                   // a stop waits this long for requests in flight (SSR_SHUTDOWN_GRACE_S)
  int idle_timeout_s = 60;                     // a connection silent this long is closed (SSR_IDLE_TIMEOUT_S)
  // Live recording: the composer runs this far behind real time; media later than that
  // misses its frame (SSR_LIVE_LATENCY_MS). Must exceed the jitter buffer's latency.
  int live_latency_ms = 400;
  int jitter_buffer_ms = 200;                  // RTP/WebRTC jitter buffers (SSR_JITTER_BUFFER_MS)
  std::string rtp_bind_address;                // RTP forwards arrive here; empty: listen host (SSR_RTP_BIND_ADDRESS)
  int rtp_port_min = 40000;                    // UDP port pairs for RTP forwards (SSR_RTP_PORT_MIN)
  int rtp_port_max = 41000;                    // (SSR_RTP_PORT_MAX)

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

}  // namespace ssr::http
