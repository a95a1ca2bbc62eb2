#pragma once
// A worker's membership of the fleet (role worker): on its own database connection (so that a
// long statement of the API or of recording control never delays a heartbeat), a thread that
// heartbeats every heartbeat_ms with the worker's capacity and load, and claims the sessions
// of dead workers (and those no worker held yet) while it has room, handing them to `adopt`.
// Drain() hands everything over before the process exits.

#include "fleet/fleet_store.h"
#include "store/database.h"

#include <atomic>
#include <chrono>
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
  // `adopt` gets the sessions claimed; `held` gets, after each heartbeat, the sessions the
  // database says this worker holds (to let go of the ones another worker took).
  FleetMember(const std::string& database_location, MemberOptions options,
              std::function<WorkerLoad()> load,
              std::function<void(const std::vector<std::string>& session_ids)> adopt,
              std::function<void(const std::vector<std::string>& session_ids)> held);
  ~FleetMember(); // Stop()

  void Start();
  // Stops claiming and says so (draining: no new session is placed here), calls `hand_over`
  // (the running parts end), then leaves the fleet: its sessions wait for another worker,
  // which claims them at its next heartbeat.
  void Drain(const std::function<void()>& hand_over);
  void Stop();

  const std::string& worker_id() const { return options_.worker_id; }
  // True while the last heartbeat that went through (and the letting go of sessions taken
  // elsewhere that follows it) is younger than the lease: the worker may act on its sessions.
  // A worker frozen or cut off past its lease writes nothing until it knows what it holds.
  bool HoldsLease() const;

 private:
  void Beat();

  const MemberOptions options_;
  std::unique_ptr<store::Database> db_;
  FleetStore fleet_;
  std::function<WorkerLoad()> load_;
  std::function<void(const std::vector<std::string>&)> adopt_;
  std::function<void(const std::vector<std::string>&)> held_;
  // No claim before this: after its own heartbeat failed (the database out of reach), the
  // other workers were silent too; they get a lease to heartbeat again before anyone is
  // taken for dead.
  std::chrono::steady_clock::time_point claim_after_{};
  bool last_beat_failed_ = false;
  std::atomic<std::chrono::steady_clock::time_point> lease_from_{};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool draining_ = false;
  std::thread thread_;
};

} // namespace ssr::fleet
