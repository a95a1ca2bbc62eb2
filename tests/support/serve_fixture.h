#pragma once
// Runs the real `ssr serve` binary for scenario tests: on 127.0.0.1 at a free port, with a
// fresh data directory and a known API key, and talks to it (cpp-httplib for HTTP, a Beast
// client for the events WebSocket, a raw socket for malformed requests).

#include "temp_dir.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <sys/types.h>

namespace ssr::test {

inline constexpr const char* kApiKey = "test-api-key-0123456789";

// The address the server listens on: 127.0.0.1, or inside a test network namespace
// (tests/e2e/netns-run) its first veth address, which WebRTC peers can reach (libnice and
// aioice leave loopback out).
std::string ServeHost();

class ServeProcess {
 public:
  // Starts the server with SSR_API_KEY=kApiKey, SSR_WEB_DIR a directory with no web app, and
  // `env` added (which may set SSR_WEB_DIR); waits until /livez answers.
  // With `data_dir`, serves that existing directory (and leaves it in place) instead of a
  // fresh one.
  explicit ServeProcess(std::map<std::string, std::string> env = {},
                        const std::filesystem::path& data_dir = {});
  ~ServeProcess(); // SIGKILL if still running; then temp_dir_ goes
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // http://HOST:PORT
  std::string BaseUrl() const { return "http://" + ServeHost() + ":" + std::to_string(port_); }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::filesystem::path SessionDir(const std::string& sid) const {
    return data_dir_ / "sessions" / sid;
  }
  std::string Log() const; // what the server wrote to stderr and stdout
  // The server's peak resident memory so far (VmHWM of /proc/PID/status), in KiB; -1 if
  // unknown.
  long PeakRssKiB() const;

  // Sends `signal` and waits for the exit; returns the exit code, or -1 if it did not exit
  // normally within `timeout_s`.
  int StopWith(int signal, double timeout_s = 10);

  httplib::Client Client() const;
  httplib::Headers Auth(const std::string& key = kApiKey) const;

  // POST /api/v1/sessions with the API key; returns the response.
  httplib::Result CreateSession(const nlohmann::json& body);
  httplib::Result PostEvents(const std::string& sid, const nlohmann::json& body);

 private:
  // Polls /livez; kills the child and throws (with its log) if it exits or does not answer.
  void WaitUntilLive();

  std::filesystem::path data_dir_;
  TempDir temp_dir_; // serve.log, no-web/, and data/ unless a data_dir is given
  int port_ = 0;
  pid_t pid_ = -1;
};

// Sends `bytes` on a fresh TCP connection and returns everything the server answers before
// it closes the connection (or 5 s pass).
std::string RawExchange(int port, const std::string& bytes);

int FreePort();

// A gauge or counter without labels from GET /metrics (with the API key), or -1.
double MetricValue(ServeProcess& server, const std::string& name);

} // namespace ssr::test
