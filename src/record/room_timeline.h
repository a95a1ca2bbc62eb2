#pragma once
// The session state as events arrive, seen from one recorded room: applies events to the
// reducer, reports their warnings, and turns the room's new chat lines into cues on the
// recording's clock. Shared by offline rendering and live recording.

#include "encode/chat_cue.h"
#include "events/room_state.h"

#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace ssr::record {

class RoomTimeline {
 public:
  using WarningSink = std::function<void(const std::string&)>;
  using CueSink = std::function<void(const encode::ChatCue&)>;

  // `start_t`: session time of the recording's time 0. Cues end at most at `end_s` of the
  // recording (when known in advance).
  RoomTimeline(std::string room, double start_t, WarningSink warn, CueSink on_cue,
               double end_s = std::numeric_limits<double>::infinity());

  void Apply(const events::Event& event);
  const events::SessionState& state() const { return state_; }
  const events::RoomState* room() const { return state_.Room(room_); }

 private:
  std::string room_;
  double start_t_;
  double end_s_;
  WarningSink warn_;
  CueSink on_cue_;
  events::SessionState state_;
  std::vector<std::string> warnings_;
  size_t chat_seen_ = 0;
};

} // namespace ssr::record
