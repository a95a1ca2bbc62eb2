#pragma once
// A real, in-memory RecorderPort for tests: it writes a small part file (and its .vtt), records
// every call, and can be told to throw or to never flow (fault injection).

#include "control/recorder_port.h"

#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ssr::control {

class FakeRecorder : public RecorderPort {
 public:
  struct Call {
    std::string op; // "start" | "stop"
    std::string recording_id;
    int n = 0; // start only
    double t = 0;
    bool operator==(const Call&) const = default;
  };

  std::vector<Call> calls;
  std::vector<PartVideo> videos; // what each StartPart asked for
  bool fail_start = false;
  // Whether the recorder flows once started, given how many times StartPart was called for
  // this recording (1 for the first attempt). Default: always.
  std::function<bool(int starts)> flows = [](int) { return true; };
  // Why the running part of a recording failed (as a live recorder reports a full disk);
  // cleared when the part stops.
  std::map<std::string, std::string> part_errors;
  // What StopPart reports of a part (shed frames, ...).
  PartStats stats_on_stop;

  void StartPart(const std::string& recording_id, int n, const std::string& room,
                 const std::filesystem::path& webm_path, double start_t,
                 const PartVideo& video) override {
    ++starts_[recording_id];
    videos.push_back(video);
    calls.push_back({"start", recording_id, n, start_t});
    if (fail_start) {
      throw std::runtime_error("no recorder left");
    }

    std::filesystem::create_directories(webm_path.parent_path());
    std::ofstream(webm_path, std::ios::binary)
        << "webm " << recording_id << " " << room << " " << n << " from " << start_t << "\n";
    std::filesystem::path vtt = webm_path;
    std::ofstream(vtt.replace_extension(".vtt")) << "WEBVTT\n";
    running_[recording_id] = webm_path;
  }

  bool Flowing(const std::string& recording_id) override {
    return running_.count(recording_id) && flows(starts_[recording_id]);
  }

  PartStats StopPart(const std::string& recording_id, double end_t) override {
    calls.push_back({"stop", recording_id, 0, end_t});
    auto it = running_.find(recording_id);
    if (it != running_.end()) {
      std::ofstream(it->second, std::ios::app) << "to " << end_t << "\n";
      running_.erase(it);
    }
    part_errors.erase(recording_id);
    return stats_on_stop;
  }

  std::optional<std::string> PartError(const std::string& recording_id) override {
    auto it = part_errors.find(recording_id);
    if (!running_.count(recording_id) || it == part_errors.end())
      return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, int> starts_;
  std::map<std::string, std::filesystem::path> running_;
};

} // namespace ssr::control
