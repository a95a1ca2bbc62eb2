// A part cut short by a crash is recovered into a playable, seekable WebM.

#include "../support/output_probe.h"
#include "bundle_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A finished WebM ends with its Cues element (the seek index) after the last Cluster; a killed
// writer's file has none there (its SeekHead may name the Cues ID, but at the start).
bool HasTrailingCues(const fs::path& p) {
  const std::string bytes = ReadAll(p);
  const size_t cues = bytes.rfind("\x1C\x53\xBB\x6B");
  const size_t cluster = bytes.rfind("\x1F\x43\xB6\x75");
  return cues != std::string::npos && cluster != std::string::npos && cues > cluster;
}

void MakeBundle(BundleBuilder& b, double seconds) {
  b.ColourVideo("cam", "red", seconds);
  b.Tone("mic", 440, seconds);
  b.Event(0, "participant.join", {{"id", "a"}, {"name", "Ada"}, {"role", "host"}})
      .Event(0, "track.publish",
             {{"track", "cam"}, {"participant", "a"}, {"kind", "video"}, {"source", "camera"}})
      .Event(0, "track.publish",
             {{"track", "mic"}, {"participant", "a"}, {"kind", "audio"}, {"source", "microphone"}})
      .Event(seconds, "session.end")
      .Write();
}

TEST(Recovery, PartCutMidClusterPlaysAndSeeksAfterRecovery) {
  BundleBuilder b;
  MakeBundle(b, 10);
  const fs::path whole = b.dir() / "whole.webm";
  ASSERT_EQ(Render(b.dir(), whole).exit_code, 0);
  // What a killed writer leaves: the first 60 % of the bytes, no cues, no duration.
  const std::string bytes = ReadAll(whole);
  const fs::path cut = b.dir() / "cut.webm";
  b.WriteFile("cut.webm", bytes.substr(0, bytes.size() * 6 / 10));
  ASSERT_FALSE(HasTrailingCues(cut));

  const fs::path fixed = b.dir() / "fixed.webm";
  CommandResult r = RunCommand(std::string(SSR_BINARY) + " recover '" + cut.string() + "' -o '" +
                               fixed.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(HasTrailingCues(fixed)); // seekable again
  OutputProbe probe(fixed.string());
  ASSERT_EQ(probe.streams.size(), 3U); // video, audio and the chat track survive
  EXPECT_GT(probe.duration_s, 3.0);    // most of what was on disk
  EXPECT_LT(probe.duration_s, 9.0);
  EXPECT_NEAR(probe.video_end_s, probe.duration_s, 0.1);
  EXPECT_GT(probe.ColourFraction(2.0, 0.25, 0.4, 0.5, 0.6, 0xff0000), 0.9);
  EXPECT_GT(probe.ToneLevel(440, 0.5, 2.5), 0.15);
  EXPECT_FALSE(fs::exists(fixed.string() + ".recovering"));
}

TEST(Recovery, RenderKilledWithSigkillIsRecovered) {
  BundleBuilder b;
  MakeBundle(b, 40);
  const fs::path out = b.dir() / "killed.webm";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // A slow render (1080p, one encoder thread) so that the kill lands in the middle.
    execl(SSR_BINARY, SSR_BINARY, "render", b.dir().c_str(), "-o", out.c_str(), "--size",
          "1920x1080", "--threads", "1", static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((!fs::exists(out) || fs::file_size(out) < 200000) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the render finished before the kill";
  ASSERT_FALSE(HasTrailingCues(out));

  const fs::path fixed = b.dir() / "fixed.webm";
  CommandResult r = RunCommand(std::string(SSR_BINARY) + " recover '" + out.string() + "' -o '" +
                               fixed.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  OutputProbe probe(fixed.string());
  EXPECT_TRUE(HasTrailingCues(fixed));
  EXPECT_GT(probe.duration_s, 1.0);
  EXPECT_LT(probe.duration_s, 40.0);
  EXPECT_GT(probe.video_frames, 30);
  EXPECT_GT(probe.ColourFraction(0.5, 0.25, 0.4, 0.5, 0.6, 0xff0000), 0.9);
}

TEST(Recovery, NothingToRecoverIsAClearError) {
  BundleBuilder b;
  b.WriteFile("junk.webm", std::string(4096, 'x'));
  CommandResult r =
      RunCommand(std::string(SSR_BINARY) + " recover '" + (b.dir() / "junk.webm").string() +
                 "' -o '" + (b.dir() / "out.webm").string() + "'");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("junk.webm"));
  EXPECT_FALSE(fs::exists(b.dir() / "out.webm"));
}

} // namespace
} // namespace ssr::test
