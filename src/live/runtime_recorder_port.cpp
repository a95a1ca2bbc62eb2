#include "live/runtime_recorder_port.h"

#include "common/log.h"

#include <stdexcept>

namespace ssr::live {
namespace {

int FaultField(const nlohmann::json& value, const std::string& name) {
  if (value.is_boolean()) {
    return value.get<bool>() ? RecorderFaults::kAlways : 0;
  }
  if (value.is_number_integer() && value.get<long long>() >= 0 && value.get<long long>() <= 1000) {
    return static_cast<int>(value.get<long long>());
  }
  throw std::invalid_argument("field '" + name +
                              "' must be true, false or a number of starts from 0 to 1000");
}

} // namespace

nlohmann::json RecorderFaults::ToJson() const {
  auto field = [](int v) -> nlohmann::json {
    if (v == kAlways)
      return true;
    if (v == 0)
      return false;
    return v;
  };
  return {{"recorder_unavailable", field(recorder_unavailable)}, {"no_media", field(no_media)}};
}

RecorderFaults RecorderFaults::FromJson(const nlohmann::json& object) {
  if (!object.is_object()) {
    throw std::invalid_argument("body must be a JSON object {recorder_unavailable?, no_media?}");
  }
  RecorderFaults faults;
  for (const auto& [name, value] : object.items()) {
    if (name == "recorder_unavailable") {
      faults.recorder_unavailable = FaultField(value, name);
    } else if (name == "no_media") {
      faults.no_media = FaultField(value, name);
    } else {
      throw std::invalid_argument("unknown field '" + name + "'");
    }
  }
  return faults;
}

RuntimeRecorderPort::Known& RuntimeRecorderPort::Lookup(const std::string& recording_id) {
  auto it = known_.find(recording_id);
  if (it != known_.end())
    return it->second;
  const auto session_id = session_of_(recording_id);
  if (!session_id)
    throw std::runtime_error("no recording '" + recording_id + "'");
  return known_[recording_id] = Known{*session_id, 0};
}

void RuntimeRecorderPort::StartPart(const std::string& recording_id, int n, const std::string& room,
                                    const std::filesystem::path& webm_path, double start_t,
                                    const control::PartVideo& video) {
  std::string session_id;
  {
    std::lock_guard lock(mutex_);
    Known& known = Lookup(recording_id);
    ++known.starts;
    session_id = known.session_id;
    if (Applies(FaultsOf(session_id).recorder_unavailable, known.starts)) {
      Logger("record")->info("{} part {}: recorder unavailable (test fault, start {})",
                             recording_id, n, known.starts);
      throw std::runtime_error("recorder unavailable (test fault)");
    }
  }
  runtimes_.For(session_id)->StartPart(recording_id, room, webm_path, start_t, video);
}

bool RuntimeRecorderPort::Flowing(const std::string& recording_id) {
  std::string session_id;
  {
    std::lock_guard lock(mutex_);
    Known& known = Lookup(recording_id);
    if (Applies(FaultsOf(known.session_id).no_media, known.starts))
      return false;
    session_id = known.session_id;
  }
  return runtimes_.For(session_id)->Flowing(recording_id);
}

control::PartStats RuntimeRecorderPort::StopPart(const std::string& recording_id, double end_t) {
  std::string session_id;
  {
    std::lock_guard lock(mutex_);
    session_id = Lookup(recording_id).session_id;
  }
  const PartResult result = runtimes_.For(session_id)->StopPart(recording_id, end_t);
  return {result.stats.frames, result.stats.shed_frames, result.stats.late_frames};
}

std::optional<std::string> RuntimeRecorderPort::PartError(const std::string& recording_id) {
  std::string session_id;
  {
    std::lock_guard lock(mutex_);
    session_id = Lookup(recording_id).session_id;
  }
  return runtimes_.For(session_id)->PartError(recording_id);
}

void RuntimeRecorderPort::SetFaults(const std::string& session_id, const RecorderFaults& faults) {
  std::lock_guard lock(mutex_);
  faults_[session_id] = faults;
}

const RecorderFaults& RuntimeRecorderPort::FaultsOf(const std::string& session_id) const {
  auto it = faults_.find(session_id);
  return it == faults_.end() ? default_faults_ : it->second;
}

RecorderFaults RuntimeRecorderPort::Faults(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  return FaultsOf(session_id);
}

} // namespace ssr::live
