#pragma once
// A fleet on loopback for end-to-end tests (docs: the fleet contract): one `ssr serve` with
// role api and workers with role worker, sharing one PostgreSQL database (the postgres tier's
// server, tests/support/test_database.h), one data directory and one S3-compatible storage
// (s3rver). Everything a test does goes through the api, as a platform would; the workers are
// reached only to be killed.

#include "../live/live_fixture.h"
#include "../support/s3rver_process.h"
#include "../support/serve_fixture.h"
#include "../support/temp_dir.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace ssr::test {

// Fast failure detection: a worker silent for a second is dead.
inline constexpr int kWorkerHeartbeatMs = 200;
inline constexpr int kWorkerLeaseMs = 1000;

class Fleet {
 public:
  // Starts s3rver, the api and `workers` workers. Recording settings (`settings`, PUT
  // /api/v1/settings) are stored before the workers start, so that every worker reads them.
  Fleet(int workers, const nlohmann::json& settings);

  ServeProcess& api() { return *api_; }
  S3rverProcess& s3() { return s3_; }
  ServeProcess& worker(size_t i) { return *workers_.at(i); }
  size_t worker_count() const { return workers_.size(); }

  // GET `path` on the api with the API key; throws std::runtime_error unless 200.
  nlohmann::json Get(const std::string& path);
  // GET /api/v1/workers: {"workers": [...]}.
  nlohmann::json Workers();
  // Polls /api/v1/workers until `count` workers are active; throws after `timeout_s`.
  void WaitForActiveWorkers(size_t count, double timeout_s);
  // The id of the worker holding session `sid` (GET /api/v1/sessions/{sid}); "" when none.
  std::string WorkerOf(const std::string& sid);
  // The worker process whose advertised URL is `url`; nullptr when none of ours.
  ServeProcess* WorkerAt(const std::string& url);
  // The worker process that registered as `worker_id` (its URL from /api/v1/workers).
  ServeProcess* WorkerWithId(const std::string& worker_id);

  // The last lines of every process's log, for a failed test.
  std::string Logs(size_t lines_each = 100) const;

 private:
  std::map<std::string, std::string> Env(const std::string& role, int rtp_port_min) const;

  TempDir dir_;
  S3rverProcess s3_;
  std::unique_ptr<ServeProcess> api_;
  std::vector<std::unique_ptr<ServeProcess>> workers_;
};

// Where a worker opened an RTP forward: POST /api/v1/sessions/{sid}/tracks/{track}/rtp through
// the api (forwarded to the session's worker) answers its address and port.
struct RtpForward {
  std::string address;
  int port = 0;
};

// Posts the forward of `track` with the session's ingest token. A 503 "no_worker" (the session
// between two workers) is asked again until `patience_s` has passed; any other refusal throws.
RtpForward PostRtpForward(ServeProcess& api, const LiveClass& live, const std::string& track,
                          const std::string& sdp, double patience_s = 3);

} // namespace ssr::test
