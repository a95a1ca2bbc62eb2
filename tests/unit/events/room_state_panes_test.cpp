// The reducer: layout, panes 1-4 and the side bar of a room, and their revision counters.

#include "events/event_parser.h"
#include "events/room_state.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ssr::events {
namespace {

// Applies JSON lines as if they were consecutive lines of events.jsonl. Starts with Ann
// (p1) and Bob (p2) in main, Bob with a camera and a screen track, and a room b1.
class Session {
 public:
  Session() {
    (*this)(R"({"t":0,"type":"participant.join","id":"p1","name":"Ann","role":"host"})");
    (*this)(R"({"t":0,"type":"participant.join","id":"p2","name":"Bob","role":"attendee"})");
    (*this)(
        R"({"t":0,"type":"track.publish","track":"cam2","participant":"p2","kind":"video","source":"camera"})");
    (*this)(
        R"({"t":0,"type":"track.publish","track":"screen2","participant":"p2","kind":"video","source":"screen"})");
    (*this)(
        R"({"t":0,"type":"track.publish","track":"mic2","participant":"p2","kind":"audio","source":"microphone"})");
    (*this)(R"({"t":0,"type":"room.open","id":"b1","name":"B1"})");
    start_ = Main().rev;
  }
  Session& operator()(const std::string& line) {
    state.Apply(ParseEventLine(line, ++line_), &warnings);
    return *this;
  }
  const RoomState& Main() const { return *state.Room("main"); }
  // How much each counter of main moved since the setup.
  Revisions Moved() const {
    const Revisions& now = Main().rev;
    return {now.layout - start_.layout, now.pane1 - start_.pane1, now.pane2 - start_.pane2,
            now.pane3 - start_.pane3,   now.pane4 - start_.pane4, now.sidebar - start_.sidebar};
  }
  int line() const { return line_; }

  SessionState state;
  std::vector<std::string> warnings;

 private:
  int line_ = 0;
  Revisions start_;
};

// Only the named counters moved, by the given amounts.
void ExpectMoved(const Revisions& moved, const Revisions& expected) {
  EXPECT_EQ(moved.layout, expected.layout) << "layout";
  EXPECT_EQ(moved.pane1, expected.pane1) << "pane1";
  EXPECT_EQ(moved.pane2, expected.pane2) << "pane2";
  EXPECT_EQ(moved.pane3, expected.pane3) << "pane3";
  EXPECT_EQ(moved.pane4, expected.pane4) << "pane4";
  EXPECT_EQ(moved.sidebar, expected.sidebar) << "sidebar";
}

Revisions Only(uint64_t Revisions::*counter, uint64_t by = 1) {
  Revisions r;
  r.*counter = by;
  return r;
}

TEST(RoomPanes, LayoutKeepsAbsentFields) {
  Session s;
  EXPECT_EQ(s.Main().layout.webcams, WebcamMode::kFilmstrip);
  EXPECT_EQ(s.Main().layout.maximized, 0);
  EXPECT_TRUE(s.Main().layout.sidebar_open);
  s(R"({"t":1,"type":"layout","webcams":"grid"})");
  s(R"({"t":2,"type":"layout","maximized":3})");
  s(R"({"t":3,"type":"layout","sidebar":"minimized"})");
  EXPECT_EQ(s.Main().layout.webcams, WebcamMode::kGrid);
  EXPECT_EQ(s.Main().layout.maximized, 3);
  EXPECT_FALSE(s.Main().layout.sidebar_open);
  ExpectMoved(s.Moved(), Only(&Revisions::layout, 3));
  s(R"({"t":4,"type":"layout"})"); // nothing changes
  s(R"({"t":5,"type":"layout","webcams":"grid","sidebar":"minimized"})");
  EXPECT_EQ(s.Moved().layout, 3u);
  s(R"({"t":6,"type":"layout","maximized":null,"sidebar":"open"})");
  EXPECT_EQ(s.Main().layout.maximized, 0);
  EXPECT_TRUE(s.Main().layout.sidebar_open);
  EXPECT_EQ(s.Main().layout.webcams, WebcamMode::kGrid);
  EXPECT_EQ(s.Moved().layout, 4u);
}

TEST(RoomPanes, LayoutIsPerRoom) {
  Session s;
  s(R"({"t":1,"type":"layout","room":"b1","maximized":2})");
  EXPECT_EQ(s.state.Room("b1")->layout.maximized, 2);
  EXPECT_EQ(s.Main().layout.maximized, 0);
  ExpectMoved(s.Moved(), {});
}

TEST(RoomPanes, EventsForAnUnknownRoomWarn) {
  Session s;
  s(R"({"t":1,"type":"whiteboard.clear","room":"zz"})");
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_EQ(s.warnings[0], "events.jsonl:7: whiteboard.clear: room 'zz' does not exist; ignored");
}

TEST(RoomPanes, MediaPlayPauseStop) {
  Session s;
  s(R"({"t":10,"type":"media.play","asset":"clip.webm"})");
  const MediaState& media = s.Main().media;
  EXPECT_EQ(media.asset, "clip.webm");
  EXPECT_TRUE(media.playing);
  EXPECT_DOUBLE_EQ(media.position, 0);
  EXPECT_DOUBLE_EQ(media.since_t, 10);
  EXPECT_DOUBLE_EQ(media.PositionAt(14), 4);
  s(R"({"t":15,"type":"media.pause"})");
  EXPECT_FALSE(s.Main().media.playing);
  EXPECT_DOUBLE_EQ(s.Main().media.position, 5);
  EXPECT_DOUBLE_EQ(s.Main().media.PositionAt(100), 5); // frozen
  s(R"({"t":16,"type":"media.pause"})");               // already paused: no change
  EXPECT_DOUBLE_EQ(s.Main().media.since_t, 15);
  s(R"({"t":20,"type":"media.play","asset":"clip.webm","position":5})");
  EXPECT_DOUBLE_EQ(s.Main().media.PositionAt(22), 7);
  ExpectMoved(s.Moved(), Only(&Revisions::pane1, 3));
  s(R"({"t":30,"type":"media.stop"})");
  EXPECT_EQ(s.Main().media.asset, "");
  EXPECT_FALSE(s.Main().media.playing);
  s(R"({"t":31,"type":"media.stop"})"); // nothing to stop
  ExpectMoved(s.Moved(), Only(&Revisions::pane1, 4));
  EXPECT_TRUE(s.warnings.empty());
}

TEST(RoomPanes, StreamStartStop) {
  Session s;
  s(R"({"t":3,"type":"stream.start","url":"https://example.org/live.m3u8"})");
  EXPECT_EQ(s.Main().stream.url, "https://example.org/live.m3u8");
  EXPECT_DOUBLE_EQ(s.Main().stream.started_t, 3);
  s(R"({"t":4,"type":"stream.stop"})");
  EXPECT_EQ(s.Main().stream.url, "");
  s(R"({"t":5,"type":"stream.stop"})");
  ExpectMoved(s.Moved(), Only(&Revisions::pane1, 2));
}

TEST(RoomPanes, PresentationDocumentAndScreenShare) {
  Session s;
  EXPECT_EQ(s.Main().pane2.kind, Pane2Kind::kNone);
  s(R"({"t":1,"type":"presentation.show","asset":"deck.pdf"})");
  EXPECT_EQ(s.Main().pane2.kind, Pane2Kind::kPresentation);
  EXPECT_EQ(s.Main().pane2.asset, "deck.pdf");
  EXPECT_EQ(s.Main().pane2.page, 1);
  s(R"({"t":2,"type":"presentation.show","asset":"deck.pdf","page":4})");
  EXPECT_EQ(s.Main().pane2.page, 4);
  s(R"({"t":3,"type":"presentation.show","asset":"deck.pdf","page":4})"); // same page
  s(R"({"t":4,"type":"document.show","asset":"doc.pdf","page":2})");
  EXPECT_EQ(s.Main().pane2.kind, Pane2Kind::kDocument);
  EXPECT_EQ(s.Main().pane2.asset, "doc.pdf");
  EXPECT_EQ(s.Main().pane2.page, 2);
  s(R"({"t":5,"type":"screenshare.start","track":"screen2"})");
  EXPECT_EQ(s.Main().pane2.kind, Pane2Kind::kScreenshare);
  EXPECT_EQ(s.Main().pane2.screen_track, "screen2");
  s(R"({"t":6,"type":"screenshare.stop"})");
  EXPECT_EQ(s.Main().pane2.kind, Pane2Kind::kNone);
  EXPECT_EQ(s.Main().pane2.screen_track, "");
  s(R"({"t":7,"type":"screenshare.stop"})");
  ExpectMoved(s.Moved(), Only(&Revisions::pane2, 5));
  EXPECT_TRUE(s.warnings.empty());
}

TEST(RoomPanes, ScreenShareNeedsAVideoTrackOfTheRoom) {
  Session s;
  s(R"({"t":1,"type":"screenshare.start","track":"nope"})");
  s(R"({"t":1,"type":"screenshare.start","track":"mic2"})");
  s(R"({"t":1,"type":"screenshare.start","room":"b1","track":"screen2"})");
  ASSERT_EQ(s.warnings.size(), 3u);
  EXPECT_EQ(
      s.warnings[0],
      "events.jsonl:7: screenshare.start: track 'nope' does not exist in room 'main'; ignored");
  EXPECT_EQ(s.warnings[1],
            "events.jsonl:8: screenshare.start: track 'mic2' is not a video track; ignored");
  EXPECT_EQ(
      s.warnings[2],
      "events.jsonl:9: screenshare.start: track 'screen2' does not exist in room 'b1'; ignored");
  EXPECT_EQ(s.Main().pane2.kind, Pane2Kind::kNone);
  ExpectMoved(s.Moved(), {});
}

TEST(RoomPanes, MutingTheSharedScreenRedrawsPane2) {
  Session s;
  s(R"({"t":1,"type":"screenshare.start","track":"screen2"})");
  s(R"({"t":2,"type":"track.mute","track":"screen2","muted":true})");
  Revisions expected;
  expected.pane1 = 1;
  expected.pane2 = 2;
  ExpectMoved(s.Moved(), expected);
  s(R"({"t":3,"type":"track.unpublish","track":"screen2"})");
  EXPECT_EQ(s.Main().pane2.kind, Pane2Kind::kNone);
}

const char* kPen =
    R"({"t":2,"type":"annotation.add","id":"a1","shape":"pen","color":"#ff0000","width":0.01,"points":[[0.1,0.1],[0.2,0.2],[0.3,0.1]]})";

TEST(RoomPanes, AnnotationsBelongToTheirPage) {
  Session s;
  s(R"({"t":1,"type":"presentation.show","asset":"deck.pdf","page":1})");
  EXPECT_EQ(s.Main().pane2.CurrentAnnotations(), nullptr);
  s(kPen);
  ASSERT_NE(s.Main().pane2.CurrentAnnotations(), nullptr);
  ASSERT_EQ(s.Main().pane2.CurrentAnnotations()->size(), 1u);
  const Shape& shape = s.Main().pane2.CurrentAnnotations()->front();
  EXPECT_EQ(shape.id, "a1");
  EXPECT_EQ(shape.shape, "pen");
  EXPECT_EQ(shape.color, "#ff0000");
  EXPECT_DOUBLE_EQ(shape.width, 0.01);
  ASSERT_EQ(shape.points.size(), 3u);
  EXPECT_DOUBLE_EQ(shape.points[2].x, 0.3);
  EXPECT_DOUBLE_EQ(shape.points[2].y, 0.1);

  s(R"({"t":3,"type":"presentation.show","asset":"deck.pdf","page":2})");
  EXPECT_EQ(s.Main().pane2.CurrentAnnotations(), nullptr); // gone with the page
  s(R"({"t":4,"type":"document.show","asset":"other.pdf","page":1})");
  EXPECT_EQ(s.Main().pane2.CurrentAnnotations(), nullptr); // another asset
  s(R"({"t":5,"type":"presentation.show","asset":"deck.pdf","page":1})");
  ASSERT_NE(s.Main().pane2.CurrentAnnotations(), nullptr); // back again
  EXPECT_EQ(s.Main().pane2.CurrentAnnotations()->front().id, "a1");
  EXPECT_EQ(s.Main().pane2.annotations.count({"deck.pdf", 1}), 1u);
  EXPECT_TRUE(s.warnings.empty());
}

TEST(RoomPanes, AnnotationRemoveAndClearActOnTheCurrentPage) {
  Session s;
  s(R"({"t":1,"type":"presentation.show","asset":"deck.pdf","page":1})");
  s(kPen);
  s(R"({"t":3,"type":"annotation.add","id":"a2","shape":"rect","color":"#00ff00","width":0.02,"points":[[0.1,0.1],[0.5,0.5],[0.9,0.9]]})");
  ASSERT_EQ(s.Main().pane2.CurrentAnnotations()->size(), 2u);
  EXPECT_EQ(s.Main().pane2.CurrentAnnotations()->at(1).points.size(), 2u); // two corners
  s(R"({"t":4,"type":"annotation.remove","id":"a1"})");
  ASSERT_EQ(s.Main().pane2.CurrentAnnotations()->size(), 1u);
  EXPECT_EQ(s.Main().pane2.CurrentAnnotations()->front().id, "a2");
  s(R"({"t":5,"type":"annotation.remove","id":"a1"})"); // already removed
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_EQ(
      s.warnings[0],
      "events.jsonl:11: annotation.remove: annotation 'a1' does not exist on this page; ignored");

  s(R"({"t":6,"type":"presentation.show","asset":"deck.pdf","page":2})");
  s(R"({"t":7,"type":"annotation.add","id":"b1","shape":"text","color":"#000000","width":0.05,"points":[[0.5,0.5],[0.6,0.6]],"text":"Note"})");
  ASSERT_EQ(s.Main().pane2.CurrentAnnotations()->size(), 1u);
  EXPECT_EQ(s.Main().pane2.CurrentAnnotations()->front().text, "Note");
  EXPECT_EQ(s.Main().pane2.CurrentAnnotations()->front().points.size(), 1u); // top left
  s(R"({"t":8,"type":"annotation.clear"})");
  EXPECT_EQ(s.Main().pane2.CurrentAnnotations(), nullptr);
  s(R"({"t":9,"type":"presentation.show","asset":"deck.pdf","page":1})");
  ASSERT_NE(s.Main().pane2.CurrentAnnotations(), nullptr); // page 1 kept its shape
  EXPECT_EQ(s.Main().pane2.CurrentAnnotations()->size(), 1u);
  // show, add, add, remove, show, add, clear, show
  ExpectMoved(s.Moved(), Only(&Revisions::pane2, 8));
}

TEST(RoomPanes, AnnotationWithTheSameIdReplacesTheShape) {
  Session s;
  s(R"({"t":1,"type":"presentation.show","asset":"deck.pdf"})");
  s(kPen);
  s(R"({"t":3,"type":"annotation.add","id":"a1","shape":"line","color":"#0000ff","width":0.01,"points":[[0,0],[1,1]]})");
  ASSERT_EQ(s.Main().pane2.CurrentAnnotations()->size(), 1u);
  EXPECT_EQ(s.Main().pane2.CurrentAnnotations()->front().shape, "line");
}

TEST(RoomPanes, AnnotationsWithoutAPageWarn) {
  Session s;
  s(kPen);
  s(R"({"t":3,"type":"screenshare.start","track":"screen2"})");
  s(R"({"t":4,"type":"annotation.clear"})");
  s(R"({"t":5,"type":"annotation.remove","id":"a1"})");
  ASSERT_EQ(s.warnings.size(), 3u);
  EXPECT_EQ(s.warnings[0],
            "events.jsonl:7: annotation.add: no presentation or document page is shown; ignored");
  EXPECT_EQ(s.warnings[1],
            "events.jsonl:9: annotation.clear: no presentation or document page is shown; ignored");
  EXPECT_EQ(
      s.warnings[2],
      "events.jsonl:10: annotation.remove: no presentation or document page is shown; ignored");
  EXPECT_TRUE(s.Main().pane2.annotations.empty());
  ExpectMoved(s.Moved(), Only(&Revisions::pane2, 1)); // the screen share only
}

TEST(RoomPanes, NoteboardAndImage) {
  Session s;
  s(R"({"t":1,"type":"noteboard.update","text":"E = mc²\nسلام"})");
  EXPECT_EQ(s.Main().pane3.kind, Pane3Kind::kNoteboard);
  EXPECT_EQ(s.Main().pane3.noteboard_text, "E = mc²\nسلام");
  s(R"({"t":2,"type":"image.show","asset":"map.png"})");
  EXPECT_EQ(s.Main().pane3.kind, Pane3Kind::kImage);
  EXPECT_EQ(s.Main().pane3.image_asset, "map.png");
  s(R"({"t":3,"type":"image.hide"})");
  EXPECT_EQ(s.Main().pane3.kind, Pane3Kind::kNone);
  EXPECT_EQ(s.Main().pane3.image_asset, "");
  s(R"({"t":4,"type":"image.hide"})"); // nothing shown
  s(R"({"t":5,"type":"noteboard.update","text":"second"})");
  EXPECT_EQ(s.Main().pane3.kind, Pane3Kind::kNoteboard);
  EXPECT_EQ(s.Main().pane3.noteboard_text, "second");
  ExpectMoved(s.Moved(), Only(&Revisions::pane3, 4));
}

TEST(RoomPanes, Whiteboard) {
  Session s;
  s(R"({"t":1,"type":"whiteboard.add","id":"w1","shape":"ellipse","color":"#123456","width":0.1,"points":[[0.2,0.2],[0.4,0.6]]})");
  s(R"({"t":2,"type":"whiteboard.add","id":"w2","shape":"highlighter","color":"#ffff00","width":0.05,"points":[[0,0],[0.5,0.5],[1,1]]})");
  ASSERT_EQ(s.Main().whiteboard.size(), 2u);
  EXPECT_EQ(s.Main().whiteboard[0].shape, "ellipse");
  EXPECT_DOUBLE_EQ(s.Main().whiteboard[0].points[1].y, 0.6);
  EXPECT_EQ(s.Main().whiteboard[1].points.size(), 3u);
  s(R"({"t":3,"type":"whiteboard.remove","id":"w1"})");
  ASSERT_EQ(s.Main().whiteboard.size(), 1u);
  EXPECT_EQ(s.Main().whiteboard[0].id, "w2");
  s(R"({"t":4,"type":"whiteboard.remove","id":"w1"})");
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_EQ(s.warnings[0],
            "events.jsonl:10: whiteboard.remove: whiteboard shape 'w1' does not exist; ignored");
  s(R"({"t":5,"type":"whiteboard.clear"})");
  EXPECT_TRUE(s.Main().whiteboard.empty());
  s(R"({"t":6,"type":"whiteboard.clear"})");
  ExpectMoved(s.Moved(), Only(&Revisions::pane4, 4));
  EXPECT_TRUE(s.state.Room("b1")->whiteboard.empty());
}

TEST(RoomPanes, ChatBumpsTheSideBarOnly) {
  Session s;
  s(R"({"t":5,"type":"chat.message","from":"p1","text":"Hello 👋"})");
  ASSERT_EQ(s.Main().chat.size(), 1u);
  const ChatLine& line = s.Main().chat[0];
  EXPECT_DOUBLE_EQ(line.t, 5);
  EXPECT_EQ(line.from, "p1");
  EXPECT_EQ(line.from_name, "Ann");
  EXPECT_EQ(line.text, "Hello 👋");
  ExpectMoved(s.Moved(), Only(&Revisions::sidebar));
  EXPECT_TRUE(s.state.Room("b1")->chat.empty());
}

TEST(RoomPanes, ChatKeepsTheNameAtTheTimeOfTheMessage) {
  Session s;
  s(R"({"t":1,"type":"chat.message","from":"p1","text":"one"})");
  s(R"({"t":2,"type":"participant.leave","id":"p1","reason":"disconnected"})");
  s(R"({"t":3,"type":"participant.join","id":"p1","name":"Ann B.","role":"host"})");
  s(R"({"t":4,"type":"chat.message","from":"p1","text":"two"})");
  ASSERT_EQ(s.Main().chat.size(), 2u);
  EXPECT_EQ(s.Main().chat[0].from_name, "Ann");
  EXPECT_EQ(s.Main().chat[1].from_name, "Ann B.");
}

TEST(RoomPanes, PrivateChatIsNeverKept) {
  Session s;
  s(R"({"t":1,"type":"chat.message","from":"p1","text":"secret","to":"p2"})");
  EXPECT_TRUE(s.Main().chat.empty());
  ExpectMoved(s.Moved(), {});
  EXPECT_TRUE(s.warnings.empty());
}

TEST(RoomPanes, ChatFromAnUnknownParticipantWarns) {
  Session s;
  s(R"({"t":1,"type":"chat.message","from":"ghost","text":"boo"})");
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_EQ(s.warnings[0],
            "events.jsonl:7: chat.message: participant 'ghost' does not exist; ignored");
  EXPECT_TRUE(s.Main().chat.empty());
  ExpectMoved(s.Moved(), {});
}

TEST(RoomPanes, Notes) {
  Session s;
  s(R"({"t":1,"type":"notes.update","text":"1. intro\n2. demo"})");
  EXPECT_EQ(s.Main().notes, "1. intro\n2. demo");
  s(R"({"t":2,"type":"notes.update","text":"1. intro\n2. demo"})");
  ExpectMoved(s.Moved(), Only(&Revisions::sidebar));
}

TEST(RoomPanes, TilesCountersFollowTracks) {
  Session s;
  s(R"({"t":1,"type":"track.publish","track":"cam1","participant":"p1","kind":"video","source":"camera"})");
  s(R"({"t":2,"type":"track.mute","track":"cam1","muted":true})");
  s(R"({"t":3,"type":"track.unpublish","track":"cam1"})");
  ExpectMoved(s.Moved(), Only(&Revisions::pane1, 3));
}

} // namespace
} // namespace ssr::events
