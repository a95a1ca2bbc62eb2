// server::RawTrackPurge on a sessions directory: the tracks of a session idle for longer than
// the retention go, and nothing else does.

#include "server/raw_track_purge.h"

#include "../../support/temp_dir.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

namespace ssr::server {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;

constexpr int kDay = 24;

class RawTrackPurgeTest : public ::testing::Test {
 protected:
  // sessions/<sid>/ with events.jsonl and `tracks`, each last written `age_hours` ago.
  void MakeSession(const std::string& sid, int events_age_hours, int tracks_age_hours,
                   bool with_tracks = true) {
    const fs::path bundle = sessions_ / sid;
    fs::create_directories(bundle);
    Write(bundle / "events.jsonl", events_age_hours);
    if (with_tracks) {
      fs::create_directories(bundle / "tracks");
      Write(bundle / "tracks" / "cam-h1.webm", tracks_age_hours);
      Write(bundle / "tracks" / "mic-h1.ogg", tracks_age_hours);
    }
  }
  void Write(const fs::path& file, int age_hours) {
    std::ofstream(file) << "data";
    fs::last_write_time(file, fs::file_time_type::clock::now() - hours(age_hours));
  }
  bool HasTracks(const std::string& sid) const { return fs::exists(sessions_ / sid / "tracks"); }
  double Now() const {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  const test::TempDir dir_;
  const fs::path sessions_ = dir_.path() / "sessions";
};

TEST_F(RawTrackPurgeTest, TracksOfSessionsIdleLongerThanTheRetentionAreRemoved) {
  MakeSession("old", 40 * kDay, 41 * kDay);
  MakeSession("recent", 2 * kDay, 2 * kDay);
  MakeSession("old-tracks-new-events", 1, 40 * kDay); // an event an hour ago: still active
  MakeSession("old-but-recording", 40 * kDay, 40 * kDay);
  MakeSession("old-without-tracks", 40 * kDay, 0, /*with_tracks=*/false);
  RawTrackPurge purge(sessions_);

  EXPECT_EQ(purge.Purge(Now(), 30, {"old-but-recording"}), 1U);

  EXPECT_FALSE(HasTracks("old"));
  EXPECT_TRUE(fs::exists(sessions_ / "old" / "events.jsonl")); // the events stay
  EXPECT_TRUE(HasTracks("recent"));
  EXPECT_TRUE(HasTracks("old-tracks-new-events"));
  EXPECT_TRUE(HasTracks("old-but-recording"));
  EXPECT_TRUE(fs::exists(sessions_ / "old-without-tracks" / "events.jsonl"));
  // A second pass finds nothing more to do.
  EXPECT_EQ(purge.Purge(Now(), 30, {"old-but-recording"}), 0U);
}

TEST_F(RawTrackPurgeTest, NoRetentionKeepsEverything) {
  MakeSession("ancient", 3650 * kDay, 3650 * kDay);
  RawTrackPurge purge(sessions_);
  EXPECT_EQ(purge.Purge(Now(), 0, {}), 0U);
  EXPECT_TRUE(HasTracks("ancient"));
  // The retention is counted in days from the last activity: 10 days old, 11 days kept.
  MakeSession("ten-days", 10 * kDay, 10 * kDay);
  EXPECT_EQ(purge.Purge(Now(), 11, {}), 1U); // only "ancient"
  EXPECT_TRUE(HasTracks("ten-days"));
  EXPECT_EQ(purge.Purge(Now(), 9, {}), 1U);
  EXPECT_FALSE(HasTracks("ten-days"));
}

TEST_F(RawTrackPurgeTest, AMissingSessionsDirectoryIsReported) {
  RawTrackPurge purge(dir_.path() / "nowhere");
  EXPECT_THROW(purge.Purge(Now(), 1, {}), std::runtime_error);
}

} // namespace
} // namespace ssr::server
