// The reducer: participants, rooms, presenter, session end and tracks.

#include "events/event_parser.h"
#include "events/room_state.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ssr::events {
namespace {

// Applies JSON lines as if they were consecutive lines of events.jsonl.
class Session {
 public:
  Session& operator()(const std::string& line) {
    state.Apply(ParseEventLine(line, ++line_), &warnings);
    return *this;
  }
  const RoomState& Room(const std::string& id) const {
    const RoomState* room = state.Room(id);
    EXPECT_NE(room, nullptr) << id;
    return *room;
  }
  std::vector<std::string> Ids(const std::string& room) const {
    std::vector<std::string> ids;
    for (const Participant* p : state.ParticipantsIn(room)) {
      ids.push_back(p->id);
    }
    return ids;
  }
  int line() const { return line_; }

  SessionState state;
  std::vector<std::string> warnings;

 private:
  int line_ = 0;
};

std::string Join(double t, const std::string& id, const std::string& room = "") {
  std::string line = R"({"t":)" + std::to_string(t) + R"(,"type":"participant.join","id":")" + id +
                     R"(","name":"Name )" + id + R"(","role":"attendee")";
  if (!room.empty()) {
    line += R"(,"room":")" + room + "\"";
  }
  return line + "}";
}

std::string Publish(double t, const std::string& track, const std::string& participant,
                    const std::string& kind = "video", const std::string& source = "camera",
                    const std::string& room = "main") {
  return R"({"t":)" + std::to_string(t) + R"(,"type":"track.publish","room":")" + room +
         R"(","track":")" + track + R"(","participant":")" + participant + R"(","kind":")" + kind +
         R"(","source":")" + source + "\"}";
}

TEST(SessionState, StartsWithAnOpenMainRoom) {
  const SessionState state;
  ASSERT_NE(state.Room("main"), nullptr);
  EXPECT_TRUE(state.Room("main")->open);
  EXPECT_EQ(state.Room("main")->id, "main");
  EXPECT_EQ(state.rooms().size(), 1u);
  EXPECT_EQ(state.Room("b1"), nullptr);
  EXPECT_EQ(state.FindParticipant("p1"), nullptr);
  EXPECT_FALSE(state.ended());
  EXPECT_EQ(RoleName(Role::kCohost), "cohost");
  EXPECT_EQ(RoleName(Role::kHost), "host");
}

TEST(SessionState, JoinDefaultsToMainAndKeepsItsFields) {
  Session s;
  s(R"({"t":2,"type":"participant.join","id":"p1","name":"Ann","role":"host","user":"ann@x.org"})");
  const Participant* p = s.state.FindParticipant("p1");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name, "Ann");
  EXPECT_EQ(p->user, "ann@x.org");
  EXPECT_EQ(p->role, Role::kHost);
  EXPECT_EQ(p->room, "main");
  EXPECT_TRUE(p->present);
  EXPECT_DOUBLE_EQ(p->joined_t, 2);
  EXPECT_DOUBLE_EQ(s.state.t(), 2);
  EXPECT_EQ(s.Ids("main"), std::vector<std::string>{"p1"});
  EXPECT_EQ(s.Room("main").rev.sidebar, 1u);
  EXPECT_EQ(s.Room("main").rev.pane1, 1u); // a host gets a tile even without media
  EXPECT_EQ(s.Room("main").rev.pane2, 0u);
  EXPECT_EQ(s.Room("main").rev.layout, 0u);
  EXPECT_TRUE(s.warnings.empty());
}

TEST(SessionState, JoinIntoABreakoutRoom) {
  Session s;
  s(R"({"t":1,"type":"room.open","id":"b1","name":"Group 1","auto_record":true})");
  s(Join(2, "p1", "b1"));
  EXPECT_EQ(s.state.FindParticipant("p1")->room, "b1");
  EXPECT_EQ(s.Ids("b1"), std::vector<std::string>{"p1"});
  EXPECT_TRUE(s.Ids("main").empty());
  EXPECT_EQ(s.Room("b1").name, "Group 1");
  EXPECT_TRUE(s.Room("b1").auto_record);
  EXPECT_EQ(s.Room("b1").rev.sidebar, 1u);
  EXPECT_EQ(s.Room("main").rev.sidebar, 0u);
}

TEST(SessionState, JoinIntoAnUnknownRoomWarns) {
  Session s;
  s(Join(1, "p1", "nowhere"));
  EXPECT_EQ(s.state.FindParticipant("p1"), nullptr);
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_EQ(s.warnings[0],
            "events.jsonl:1: participant.join: room 'nowhere' does not exist; ignored");
}

TEST(SessionState, JoinTwiceWarns) {
  Session s;
  s(Join(1, "p1"))(Join(2, "p1"));
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_EQ(s.warnings[0],
            "events.jsonl:2: participant.join: participant 'p1' has already joined; ignored");
  EXPECT_DOUBLE_EQ(s.state.FindParticipant("p1")->joined_t, 1);
}

TEST(SessionState, LeaveAndRejoinAfterDisconnect) {
  Session s;
  s(Join(1, "p1"))(Join(2, "p2"));
  s(R"({"t":3,"type":"participant.leave","id":"p1","reason":"disconnected"})");
  const Participant* p1 = s.state.FindParticipant("p1");
  ASSERT_NE(p1, nullptr);
  EXPECT_FALSE(p1->present);
  EXPECT_TRUE(p1->disconnected);
  EXPECT_EQ(s.Ids("main"), std::vector<std::string>{"p2"});
  EXPECT_EQ(s.Room("main").rev.sidebar, 3u);

  s(R"({"t":4,"type":"participant.join","id":"p1","name":"Ann on phone","role":"presenter"})");
  p1 = s.state.FindParticipant("p1");
  EXPECT_TRUE(p1->present);
  EXPECT_FALSE(p1->disconnected);
  EXPECT_EQ(p1->name, "Ann on phone");
  EXPECT_EQ(p1->role, Role::kPresenter);
  EXPECT_DOUBLE_EQ(p1->joined_t, 4);
  EXPECT_EQ(s.Ids("main"), (std::vector<std::string>{"p2", "p1"})); // latest join last
  EXPECT_TRUE(s.warnings.empty());
}

TEST(SessionState, LeaveWithReasonLeft) {
  Session s;
  s(Join(1, "p1"))(R"({"t":3,"type":"participant.leave","id":"p1","reason":"left"})");
  EXPECT_FALSE(s.state.FindParticipant("p1")->present);
  EXPECT_FALSE(s.state.FindParticipant("p1")->disconnected);
  EXPECT_TRUE(s.Ids("main").empty());
}

TEST(SessionState, EventsAboutUnknownParticipantsWarnAndChangeNothing) {
  Session s;
  s(Join(1, "p1"));
  const Revisions before = s.Room("main").rev;
  s(R"({"t":2,"type":"participant.leave","id":"ghost","reason":"left"})");
  s(R"({"t":2,"type":"participant.move","id":"ghost","to":"main"})");
  s(R"({"t":2,"type":"participant.role","id":"ghost","role":"host"})");
  s(R"({"t":2,"type":"presenter.change","id":"ghost"})");
  s(R"({"t":3,"type":"participant.leave","id":"p1","reason":"left"})");
  s(R"({"t":4,"type":"participant.leave","id":"p1","reason":"left"})"); // already gone
  ASSERT_EQ(s.warnings.size(), 5u);
  EXPECT_EQ(s.warnings[0],
            "events.jsonl:2: participant.leave: participant 'ghost' does not exist; ignored");
  EXPECT_EQ(s.warnings[1],
            "events.jsonl:3: participant.move: participant 'ghost' does not exist; ignored");
  EXPECT_EQ(s.warnings[2],
            "events.jsonl:4: participant.role: participant 'ghost' does not exist; ignored");
  EXPECT_EQ(s.warnings[3],
            "events.jsonl:5: presenter.change: participant 'ghost' does not exist; ignored");
  EXPECT_EQ(s.warnings[4],
            "events.jsonl:7: participant.leave: participant 'p1' does not exist; ignored");
  EXPECT_EQ(s.Room("main").rev.sidebar, before.sidebar + 1); // only the real leave
  EXPECT_EQ(s.state.presenter(), "");
  EXPECT_EQ(s.state.FindParticipant("ghost"), nullptr);
}

TEST(SessionState, WarningWithoutALineNamesTheTime) {
  SessionState state;
  std::vector<std::string> warnings;
  state.Apply(ParseEventLine(R"({"t":2.5,"type":"track.unpublish","track":"cam"})", 0), &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "event at t=2.5: track.unpublish: track 'cam' does not exist; ignored");
  state.Apply(ParseEventLine(R"({"t":3,"type":"track.unpublish","track":"cam"})", 0), nullptr);
  EXPECT_DOUBLE_EQ(state.t(), 3); // no warnings vector: still applied, nothing to report
}

TEST(SessionState, MoveBetweenRoomsKeepsLatestJoinOrder) {
  Session s;
  s(R"({"t":0,"type":"room.open","id":"b1","name":"B1"})");
  s(Join(1, "p1"))(Join(2, "p2"))(Join(3, "p3"));
  s(R"({"t":4,"type":"participant.move","id":"p1","to":"b1"})");
  EXPECT_EQ(s.state.FindParticipant("p1")->room, "b1");
  EXPECT_EQ(s.Ids("main"), (std::vector<std::string>{"p2", "p3"}));
  EXPECT_EQ(s.Ids("b1"), std::vector<std::string>{"p1"});
  EXPECT_EQ(s.Room("main").rev.sidebar, 4u);
  EXPECT_EQ(s.Room("main").rev.pane1, 4u);
  EXPECT_EQ(s.Room("b1").rev.sidebar, 1u);
  EXPECT_EQ(s.Room("b1").rev.pane1, 1u);
  s(R"({"t":5,"type":"participant.move","id":"p1","to":"main"})");
  EXPECT_EQ(s.Ids("main"), (std::vector<std::string>{"p2", "p3", "p1"}));
  EXPECT_TRUE(s.Ids("b1").empty());
  EXPECT_TRUE(s.warnings.empty());
}

TEST(SessionState, MoveToAnUnknownOrClosedRoomWarns) {
  Session s;
  s(Join(1, "p1"));
  s(R"({"t":2,"type":"participant.move","id":"p1","to":"b9"})");
  s(R"({"t":3,"type":"room.open","id":"b1","name":"B1"})");
  s(R"({"t":4,"type":"room.close","id":"b1"})");
  s(R"({"t":5,"type":"participant.move","id":"p1","to":"b1"})");
  ASSERT_EQ(s.warnings.size(), 2u);
  EXPECT_EQ(s.warnings[0], "events.jsonl:2: participant.move: room 'b9' does not exist; ignored");
  EXPECT_EQ(s.warnings[1], "events.jsonl:5: participant.move: room 'b1' does not exist; ignored");
  EXPECT_EQ(s.state.FindParticipant("p1")->room, "main");
}

TEST(SessionState, MovingUnpublishesTracksInTheRoomLeft) {
  Session s;
  s(R"({"t":0,"type":"room.open","id":"b1","name":"B1"})");
  s(Join(1, "p1"))(Join(1, "p2"));
  s(Publish(2, "cam1", "p1"))(Publish(2, "mic1", "p1", "audio", "microphone"));
  s(Publish(2, "cam2", "p2"));
  const uint64_t pane1 = s.Room("main").rev.pane1;
  s(R"({"t":3,"type":"participant.move","id":"p1","to":"b1"})");
  EXPECT_EQ(s.Room("main").tracks.size(), 1u);
  EXPECT_EQ(s.Room("main").tracks.count("cam2"), 1u);
  EXPECT_GT(s.Room("main").rev.pane1, pane1);
  // The moved participant may publish again in the new room.
  s(Publish(4, "cam1b", "p1", "video", "camera", "b1"));
  EXPECT_EQ(s.Room("b1").tracks.count("cam1b"), 1u);
  EXPECT_EQ(s.Room("b1").tracks.at("cam1b").room, "b1");
  EXPECT_TRUE(s.warnings.empty());
}

TEST(SessionState, RoleChangeBumpsTheAttendeeListAndTiles) {
  Session s;
  s(Join(1, "p1"))(Join(1, "p2"));
  const Revisions before = s.Room("main").rev;
  s(R"({"t":3,"type":"participant.role","id":"p1","role":"cohost"})");
  EXPECT_EQ(s.state.FindParticipant("p1")->role, Role::kCohost);
  EXPECT_EQ(s.Room("main").rev.sidebar, before.sidebar + 1);
  EXPECT_EQ(s.Room("main").rev.pane1, before.pane1 + 1);
  EXPECT_EQ(s.Room("main").rev.pane2, before.pane2);
  s(R"({"t":5,"type":"participant.role","id":"p1","role":"cohost"})"); // no change
  EXPECT_EQ(s.Room("main").rev.sidebar, before.sidebar + 1);
  EXPECT_EQ(s.Room("main").rev.pane1, before.pane1 + 1);
}

TEST(SessionState, PresenterChangeAndSessionEnd) {
  Session s;
  s(Join(1, "p1"))(Join(1, "p2"));
  const uint64_t sidebar = s.Room("main").rev.sidebar;
  s(R"({"t":2,"type":"presenter.change","id":"p2"})");
  EXPECT_EQ(s.state.presenter(), "p2");
  EXPECT_GT(s.Room("main").rev.sidebar, sidebar);
  s(R"({"t":3,"type":"presenter.change","id":"p1"})");
  EXPECT_EQ(s.state.presenter(), "p1");
  EXPECT_FALSE(s.state.ended());
  s(R"({"t":9,"type":"session.end"})");
  EXPECT_TRUE(s.state.ended());
  EXPECT_DOUBLE_EQ(s.state.t(), 9);
  EXPECT_TRUE(s.warnings.empty());
}

TEST(SessionState, RoomCloseReturnsParticipantsToMainAndEndsItsTracks) {
  Session s;
  s(Join(0, "host"));
  s(R"({"t":1,"type":"room.open","id":"b1","name":"B1"})");
  s(Join(2, "p1", "b1"))(Join(2, "p2", "b1"));
  s(Publish(3, "cam1", "p1", "video", "camera", "b1"));
  s(R"({"t":4,"type":"layout","room":"b1","webcams":"grid"})");
  const Revisions b1 = s.Room("b1").rev;
  const uint64_t main_sidebar = s.Room("main").rev.sidebar;
  s(R"({"t":5,"type":"room.close","id":"b1"})");
  EXPECT_FALSE(s.Room("b1").open);
  EXPECT_TRUE(s.Room("b1").tracks.empty());
  EXPECT_GT(s.Room("b1").rev.pane1, b1.pane1);
  EXPECT_EQ(s.Ids("main"), (std::vector<std::string>{"host", "p1", "p2"}));
  EXPECT_TRUE(s.Ids("b1").empty());
  EXPECT_EQ(s.state.FindParticipant("p1")->room, "main");
  EXPECT_GT(s.Room("main").rev.sidebar, main_sidebar);
  // Events of a closed room are ignored.
  s(R"({"t":6,"type":"chat.message","room":"b1","from":"p1","text":"late"})");
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_EQ(s.warnings[0], "events.jsonl:8: chat.message: room 'b1' does not exist; ignored");
  EXPECT_TRUE(s.Room("b1").chat.empty());
}

TEST(SessionState, MainCannotBeOpenedOrClosed) {
  Session s;
  s(R"({"t":1,"type":"room.close","id":"main"})");
  s(R"({"t":1,"type":"room.open","id":"main","name":"Main"})");
  s(R"({"t":1,"type":"room.close","id":"b7"})");
  ASSERT_EQ(s.warnings.size(), 3u);
  EXPECT_EQ(s.warnings[0], "events.jsonl:1: room.close: room 'main' cannot be closed; ignored");
  EXPECT_EQ(s.warnings[1], "events.jsonl:2: room.open: room 'main' always exists; ignored");
  EXPECT_EQ(s.warnings[2], "events.jsonl:3: room.close: room 'b7' does not exist; ignored");
  EXPECT_TRUE(s.Room("main").open);
}

TEST(SessionState, RoomCanReopenFresh) {
  Session s;
  s(R"({"t":1,"type":"room.open","id":"b1","name":"B1"})");
  s(R"({"t":1,"type":"room.open","id":"b1","name":"B1 again"})");
  EXPECT_EQ(s.warnings.size(), 1u);
  EXPECT_EQ(s.warnings[0], "events.jsonl:2: room.open: room 'b1' is already open; ignored");
  s(R"({"t":2,"type":"notes.update","room":"b1","text":"old notes"})");
  const uint64_t sidebar = s.Room("b1").rev.sidebar;
  s(R"({"t":3,"type":"room.close","id":"b1"})");
  s(R"({"t":4,"type":"room.open","id":"b1","name":"Second round"})");
  EXPECT_TRUE(s.Room("b1").open);
  EXPECT_EQ(s.Room("b1").name, "Second round");
  EXPECT_EQ(s.Room("b1").notes, "");
  EXPECT_GT(s.Room("b1").rev.sidebar, sidebar);
}

TEST(SessionState, PublishUnpublishAndMute) {
  Session s;
  s(Join(1, "p1"));
  s(Publish(2.5, "cam1", "p1"));
  ASSERT_EQ(s.Room("main").tracks.count("cam1"), 1u);
  const Track& track = s.Room("main").tracks.at("cam1");
  EXPECT_EQ(track.participant, "p1");
  EXPECT_EQ(track.kind, MediaKind::kVideo);
  EXPECT_EQ(track.source, TrackSource::kCamera);
  EXPECT_EQ(track.room, "main");
  EXPECT_FALSE(track.muted);
  EXPECT_DOUBLE_EQ(track.publish_t, 2.5);
  EXPECT_EQ(s.Room("main").rev.pane1, 2u);

  s(R"({"t":3,"type":"track.mute","track":"cam1","muted":true})");
  EXPECT_TRUE(s.Room("main").tracks.at("cam1").muted);
  EXPECT_EQ(s.Room("main").rev.pane1, 3u);
  s(R"({"t":3,"type":"track.mute","track":"cam1","muted":true})"); // no change
  EXPECT_EQ(s.Room("main").rev.pane1, 3u);
  s(R"({"t":4,"type":"track.mute","track":"cam1","muted":false})");
  EXPECT_FALSE(s.Room("main").tracks.at("cam1").muted);
  EXPECT_EQ(s.Room("main").rev.pane1, 4u);

  s(R"({"t":5,"type":"track.unpublish","track":"cam1"})");
  EXPECT_TRUE(s.Room("main").tracks.empty());
  EXPECT_EQ(s.Room("main").rev.pane1, 5u);
  EXPECT_EQ(s.Room("main").rev.sidebar, 1u); // tracks are not in the attendee list
  // The same id may be published again later (a new media file).
  s(Publish(6, "cam1", "p1"));
  EXPECT_DOUBLE_EQ(s.Room("main").tracks.at("cam1").publish_t, 6);
  EXPECT_TRUE(s.warnings.empty());
}

TEST(SessionState, TrackEventsThatNameMissingThingsWarn) {
  Session s;
  s(R"({"t":0,"type":"room.open","id":"b1","name":"B1"})");
  s(Join(1, "p1"))(Join(1, "p2", "b1"));
  s(Publish(2, "cam1", "ghost"));                                  // 4
  s(Publish(2, "cam2", "p2"));                                     // 5: p2 is in b1
  s(Publish(2, "cam1", "p1"))(Publish(2, "cam1", "p1"));           // 6, 7: twice
  s(R"({"t":3,"type":"track.unpublish","track":"nope"})");         // 8
  s(R"({"t":3,"type":"track.mute","track":"nope","muted":true})"); // 9
  s(Publish(3, "cam3", "p1", "video", "camera", "b2"));            // 10: no room b2
  ASSERT_EQ(s.warnings.size(), 6u);
  EXPECT_EQ(s.warnings[0],
            "events.jsonl:4: track.publish: participant 'ghost' does not exist; ignored");
  EXPECT_EQ(
      s.warnings[1],
      "events.jsonl:5: track.publish: participant 'p2' is in room 'b1', not in 'main'; ignored");
  EXPECT_EQ(s.warnings[2],
            "events.jsonl:7: track.publish: track 'cam1' is already published; ignored");
  EXPECT_EQ(s.warnings[3], "events.jsonl:8: track.unpublish: track 'nope' does not exist; ignored");
  EXPECT_EQ(s.warnings[4], "events.jsonl:9: track.mute: track 'nope' does not exist; ignored");
  EXPECT_EQ(s.warnings[5], "events.jsonl:10: track.publish: room 'b2' does not exist; ignored");
  EXPECT_EQ(s.Room("main").tracks.size(), 1u);
  EXPECT_TRUE(s.Room("b1").tracks.empty());
}

TEST(SessionState, PublishAfterLeaveWarns) {
  Session s;
  s(Join(1, "p1"))(R"({"t":2,"type":"participant.leave","id":"p1","reason":"left"})");
  s(Publish(3, "cam1", "p1"));
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_EQ(s.warnings[0],
            "events.jsonl:3: track.publish: participant 'p1' does not exist; ignored");
}

TEST(SessionState, LeavingUnpublishesTracksAndEndsTheirScreenShare) {
  Session s;
  s(Join(1, "p1"))(Join(1, "p2"));
  s(Publish(2, "cam1", "p1"))(Publish(2, "screen1", "p1", "video", "screen"));
  s(Publish(2, "cam2", "p2"));
  s(R"({"t":3,"type":"screenshare.start","track":"screen1"})");
  ASSERT_EQ(s.Room("main").pane2.kind, Pane2Kind::kScreenshare);
  const Revisions before = s.Room("main").rev;
  s(R"({"t":4,"type":"participant.leave","id":"p1","reason":"disconnected"})");
  const RoomState& main = s.Room("main");
  EXPECT_EQ(main.tracks.size(), 1u);
  EXPECT_EQ(main.tracks.count("cam2"), 1u);
  EXPECT_EQ(main.pane2.kind, Pane2Kind::kNone);
  EXPECT_EQ(main.pane2.screen_track, "");
  EXPECT_GT(main.rev.pane1, before.pane1);
  EXPECT_EQ(main.rev.pane2, before.pane2 + 1);
  EXPECT_EQ(main.rev.sidebar, before.sidebar + 1);
}

TEST(SessionState, UnknownTypeIsANoOp) {
  Session s;
  s(Join(1, "p1"));
  const Revisions before = s.Room("main").rev;
  s(R"({"t":2,"type":"poll.start","room":"nowhere"})");
  EXPECT_TRUE(s.warnings.empty());
  EXPECT_EQ(s.Room("main").rev.sidebar, before.sidebar);
  EXPECT_EQ(s.Room("main").rev.pane1, before.pane1);
}

} // namespace
} // namespace ssr::events
