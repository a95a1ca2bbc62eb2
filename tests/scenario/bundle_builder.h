#pragma once
// Builds small session bundles for scenario tests: session.json, events.jsonl and synthetic
// tracks made by the ffmpeg CLI (solid colours and pure tones, so checks can be exact).

#include "../support/temp_dir.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace ssr::test {

class BundleBuilder {
 public:
  // A fresh directory under the system temp dir, named after the running test. It is removed
  // at the end when the test passed (a failed test keeps it to look at).
  BundleBuilder();
  BundleBuilder(const BundleBuilder&) = delete;
  BundleBuilder& operator=(const BundleBuilder&) = delete;

  const std::filesystem::path& dir() const { return dir_.path(); }

  BundleBuilder& Session(const std::string& title = "Scenario");
  BundleBuilder& Event(double t, const std::string& type, nlohmann::json fields = {});
  BundleBuilder& RawLine(const std::string& line); // written as is (for malformed input)
  void Write(); // writes session.json (unless omitted) and events.jsonl

  // tracks/ID.webm: a solid colour (e.g. "red", "0x0000ff") at 320x180, 30 fps.
  void ColourVideo(const std::string& track, const std::string& colour, double seconds);
  // tracks/ID.webm: a sine tone at `amplitude` (0..1).
  void Tone(const std::string& track, double hz, double seconds, double amplitude = 0.3);
  void WriteFile(const std::string& relative, const std::string& bytes);

  void OmitSession() { omit_session_ = true; }

 private:
  TempDir dir_;
  std::string title_ = "Scenario";
  std::vector<std::string> lines_;
  bool omit_session_ = false;
};

// Fields of the commonest events, for BundleBuilder::Event.
inline nlohmann::json Join(const std::string& id, const std::string& name,
                           const std::string& role = "host") {
  return {{"id", id}, {"name", name}, {"role", role}};
}
inline nlohmann::json Publish(const std::string& track, const std::string& participant,
                              const std::string& kind, const std::string& source) {
  return {{"track", track}, {"participant", participant}, {"kind", kind}, {"source", source}};
}

// Runs a command, returning its exit code and what it wrote to stderr.
struct CommandResult {
  int exit_code = -1;
  std::string output; // stdout and stderr together
};
CommandResult RunCommand(const std::string& command);

// ssr render BUNDLE -o DIR/out.webm ARGS (at 640x360 unless ARGS sets --size).
CommandResult Render(const std::filesystem::path& bundle, const std::filesystem::path& out,
                     const std::string& args = "");

} // namespace ssr::test
