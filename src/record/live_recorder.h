#pragma once
// Records one room live: the same Composer and AudioMixer as `ssr render`, driven by a
// real-time clock that runs a fixed latency behind the session clock (the jitter allowance
// in which late media still lands in its frame). Writes one WebM part as it goes (1 s
// clusters, flushed) and its chat .vtt through the same PartWriter as `ssr render`.
//
// The recorder's thread never lets an exception escape (that would end the process and every
// other recording): a part that fails (disk full, an encoder error) stops where it is,
// finishes what it can and reports why through error() and the stats of Stop.

#include "encode/video_encoder.h"
#include "events/event.h"
#include "record/live_feeds.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ssr::record {

struct LiveRecorderOptions {
  std::string room = "main";
  int width = 1280;
  int height = 720;
  int fps = 30;
  double latency_s = 0.3;
  // Graceful overload: a frame whose compose would start more than this far behind its
  // deadline is shed (left out: the previous picture stays a frame longer), so a recorder that
  // cannot keep up stays this close to live instead of falling further behind. Audio is never
  // shed. 0 or less: never shed.
  double shed_after_s = 0.25;
  encode::VideoCodec codec = encode::VideoCodec::kVp9;
  int encoder_threads = 1; // one per live recording: many recordings share the cores
  // The same encoder settings as `ssr render` (held rate, keyframes on scene changes).
  encode::EncoderProfile encoder_profile = encode::EncoderProfile::kHeld;
  int64_t video_bitrate_bps = 0; // 0: the profile's default for the size and frame rate
  bool screen_content = false;
  // Phase of the periodic keyframe clock in frames; -1: staggered by the order in which this
  // process starts recordings, so concurrent ones do not put keyframes on the same frame.
  int keyframe_phase_frames = -1;
  std::filesystem::path output; // PART.webm (+ PART.vtt)
};

struct LiveRecorderStats {
  int64_t frames = 0;      // on the part's clock, shed ones included
  int64_t shed_frames = 0; // left out to keep up (shed_after_s)
  int64_t late_frames = 0; // finished more than a frame after their deadline
  int64_t keyframes = 0;
  double max_lag_ms = 0; // the furthest a frame finished behind its deadline (none is dropped)
  double media_s = 0;
  std::string error; // why the part failed ("": it did not)
};

class LiveRecorder {
 public:
  using Clock = std::chrono::steady_clock;

  // `session_start` is the wall time of session time 0; the part starts at session time
  // `start_t`. Events before it must be posted before Start (they set up the room).
  LiveRecorder(LiveRecorderOptions options, LiveMediaProvider& media,
               Clock::time_point session_start, double start_t);
  ~LiveRecorder();

  // Thread-safe; events come in non-decreasing "t".
  void PostEvent(const events::Event& event);

  void Start();
  // Finishes the part at session time `end_t` (default: now): every frame before it, cues
  // and duration; joins the thread. A later `end_t` waits for the clock to get there, so
  // that the next part can start exactly at `end_t` (no gap, no overlap).
  LiveRecorderStats Stop(std::optional<double> end_t = std::nullopt);

  // Frames composed so far (any thread).
  int64_t frames_written() const;
  // Why the part failed, once it has (any thread): it then writes nothing more.
  std::optional<std::string> error() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace ssr::record
