#include "encode/keyframe_planner.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace ssr::encode {
namespace {

std::vector<int64_t> Keyframes(KeyframePlanner& planner, int64_t frames,
                               const std::vector<std::pair<int64_t, double>>& changes = {}) {
  std::vector<int64_t> keys;
  for (int64_t i = 0; i < frames; ++i) {
    double change = 0;
    for (const auto& [at, share] : changes) {
      if (at == i) {
        change = share;
      }
    }
    if (planner.Next(i, change)) {
      keys.push_back(i);
    }
  }
  return keys;
}

TEST(KeyframePlanner, FirstFrameThenEveryInterval) {
  KeyframePlanner planner({.interval_frames = 300});
  EXPECT_EQ(Keyframes(planner, 1000), (std::vector<int64_t>{0, 300, 600, 900}));
}

TEST(KeyframePlanner, LargeChangeIsAKeyframeAndRestartsTheClock) {
  KeyframePlanner planner(
      {.interval_frames = 300, .min_distance_frames = 15, .change_threshold = 0.3});
  const auto keys = Keyframes(planner, 700, {{100, 0.8}, {250, 0.05}});
  // 100: a new slide; 250: a chat line (small) is not; the clock counts from 100.
  EXPECT_EQ(keys, (std::vector<int64_t>{0, 100, 400}));
  EXPECT_EQ(planner.scene_keyframes(), 1);
  EXPECT_EQ(planner.keyframes(), 3);
}

TEST(KeyframePlanner, ChangeRightAfterAKeyframeGetsNone) {
  KeyframePlanner planner(
      {.interval_frames = 300, .min_distance_frames = 15, .change_threshold = 0.3});
  EXPECT_EQ(Keyframes(planner, 320, {{5, 1.0}, {100, 0.5}, {110, 0.5}}),
            (std::vector<int64_t>{0, 100}));
}

TEST(KeyframePlanner, PhaseMovesThePeriodicClockEarlier) {
  KeyframePlanner planner({.interval_frames = 300, .phase_frames = 120});
  EXPECT_EQ(Keyframes(planner, 800), (std::vector<int64_t>{0, 180, 480, 780}));
}

TEST(KeyframePlanner, StaggeredPhasesOfConcurrentRecordingsDiffer) {
  std::set<int> phases;
  for (int n = 0; n < 8; ++n) {
    const int phase = StaggeredPhase(n, 300);
    EXPECT_GE(phase, 0);
    EXPECT_LT(phase, 300);
    phases.insert(phase);
  }
  EXPECT_EQ(phases.size(), 8U);
  // Golden-ratio spacing: no two of the first 8 closer than 20 frames.
  int previous = -1000;
  for (int phase : phases) {
    EXPECT_GE(phase - previous, 20);
    previous = phase;
  }
}

} // namespace
} // namespace ssr::encode
