#pragma once
// The live session clock: session time t (the "t" of events) ↔ steady_clock. Its origin is
// set when the session's first event arrives (origin = arrival − t: the platform posts
// events as they happen) and kept in the bundle (live-clock.json) so that a restarted server
// continues the same clock. Media times from ingest are CLOCK_MONOTONIC nanoseconds, the
// same clock as steady_clock on Linux.

#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>

namespace ssr::live {

class SessionClock {
 public:
  using Clock = std::chrono::steady_clock;

  // Loads the origin saved in `state_file`, if any.
  explicit SessionClock(std::filesystem::path state_file);

  // Sets the origin from an event stamped `t` arriving now, unless it is set already.
  void AnchorAt(double t);
  bool anchored() const;
  // The origin (session t = 0); anchors at t = 0 now when not anchored yet.
  Clock::time_point Origin();
  // Session seconds at a monotonic time; nullopt before the clock is anchored.
  std::optional<double> SessionTime(int64_t mono_ns) const;
  double Now() const;

 private:
  void Save() const;

  const std::filesystem::path state_file_;
  mutable std::mutex mutex_;
  std::optional<Clock::time_point> origin_;
};

} // namespace ssr::live
