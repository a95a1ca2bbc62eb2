// fleet::FleetStore on a real PostgreSQL (the postgres tier only: the fleet's queries use its
// clock and row locks, and its roles refuse SQLite): where new sessions go, who is alive, and
// that the sessions of a dead worker are taken exactly once, even by workers claiming at the
// same moment.

#include "../../support/test_database.h"
#include "../store/store_test_db.h"
#include "fleet/fleet_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

namespace ssr::fleet {
namespace {

constexpr int64_t kLeaseMs = 3000;

class FleetStoreTest : public ::testing::Test {
 protected:
  void AddSession(const std::string& id, bool ended = false) {
    store::Statement(db_, "INSERT INTO sessions (id, title, ended) VALUES (?, ?, ?);")
        .Bind(1, id)
        .Bind(2, "Class " + id)
        .Bind(3, int64_t{ended ? 1 : 0})
        .Run();
  }
  void AddRecording(const std::string& id, const std::string& session_id,
                    const std::string& status) {
    store::Statement(db_, "INSERT INTO recordings (id, session_id, room, title, status, "
                          "created_at) VALUES (?, ?, 'main', 'A class', ?, '');")
        .Bind(1, id)
        .Bind(2, session_id)
        .Bind(3, status)
        .Run();
  }
  // The worker's last heartbeat `ms` earlier than it was.
  void AgeHeartbeat(const std::string& worker_id, int64_t ms) {
    store::Statement(db_, "UPDATE workers SET heartbeat_at_ms = heartbeat_at_ms - ? WHERE id = ?;")
        .Bind(1, ms)
        .Bind(2, worker_id)
        .Run();
  }
  std::string HolderOf(const std::string& session_id) {
    const auto worker = fleet_.WorkerOf(session_id);
    return worker ? worker->id : "";
  }

  const std::string location_ = test::TestDatabase(
      store::FreshDbPath(::testing::UnitTest::GetInstance()->current_test_info()->name()));
  store::Database db_{location_};
  FleetStore fleet_{db_, kLeaseMs};
};

TEST_F(FleetStoreTest, NewSessionsGoToTheLiveWorkerHoldingFewestAndNeverToADrainingOne) {
  fleet_.Heartbeat("w1", "http://10.0.0.1:8080", 4, 0, false);
  fleet_.Heartbeat("w2", "http://10.0.0.2:8080", 4, 0, false);
  fleet_.Heartbeat("w3", "http://10.0.0.3:8080", 4, 0, /*draining=*/true);
  for (const char* id : {"s1", "s2", "s3", "s4"}) {
    AddSession(id);
    const auto placed = fleet_.Place(id);
    ASSERT_TRUE(placed) << id;
    EXPECT_NE(placed->id, "w3") << "a draining worker takes no new session";
  }
  EXPECT_EQ(HolderOf("s1"), "w1"); // a tie goes to the first id
  EXPECT_EQ(HolderOf("s2"), "w2");
  EXPECT_EQ(HolderOf("s3"), "w1");
  EXPECT_EQ(HolderOf("s4"), "w2");
  const auto w2 = fleet_.WorkerOf("s2");
  EXPECT_EQ(w2->url, "http://10.0.0.2:8080");
  EXPECT_EQ(w2->sessions, 2);
  EXPECT_EQ(w2->State(), "active");

  // A dead worker takes nothing either; with no live worker the session waits.
  AgeHeartbeat("w1", kLeaseMs + 1000);
  AddSession("s5");
  EXPECT_EQ(fleet_.Place("s5")->id, "w2");
  AgeHeartbeat("w2", kLeaseMs + 1000);
  AddSession("s6");
  EXPECT_FALSE(fleet_.Place("s6"));
  EXPECT_EQ(HolderOf("s6"), "");
  for (const WorkerRow& w : fleet_.Workers()) {
    EXPECT_EQ(w.State(), w.id == "w3" ? "draining" : "dead") << w.id;
    EXPECT_GE(w.heartbeat_age_ms, w.id == "w3" ? 0 : kLeaseMs) << w.id;
  }
}

TEST_F(FleetStoreTest, ADeadWorkersSessionsAreTakenOnceByWorkersClaimingAtTheSameTime) {
  fleet_.Heartbeat("dead", "http://10.0.0.9:8080", 8, 0, false);
  std::set<std::string> expected;
  for (int i = 0; i < 12; ++i) {
    const std::string id = "s" + std::to_string(i);
    AddSession(id);
    ASSERT_EQ(fleet_.Place(id)->id, "dead");
    expected.insert(id);
  }
  // Ended with nothing left to store: stays where it is. Ended but still storing: taken.
  AddSession("done", /*ended=*/true);
  fleet_.Place("done");
  AddSession("storing", /*ended=*/true);
  fleet_.Place("storing");
  AddRecording("r-storing", "storing", "processing");
  AddRecording("r-done", "done", "ready");
  expected.insert("storing");

  EXPECT_TRUE(fleet_.ClaimOrphans("a", 100).empty()) << "alive: nothing to take";
  AgeHeartbeat("dead", kLeaseMs + 500);

  // Two workers, each on its own connection, claim 5 at a time until nothing is left.
  std::vector<std::string> claimed[2];
  std::vector<std::thread> workers;
  for (int w = 0; w < 2; ++w) {
    workers.emplace_back([this, w, &claimed] {
      store::Database db(location_);
      FleetStore fleet(db, kLeaseMs);
      const std::string me = w == 0 ? "a" : "b";
      fleet.Heartbeat(me, "http://10.0.1." + std::to_string(w) + ":8080", 8, 0, false);
      for (;;) {
        const std::vector<std::string> got = fleet.ClaimOrphans(me, 5);
        if (got.empty())
          break;
        claimed[w].insert(claimed[w].end(), got.begin(), got.end());
      }
    });
  }
  for (std::thread& t : workers)
    t.join();
  std::set<std::string> all;
  for (const auto& list : claimed) {
    for (const std::string& id : list)
      EXPECT_TRUE(all.insert(id).second) << id << " was taken twice";
  }
  EXPECT_EQ(all, expected);
  EXPECT_EQ(HolderOf("done"), "dead");
  for (const auto& id : claimed[1])
    EXPECT_EQ(HolderOf(id), "b");
}

TEST_F(FleetStoreTest, AWorkerThatLeavesHandsItsSessionsOverWithoutWaitingForItsLease) {
  fleet_.Heartbeat("w1", "http://10.0.0.1:8080", 4, 1, false);
  fleet_.Heartbeat("w2", "http://10.0.0.2:8080", 4, 0, false);
  AddSession("s1");
  ASSERT_EQ(fleet_.Place("s1")->id, "w2"); // w1 has less room left
  fleet_.Heartbeat("w2", "http://10.0.0.2:8080", 4, 0, /*draining=*/true);
  EXPECT_TRUE(fleet_.ClaimOrphans("w1", 4).empty()) << "draining: still its own";
  fleet_.Leave("w2");
  EXPECT_FALSE(fleet_.WorkerOf("s1"));
  EXPECT_EQ(fleet_.ClaimOrphans("w1", 4), std::vector<std::string>{"s1"});
  EXPECT_EQ(fleet_.SessionsOf("w1"), std::vector<std::string>{"s1"});
  ASSERT_EQ(fleet_.Workers().size(), 1u);
  EXPECT_EQ(fleet_.Workers()[0].id, "w1");
}

} // namespace
} // namespace ssr::fleet
