#pragma once
// A worker's membership of the fleet (role worker): on its own database connection (so that a
// long statement of the API or of recording control never delays a heartbeat), a thread that
// heartbeats every heartbeat_ms with the worker's capacity and load, and claims the sessions
// of dead workers (and those no worker held yet) while it has room, handing them to `adopt`.
// Drain() hands everything over before the process exits.

#include "fleet/fleet_store.h"
#include "store/database.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ssr::fleet {

struct MemberOptions {
  std::string worker_id;
  std::string url; // advertise_url
  int heartbeat_ms = 1000;
  int lease_ms = 5000;
};

struct WorkerLoad {
  int capacity = 0; // 0: no limit
  int load = 0;
};

class FleetMember {
 public:
  // Opens `database_location` (a connection of its own) and registers the worker.
  FleetMember(const std::string& database_location, MemberOptions options,
              std::function<WorkerLoad()> load,
              std::function<void(const std::vector<std::string>& session_ids)> adopt);
  ~FleetMember(); // Stop()

  void Start();
  // Stops claiming and says so (draining: no new session is placed here), calls `hand_over`
  // (the running parts end), then leaves the fleet: its sessions wait for another worker,
  // which claims them at its next heartbeat.
  void Drain(const std::function<void()>& hand_over);
  void Stop();

  const std::string& worker_id() const { return options_.worker_id; }

 private:
  void Beat();

  const MemberOptions options_;
  std::unique_ptr<store::Database> db_;
  FleetStore fleet_;
  std::function<WorkerLoad()> load_;
  std::function<void(const std::vector<std::string>&)> adopt_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool draining_ = false;
  std::thread thread_;
};

} // namespace ssr::fleet
