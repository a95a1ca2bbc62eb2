#include "fleet_fixture.h"

#include "../support/test_database.h"

#include <chrono>
#include <deque>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace ssr::test {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

namespace {

// RTP port pairs of each worker: apart from each other and from the default range
// (40000-41000) that other tests of a `ctest -j` run use.
constexpr int kRtpPortBase = 43000;
constexpr int kRtpPortsPerWorker = 100;

std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  return url;
}

std::string LastLines(const std::string& text, size_t count) {
  std::deque<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > count) {
      lines.pop_front();
    }
  }
  std::string out;
  for (const std::string& line : lines) {
    out += line + "\n";
  }
  return out;
}

} // namespace

Fleet::Fleet(int workers, const json& settings) : dir_("fleet"), s3_({"ssr-fleet"}) {
  if (!TestOnPostgres()) {
    throw std::runtime_error("the fleet needs PostgreSQL: run it in the postgres tier "
                             "(ctest -L fleet, which starts the postgres_cluster fixture)");
  }
  dir_.KeepIfTestFailed();
  fs::create_directories(dir_ / "data");
  api_ = std::make_unique<ServeProcess>(Env("api", 0), dir_ / "data");
  auto res =
      api_->Client().Put("/api/v1/settings", api_->Auth(), settings.dump(), "application/json");
  if (!res || res->status != 200) {
    throw std::runtime_error("settings refused: " + (res ? res->body : "no answer"));
  }
  for (int i = 0; i < workers; ++i) {
    workers_.push_back(std::make_unique<ServeProcess>(
        Env("worker", kRtpPortBase + i * kRtpPortsPerWorker), dir_ / "data"));
  }
}

std::map<std::string, std::string> Fleet::Env(const std::string& role, int rtp_port_min) const {
  // ServeProcess gives every process of one data directory the same database and API key.
  std::map<std::string, std::string> env = {
      {"SSR_ROLE", role},
      {"SSR_WORKER_HEARTBEAT_MS", std::to_string(kWorkerHeartbeatMs)},
      {"SSR_WORKER_LEASE_MS", std::to_string(kWorkerLeaseMs)},
      {"SSR_JWT_SECRET", "fleet-test-jwt-secret-0123456789abcdef"},
      {"SSR_CONTROL_TICK_MS", "100"},
      {"SSR_STORAGE_KIND", "s3"},
      {"SSR_S3_ENDPOINT", s3_.endpoint()},
      {"SSR_S3_BUCKET", "ssr-fleet"},
      {"SSR_S3_REGION", "us-east-1"},
      {"SSR_S3_ACCESS_KEY", "S3RVER"},
      {"SSR_S3_SECRET_KEY", "S3RVER"},
      {"SSR_S3_PREFIX", "fleet/"},
  };
  if (role == "worker") {
    // Capacity for every class of the test on one worker, whatever this machine's cores.
    env["SSR_MAX_LIVE_RECORDINGS"] = "8";
    env["SSR_RTP_PORT_MIN"] = std::to_string(rtp_port_min);
    env["SSR_RTP_PORT_MAX"] = std::to_string(rtp_port_min + kRtpPortsPerWorker - 1);
  }
  return env;
}

json Fleet::Get(const std::string& path) {
  auto res = api_->Client().Get(path, api_->Auth());
  if (!res || res->status != 200) {
    throw std::runtime_error("GET " + path + ": " +
                             (res ? std::to_string(res->status) + " " + res->body : "no answer"));
  }
  return json::parse(res->body);
}

json Fleet::Workers() { return Get("/api/v1/workers"); }

void Fleet::WaitForActiveWorkers(size_t count, double timeout_s) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(int(timeout_s * 1000));
  json workers;
  while (Clock::now() < deadline) {
    workers = Workers();
    size_t active = 0;
    for (const json& w : workers.at("workers")) {
      active += w.value("state", "") == "active" ? 1 : 0;
    }
    if (active == count) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("not " + std::to_string(count) + " active workers after " +
                           std::to_string(timeout_s) + " s: " + workers.dump());
}

std::string Fleet::WorkerOf(const std::string& sid) {
  const json session = Get("/api/v1/sessions/" + sid);
  const json& worker = session.at("worker");
  return worker.is_null() ? "" : worker.at("id").get<std::string>();
}

ServeProcess* Fleet::WorkerAt(const std::string& url) {
  for (auto& worker : workers_) {
    if (worker->BaseUrl() == WithoutTrailingSlash(url)) {
      return worker.get();
    }
  }
  return nullptr;
}

ServeProcess* Fleet::WorkerWithId(const std::string& worker_id) {
  const json workers = Workers(); // kept: a range-for over a temporary's member dangles
  for (const json& w : workers.at("workers")) {
    if (w.at("id").get<std::string>() == worker_id) {
      return WorkerAt(w.at("url").get<std::string>());
    }
  }
  return nullptr;
}

std::string Fleet::Logs(size_t lines_each) const {
  std::string out = "--- api log (last lines) ---\n" + LastLines(api_->Log(), lines_each);
  for (size_t i = 0; i < workers_.size(); ++i) {
    out += "--- worker " + std::to_string(i) + " (" + workers_[i]->BaseUrl() +
           ") log (last lines) ---\n" + LastLines(workers_[i]->Log(), lines_each);
  }
  return out;
}

RtpForward PostRtpForward(ServeProcess& api, const LiveClass& live, const std::string& track,
                          const std::string& sdp, double patience_s) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(int(patience_s * 1000));
  while (true) {
    auto res = api.Client().Post("/api/v1/sessions/" + live.sid + "/tracks/" + track + "/rtp",
                                 {{"Authorization", "Bearer " + live.ingest_token}},
                                 json{{"sdp", sdp}}.dump(), "application/json");
    if (res && res->status == 201) {
      const json forward = json::parse(res->body);
      return {forward.at("address"), forward.at("port")};
    }
    const bool no_worker_yet =
        res && res->status == 503 && res->body.find("no_worker") != std::string::npos;
    if (!no_worker_yet || Clock::now() >= deadline) {
      throw std::runtime_error("POST rtp forward of " + live.sid + "/" + track + " refused: " +
                               (res ? std::to_string(res->status) + " " + res->body : "no answer"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

} // namespace ssr::test
