#pragma once
// Helpers for end-to-end live recording tests: a class on a real `ssr serve` (events through
// the API), real publishers started as separate processes (aiortc WHIP, Chromium WHIP,
// GStreamer RTP: tests/e2e/), recordings started, stopped and downloaded through the API.
// The test binary runs inside tests/e2e/netns-run: its own network namespace.

#include "../support/serve_fixture.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ssr::test {

// A command running in the background (sh -c), its output collected in a file.
class BackgroundCommand {
 public:
  explicit BackgroundCommand(const std::string& command);
  ~BackgroundCommand(); // kills it if still running
  // Waits up to `timeout_s`; the exit code, or -1 when it had to be killed.
  int Wait(double timeout_s);
  std::string Output() const;

 private:
  pid_t pid_ = -1;
  std::filesystem::path log_;
  int exit_code_ = -1;
};

struct LiveClass {
  std::string sid;
  std::string ingest_token;
};

// Creates session `sid` and posts, at t=0, a host joining with a camera and a microphone
// track ("cam-h1", "mic-h1").
LiveClass StartClass(ServeProcess& server, const std::string& sid,
                     const std::string& host_name = "Host One");

nlohmann::json StartRecording(ServeProcess& server, const std::string& sid);
// Stops it and waits until it is ready (stored and verified); returns the recording.
nlohmann::json StopRecording(ServeProcess& server, const std::string& rid);
// Polls GET /api/v1/recordings/{rid} until its status is `status`; throws after `timeout_s`.
nlohmann::json WaitForStatus(ServeProcess& server, const std::string& rid,
                             const std::string& status, double timeout_s);
// Downloads part n of a recording into `dir`; returns the file.
std::filesystem::path DownloadPart(ServeProcess& server, const std::string& rid, int n,
                                   const std::filesystem::path& dir);

// The aiortc WHIP publisher (tests/e2e/whip_publish.py) with `args` appended.
std::string WhipPublisherCommand(const ServeProcess& server, const LiveClass& live,
                                 const std::string& tracks, const std::string& args);

// What ffmpeg reports while decoding the whole file ("" when it decodes cleanly).
std::string DecodeErrors(const std::filesystem::path& file);

// Threads of a process (/proc/PID/task).
int ThreadCount(pid_t pid);

// Where the single webcam tile of the default layout (side bar open) sits, normalized.
inline constexpr double kTileX0 = 0.08, kTileY0 = 0.2, kTileX1 = 0.66, kTileY1 = 0.8;

} // namespace ssr::test
