#include "fleet/fleet_store.h"

namespace ssr::fleet {
namespace {

// The database's clock in milliseconds since 1970 (clock_timestamp: the time of the statement,
// not of its transaction's start).
#define SSR_DB_NOW_MS "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"

// The columns WorkerRowOf reads, `?1` being the lease in milliseconds.
constexpr const char* kWorkerColumns =
    "w.id, w.url, w.capacity, w.load, w.draining, " SSR_DB_NOW_MS " - w.heartbeat_at_ms, "
    "(SELECT COUNT(*) FROM session_workers a JOIN sessions s ON s.id = a.session_id "
    " WHERE a.worker_id = w.id AND s.ended = 0)";

WorkerRow WorkerRowOf(store::Statement& row, int64_t lease_ms) {
  WorkerRow w;
  w.id = row.Text(0);
  w.url = row.Text(1);
  w.capacity = static_cast<int>(row.Int(2));
  w.load = static_cast<int>(row.Int(3));
  w.draining = row.Int(4) != 0;
  w.heartbeat_age_ms = row.Int(5);
  w.sessions = static_cast<int>(row.Int(6));
  w.alive = w.heartbeat_age_ms < lease_ms;
  return w;
}

} // namespace

void FleetStore::Heartbeat(const std::string& worker_id, const std::string& url, int capacity,
                           int load, bool draining) {
  store::Statement(db_,
                   "INSERT INTO workers (id, url, capacity, load, draining, started_at_ms, "
                   "heartbeat_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, " SSR_DB_NOW_MS ", " SSR_DB_NOW_MS
                   ") ON CONFLICT (id) DO UPDATE SET url = ?2, "
                   "capacity = ?3, load = ?4, draining = ?5, heartbeat_at_ms = " SSR_DB_NOW_MS ";")
      .Bind(1, worker_id)
      .Bind(2, url)
      .Bind(3, int64_t{capacity})
      .Bind(4, int64_t{load})
      .Bind(5, int64_t{draining ? 1 : 0})
      .Run();
}

void FleetStore::Leave(const std::string& worker_id) {
  store::Transaction tx(db_);
  store::Statement(db_,
                   "UPDATE session_workers SET worker_id = NULL, changed_at_ms = " SSR_DB_NOW_MS
                   " WHERE worker_id = ?;")
      .Bind(1, worker_id)
      .Run();
  store::Statement(db_, "DELETE FROM workers WHERE id = ?;").Bind(1, worker_id).Run();
  tx.Commit();
}

std::vector<WorkerRow> FleetStore::Workers() {
  store::Statement select(db_, std::string("SELECT ") + kWorkerColumns +
                                   " FROM workers w ORDER BY w.id;");
  std::vector<WorkerRow> workers;
  while (select.Step())
    workers.push_back(WorkerRowOf(select, lease_ms_));
  return workers;
}

std::optional<WorkerRow> FleetStore::FindWorker(const std::string& worker_id) {
  store::Statement select(db_, std::string("SELECT ") + kWorkerColumns +
                                   " FROM workers w WHERE w.id = ?;");
  select.Bind(1, worker_id);
  if (!select.Step())
    return std::nullopt;
  return WorkerRowOf(select, lease_ms_);
}

std::optional<WorkerRow> FleetStore::Place(const std::string& session_id) {
  std::optional<WorkerRow> chosen;
  for (const WorkerRow& w : Workers()) {
    if (!w.alive || w.draining)
      continue;
    if (!chosen || w.sessions < chosen->sessions ||
        (w.sessions == chosen->sessions && w.capacity - w.load > chosen->capacity - chosen->load)) {
      chosen = w; // Workers() is in id order: ties keep the first id
    }
  }
  store::Statement insert(db_, "INSERT INTO session_workers (session_id, worker_id, "
                               "changed_at_ms) VALUES (?, ?, " SSR_DB_NOW_MS
                               ") ON CONFLICT (session_id) DO UPDATE SET worker_id = "
                               "excluded.worker_id, changed_at_ms = excluded.changed_at_ms;");
  insert.Bind(1, session_id);
  if (chosen) {
    insert.Bind(2, chosen->id);
  } else {
    insert.BindNull(2);
  }
  insert.Run();
  return chosen;
}

std::optional<WorkerRow> FleetStore::WorkerOf(const std::string& session_id) {
  std::string worker_id;
  {
    store::Statement select(db_, "SELECT worker_id FROM session_workers WHERE session_id = ? AND "
                                 "worker_id IS NOT NULL;");
    select.Bind(1, session_id);
    if (!select.Step())
      return std::nullopt;
    worker_id = select.Text(0);
  }
  return FindWorker(worker_id);
}

std::vector<std::string> FleetStore::ClaimOrphans(const std::string& worker_id, int limit) {
  // SKIP LOCKED: rows another worker is claiming right now are left to it, nobody waits.
  store::Statement claim(
      db_,
      "UPDATE session_workers SET worker_id = ?1, moves = moves + 1, changed_at_ms = "
      "" SSR_DB_NOW_MS " WHERE session_id IN ("
      " SELECT a.session_id FROM session_workers a"
      " JOIN sessions s ON s.id = a.session_id"
      " LEFT JOIN workers w ON w.id = a.worker_id"
      " WHERE (a.worker_id IS NULL OR w.id IS NULL OR w.heartbeat_at_ms < " SSR_DB_NOW_MS " - ?2)"
      "  AND (s.ended = 0 OR EXISTS (SELECT 1 FROM recordings r WHERE r.session_id = s.id"
      "   AND r.status IN ('initializing', 'recording', 'paused', 'processing')))"
      " ORDER BY a.changed_at_ms LIMIT ?3 FOR UPDATE OF a SKIP LOCKED)"
      " RETURNING session_id;");
  claim.Bind(1, worker_id).Bind(2, lease_ms_).Bind(3, int64_t{limit});
  std::vector<std::string> claimed;
  while (claim.Step())
    claimed.push_back(claim.Text(0));
  return claimed;
}

void FleetStore::ForgetDeadWorkers(int64_t ms) {
  store::Statement(db_, "DELETE FROM workers WHERE heartbeat_at_ms < " SSR_DB_NOW_MS " - ?;")
      .Bind(1, ms)
      .Run();
}

std::vector<std::string> FleetStore::SessionsOf(const std::string& worker_id) {
  store::Statement select(db_, "SELECT session_id FROM session_workers WHERE worker_id = ? "
                               "ORDER BY session_id;");
  select.Bind(1, worker_id);
  std::vector<std::string> ids;
  while (select.Step())
    ids.push_back(select.Text(0));
  return ids;
}

#undef SSR_DB_NOW_MS

} // namespace ssr::fleet
