#include "encode/keyframe_planner.h"

#include <algorithm>
#include <cmath>

namespace ssr::encode {

KeyframePlanner::KeyframePlanner(const KeyframePlan& plan) : plan_(plan) {
  plan_.interval_frames = std::max(1, plan_.interval_frames);
  plan_.phase_frames = std::clamp(plan_.phase_frames, 0, plan_.interval_frames - 1);
}

bool KeyframePlanner::Next(int64_t index, double change) {
  bool key = false;
  if (index == 0) {
    key = true;
    last_ = -plan_.phase_frames; // the periodic clock runs `phase` frames ahead
  } else {
    // A change right after a keyframe is left to inter frames: the keyframe is close anyway.
    const int64_t since = index - std::max<int64_t>(last_, 0);
    if (change >= plan_.change_threshold && since >= plan_.min_distance_frames) {
      key = true;
      ++scene_keyframes_;
    } else if (index - last_ >= plan_.interval_frames) {
      key = true;
    }
  }
  if (key) {
    ++keyframes_;
    if (index != 0) {
      last_ = index;
    }
  }
  return key;
}

int StaggeredPhase(int64_t recording_number, int interval_frames) {
  const double golden = 0.6180339887498949;
  const double share = std::fmod(static_cast<double>(recording_number) * golden, 1.0);
  return std::clamp(static_cast<int>(share * interval_frames), 0, std::max(0, interval_frames - 1));
}

} // namespace ssr::encode
