#include "fleet/fleet_member.h"

#include "common/log.h"

#include <algorithm>
#include <chrono>

namespace ssr::fleet {
namespace {

constexpr int64_t kDeadWorkerListedMs = int64_t{3600} * 1000;

} // namespace

FleetMember::FleetMember(const std::string& database_location, MemberOptions options,
                         std::function<WorkerLoad()> load,
                         std::function<void(const std::vector<std::string>&)> adopt,
                         std::function<void(const std::vector<std::string>&)> held)
    : options_(std::move(options)), db_(std::make_unique<store::Database>(database_location)),
      fleet_(*db_, options_.lease_ms), load_(std::move(load)), adopt_(std::move(adopt)),
      held_(std::move(held)) {
  const auto sent = std::chrono::steady_clock::now();
  const WorkerLoad now = load_();
  fleet_.Heartbeat(options_.worker_id, options_.url, now.capacity, now.load, false);
  lease_from_ = sent; // a new worker holds nothing yet
  Logger("fleet")->info("worker {} at {} joined the fleet (capacity {}, heartbeat {} ms, lease "
                        "{} ms)",
                        options_.worker_id, options_.url, now.capacity, options_.heartbeat_ms,
                        options_.lease_ms);
}

FleetMember::~FleetMember() { Stop(); }

void FleetMember::Start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      Beat();
      lock.lock();
      wake_.wait_for(lock, std::chrono::milliseconds(options_.heartbeat_ms),
                     [this] { return stopping_; });
    }
  });
}

void FleetMember::Beat() {
  bool draining = false;
  {
    std::lock_guard lock(mutex_);
    draining = draining_;
  }
  try {
    const auto sent = std::chrono::steady_clock::now();
    const WorkerLoad now = load_();
    fleet_.Heartbeat(options_.worker_id, options_.url, now.capacity, now.load, draining);
    if (last_beat_failed_) {
      last_beat_failed_ = false;
      claim_after_ = std::chrono::steady_clock::now() +
                     std::chrono::milliseconds(options_.lease_ms + options_.heartbeat_ms);
      Logger("fleet")->info("worker {}: the database answers again; no takeover for {} ms",
                            options_.worker_id, options_.lease_ms + options_.heartbeat_ms);
    }
    held_(fleet_.SessionsOf(options_.worker_id));
    lease_from_ = sent; // only now: what was taken elsewhere is let go first
    if (draining || std::chrono::steady_clock::now() < claim_after_)
      return;
    // Room for as many sessions as recordings it could still admit (at least one: a session
    // without a recording costs little, and admission makes a recording wait, never fail).
    const int room = now.capacity > 0 ? std::max(1, now.capacity - now.load) : 16;
    const std::vector<std::string> claimed = fleet_.ClaimOrphans(options_.worker_id, room);
    // A dead worker stays listed (GET /api/v1/workers) for an operator to see, for an hour.
    fleet_.ForgetDeadWorkers(
        std::max<int64_t>(kDeadWorkerListedMs, int64_t{10} * options_.lease_ms));
    if (!claimed.empty()) {
      Logger("fleet")->info("worker {} takes over {} session(s)", options_.worker_id,
                            claimed.size());
      adopt_(claimed);
    }
  } catch (const std::exception& e) {
    // The database is unreachable: the lease runs out and others take the sessions (a worker
    // cut off from the database cannot tell whether it still holds them).
    last_beat_failed_ = true;
    Logger("fleet")->error("worker {}: heartbeat: {}", options_.worker_id, e.what());
  }
}

bool FleetMember::HoldsLease() const {
  return std::chrono::steady_clock::now() - lease_from_.load() <
         std::chrono::milliseconds(options_.lease_ms);
}

void FleetMember::Drain(const std::function<void()>& hand_over) {
  {
    std::lock_guard lock(mutex_);
    draining_ = true;
  }
  try {
    const WorkerLoad now = load_();
    fleet_.Heartbeat(options_.worker_id, options_.url, now.capacity, now.load, true);
  } catch (const std::exception& e) {
    Logger("fleet")->error("worker {}: draining: {}", options_.worker_id, e.what());
  }
  Stop(); // no claim from here on
  hand_over();
  try {
    fleet_.Leave(options_.worker_id);
    Logger("fleet")->info("worker {} left the fleet: its sessions go to other workers",
                          options_.worker_id);
  } catch (const std::exception& e) {
    Logger("fleet")->error("worker {}: leaving: {} (its lease runs out instead)",
                           options_.worker_id, e.what());
  }
}

void FleetMember::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

} // namespace ssr::fleet
