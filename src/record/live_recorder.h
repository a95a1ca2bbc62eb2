#pragma once
// Records one room live: the same Composer and AudioMixer as `ssr render`, driven by a
// real-time clock that runs a fixed latency behind the session clock (the jitter allowance
// in which late media still lands in its frame). Writes one WebM part as it goes (1 s
// clusters, flushed) and its chat .vtt.

#include "encode/video_encoder.h"
#include "events/event.h"
#include "record/live_feeds.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace ssr::record {

struct LiveRecorderOptions {
  std::string room = "main";
  int width = 1280;
  int height = 720;
  int fps = 30;
  double latency_s = 0.3;
  encode::VideoCodec codec = encode::VideoCodec::kVp9;
  int encoder_threads = 1;  // one per live recording: many recordings share the cores
  std::filesystem::path output;  // PART.webm (+ PART.vtt)
};

struct LiveRecorderStats {
  int64_t frames = 0;
  int64_t late_frames = 0;  // finished more than a frame after their deadline
  double max_lag_ms = 0;    // the furthest a frame finished behind its deadline (none is dropped)
  double media_s = 0;
};

class LiveRecorder {
 public:
  using Clock = std::chrono::steady_clock;

  // `session_start` is the wall time of session time 0; the part starts at session time
  // `start_t`. Events before it must be posted before Start (they set up the room).
  LiveRecorder(LiveRecorderOptions options, LiveMediaProvider& media, Clock::time_point session_start,
               double start_t);
  ~LiveRecorder();

  // Thread-safe; events come in non-decreasing "t".
  void PostEvent(const events::Event& event);

  void Start();
  // Finishes the part (all frames up to now, cues and duration) and joins the thread.
  LiveRecorderStats Stop();

 private:
  void Run();

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ssr::record
