#include "live/recordings.h"

#include "common/log.h"
#include "record/part_recovery.h"

#include <sodium.h>

#include <chrono>
#include <fstream>

namespace ssr::live {
namespace {

using nlohmann::json;

std::string NowRfc3339() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string NewRecordingId() {
  unsigned char bytes[9];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return std::string("rec-") + hex;
}

bool ValidRecordingId(const std::string& id) {
  if (id.size() < 5 || id.size() > 64 || id.rfind("rec-", 0) != 0) return false;
  for (char c : id.substr(4)) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Fills in a finished part's size and duration.
void Describe(json& part, const std::filesystem::path& file, double duration_s) {
  std::error_code ec;
  part["size_bytes"] = std::filesystem::file_size(file, ec);
  part["duration_s"] = duration_s;
  part["status"] = "ready";
}

}  // namespace

Recordings::Recordings(std::filesystem::path recordings_dir, SessionRuntimes& runtimes)
    : dir_(std::move(recordings_dir)), runtimes_(runtimes) {
  std::filesystem::create_directories(dir_);
}

std::optional<json> Recordings::Load(const std::string& recording_id) const {
  if (!ValidRecordingId(recording_id)) return std::nullopt;
  std::ifstream in(Dir(recording_id) / "recording.json");
  if (!in) return std::nullopt;
  try {
    return json::parse(in);
  } catch (const std::exception& e) {
    Logger("record")->warn("{}: recording.json unreadable: {}", recording_id, e.what());
    return std::nullopt;
  }
}

void Recordings::Save(const json& recording) const {
  const auto dir = Dir(recording.at("id").get<std::string>());
  const auto temp = dir / "recording.json.tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << recording.dump(2) << '\n';
  }
  std::filesystem::rename(temp, dir / "recording.json");
}

void Recordings::Recover() {
  std::lock_guard lock(mutex_);
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    auto recording = Load(entry.path().filename().string());
    if (!recording) continue;
    bool changed = false;
    for (json& part : (*recording)["parts"]) {
      if (part.value("status", "") != "recording") continue;
      const auto file = entry.path() / part.at("file").get<std::string>();
      const auto cut = std::filesystem::path(file.string() + ".cut");
      try {
        std::filesystem::rename(file, cut);
        const auto result = record::RecoverPart(cut, file);
        std::filesystem::remove(cut);
        Describe(part, file, result.duration_s);
        Logger("record")->info("{}: part {} recovered after a crash ({:.2f} s)",
                               recording->at("id").get<std::string>(), part.value("n", 0),
                               result.duration_s);
      } catch (const std::exception& e) {
        part["status"] = "failed";
        part["error"] = e.what();
        Logger("record")->warn("{}: part {} could not be recovered: {}",
                               recording->at("id").get<std::string>(), part.value("n", 0), e.what());
      }
      changed = true;
    }
    if (changed) {
      (*recording)["status"] = "ready";
      (*recording)["recovered"] = true;
      Save(*recording);
    }
  }
}

json Recordings::Start(const std::string& session_id, const std::string& room,
                       const std::string& title) {
  SessionRuntime& runtime = runtimes_.For(session_id);
  const std::string id = NewRecordingId();
  std::filesystem::create_directories(Dir(id));
  const std::string file = "part-1.webm";
  const double start_t = runtime.Now();
  json recording = {{"id", id},          {"session_id", session_id}, {"room", room},
                    {"title", title},    {"status", "recording"},     {"recorded_at", NowRfc3339()},
                    {"parts", json::array({{{"n", 1}, {"file", file}, {"status", "recording"},
                                            {"start_t", start_t}}})}};
  std::lock_guard lock(mutex_);
  Save(recording);  // first: a crash from here on leaves a part to recover
  runtime.StartPart(id, room, Dir(id) / file, start_t);
  return recording;
}

std::optional<json> Recordings::Stop(const std::string& recording_id) {
  std::lock_guard lock(mutex_);
  auto recording = Load(recording_id);
  if (!recording) return std::nullopt;
  if (recording->at("status") != "recording") return recording;
  SessionRuntime& runtime = runtimes_.For(recording->at("session_id").get<std::string>());
  json& part = recording->at("parts").back();
  if (runtime.HasPart(recording_id)) {
    const PartResult result = runtime.StopPart(recording_id);
    Describe(part, result.webm, result.duration_s);
  }
  (*recording)["status"] = "ready";
  Save(*recording);
  return recording;
}

std::optional<json> Recordings::Get(const std::string& recording_id) {
  std::lock_guard lock(mutex_);
  return Load(recording_id);
}

std::optional<std::filesystem::path> Recordings::PartFile(const std::string& recording_id, int n) {
  std::lock_guard lock(mutex_);
  auto recording = Load(recording_id);
  if (!recording) return std::nullopt;
  for (const json& part : recording->at("parts")) {
    if (part.value("n", 0) == n && part.value("status", "") == "ready") {
      return Dir(recording_id) / part.at("file").get<std::string>();
    }
  }
  return std::nullopt;
}

void Recordings::StopAll() {
  std::vector<std::string> running;
  {
    std::lock_guard lock(mutex_);
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      auto recording = Load(entry.path().filename().string());
      if (recording && recording->value("status", "") == "recording") {
        running.push_back(recording->at("id"));
      }
    }
  }
  for (const auto& id : running) Stop(id);
}

}  // namespace ssr::live
