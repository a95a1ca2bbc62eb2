#include "record/chapter_cues.h"

#include "events/event_parser.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ssr::record {
namespace {

using nlohmann::json;

events::Event E(double t, const std::string& type, json fields = json::object()) {
  fields["t"] = t;
  fields["type"] = type;
  return events::ParseEvent(fields);
}

// "start-end title" per cue, times in milliseconds.
std::vector<std::string> Lines(const std::vector<ChapterCue>& cues) {
  std::vector<std::string> out;
  for (const ChapterCue& c : cues) {
    out.push_back(std::to_string(static_cast<int>(c.start_s * 1000 + 0.5)) + "-" +
                  std::to_string(static_cast<int>(c.end_s * 1000 + 0.5)) + " " + c.title);
  }
  return out;
}

// A class: Ann hosts, Bo presents; a breakout room; slides, a document, a screen share, the
// noteboard and the whiteboard.
std::vector<events::Event> Class() {
  return {
      E(0, "participant.join", {{"id", "h1"}, {"name", "Ann"}, {"role", "host"}}),
      E(0, "participant.join", {{"id", "p1"}, {"name", "Bo"}, {"role", "presenter"}}),
      E(1, "room.open", {{"id", "b1"}, {"name", "Group A"}}),
      E(2, "presentation.show", {{"asset", "deck.pdf"}}),
      E(12, "presentation.show", {{"asset", "deck.pdf"}, {"page", 2}}),
      E(12, "annotation.add",
        {{"id", "a"},
         {"shape", "pen"},
         {"color", "#ff0000"},
         {"width", 0.01},
         {"points", json::array({json::array({0.1, 0.1}), json::array({0.2, 0.2})})}}),
      E(15.5, "presentation.show", {{"asset", "deck.pdf"}, {"page", 2}}), // no change
      E(20, "document.show", {{"asset", "notes.pdf"}, {"page", 3}}),
      E(25, "track.publish",
        {{"track", "s1"}, {"participant", "p1"}, {"kind", "video"}, {"source", "screen"}}),
      E(25.25, "screenshare.start", {{"track", "s1"}}),
      E(30, "noteboard.update", {{"text", "Homework"}}),
      E(31, "noteboard.update", {{"text", "Homework: p. 12"}}), // still the noteboard
      E(33, "whiteboard.add",
        {{"id", "w1"},
         {"shape", "line"},
         {"color", "#000000"},
         {"width", 0.01},
         {"points", json::array({json::array({0.1, 0.1}), json::array({0.2, 0.2})})}}),
      E(34, "whiteboard.add",
        {{"id", "w2"},
         {"shape", "line"},
         {"color", "#000000"},
         {"width", 0.01},
         {"points", json::array({json::array({0.1, 0.1}), json::array({0.3, 0.2})})}}),
      E(36, "participant.move", {{"id", "p1"}, {"to", "b1"}}), // not a host: no chapter
      E(40, "participant.move", {{"id", "h1"}, {"to", "b1"}}),
      E(41, "presentation.show", {{"room", "b1"}, {"asset", "other.pdf"}}), // another room
      E(45, "participant.move", {{"id", "h1"}, {"to", "main"}}),
      E(50, "presentation.show", {{"asset", "deck.pdf"}, {"page", 5}}),
  };
}

TEST(ChapterCuesTest, AWholePartHasAChapterPerChangeOfWhatItShows) {
  EXPECT_EQ(Lines(ChapterCues(Class(), "main", 0, 48)),
            (std::vector<std::string>{
                "0-2000 Start",
                "2000-12000 Slide 1 · deck.pdf",
                "12000-20000 Slide 2 · deck.pdf",
                "20000-25250 Page 3 · notes.pdf",
                "25250-30000 Screen share · Bo",
                "30000-33000 Noteboard",
                "33000-40000 Whiteboard",
                "40000-45000 Ann moved to Group A",
                "45000-48000 Ann is back in the main room",
            }));
}

TEST(ChapterCuesTest, TimesAreRelativeToTheStartOfThePart) {
  // Part 2 of a recording: session time 11.5 to 26; the slide shown before it is its start.
  EXPECT_EQ(
      Lines(ChapterCues(Class(), "main", 11.5, 26)),
      (std::vector<std::string>{"0-500 Start", "500-8500 Slide 2 · deck.pdf",
                                "8500-13750 Page 3 · notes.pdf", "13750-14500 Screen share · Bo"}));
  // An event at the part's very start belongs to "Start"; one at its end to the next part.
  EXPECT_EQ(Lines(ChapterCues(Class(), "main", 12, 20)),
            (std::vector<std::string>{"0-8000 Start"}));
}

TEST(ChapterCuesTest, ABreakoutRoomHasItsOwnChaptersAndNoHostMoves) {
  EXPECT_EQ(Lines(ChapterCues(Class(), "b1", 1, 48)),
            (std::vector<std::string>{"0-40000 Start", "40000-47000 Slide 1 · other.pdf"}));
}

TEST(ChapterCuesTest, ChangesAtOneInstantMakeOneChapterNamedByTheLast) {
  const std::vector<events::Event> events = {
      E(0, "participant.join", {{"id", "h1"}, {"name", "Ann"}, {"role", "host"}}),
      E(5, "presentation.show", {{"asset", "a.pdf"}}),
      E(5, "presentation.show", {{"asset", "a.pdf"}, {"page", 4}}),
  };
  EXPECT_EQ(Lines(ChapterCues(events, "main", 0, 10)),
            (std::vector<std::string>{"0-5000 Start", "5000-10000 Slide 4 · a.pdf"}));
}

TEST(ChapterCuesTest, AChangeInThePartsFirstMomentsIsWhatItBeginsWith) {
  // The slide was sent with the request to record, stamped 2 ms after the recorder started.
  const std::vector<events::Event> events = {
      E(0, "participant.join", {{"id", "h1"}, {"name", "Ann"}, {"role", "host"}}),
      E(1.002, "presentation.show", {{"asset", "a.pdf"}}),
      E(2.5, "presentation.show", {{"asset", "a.pdf"}, {"page", 2}}),
  };
  EXPECT_EQ(Lines(ChapterCues(events, "main", 1, 4)),
            (std::vector<std::string>{"0-1500 Start", "1500-3000 Slide 2 · a.pdf"}));
}

TEST(ChapterCuesTest, AnEmptyPartHasNoChapters) {
  EXPECT_TRUE(ChapterCues(Class(), "main", 10, 10).empty());
}

TEST(ChapterCuesTest, TheVttFileNumbersTheCuesAndEscapesTitles) {
  const std::string vtt = ChaptersVtt({{0, 1.5, "Start"}, {1.5, 62.25, "Slide 2 · <b>&.pdf"}});
  EXPECT_EQ(vtt, "WEBVTT\n\n"
                 "1\n00:00:00.000 --> 00:00:01.500\nStart\n\n"
                 "2\n00:00:01.500 --> 00:01:02.250\nSlide 2 · &lt;b&gt;&amp;.pdf\n\n");
}

} // namespace
} // namespace ssr::record
