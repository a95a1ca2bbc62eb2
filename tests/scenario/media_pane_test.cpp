// Pane 1's prerecorded media and streams (R4): media.play/pause/stop and stream.start/stop,
// rendered by the ssr binary and read back. Fixtures are solid colours with pure tones made
// by the ffmpeg CLI; streams come from a local HTTP server (http_fixture).

#include "../support/output_probe.h"
#include "bundle_builder.h"
#include "compose/media_player.h"
#include "http_fixture.h"

#include <netdb.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <functional>
#include <iterator>
#include <set>
#include <thread>
#include <vector>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;

constexpr uint32_t kRed = 0xff0000;
constexpr uint32_t kBlue = 0x0000ff;
constexpr uint32_t kGreen = 0x00ff00;
constexpr uint32_t kTrouble = 0xe0803a; // the card's disc when media cannot play
constexpr uint32_t kBar = 0x4c8dff;     // the card's progress bar
constexpr double kOn = 0.15;            // tones are made at 0.3; lossy codecs keep most
constexpr double kOff = 0.01;

// The test's HTTP servers are on loopback, which stream URLs may reach only when allowed.
const char* kAllowLoopback = "--stream-url-allow 127.0.0.1";

const char* kWebm = "-c:v libvpx -deadline realtime -cpu-used 8 -b:v 200k -c:a libvorbis";
// H.264 + AAC with the index at the end (no faststart): reading it over HTTP needs Range.
const char* kMp4 = "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -b:a 128k";

// A 320x180 clip of `colour` (turning `colour2` at `change_s` when given) with a sine at
// `hz`, amplitude 0.3.
void MakeClip(const fs::path& path, const std::string& colour, double hz, double seconds,
              const std::string& codec, const std::string& colour2 = "", double change_s = 0) {
  std::string video = "color=c=" + colour + ":s=320x180:r=30:d=" + std::to_string(seconds);
  if (!colour2.empty()) {
    video += ",drawbox=c=" + colour2 + ":t=fill:enable='gte(t," + std::to_string(change_s) + ")'";
  }
  fs::create_directories(path.parent_path());
  const CommandResult r =
      RunCommand("ffmpeg -loglevel error -y -f lavfi -i \"" + video +
                 "\" -f lavfi -i \"aevalsrc=0.3*sin(2*PI*" + std::to_string(hz) + "*t):s=48000:d=" +
                 std::to_string(seconds) + "\" " + codec + " -shortest '" + path.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
}

void MakeTone(const fs::path& path, double hz, double seconds) {
  fs::create_directories(path.parent_path());
  const CommandResult r =
      RunCommand("ffmpeg -loglevel error -y -f lavfi -i \"aevalsrc=0.3*sin(2*PI*" +
                 std::to_string(hz) + "*t):s=48000:d=" + std::to_string(seconds) +
                 "\" -c:a libopus -b:a 96k '" + path.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// With nothing else on screen the player fills the main area (the left 75 %); a 16:9
// picture sits in its middle. This region lies inside it.
double PlayerColour(const OutputProbe& probe, double t, uint32_t rgb) {
  return probe.ColourFraction(t, 0.2, 0.35, 0.55, 0.65, rgb);
}

TEST(MediaPane, VideoPlaysFreezesWhilePausedResumesAndStops) {
  BundleBuilder b;
  MakeClip(b.dir() / "assets" / "clip.webm", "red", 660, 5, kWebm, "blue", 2);
  // Paused at 1.8 s into the clip, just before it turns blue; resumed from there.
  b.Event(0.5, "media.play", {{"asset", "clip.webm"}})
      .Event(2.3, "media.pause")
      .Event(3.4, "media.play", {{"asset", "clip.webm"}, {"position", 1.8}})
      .Event(4.5, "media.stop")
      .Event(5, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  const CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, ::testing::Not(HasSubstr("clip.webm"))); // nothing to warn about
  OutputProbe probe(out.string());

  EXPECT_LT(PlayerColour(probe, 0.3, kRed), 0.01);
  EXPECT_LT(probe.ToneLevel(660, 0.0, 0.45), kOff);
  EXPECT_GT(PlayerColour(probe, 1.0, kRed), 0.9);
  EXPECT_GT(probe.ToneLevel(660, 0.6, 2.2), kOn);
  // Paused: the picture stays at 1.8 s (red; running on it would be blue) and is silent.
  EXPECT_GT(PlayerColour(probe, 3.0, kRed), 0.9);
  EXPECT_LT(PlayerColour(probe, 3.0, kBlue), 0.01);
  EXPECT_LT(probe.ToneLevel(660, 2.4, 3.3), kOff);
  // Resumed from 1.8 s: red, then blue from 2 s into the clip (3.6 s of session).
  EXPECT_GT(PlayerColour(probe, 3.5, kRed), 0.9);
  EXPECT_GT(PlayerColour(probe, 4.0, kBlue), 0.9);
  EXPECT_GT(probe.ToneLevel(660, 3.5, 4.4), kOn);
  // Stopped: gone, and silent.
  EXPECT_LT(PlayerColour(probe, 4.8, kBlue), 0.01);
  EXPECT_LT(probe.ToneLevel(660, 4.6, 5.0), kOff);
}

TEST(MediaPane, Mp4BesideWebcamTilesMixedWithTheMicrophone) {
  BundleBuilder b;
  b.ColourVideo("cam-a", "red", 3);
  b.Tone("mic-a", 440, 3);
  MakeClip(b.dir() / "assets" / "clip.mp4", "lime", 660, 3, kMp4);
  b.Event(0, "participant.join", Join("a", "Ada"))
      .Event(0, "track.publish", Publish("cam-a", "a", "video", "camera"))
      .Event(0, "track.publish", Publish("mic-a", "a", "audio", "microphone"))
      .Event(0.5, "media.play", {{"asset", "clip.mp4"}})
      .Event(2.5, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  const CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  OutputProbe probe(out.string());
  // Before: Ada's tile alone fills the main area.
  EXPECT_GT(probe.ColourFraction(0.3, 0.25, 0.4, 0.5, 0.6, kRed), 0.9);
  EXPECT_LT(probe.ToneLevel(660, 0.0, 0.45), kOff);
  // Playing: the player on the left 70 % of pane 1, Ada's tile in the strip on its right.
  EXPECT_GT(probe.ColourFraction(1.5, 0.05, 0.4, 0.45, 0.6, kGreen, 60), 0.9);
  EXPECT_GT(probe.ColourFraction(1.5, 0.56, 0.45, 0.72, 0.55, kRed), 0.9);
  EXPECT_LT(probe.ColourFraction(1.5, 0.05, 0.4, 0.45, 0.6, kRed), 0.01);
  // Both sounds are in the mix.
  EXPECT_GT(probe.ToneLevel(660, 0.7, 2.4), kOn);
  EXPECT_GT(probe.ToneLevel(440, 0.7, 2.4), kOn);
}

TEST(MediaPane, PlayFromPositionShowsThatPointAtOnce) {
  BundleBuilder b;
  MakeClip(b.dir() / "assets" / "clip.webm", "red", 660, 4, kWebm, "blue", 2);
  b.Event(0.5, "media.play", {{"asset", "clip.webm"}, {"position", 2}})
      .Event(1.0, "media.play", {{"asset", "clip.webm"}, {"position", 0.5}}) // back
      .Event(1.5, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  ASSERT_EQ(Render(b.dir(), out).exit_code, 0);
  OutputProbe probe(out.string());
  EXPECT_GT(PlayerColour(probe, 0.55, kBlue), 0.9);
  EXPECT_LT(PlayerColour(probe, 0.55, kRed), 0.01);
  EXPECT_GT(PlayerColour(probe, 0.9, kBlue), 0.9);
  EXPECT_GT(PlayerColour(probe, 1.05, kRed), 0.9);
  EXPECT_GT(PlayerColour(probe, 1.4, kRed), 0.9);
}

TEST(MediaPane, AudioFilePlaysWithACardAndProgressBar) {
  BundleBuilder b;
  MakeTone(b.dir() / "assets" / "lecture.ogg", 880, 4);
  b.Event(0.5, "media.play", {{"asset", "lecture.ogg"}})
      .Event(3.5, "media.pause")
      .Event(4, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  const CommandResult r = Render(b.dir(), out, "--size 1280x720");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  OutputProbe probe(out.string());
  EXPECT_LT(probe.ToneLevel(880, 0.0, 0.45), kOff);
  EXPECT_GT(probe.ToneLevel(880, 0.6, 3.4), kOn);
  EXPECT_LT(probe.ToneLevel(880, 3.6, 4.0), kOff); // paused
  // The card fills the pane; its progress bar, redrawn once a second, grows with the
  // position: 1 s of 4 s at 1.7 s of session, 2 s at 2.7 s, 3 s at 3.7 s (paused at 3 s).
  const double quarter = probe.ColourFraction(1.7, 0, 0, 0.75, 1, kBar);
  const double half = probe.ColourFraction(2.7, 0, 0, 0.75, 1, kBar);
  const double three_quarters = probe.ColourFraction(3.9, 0, 0, 0.75, 1, kBar);
  EXPECT_GT(quarter, 0.001);
  EXPECT_NEAR(half / quarter, 2.0, 0.3);
  EXPECT_NEAR(three_quarters / quarter, 3.0, 0.45);
  EXPECT_GT(probe.ColourFraction(2.0, 0.02, 0.02, 0.1, 0.1, 0x10121a, 8), 0.9); // the card
}

TEST(MediaPane, StreamFromHttpServerPlaysWithItsTone) {
  BundleBuilder b;
  MakeClip(b.dir() / "www" / "live.mp4", "lime", 550, 4, kMp4);
  HttpFixture http(b.dir() / "www");
  b.Event(0.5, "stream.start", {{"url", http.Url("live.mp4")}})
      .Event(2.5, "stream.stop")
      .Event(3, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  const CommandResult r = Render(b.dir(), out, kAllowLoopback);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, ::testing::Not(HasSubstr("live.mp4")));
  OutputProbe probe(out.string());
  EXPECT_LT(PlayerColour(probe, 0.3, kGreen), 0.01);
  EXPECT_GT(PlayerColour(probe, 0.6, kGreen), 0.9);
  EXPECT_GT(PlayerColour(probe, 2.0, kGreen), 0.9);
  EXPECT_GT(probe.ToneLevel(550, 0.7, 2.4), kOn);
  EXPECT_LT(PlayerColour(probe, 2.8, kGreen), 0.01);
  EXPECT_LT(probe.ToneLevel(550, 2.6, 3.0), kOff);
}

TEST(MediaPane, UnreachableStreamShowsCardWarnsAndRecordingGoesOn) {
  BundleBuilder b;
  const std::string url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/live.webm";
  b.ColourVideo("cam-a", "red", 7);
  b.Event(0, "participant.join", Join("a", "Ada"))
      .Event(0, "track.publish", Publish("cam-a", "a", "video", "camera"))
      .Event(0.5, "stream.start", {{"url", url}})
      .Event(7, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  const auto start = std::chrono::steady_clock::now();
  const CommandResult r = Render(b.dir(), out, kAllowLoopback);
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_LT(wall_s, 5.0); // refused at once, retried at 5.5 s: no waiting
  EXPECT_THAT(r.output, HasSubstr("stream " + url + ": cannot open"));
  EXPECT_THAT(r.output, HasSubstr("retrying"));
  OutputProbe probe(out.string());
  EXPECT_NEAR(probe.video_end_s, 7.0, 0.05);
  // The "Stream unavailable" card beside Ada's tile, before and after the retry.
  for (double t : {1.0, 6.0}) {
    EXPECT_GT(probe.ColourFraction(t, 0, 0, 0.53, 1, kTrouble), 0.02) << "t=" << t;
    EXPECT_GT(probe.ColourFraction(t, 0.56, 0.45, 0.72, 0.55, kRed), 0.9) << "t=" << t;
  }
}

TEST(MediaPane, HungStreamServerCostsOnlyTheTimeout) {
  BundleBuilder b;
  SilentServer silent;
  const std::string url = "http://127.0.0.1:" + std::to_string(silent.port()) + "/live.webm";
  b.Event(0.2, "stream.start", {{"url", url}}).Event(2, "session.end").Write();
  const auto out = b.dir() / "out.webm";
  const auto start = std::chrono::steady_clock::now();
  const CommandResult r = Render(b.dir(), out, kAllowLoopback);
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // One attempt by the pane and one by the mixer, each given up after the 2 s timeout.
  EXPECT_LT(wall_s, 7.0);
  EXPECT_THAT(r.output, HasSubstr("stream " + url + ": cannot open"));
  OutputProbe probe(out.string());
  EXPECT_NEAR(probe.video_end_s, 2.0, 0.05);
  EXPECT_GT(probe.ColourFraction(1.0, 0, 0, 0.75, 1, kTrouble), 0.02);
}

TEST(MediaPane, CorruptAndMissingAssetsAreNamedAndShowACard) {
  BundleBuilder b;
  b.WriteFile("assets/broken.webm", "this is not a video, only some text");
  b.Event(0.5, "media.play", {{"asset", "broken.webm"}})
      .Event(1.5, "media.play", {{"asset", "missing.mp4"}})
      .Event(2.5, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  const CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(Count(r.output, "assets/broken.webm:"), 1U) << r.output; // pane and mixer: once
  EXPECT_EQ(Count(r.output, "assets/missing.mp4:"), 1U) << r.output;
  OutputProbe probe(out.string());
  EXPECT_GT(probe.ColourFraction(1.0, 0, 0, 0.75, 1, kTrouble), 0.02);
  EXPECT_GT(probe.ColourFraction(2.0, 0, 0, 0.75, 1, kTrouble), 0.02);
}

// The player on its own, driven like the pane and the mixer drive it, for what a render cannot
// time: a stream that appears after a failed attempt, and one that breaks.
class FakeMedia : public media::MediaProvider {
 public:
  FakeMedia() = default;
  explicit FakeMedia(media::StreamUrlPolicy policy) : policy_(std::move(policy)) {}
  media::VideoFeed* Video(const std::string&) override { return nullptr; }
  media::AudioFeed* Audio(const std::string&) override { return nullptr; }
  std::optional<std::string> AssetPath(const std::string&) override { return std::nullopt; }
  void Warn(const std::string& message) override {
    if (seen_.insert(message).second) {
      warnings.push_back(message);
    }
  }
  const media::StreamUrlPolicy& StreamUrls() override { return policy_; }
  media::StreamLimits StreamCaps() const override { return caps; }
  bool RealTime() const override { return real_time; }
  std::vector<std::string> warnings;
  bool real_time = false; // as a live recording: streams are not waited for
  media::StreamLimits caps;

 private:
  std::set<std::string> seen_;
  media::StreamUrlPolicy policy_{std::vector<std::string>{"127.0.0.1"}}; // the test's servers
};

using Player = compose::MediaPlayer;

TEST(MediaPane, TruncatedClipPlaysWhatItHasAndIsNamed) {
  BundleBuilder b;
  // Noise keeps the clip large enough that half of it holds about two seconds of pictures.
  const fs::path full = b.dir() / "full.webm";
  const CommandResult made = RunCommand("ffmpeg -loglevel error -y -f lavfi -i "
                                        "\"color=c=red:s=320x180:r=30:d=4,noise=alls=12:allf=t\" "
                                        "-c:v libvpx -deadline realtime -cpu-used 8 -b:v 600k '" +
                                        full.string() + "'");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  std::ifstream in(full, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  b.WriteFile("assets/cut.webm", bytes.substr(0, bytes.size() / 2));
  b.Event(0.5, "media.play", {{"asset", "cut.webm"}}).Event(5, "session.end").Write();
  const auto out = b.dir() / "out.webm";
  const CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_GE(Count(r.output, "assets/cut.webm"), 1U) << r.output;
  EXPECT_NE(r.output.find("truncated"), std::string::npos) << r.output;
  OutputProbe probe(out.string());
  EXPECT_GT(PlayerColour(probe, 1.0, 0xff0000), 0.8); // what the file has, it plays
  EXPECT_LT(PlayerColour(probe, 4.9, 0xff0000), 0.2); // then the player does not freeze on it
}

TEST(MediaPlayer, StreamIsRetriedOnItsScheduleUntilItOpens) {
  BundleBuilder b;
  const fs::path path = b.dir() / "later" / "live.webm";
  fs::create_directories(path.parent_path());
  HttpFixture http(path.parent_path()); // 404 until the file is there
  const std::string url = http.Url("live.webm");
  FakeMedia media;
  Player video(media, Player::Kind::kVideo);
  Player audio(media, Player::Kind::kAudio);
  const events::StreamState stream{url, 1.0};
  video.Follow(stream, 1.0);
  audio.Follow(stream, 1.02);
  EXPECT_EQ(video.state(), Player::State::kUnavailable);
  EXPECT_EQ(audio.state(), Player::State::kUnavailable);
  EXPECT_EQ(video.Picture(), nullptr);
  ASSERT_EQ(media.warnings.size(), 1U); // the same words from both players
  EXPECT_THAT(media.warnings[0], HasSubstr("stream " + url + ": cannot open"));

  MakeClip(path, "lime", 550, 3, kWebm); // the stream comes up
  video.Follow(stream, 5.9);
  EXPECT_EQ(video.state(), Player::State::kUnavailable); // next attempt at 6 s
  video.Follow(stream, 6.0);
  audio.Follow(stream, 6.02);
  ASSERT_EQ(video.state(), Player::State::kOpen);
  ASSERT_EQ(audio.state(), Player::State::kOpen);
  video.Follow(stream, 6.1);
  EXPECT_NE(video.Picture(), nullptr);
  EXPECT_NEAR(audio.position_s(), 0.02, 1e-9); // stream time counts from the attempt at 6 s
  std::vector<float> mix(960 * 2, 0.0F);
  audio.Follow(stream, 6.5);
  audio.MixInto(960, mix.data());
  float peak = 0;
  for (float v : mix) {
    peak = std::max(peak, std::fabs(v));
  }
  EXPECT_GT(peak, 0.2F);
  EXPECT_EQ(media.warnings.size(), 1U);
}

// A stream whose host name does not resolve now is retried on the stream's schedule, not
// given up, and its addresses are checked again at each attempt. The resolver is the test's
// (no DNS query leaves the machine): it times out once, then answers a private address,
// which is refused for good.
TEST(MediaPlayer, AStreamWhoseHostDoesNotResolveYetIsRetried) {
  int lookups = 0;
  FakeMedia media(media::StreamUrlPolicy({}, [&lookups](const std::string&, addrinfo** found) {
    if (++lookups == 1) {
      return EAI_AGAIN;
    }
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_flags = AI_NUMERICHOST;
    return getaddrinfo("10.1.2.3", nullptr, &hints, found);
  }));
  const std::string url = "http://cam.example/live.webm";
  Player video(media, Player::Kind::kVideo);
  const events::StreamState stream{url, 1.0};
  video.Follow(stream, 1.0);
  EXPECT_EQ(video.state(), Player::State::kUnavailable); // not kBroken: it will try again
  ASSERT_EQ(media.warnings.size(), 1U);
  EXPECT_THAT(media.warnings[0], HasSubstr("host cam.example cannot be resolved"));
  EXPECT_THAT(media.warnings[0], HasSubstr("retrying every 5 s"));
  video.Follow(stream, 5.9);
  EXPECT_EQ(lookups, 1); // attempts keep the stream's 5 s grid
  video.Follow(stream, 6.0);
  EXPECT_EQ(lookups, 2);
  EXPECT_EQ(video.state(), Player::State::kBroken);
  ASSERT_EQ(media.warnings.size(), 2U);
  EXPECT_THAT(media.warnings[1], HasSubstr("refused: host cam.example resolves to 10.1.2.3"));
  video.Follow(stream, 11.0);
  EXPECT_EQ(lookups, 2); // refused for good: not asked again
}

TEST(MediaPlayer, BrokenStreamIsRetriedAndFinishedOneEnds) {
  BundleBuilder b;
  const fs::path whole = b.dir() / "whole.webm";
  const fs::path cut = b.dir() / "cut.webm";
  MakeClip(whole, "lime", 550, 3, kWebm);
  {
    // The first 40 % of the file: a stream that breaks after about a second.
    std::ifstream in(whole, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() * 2 / 5);
  }
  HttpFixture http(b.dir());
  FakeMedia media;
  Player broken(media, Player::Kind::kVideo);
  Player finished(media, Player::Kind::kVideo);
  const events::StreamState broken_stream{http.Url("cut.webm"), 0};
  const events::StreamState finished_stream{http.Url("whole.webm"), 0};
  double broke_t = -1;
  for (double t = 0; t < 4.5; t += 1.0 / 30) {
    broken.Follow(broken_stream, t);
    broken.Picture();
    finished.Follow(finished_stream, t);
    finished.Picture();
    if (broke_t < 0 && broken.state() == Player::State::kUnavailable) {
      broke_t = t;
    }
  }
  EXPECT_GT(broke_t, 0.2);
  EXPECT_LT(broke_t, 2.0);
  EXPECT_EQ(broken.state(), Player::State::kUnavailable);
  EXPECT_EQ(finished.state(), Player::State::kEnded);
  bool warned_break = false;
  for (const std::string& w : media.warnings) {
    EXPECT_THAT(w, HasSubstr(broken_stream.url)); // the finished stream says nothing
    warned_break = warned_break || w.find("retrying") != std::string::npos;
  }
  EXPECT_TRUE(warned_break);
  // Retried at 5 s (the grid of the stream's start): it plays again from its beginning.
  broken.Follow(broken_stream, 5.0);
  EXPECT_EQ(broken.state(), Player::State::kOpen);
  broken.Follow(broken_stream, 5.1);
  EXPECT_NE(broken.Picture(), nullptr);
}

// A live recording's players take what a stream has delivered and never wait for it: not for
// a server that accepts and says nothing (the reader's thread gives up after the 2 s timeout),
// nor for the pictures and sound of one that works. Each call is timed on the wall clock.
TEST(MediaPlayer, ALiveRecordingNeverWaitsForAStream) {
  using Clock = std::chrono::steady_clock;
  BundleBuilder b;
  MakeClip(b.dir() / "www" / "live.webm", "lime", 550, 6, kWebm);
  HttpFixture http(b.dir() / "www");
  SilentServer silent;
  FakeMedia media;
  media.real_time = true;
  Player video(media, Player::Kind::kVideo);
  Player audio(media, Player::Kind::kAudio);
  double slowest_s = 0;
  // Drives both players on the wall clock from session time `t0` for `seconds`; stops early
  // once `done` holds. Returns the session time reached.
  auto drive = [&](const events::StreamState& stream, double t0, double seconds,
                   const std::function<bool()>& done) {
    const Clock::time_point start = Clock::now();
    std::vector<float> mix(2 * 960);
    double t = t0;
    for (; t < t0 + seconds && !done(); t += 1.0 / 50) {
      std::this_thread::sleep_until(start + std::chrono::duration<double>(t - t0));
      const Clock::time_point before = Clock::now();
      video.Follow(stream, t);
      video.Picture();
      audio.Follow(stream, t);
      std::fill(mix.begin(), mix.end(), 0.0F);
      audio.MixInto(960, mix.data());
      slowest_s = std::max(slowest_s, std::chrono::duration<double>(Clock::now() - before).count());
    }
    return t;
  };

  const events::StreamState hung{"http://127.0.0.1:" + std::to_string(silent.port()) + "/a", 1};
  drive(hung, 1.0, 0.5, [] { return false; });
  EXPECT_EQ(video.state(), Player::State::kOpening);
  EXPECT_TRUE(video.starting()) << "no card while it opens";
  drive(hung, 1.5, 4.0, [&] { return video.state() == Player::State::kUnavailable; });
  EXPECT_EQ(video.state(), Player::State::kUnavailable);
  ASSERT_FALSE(media.warnings.empty());
  EXPECT_THAT(media.warnings[0], HasSubstr("cannot open"));

  const events::StreamState live{http.Url("live.webm"), 10};
  bool heard = false;
  const Clock::time_point opened = Clock::now();
  drive(live, 10, 4.0, [&] {
    std::vector<float> probe(2 * 960);
    if (audio.state() == Player::State::kOpen) {
      audio.MixInto(960, probe.data());
    }
    heard = heard || std::any_of(probe.begin(), probe.end(), [](float v) { return v > 0.1F; });
    return heard && video.Picture() != nullptr;
  });
  EXPECT_EQ(video.state(), Player::State::kOpen);
  EXPECT_NE(video.Picture(), nullptr);
  EXPECT_TRUE(heard);
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - opened).count(), 2.0);
  // The 2 s timeout was never spent on the caller's thread (a wide margin for a busy machine).
  EXPECT_LT(slowest_s, 0.5);
}

// What a stream may cost: a picture larger than the limit is refused at the open (and retried
// on the stream's schedule, as a stream that is down), and a stream over the bitrate limit is
// stopped with the reason.
TEST(MediaPlayer, StreamsOverThePictureOrBitrateLimitAreRefused) {
  BundleBuilder b;
  MakeClip(b.dir() / "www" / "clip.webm", "lime", 550, 4, kWebm); // 320x180, about 250 kbit/s
  HttpFixture http(b.dir() / "www");
  const events::StreamState stream{http.Url("clip.webm"), 0};

  FakeMedia small;
  small.caps.max_pixels = 160 * 90;
  Player big(small, Player::Kind::kVideo);
  big.Follow(stream, 0);
  EXPECT_EQ(big.state(), Player::State::kUnavailable);
  ASSERT_EQ(small.warnings.size(), 1u);
  EXPECT_THAT(small.warnings[0],
              HasSubstr("its picture of 320x180 is over the limit of 14400 pixels"));
  EXPECT_THAT(small.warnings[0], HasSubstr("retrying every 5 s"));

  FakeMedia thin;
  thin.caps.max_bitrate_bps = 20e3;
  thin.caps.bitrate_window_s = 0.5;
  Player heavy(thin, Player::Kind::kVideo);
  double stopped_t = -1;
  for (double t = 0; t < 3.5 && stopped_t < 0; t += 1.0 / 30) {
    heavy.Follow(stream, t);
    heavy.Picture();
    if (heavy.state() == Player::State::kUnavailable) {
      stopped_t = t;
    }
  }
  EXPECT_GT(stopped_t, 0) << "stopped once it had played a while";
  bool named = false;
  for (const std::string& w : thin.warnings) {
    named = named || w.find("kbit/s is over the limit of 20 kbit/s; stopped") != std::string::npos;
  }
  EXPECT_TRUE(named) << ::testing::PrintToString(thin.warnings);
}

} // namespace
} // namespace ssr::test
