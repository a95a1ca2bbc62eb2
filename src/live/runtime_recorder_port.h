#pragma once
// Recording control's recorder port (control::RecorderPort) on top of the live session
// runtimes: a recording id is mapped to its session (asked of the recording store once, then
// kept), and StartPart/Flowing/StopPart go to that session's SessionRuntime.
//
// Test-only fault injection (issue 5): a per-session plan set through
// PUT /api/v1/sessions/{sid}/test-faults, which exists only when the server runs with
// `test_faults: true`. Each fault is off (0), on for every start (-1), or on for the first N
// StartPart calls of each recording of the session (N > 0), so "attempts 1 and 2 fail, attempt
// 3 succeeds" is `no_media: 2` and needs no timing on the test's side.

#include "control/recorder_port.h"
#include "live/session_runtime.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace ssr::live {

struct RecorderFaults {
  static constexpr int kAlways = -1;
  int recorder_unavailable = 0; // StartPart throws
  int no_media = 0;             // Flowing stays false (the attempt runs out its countdown)

  nlohmann::json ToJson() const;
  // {"recorder_unavailable": true | false | N, "no_media": ...}; throws std::invalid_argument
  // naming the field.
  static RecorderFaults FromJson(const nlohmann::json& object);
};

class RuntimeRecorderPort : public control::RecorderPort {
 public:
  // The session of a recording, or nullopt when there is no such recording.
  using SessionOf = std::function<std::optional<std::string>(const std::string& recording_id)>;

  // `default_faults` apply to sessions without a plan of their own (SSR_FAULT_*).
  RuntimeRecorderPort(SessionRuntimes& runtimes, SessionOf session_of,
                      RecorderFaults default_faults = {})
      : runtimes_(runtimes), session_of_(std::move(session_of)), default_faults_(default_faults) {}

  void StartPart(const std::string& recording_id, int n, const std::string& room,
                 const std::filesystem::path& webm_path, double start_t,
                 const control::PartVideo& video) override;
  bool Flowing(const std::string& recording_id) override;
  control::PartStats StopPart(const std::string& recording_id, double end_t) override;
  std::optional<std::string> PartError(const std::string& recording_id) override;

  void SetFaults(const std::string& session_id, const RecorderFaults& faults);
  RecorderFaults Faults(const std::string& session_id);

 private:
  struct Known {
    std::string session_id;
    int starts = 0; // StartPart calls so far (fault counting)
  };
  // Under mutex_. Throws std::runtime_error for an unknown recording.
  Known& Lookup(const std::string& recording_id);
  // Under mutex_: the session's plan, or the default one.
  const RecorderFaults& FaultsOf(const std::string& session_id) const;
  static bool Applies(int fault, int starts) {
    return fault == RecorderFaults::kAlways || (fault > 0 && starts <= fault);
  }

  SessionRuntimes& runtimes_;
  SessionOf session_of_;
  const RecorderFaults default_faults_;
  mutable std::mutex mutex_;
  std::map<std::string, Known> known_;           // by recording id
  std::map<std::string, RecorderFaults> faults_; // by session id
};

} // namespace ssr::live
