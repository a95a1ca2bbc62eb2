#pragma once
// The fleet's shared state in the database (docs/scaling.md): the workers with their capacity
// and heartbeat, and the worker holding each session. A worker is alive while its last
// heartbeat is younger than the lease; the sessions of a dead (or drained) worker are orphans
// that live workers claim with SELECT ... FOR UPDATE SKIP LOCKED, so that two workers never
// take the same session and none waits for another.
//
// Times are the database server's clock: machines whose clocks differ agree on who is alive.
// PostgreSQL only (the fleet's roles refuse SQLite): the queries use its clock and row locks.

#include "store/database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ssr::fleet {

struct WorkerRow {
  std::string id;
  std::string url; // its advertise_url
  int capacity = 0;
  int load = 0;
  int sessions = 0; // sessions it holds that have not ended
  bool draining = false;
  int64_t heartbeat_age_ms = 0;
  bool alive = false; // heartbeat within the lease

  // "active", "draining" or "dead".
  std::string State() const { return !alive ? "dead" : draining ? "draining" : "active"; }
};

class FleetStore {
 public:
  FleetStore(store::Database& db, int64_t lease_ms) : db_(db), lease_ms_(lease_ms) {}

  // Registers the worker or renews its heartbeat, with what it can take now.
  void Heartbeat(const std::string& worker_id, const std::string& url, int capacity, int load,
                 bool draining);
  // The worker leaves: its sessions wait for another worker at once (no lease to run out).
  void Leave(const std::string& worker_id);

  std::vector<WorkerRow> Workers();

  // Places a new session on the alive, not draining worker holding the fewest sessions (then
  // the most capacity left, then by id). Without one the session waits (worker NULL) and the
  // next worker to heartbeat claims it. An id used again (a deleted session's) is placed
  // anew. Returns the worker chosen.
  std::optional<WorkerRow> Place(const std::string& session_id);
  // The worker holding the session, alive or not; nullopt when none holds it.
  std::optional<WorkerRow> WorkerOf(const std::string& session_id);

  // Takes up to `limit` sessions held by no worker, by a dead one or by a draining one that
  // released them, for `worker_id`; returns their ids. Ended sessions with nothing left to
  // store are left where they are.
  std::vector<std::string> ClaimOrphans(const std::string& worker_id, int limit);
  // Workers dead for longer than `ms` leave the list (their sessions were taken over, or
  // ended with them: those then have no worker).
  void ForgetDeadWorkers(int64_t ms);
  // The sessions `worker_id` holds.
  std::vector<std::string> SessionsOf(const std::string& worker_id);

 private:
  std::optional<WorkerRow> FindWorker(const std::string& worker_id);

  store::Database& db_;
  const int64_t lease_ms_;
};

} // namespace ssr::fleet
