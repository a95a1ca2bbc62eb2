#pragma once
// The one place that changes a recording's status:
//
//   initializing -> recording <-> paused -> processing -> ready
//        |                                      |
//        +-> failed (last attempt)              +-> failed (storing failed)
//
// Every change is persisted with its wall time and reason, together with the row. Anything
// else is a programmer error: IllegalTransition, and nothing is written.

#include "control/recording.h"
#include "control/recording_store.h"

#include <stdexcept>
#include <string>

namespace ssr::control {

class IllegalTransition : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

class RecordingState {
 public:
  explicit RecordingState(RecordingStore& store) : store_(store) {}

  static bool Allowed(RecordingStatus from, RecordingStatus to);

  // Persists a new recording (status initializing) and its first transition, from "none".
  void Create(Recording& recording, double wall_s, const std::string& reason);

  // Moves `recording` to `to` and persists row and transition in one SQL transaction.
  // Throws IllegalTransition (recording unchanged) when the move is not in the diagram.
  void Move(Recording& recording, RecordingStatus to, double wall_s, const std::string& reason);

 private:
  RecordingStore& store_;
};

} // namespace ssr::control
