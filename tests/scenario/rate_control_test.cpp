// Rate control and keyframes of `ssr render`: the configured video bitrate holds over every
// 10 s window, keyframes land on slide changes, bad encoder settings are refused by name.

#include "bundle_builder.h"
#include "pdf_fixture.h"

extern "C" {
#include <libavformat/avformat.h>
}

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <stdexcept>

namespace ssr::test {
namespace {

using ::testing::HasSubstr;

struct VideoPacket {
  double t = 0;
  int64_t bytes = 0;
  bool key = false;
};

// The video packets of a WebM, in order.
std::vector<VideoPacket> VideoPackets(const std::filesystem::path& path) {
  AVFormatContext* format = nullptr;
  if (avformat_open_input(&format, path.c_str(), nullptr, nullptr) < 0 ||
      avformat_find_stream_info(format, nullptr) < 0) {
    throw std::runtime_error("cannot read " + path.string());
  }
  const int video = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  std::vector<VideoPacket> packets;
  AVPacket* packet = av_packet_alloc();
  while (av_read_frame(format, packet) >= 0) {
    if (packet->stream_index == video) {
      const AVRational tb = format->streams[video]->time_base;
      packets.push_back(
          {packet->pts * av_q2d(tb), packet->size, (packet->flags & AV_PKT_FLAG_KEY) != 0});
    }
    av_packet_unref(packet);
  }
  av_packet_free(&packet);
  avformat_close_input(&format);
  return packets;
}

// Video bits per second of each whole window of `seconds`.
std::vector<double> WindowRates(const std::vector<VideoPacket>& packets, double seconds) {
  double end = 0;
  for (const VideoPacket& p : packets)
    end = std::max(end, p.t);
  std::vector<double> bits(static_cast<size_t>(std::floor((end + 1e-6) / seconds)), 0.0);
  for (const VideoPacket& p : packets) {
    const auto k = static_cast<size_t>(p.t / seconds);
    if (k < bits.size())
      bits[k] += p.bytes * 8.0;
  }
  for (double& b : bits)
    b /= seconds;
  return bits;
}

std::vector<double> KeyTimes(const std::vector<VideoPacket>& packets) {
  std::vector<double> keys;
  for (const VideoPacket& p : packets) {
    if (p.key)
      keys.push_back(std::round(p.t * 30) / 30);
  }
  return keys;
}

// A webcam of moving noise: costly content, so that only rate control keeps the bits down.
void NoiseVideo(const BundleBuilder& b, const std::string& track, double seconds) {
  std::filesystem::create_directories(b.dir() / "tracks");
  const CommandResult r = RunCommand(
      "ffmpeg -v error -y -f lavfi -i testsrc2=size=320x180:rate=30 -vf noise=alls=60:allf=t -t " +
      std::to_string(seconds) + " -c:v libvpx -deadline realtime -cpu-used 8 -b:v 3M '" +
      (b.dir() / "tracks" / (track + ".webm")).string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
}

TEST(RenderRate, HeldOverEveryTenSecondWindow) {
  BundleBuilder b;
  NoiseVideo(b, "cam-a", 20.5);
  b.Event(0, "participant.join", Join("a", "Ada", "host"))
      .Event(0, "track.publish", Publish("cam-a", "a", "video", "camera"))
      .Event(0, "layout", {{"maximized", 1}, {"sidebar", "minimized"}})
      .Event(20, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  const CommandResult r = Render(b.dir(), out, "--size 320x180 --bitrate 200k");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::vector<double> rates = WindowRates(VideoPackets(out), 10);
  ASSERT_EQ(rates.size(), 2U);
  for (double rate : rates) {
    EXPECT_NEAR(rate, 200e3, 0.15 * 200e3);
  }
  // The same frames with the previous settings: libvpx's realtime VBR runs far over its target.
  const auto legacy = b.dir() / "legacy.webm";
  const CommandResult l =
      Render(b.dir(), legacy, "--size 320x180 --bitrate 200k --encoder-profile legacy");
  ASSERT_EQ(l.exit_code, 0) << l.output;
  const std::vector<double> legacy_rates = WindowRates(VideoPackets(legacy), 10);
  ASSERT_EQ(legacy_rates.size(), 2U);
  EXPECT_GT(std::max(legacy_rates[0], legacy_rates[1]), 1.15 * 200e3);
}

TEST(RenderRate, KeyframeOnASlideChangeNotOnAChatLine) {
  BundleBuilder b;
  WriteColourPdf(b.dir() / "assets" / "slides.pdf", {0xff0000, 0x0000ff, 0x00ff00});
  b.ColourVideo("cam-a", "yellow", 7);
  b.Event(0, "participant.join", Join("a", "Ada", "host"))
      .Event(0, "track.publish", Publish("cam-a", "a", "video", "camera"))
      .Event(0, "presentation.show", {{"asset", "slides.pdf"}, {"page", 1}})
      .Event(2.5, "presentation.show", {{"asset", "slides.pdf"}, {"page", 2}})
      .Event(3.5, "chat.message", {{"from", "a"}, {"text", "a chat line in the side bar"}})
      .Event(4.5, "presentation.show", {{"asset", "slides.pdf"}, {"page", 3}})
      .Event(7, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  const CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(KeyTimes(VideoPackets(out)), ::testing::ElementsAre(0.0, 2.5, 4.5));
  // Without scene keyframes libvpx keeps its clock: nothing at the first slide change.
  const auto clock = b.dir() / "clock.webm";
  const CommandResult l = Render(b.dir(), clock, "--no-scene-keyframes");
  ASSERT_EQ(l.exit_code, 0) << l.output;
  EXPECT_THAT(KeyTimes(VideoPackets(clock)), ::testing::Not(::testing::Contains(2.5)));
}

TEST(RenderRate, BadEncoderSettingsAreRefusedByName) {
  BundleBuilder b;
  b.Event(0, "participant.join", Join("a", "Ada", "host")).Event(1, "session.end").Write();
  const auto out = b.dir() / "out.webm";
  CommandResult r = Render(b.dir(), out, "--bitrate fast");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("--bitrate: bitrate 'fast' must be a number of bits per second"));
  r = Render(b.dir(), out, "--bitrate 10k");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("out of range (50k to 50M)"));
  r = Render(b.dir(), out, "--encoder-profile fancy");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("unknown encoder profile 'fancy'"));
  r = Render(b.dir(), out, "--encoder-option cpu-used");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("'cpu-used' must be KEY=VALUE"));
  r = Render(b.dir(), out, "--encoder-option no-such=1");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("unknown encoder option 'no-such'"));
  // A good bitrate is accepted and reported.
  r = Render(b.dir(), out, "--bitrate 1.2M --bench-report '" + (b.dir() / "r.json").string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto report = nlohmann::json::parse(std::ifstream(b.dir() / "r.json"));
  EXPECT_EQ(report.at("video_bitrate_bps"), 1200000);
}

} // namespace
} // namespace ssr::test
