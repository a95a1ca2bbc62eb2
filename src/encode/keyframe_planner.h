#pragma once
// Where keyframes go: the first frame, a large change of the composed picture (a new slide,
// a new layout: the frame is mostly new anyway, and a viewer who jumps to it starts
// decoding right there), and a periodic one so that a seek never decodes far. The periodic
// clock can start at a phase, so that concurrent live recordings do not all spend a
// keyframe's CPU and bits on the same frame.

#include <cstdint>

namespace ssr::encode {

struct KeyframePlan {
  int interval_frames = 300;     // at most this far apart
  int min_distance_frames = 15;  // a change closer to the last keyframe gets none
  double change_threshold = 0.3; // share of the canvas that makes a change a scene change
  int phase_frames = 0;          // the first periodic keyframe comes this much earlier
};

class KeyframePlanner {
 public:
  explicit KeyframePlanner(const KeyframePlan& plan);

  // Whether frame `index` (consecutive from 0) should be a keyframe; `change` is the share of
  // the canvas whose static layer changed for this frame (Composer::static_change).
  bool Next(int64_t index, double change);

  int64_t keyframes() const { return keyframes_; }
  int64_t scene_keyframes() const { return scene_keyframes_; }

 private:
  KeyframePlan plan_;
  int64_t last_ = 0;
  int64_t keyframes_ = 0;
  int64_t scene_keyframes_ = 0;
};

// A phase for the n-th live recording of this process: spread over the interval by the
// golden ratio, so any number of recordings land on distinct, well-spaced frames.
int StaggeredPhase(int64_t recording_number, int interval_frames);

} // namespace ssr::encode
