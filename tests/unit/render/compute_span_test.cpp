// Where `ssr render` starts and ends a room (render::ComputeSpan): main from 0, a breakout room
// from its room.open to its room.close; the end is the last event or the end of the room's
// track media, whichever is later, a track cut short by its track.unpublish. The track files
// are WAV files of a known length (libavformat probes them exactly).

#include "render/offline_renderer.h"

#include "events/event_parser.h"

#include "../../support/temp_dir.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace ssr::render {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void PutLittleEndian(std::ofstream& out, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i)
    out.put(static_cast<char>((value >> (8 * i)) & 0xff));
}

// tracks/ID.wav: `seconds` of silence, 48 kHz mono 16-bit PCM.
void SilentWav(const fs::path& bundle, const std::string& track, double seconds) {
  fs::create_directories(bundle / "tracks");
  constexpr uint32_t kRate = 48000;
  const uint32_t data_bytes = static_cast<uint32_t>(seconds * kRate) * 2;
  std::ofstream out(bundle / "tracks" / (track + ".wav"), std::ios::binary);
  out << "RIFF";
  PutLittleEndian(out, 36 + data_bytes, 4);
  out << "WAVEfmt ";
  PutLittleEndian(out, 16, 4);        // fmt chunk size
  PutLittleEndian(out, 1, 2);         // PCM
  PutLittleEndian(out, 1, 2);         // mono
  PutLittleEndian(out, kRate, 4);     // sample rate
  PutLittleEndian(out, kRate * 2, 4); // bytes per second
  PutLittleEndian(out, 2, 2);         // block align
  PutLittleEndian(out, 16, 2);        // bits per sample
  out << "data";
  PutLittleEndian(out, data_bytes, 4);
  out << std::string(data_bytes, '\0');
}

// A bundle held in memory; only its track files are on disk (in `dir_`). Public, so that the
// builders chain.
class Span : public ::testing::Test {
 public:
  Span() { bundle_.dir = dir_.path(); }

  Span& Add(double t, const std::string& type, json fields = json::object()) {
    fields["t"] = t;
    fields["type"] = type;
    bundle_.events.push_back(events::ParseEvent(fields));
    return *this;
  }
  Span& Join(double t, const std::string& id) {
    return Add(t, "participant.join", {{"id", id}, {"name", id}, {"role", "host"}});
  }
  Span& Publish(double t, const std::string& track, const std::string& room = "main") {
    return Add(t, "track.publish",
               {{"track", track},
                {"participant", "p1"},
                {"kind", "audio"},
                {"source", "microphone"},
                {"room", room}});
  }
  Span& Chat(double t, const std::string& room = "main") {
    return Add(t, "chat.message", {{"from", "p1"}, {"text", "hello"}, {"room", room}});
  }

  test::TempDir dir_;
  events::Bundle bundle_;
};

TEST_F(Span, MainEndsAtTheLastEventWhenThereIsNoMedia) {
  Join(0, "p1").Chat(2).Chat(4.5);
  const RenderSpan span = ComputeSpan(bundle_, "main");
  EXPECT_EQ(span.start_t, 0);
  EXPECT_EQ(span.end_t, 4.5);
}

TEST_F(Span, TrackMediaPastTheLastEventExtendsTheEnd) {
  Join(0, "p1").Publish(1, "mic").Chat(2);
  SilentWav(dir_, "mic", 5);
  EXPECT_NEAR(ComputeSpan(bundle_, "main").end_t, 6.0, 0.01); // published at 1, 5 s long
}

TEST_F(Span, EventsPastTheMediaKeepTheirEnd) {
  Join(0, "p1").Publish(1, "mic").Chat(9);
  SilentWav(dir_, "mic", 2);
  EXPECT_EQ(ComputeSpan(bundle_, "main").end_t, 9);
}

TEST_F(Span, AnUnpublishCutsTheTracksMedia) {
  Join(0, "p1").Publish(1, "mic").Add(2, "track.unpublish", {{"track", "mic"}}).Chat(3);
  SilentWav(dir_, "mic", 5);
  EXPECT_EQ(ComputeSpan(bundle_, "main").end_t, 3); // not 6: the media after t = 2 is not shown
}

TEST_F(Span, ATrackWithoutAFileDoesNotCount) {
  Join(0, "p1").Publish(1, "mic").Chat(2);
  EXPECT_EQ(ComputeSpan(bundle_, "main").end_t, 2);
  fs::create_directories(dir_ / "tracks");
  std::ofstream(dir_ / "tracks" / "mic.wav") << "not a wav file";
  EXPECT_EQ(ComputeSpan(bundle_, "main").end_t, 2);
}

TEST_F(Span, ABreakoutRoomRunsFromItsOpenToItsClose) {
  Join(0, "p1")
      .Add(2, "room.open", {{"id", "b1"}, {"name", "Group 1"}})
      .Publish(2.5, "cam-b", "b1")
      .Add(5, "room.close", {{"id", "b1"}})
      .Chat(8);
  SilentWav(dir_, "cam-b", 10);
  const RenderSpan breakout = ComputeSpan(bundle_, "b1");
  EXPECT_EQ(breakout.start_t, 2);
  EXPECT_EQ(breakout.end_t, 5); // not 12.5 (its media) nor 8 (the last event)
  // The breakout room's track is not main's, and its close does not end main.
  const RenderSpan main = ComputeSpan(bundle_, "main");
  EXPECT_EQ(main.start_t, 0);
  EXPECT_EQ(main.end_t, 8);
}

TEST_F(Span, ABreakoutRoomStillOpenEndsWithItsMedia) {
  Join(0, "p1")
      .Add(1, "room.open", {{"id", "b1"}, {"name", "Group 1"}})
      .Publish(1.5, "mic-b", "b1");
  SilentWav(dir_, "mic-b", 4);
  const RenderSpan span = ComputeSpan(bundle_, "b1");
  EXPECT_EQ(span.start_t, 1);
  EXPECT_NEAR(span.end_t, 5.5, 0.01);
}

TEST_F(Span, ARoomThatIsNeverOpenedIsABundleError) {
  Join(0, "p1").Add(1, "room.open", {{"id", "b1"}, {"name", "Group 1"}});
  try {
    ComputeSpan(bundle_, "b2");
    FAIL() << "no BundleError for a room that is never opened";
  } catch (const events::BundleError& e) {
    EXPECT_STREQ(e.what(), "events.jsonl: room 'b2' is never opened");
  }
}

} // namespace
} // namespace ssr::render
