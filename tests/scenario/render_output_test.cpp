// Scenario tests: small bundles rendered by the ssr binary, the output read back and checked
// (streams, duration, pixels of tiles, tones in the mix, chat cues).

#include "../support/output_probe.h"
#include "bundle_builder.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace ssr::test {
namespace {

using nlohmann::json;

constexpr uint32_t kRed = 0xff0000;
constexpr uint32_t kBlue = 0x0000ff;
constexpr uint32_t kGreen = 0x00ff00;

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(RenderOutput, StreamsAreVp9OpusWebvttAndDurationMatchesLastEvent) {
  BundleBuilder b;
  b.ColourVideo("cam-a", "red", 3);
  b.Tone("mic-a", 440, 3);
  b.Event(0, "participant.join", Join("a", "Ada", "host"))
      .Event(0.5, "track.publish", Publish("cam-a", "a", "video", "camera"))
      .Event(0.5, "track.publish", Publish("mic-a", "a", "audio", "microphone"))
      .Event(1, "chat.message", {{"from", "a"}, {"text", "hi"}})
      .Event(4.2, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  OutputProbe probe(out.string());
  ASSERT_EQ(probe.streams.size(), 3U);
  EXPECT_EQ(probe.streams[0].codec, "vp9");
  EXPECT_EQ(probe.streams[1].codec, "opus");
  EXPECT_EQ(probe.streams[2].type, "subtitle");
  EXPECT_EQ(probe.streams[2].codec, "webvtt");
  EXPECT_NEAR(probe.video_end_s, 4.2, 1.0 / 30 + 1e-3);
  EXPECT_NEAR(probe.duration_s, 4.2, 1.0 / 30 + 0.021); // Opus ends on a 20 ms boundary
  EXPECT_EQ(probe.video_frames, 126);
  // The WebM is a real Matroska "webm" doctype with a D_WEBVTT track (not S_TEXT).
  const std::string bytes = ReadFile(out);
  EXPECT_NE(bytes.find("D_WEBVTT/SUBTITLES"), std::string::npos);
  EXPECT_NE(bytes.find("webm"), std::string::npos);
}

TEST(RenderOutput, Vp8OnRequest) {
  BundleBuilder b;
  b.ColourVideo("cam-a", "blue", 2);
  b.Event(0, "participant.join", Join("a", "Ada", "host"))
      .Event(0, "track.publish", Publish("cam-a", "a", "video", "camera"))
      .Event(2, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  CommandResult r = Render(b.dir(), out, "--video-codec vp8 --fps 25");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  OutputProbe probe(out.string());
  EXPECT_EQ(probe.streams[0].codec, "vp8");
  EXPECT_EQ(probe.video_frames, 50);
  EXPECT_GT(probe.ColourFraction(1.0, 0.25, 0.4, 0.5, 0.6, kBlue, 60), 0.9);
}

TEST(RenderOutput, WebcamColourOnlyWhilePublished) {
  BundleBuilder b;
  b.ColourVideo("cam-a", "red", 5);
  b.Event(0, "participant.join", Join("a", "Ada", "host"))
      .Event(1, "track.publish", Publish("cam-a", "a", "video", "camera"))
      .Event(3, "track.unpublish", {{"track", "cam-a"}})
      .Event(5, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  ASSERT_EQ(Render(b.dir(), out).exit_code, 0);
  OutputProbe probe(out.string());
  // The single tile fills the main area (left 75 %); its centre is about (0.375, 0.5).
  EXPECT_LT(probe.ColourFraction(0.5, 0.25, 0.4, 0.5, 0.6, kRed), 0.2);
  EXPECT_GT(probe.ColourFraction(1.2, 0.25, 0.4, 0.5, 0.6, kRed), 0.9);
  EXPECT_GT(probe.ColourFraction(2.8, 0.25, 0.4, 0.5, 0.6, kRed), 0.9);
  EXPECT_LT(probe.ColourFraction(3.2, 0.25, 0.4, 0.5, 0.6, kRed), 0.2);
  // Never inside the side bar.
  EXPECT_LT(probe.ColourFraction(2.0, 0.76, 0.0, 1.0, 1.0, kRed), 0.01);
}

TEST(RenderOutput, EachParticipantInOwnTileAndMutedCameraShowsCard) {
  BundleBuilder b;
  b.ColourVideo("cam-a", "red", 4);
  b.ColourVideo("cam-b", "blue", 4);
  b.Event(0, "participant.join", Join("a", "Ada", "host"))
      .Event(0, "participant.join", Join("b", "Bo", "attendee"))
      .Event(0, "track.publish", Publish("cam-a", "a", "video", "camera"))
      .Event(0, "track.publish", Publish("cam-b", "b", "video", "camera"))
      .Event(2, "track.mute", {{"track", "cam-b"}, {"muted", true}})
      .Event(3, "track.mute", {{"track", "cam-b"}, {"muted", false}})
      .Event(4, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  ASSERT_EQ(Render(b.dir(), out).exit_code, 0);
  OutputProbe probe(out.string());
  // Filmstrip of two tiles in the 480 px main area: centres near x = 0.19 and x = 0.56.
  EXPECT_GT(probe.ColourFraction(1.0, 0.12, 0.45, 0.26, 0.55, kRed), 0.9);
  EXPECT_GT(probe.ColourFraction(1.0, 0.48, 0.45, 0.62, 0.55, kBlue), 0.9);
  EXPECT_LT(probe.ColourFraction(1.0, 0.12, 0.45, 0.26, 0.55, kBlue), 0.01);
  EXPECT_LT(probe.ColourFraction(2.5, 0.40, 0.35, 0.70, 0.65, kBlue), 0.05); // name card
  EXPECT_GT(probe.ColourFraction(2.5, 0.12, 0.45, 0.26, 0.55, kRed), 0.9);
  EXPECT_GT(probe.ColourFraction(3.5, 0.48, 0.45, 0.62, 0.55, kBlue), 0.9);
}

TEST(RenderOutput, GridAndFilmstripAndMinimizedSidebar) {
  BundleBuilder b;
  b.ColourVideo("cam-a", "red", 6);
  b.Event(0, "participant.join", Join("a", "Ada", "host"));
  for (const char* id : {"b", "c", "d"}) {
    b.Event(0, "participant.join", Join(id, std::string("P") + id, "presenter"));
  }
  b.Event(0, "track.publish", Publish("cam-a", "a", "video", "camera"))
      .Event(2, "layout", {{"webcams", "grid"}})
      .Event(4, "layout", {{"sidebar", "minimized"}})
      .Event(6, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  ASSERT_EQ(Render(b.dir(), out).exit_code, 0);
  OutputProbe probe(out.string());
  // Filmstrip: four small tiles in one row, vertically centred; Ada's is the first.
  EXPECT_GT(probe.ColourFraction(1.0, 0.07, 0.47, 0.13, 0.53, kRed), 0.9);
  EXPECT_LT(probe.ColourFraction(1.0, 0.15, 0.25, 0.23, 0.36, kRed), 0.05);
  // Grid: 2 x 2, Ada's tile top left.
  EXPECT_GT(probe.ColourFraction(3.0, 0.15, 0.25, 0.23, 0.36, kRed), 0.9);
  EXPECT_LT(probe.ColourFraction(3.0, 0.07, 0.47, 0.13, 0.53, kRed), 0.5);
  // Side bar open: the right quarter is the light side bar; minimized: the grid spreads.
  EXPECT_GT(probe.ColourFraction(3.0, 0.80, 0.05, 0.95, 0.2, 0xf3f4f7, 12), 0.5);
  EXPECT_LT(probe.ColourFraction(5.0, 0.80, 0.05, 0.95, 0.2, 0xf3f4f7, 12), 0.05);
}

TEST(RenderOutput, ToneInMixOnlyWhilePublishedAndUnmuted) {
  BundleBuilder ordered;
  ordered.Tone("mic-a", 440, 5);
  ordered.Tone("mic-b", 1000, 5);
  ordered.Event(0, "participant.join", Join("a", "Ada", "host"))
      .Event(0, "participant.join", Join("b", "Bo", "attendee"))
      .Event(0.5, "track.publish", Publish("mic-a", "a", "audio", "microphone"))
      .Event(1, "track.publish", Publish("mic-b", "b", "audio", "microphone"))
      .Event(2, "track.mute", {{"track", "mic-a"}, {"muted", true}})
      .Event(3, "track.mute", {{"track", "mic-a"}, {"muted", false}})
      .Event(4, "track.unpublish", {{"track", "mic-a"}})
      .Event(5.5, "session.end")
      .Write();
  const auto out = ordered.dir() / "out.webm";
  ASSERT_EQ(Render(ordered.dir(), out).exit_code, 0);
  OutputProbe probe(out.string());
  const double on = 0.15; // the tone's amplitude is 0.3; Opus keeps most of it
  const double off = 0.01;
  EXPECT_LT(probe.ToneLevel(440, 0.0, 0.45), off);
  EXPECT_GT(probe.ToneLevel(440, 0.6, 1.9), on);
  EXPECT_LT(probe.ToneLevel(440, 2.1, 2.9), off);
  EXPECT_GT(probe.ToneLevel(440, 3.1, 3.9), on);
  EXPECT_LT(probe.ToneLevel(440, 4.1, 5.4), off);
  EXPECT_LT(probe.ToneLevel(1000, 0.0, 0.95), off);
  EXPECT_GT(probe.ToneLevel(1000, 1.1, 5.4), on);
}

TEST(RenderOutput, LoudMixIsLimitedNotClipped) {
  BundleBuilder b;
  b.Tone("mic-a", 300, 3, 0.9);
  b.Tone("mic-b", 500, 3, 0.9);
  b.Event(0, "participant.join", Join("a", "Ada", "host"))
      .Event(0, "participant.join", Join("b", "Bo", "host"))
      .Event(0, "track.publish", Publish("mic-a", "a", "audio", "microphone"))
      .Event(0, "track.publish", Publish("mic-b", "b", "audio", "microphone"))
      .Event(3, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  ASSERT_EQ(Render(b.dir(), out).exit_code, 0);
  OutputProbe probe(out.string());
  EXPECT_EQ(probe.FullScaleSamples(), 0);
  EXPECT_LT(probe.Peak(), 1.0);
  EXPECT_GT(probe.ToneLevel(300, 0.5, 2.5), 0.2); // both voices still there
  EXPECT_GT(probe.ToneLevel(500, 0.5, 2.5), 0.2);
}

TEST(RenderOutput, ChatCuesHaveSpeakerTextAndTime) {
  BundleBuilder b;
  b.Event(0, "participant.join", Join("a", "Ada <Lovelace>", "host"))
      .Event(0, "participant.join", Join("b", "ليلى", "attendee"))
      .Event(1.25, "chat.message", {{"from", "a"}, {"text", "Welcome & hello"}})
      .Event(2.5, "chat.message", {{"from", "b"}, {"text", "secret"}, {"to", "a"}})
      .Event(3.04, "chat.message", {{"from", "b"}, {"text", "مرحبا 🎉 你好"}})
      .Event(4, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  ASSERT_EQ(Render(b.dir(), out).exit_code, 0);
  OutputProbe probe(out.string());
  ASSERT_EQ(probe.cues.size(), 2U); // the private message is never recorded
  EXPECT_NEAR(probe.cues[0].start_s, 1.25, 0.05);
  EXPECT_EQ(probe.cues[0].text, "<v Ada &lt;Lovelace&gt;>Welcome &amp; hello");
  EXPECT_NEAR(probe.cues[1].start_s, 3.04, 0.05);
  EXPECT_EQ(probe.cues[1].text, "<v ليلى>مرحبا 🎉 你好");
  EXPECT_NEAR(probe.cues[1].end_s, 4.0, 0.05); // clipped to the end of the recording
  const std::string vtt = ReadFile(b.dir() / "out.vtt");
  EXPECT_EQ(vtt.rfind("WEBVTT\n", 0), 0U);
  EXPECT_NE(vtt.find("00:00:01.250 --> 00:00:04.000\n<v Ada &lt;Lovelace&gt;>Welcome &amp; hello"),
            std::string::npos);
  EXPECT_NE(vtt.find("00:00:03.040 --> 00:00:04.000\n<v ليلى>مرحبا 🎉 你好"), std::string::npos);
  EXPECT_EQ(vtt.find("secret"), std::string::npos);
}

TEST(RenderOutput, OnlyTheChosenRoom) {
  BundleBuilder b;
  b.ColourVideo("cam-a", "red", 6);
  b.ColourVideo("cam-c", "lime", 4);
  b.Tone("mic-c", 700, 4);
  b.Event(0, "participant.join", Join("a", "Ada", "host"))
      .Event(0, "participant.join", Join("c", "Cy", "attendee"))
      .Event(0, "track.publish", Publish("cam-a", "a", "video", "camera"))
      .Event(1, "room.open", {{"id", "br1"}, {"name", "Group 1"}})
      .Event(1, "participant.move", {{"id", "c"}, {"to", "br1"}})
      .Event(1.5, "track.publish",
             {{"track", "cam-c"},
              {"participant", "c"},
              {"kind", "video"},
              {"source", "camera"},
              {"room", "br1"}})
      .Event(1.5, "track.publish",
             {{"track", "mic-c"},
              {"participant", "c"},
              {"kind", "audio"},
              {"source", "microphone"},
              {"room", "br1"}})
      .Event(2, "chat.message", {{"from", "c"}, {"text", "in the breakout"}, {"room", "br1"}})
      .Event(5, "room.close", {{"id", "br1"}})
      .Event(6, "session.end")
      .Write();
  const auto main_out = b.dir() / "main.webm";
  ASSERT_EQ(Render(b.dir(), main_out).exit_code, 0);
  OutputProbe main(main_out.string());
  for (double t : {0.5, 2.0, 3.0, 4.5}) {
    EXPECT_LT(main.ColourFraction(t, 0, 0, 0.75, 1, kGreen, 60), 0.01) << "t=" << t;
  }
  EXPECT_LT(main.ToneLevel(700, 1.6, 4.9), 0.01);
  EXPECT_TRUE(main.cues.empty());

  const auto room_out = b.dir() / "br1.webm";
  CommandResult r = Render(b.dir(), room_out, "--room br1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  OutputProbe room(room_out.string());
  EXPECT_NEAR(room.video_end_s, 4.0, 0.05); // from room.open (1 s) to room.close (5 s)
  EXPECT_GT(room.ColourFraction(2.0, 0.25, 0.4, 0.5, 0.6, kGreen, 60), 0.9); // t = 3 s
  EXPECT_LT(room.ColourFraction(2.0, 0, 0, 0.75, 1, kRed), 0.01);
  EXPECT_GT(room.ToneLevel(700, 0.7, 3.8), 0.15);
  ASSERT_EQ(room.cues.size(), 1U);
  EXPECT_NEAR(room.cues[0].start_s, 1.0, 0.05);
}

} // namespace
} // namespace ssr::test
