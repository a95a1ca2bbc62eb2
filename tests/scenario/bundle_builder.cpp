#include "bundle_builder.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace ssr::test {

namespace fs = std::filesystem;

BundleBuilder::BundleBuilder() {
  dir_.KeepIfTestFailed();
  fs::create_directories(dir_ / "tracks");
}

BundleBuilder& BundleBuilder::Session(const std::string& title) {
  title_ = title;
  return *this;
}

BundleBuilder& BundleBuilder::Event(double t, const std::string& type, nlohmann::json fields) {
  if (fields.is_null()) {
    fields = nlohmann::json::object();
  }
  fields["t"] = t;
  fields["type"] = type;
  lines_.push_back(fields.dump());
  return *this;
}

BundleBuilder& BundleBuilder::RawLine(const std::string& line) {
  lines_.push_back(line);
  return *this;
}

void BundleBuilder::Write() {
  if (!omit_session_) {
    std::ofstream(dir_ / "session.json")
        << nlohmann::json{{"id", "s-test"}, {"title", title_}, {"timezone", "UTC"}}.dump();
  }
  std::ofstream events(dir_ / "events.jsonl");
  for (const std::string& line : lines_) {
    events << line << '\n';
  }
}

void BundleBuilder::ColourVideo(const std::string& track, const std::string& colour,
                                double seconds) {
  const std::string cmd = "ffmpeg -loglevel error -y -f lavfi -i color=c=" + colour +
                          ":s=320x180:r=30:d=" + std::to_string(seconds) +
                          " -c:v libvpx -deadline realtime -cpu-used 8 -b:v 200k '" +
                          (dir_ / "tracks" / (track + ".webm")).string() + "'";
  CommandResult r = RunCommand(cmd);
  if (r.exit_code != 0) {
    throw std::runtime_error("ffmpeg failed: " + r.output);
  }
}

void BundleBuilder::Tone(const std::string& track, double hz, double seconds, double amplitude) {
  const std::string cmd =
      "ffmpeg -loglevel error -y -f lavfi -i \"aevalsrc=" + std::to_string(amplitude) +
      "*sin(2*PI*" + std::to_string(hz) + "*t):s=48000:d=" + std::to_string(seconds) +
      "\" -c:a libopus -b:a 96k '" + (dir_ / "tracks" / (track + ".webm")).string() + "'";
  CommandResult r = RunCommand(cmd);
  if (r.exit_code != 0) {
    throw std::runtime_error("ffmpeg failed: " + r.output);
  }
}

void BundleBuilder::WriteFile(const std::string& relative, const std::string& bytes) {
  fs::create_directories((dir_ / relative).parent_path());
  std::ofstream(dir_ / relative, std::ios::binary) << bytes;
}

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    return result;
  }
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) {
    result.output.append(buf.data(), n);
  }
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

CommandResult Render(const fs::path& bundle, const fs::path& out, const std::string& args) {
  std::string size = args.find("--size") == std::string::npos ? " --size 640x360" : "";
  return RunCommand(std::string(SSR_BINARY) + " render '" + bundle.string() + "' -o '" +
                    out.string() + "'" + size + " " + args);
}

} // namespace ssr::test
