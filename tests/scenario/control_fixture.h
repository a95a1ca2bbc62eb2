#pragma once
// Helpers for recording-control scenarios on the real `ssr serve`: a class whose events carry
// real session times (t = seconds since its first event, as a platform posts them), the
// notification stream of a session read as Server-Sent Events, and waits on a recording's
// status through GET /api/v1/recordings/{rid}.

#include "../support/serve_fixture.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ssr::test {

// A plain RTP forward of a VP8 camera (POST .../tracks/{track}/rtp): enough for the server
// to open a UDP port pair and a receiving pipeline; nothing needs to be sent.
inline constexpr const char* kRtpVideoSdp =
    "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=video 9 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n";

// Settings of `ssr serve` for control scenarios: test faults on, fast ticks and retries.
std::map<std::string, std::string> ControlEnv();

// ControlEnv with parts stored in `bucket` of an S3-compatible server at `endpoint` (s3rver's
// default credentials), under `prefix`.
std::map<std::string, std::string>
S3ControlEnv(const std::string& endpoint, const std::string& bucket, const std::string& prefix);

// The first column of `sql` (one `?`, bound to `arg`) in the database of `db` (the SQLite file,
// or its database in the postgres tier: test::TestDatabase); -1 when there is no row.
int64_t CountRows(const std::filesystem::path& db, const std::string& sql, const std::string& arg);
// Runs `sql` (one or more statements) on the database of `db` (as CountRows); a failure throws.
void Exec(const std::filesystem::path& db, const std::string& sql);

// PUT /api/v1/settings; returns the response.
httplib::Result PutSettings(ServeProcess& server, const nlohmann::json& settings);

// A session with its own clock: Post stamps each event with the time since the first Post.
class Classroom {
 public:
  Classroom(ServeProcess& server, std::string sid, const std::string& title,
            nlohmann::json extra = nlohmann::json::object());
  ~Classroom();

  double Post(nlohmann::json event); // returns the t it was stamped with
  double Now() const;                // seconds since the first Post
  // A harmless event every second, so that the room "flows" (no media in these tests).
  void StartHeartbeat();
  void StopHeartbeat();

  double Join(const std::string& id, const std::string& role, const std::string& room = "main");
  double Move(const std::string& id, const std::string& to);
  double Leave(const std::string& id, const std::string& reason);
  double OpenRoom(const std::string& id, const std::string& name, bool auto_record = false);
  double CloseRoom(const std::string& id);

  // POST /api/v1/sessions/{sid}/recordings; expects 202 and returns the body.
  nlohmann::json Start(const nlohmann::json& body = nlohmann::json::object());
  const std::string& sid() const { return sid_; }

 private:
  ServeProcess& server_;
  const std::string sid_;
  mutable std::mutex mutex_;
  std::optional<std::chrono::steady_clock::time_point> t0_;
  std::atomic<bool> heartbeat_on_{false};
  std::thread heartbeat_;
};

// POST /api/v1/recordings/{rid}/stop; returns the response.
httplib::Result StopRecording(ServeProcess& server, const std::string& rid);
nlohmann::json GetRecording(ServeProcess& server, const std::string& rid);
// Polls until the recording has `status`; returns it (or the last one seen, after a failure).
nlohmann::json WaitStatus(ServeProcess& server, const std::string& rid, const std::string& status,
                          double timeout_s);
// Downloads part n into `path`; returns the HTTP status.
int DownloadPart(ServeProcess& server, const std::string& rid, int n,
                 const std::filesystem::path& path);

struct Note {
  std::string id;
  std::string event;
  nlohmann::json data;
};

// GET /api/v1/sessions/{sid}/notifications on a raw socket, read on its own thread.
class NotificationStream {
 public:
  // Returns once the stream is open (subscribed). `participant`: ?participant=ID;
  // `last_event_id`: sent as Last-Event-ID, as a reconnecting browser does.
  NotificationStream(const ServeProcess& server, const std::string& sid,
                     const std::string& participant = "", const std::string& last_event_id = "");
  // GET `target` with these extra header lines ("Cookie: ..."), as a host's browser opens it
  // (no API key). Throws if the stream does not open with 200.
  NotificationStream(const ServeProcess& server, const std::string& target,
                     const std::vector<std::string>& headers);
  ~NotificationStream();

  std::vector<Note> Notes() const;
  // "recording.initializing#1", "recording.started", ... of one recording (all when "").
  std::vector<std::string> Types(const std::string& recording_id = "") const;
  bool WaitFor(const std::function<bool(const Note&)>& match, double timeout_s) const;
  bool WaitForType(const std::string& recording_id, const std::string& event,
                   double timeout_s) const;
  // True once the server closed the stream (end of file).
  bool WaitClosed(double timeout_s) const;
  std::string Raw() const;

 private:
  void Open(int port, const std::string& request);
  void Read();
  void Parse(); // under mutex_

  int fd_ = -1;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::string raw_;
  size_t parsed_ = 0; // bytes of raw_ parsed into notes_
  bool header_done_ = false;
  bool closed_ = false;
  std::vector<Note> notes_;
};

} // namespace ssr::test
