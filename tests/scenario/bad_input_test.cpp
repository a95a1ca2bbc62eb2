// Bad input never crashes a render: a broken bundle is a clear error naming the file and
// line; a broken reference or track file is a warning naming it, and the rest is rendered.

#include "../support/output_probe.h"
#include "bundle_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace ssr::test {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// A crash (signal) shows as a negative exit code from Run; errors must be a clean exit 1 or 2.
void ExpectCleanFailure(const CommandResult& r) {
  EXPECT_TRUE(r.exit_code == 1 || r.exit_code == 2) << "exit " << r.exit_code << "\n" << r.output;
}

TEST(BadInput, MissingSessionJson) {
  BundleBuilder b;
  b.OmitSession();
  b.Event(0, "session.end").Write();
  CommandResult r = Render(b.dir(), b.dir() / "out.webm");
  ExpectCleanFailure(r);
  EXPECT_THAT(r.output, HasSubstr("session.json"));
}

TEST(BadInput, SessionJsonWithoutTitle) {
  BundleBuilder b;
  b.Event(0, "session.end").Write();
  b.WriteFile("session.json", R"({"id": "x"})");
  CommandResult r = Render(b.dir(), b.dir() / "out.webm");
  ExpectCleanFailure(r);
  EXPECT_THAT(r.output, HasSubstr("session.json"));
  EXPECT_THAT(r.output, HasSubstr("title"));
}

TEST(BadInput, MissingEventsJsonl) {
  BundleBuilder b;
  b.Write();
  std::filesystem::remove(b.dir() / "events.jsonl");
  CommandResult r = Render(b.dir(), b.dir() / "out.webm");
  ExpectCleanFailure(r);
  EXPECT_THAT(r.output, HasSubstr("events.jsonl"));
}

TEST(BadInput, LineThatIsNotJsonNamesItsLine) {
  BundleBuilder b;
  b.Event(0, "participant.join", Join("a", "Name a"))
      .Event(1, "notes.update", {{"text", "ok"}})
      .RawLine("{\"t\": 2, \"type\": \"chat.message\", \"from\": \"a\"")
      .Write();
  CommandResult r = Render(b.dir(), b.dir() / "out.webm");
  ExpectCleanFailure(r);
  EXPECT_THAT(r.output, HasSubstr("events.jsonl:3:"));
  EXPECT_FALSE(std::filesystem::exists(b.dir() / "out.webm"));
}

TEST(BadInput, MissingRequiredFieldNamesLineAndField) {
  BundleBuilder b;
  b.Event(0, "participant.join", Join("a", "Name a"))
      .Event(1, "chat.message", {{"from", "a"}})
      .Write();
  CommandResult r = Render(b.dir(), b.dir() / "out.webm");
  ExpectCleanFailure(r);
  EXPECT_THAT(r.output, HasSubstr("events.jsonl:2:"));
  EXPECT_THAT(r.output, HasSubstr("text"));
}

TEST(BadInput, WrongFieldTypeNamesLineAndField) {
  BundleBuilder b;
  b.Event(0, "participant.join", Join("a", "Name a"))
      .Event(0, "track.publish",
             {{"track", "m"}, {"participant", "a"}, {"kind", "audio"}, {"source", "microphone"}})
      .Event(1, "track.mute", {{"track", "m"}, {"muted", "yes"}})
      .Write();
  CommandResult r = Render(b.dir(), b.dir() / "out.webm");
  ExpectCleanFailure(r);
  EXPECT_THAT(r.output, HasSubstr("events.jsonl:3:"));
  EXPECT_THAT(r.output, HasSubstr("muted"));
}

TEST(BadInput, TimeGoingBackwardsNamesLine) {
  BundleBuilder b;
  b.Event(0, "participant.join", Join("a", "Name a")).Event(5, "notes.update", {{"text", "a"}});
  b.Event(2, "notes.update", {{"text", "b"}}).Write();
  CommandResult r = Render(b.dir(), b.dir() / "out.webm");
  ExpectCleanFailure(r);
  EXPECT_THAT(r.output, HasSubstr("events.jsonl:3:"));
}

TEST(BadInput, UnknownParticipantAndTrackAreWarningsNamingTheLine) {
  BundleBuilder b;
  b.Event(0, "participant.join", Join("a", "Name a"))
      .Event(1, "chat.message", {{"from", "ghost"}, {"text", "boo"}})
      .Event(1.5, "track.mute", {{"track", "nope"}, {"muted", true}})
      .Event(2, "chat.message", {{"from", "a"}, {"text", "real"}})
      .Event(2.5, "some.future.event", {{"x", 1}})
      .Event(3, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("events.jsonl:2:"));
  EXPECT_THAT(r.output, HasSubstr("ghost"));
  EXPECT_THAT(r.output, HasSubstr("events.jsonl:3:"));
  EXPECT_THAT(r.output, HasSubstr("nope"));
  EXPECT_THAT(r.output, HasSubstr("events.jsonl:5:")); // unknown type: forward compatible
  OutputProbe probe(out.string());
  ASSERT_EQ(probe.cues.size(), 1U);
  EXPECT_EQ(probe.cues[0].text, "<v Name a>real");
}

TEST(BadInput, MissingCorruptAndTruncatedTracksWarnAndRenderTheRest) {
  BundleBuilder b;
  b.ColourVideo("cam-ok", "red", 4);
  // Corrupt: bytes that are no media format at all.
  std::string noise(50000, '\0');
  std::mt19937 rng(7);
  for (char& c : noise) {
    c = static_cast<char>(rng());
  }
  b.WriteFile("tracks/cam-corrupt.webm", noise);
  // Truncated: the first half of a real file.
  const std::string cut = "ffmpeg -loglevel error -y -f lavfi -i testsrc2=s=320x180:r=30:d=4 "
                          "-c:v libvpx -deadline realtime -cpu-used 8 -b:v 400k '" +
                          (b.dir() / "full.webm").string() + "'";
  ASSERT_EQ(RunCommand(cut).exit_code, 0);
  {
    std::ifstream in(b.dir() / "full.webm", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    b.WriteFile("tracks/cam-cut.webm", bytes.substr(0, bytes.size() / 2));
  }
  b.Tone("mic-ok", 440, 4);
  b.WriteFile("tracks/mic-corrupt.ogg", "OggS but not really");
  b.Event(0, "participant.join", Join("a", "Name a"))
      .Event(0, "participant.join", Join("b", "Name b"))
      .Event(0, "participant.join", Join("c", "Name c"))
      .Event(0, "participant.join", Join("d", "Name d"))
      .Event(0, "track.publish",
             {{"track", "cam-ok"}, {"participant", "a"}, {"kind", "video"}, {"source", "camera"}})
      .Event(
          0, "track.publish",
          {{"track", "cam-missing"}, {"participant", "b"}, {"kind", "video"}, {"source", "camera"}})
      .Event(
          0, "track.publish",
          {{"track", "cam-corrupt"}, {"participant", "c"}, {"kind", "video"}, {"source", "camera"}})
      .Event(0, "track.publish",
             {{"track", "cam-cut"}, {"participant", "d"}, {"kind", "video"}, {"source", "camera"}})
      .Event(
          0, "track.publish",
          {{"track", "mic-ok"}, {"participant", "a"}, {"kind", "audio"}, {"source", "microphone"}})
      .Event(0, "track.publish",
             {{"track", "mic-corrupt"},
              {"participant", "c"},
              {"kind", "audio"},
              {"source", "microphone"}})
      .Event(4, "session.end")
      .Write();
  const auto out = b.dir() / "out.webm";
  CommandResult r = Render(b.dir(), out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("tracks/cam-missing"));
  EXPECT_THAT(r.output, HasSubstr("tracks/cam-corrupt.webm"));
  EXPECT_THAT(r.output, HasSubstr("tracks/cam-cut.webm"));
  EXPECT_THAT(r.output, HasSubstr("truncated"));
  EXPECT_THAT(r.output, HasSubstr("tracks/mic-corrupt.ogg"));
  OutputProbe probe(out.string());
  // Four tiles in a filmstrip row; the healthy camera (first tile) is there, audio too.
  EXPECT_GT(probe.ColourFraction(2.0, 0.07, 0.47, 0.13, 0.53, 0xff0000), 0.9);
  EXPECT_GT(probe.ToneLevel(440, 0.5, 3.5), 0.15);
  EXPECT_NEAR(probe.video_end_s, 4.0, 0.05);
}

TEST(BadInput, BadOptionsAndUnknownRoom) {
  BundleBuilder b;
  b.Event(0, "participant.join", Join("a", "Name a")).Event(1, "session.end").Write();
  CommandResult size = Render(b.dir(), b.dir() / "out.webm", "--size 12x");
  ExpectCleanFailure(size);
  EXPECT_THAT(size.output, HasSubstr("--size"));
  CommandResult codec = Render(b.dir(), b.dir() / "out.webm", "--video-codec h264");
  ExpectCleanFailure(codec);
  EXPECT_THAT(codec.output, HasSubstr("h264"));
  CommandResult room = Render(b.dir(), b.dir() / "out.webm", "--room nowhere");
  ExpectCleanFailure(room);
  EXPECT_THAT(room.output, HasSubstr("nowhere"));
  CommandResult dir = Render(b.dir() / "absent", b.dir() / "out.webm");
  ExpectCleanFailure(dir);
  EXPECT_THAT(dir.output, HasSubstr("absent"));
}

} // namespace
} // namespace ssr::test
