// Recording control's presence and the render reducer agree on who is present, where and with
// which role, for any sequence of participant and room events — including the ones the
// contract calls mistakes (a second join, a join into a room not open, a role change after
// leaving) — and presence survives its saved JSON.

#include "control/session_presence.h"
#include "events/event_parser.h"
#include "events/room_state.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace ssr::control {
namespace {

const std::vector<std::string> kIds = {"p1", "p2", "p3", "p4"};
const std::vector<std::string> kRooms = {"main", "b1", "b2", "b3"};
const std::vector<std::string> kRoleNames = {"host", "cohost", "presenter", "attendee"};

// Feeds the same event lines to both reducers.
class BothReducers {
 public:
  void operator()(const std::string& line) {
    const events::Event event = events::ParseEventLine(line, ++line_);
    lines_.push_back(line);
    render_.Apply(event, &warnings_);
    presence_.Apply(event);
  }

  // Every participant and room, compared field by field.
  void ExpectAgree() const {
    for (const std::string& id : kIds) {
      const events::Participant* r = render_.FindParticipant(id);
      const events::Participant* c = presence_.FindParticipant(id);
      ASSERT_EQ(r == nullptr, c == nullptr) << id << History();
      if (r == nullptr) {
        continue;
      }
      EXPECT_EQ(r->present, c->present) << id << History();
      EXPECT_EQ(r->disconnected, c->disconnected) << id << History();
      EXPECT_EQ(r->role, c->role) << id << History();
      EXPECT_EQ(r->name, c->name) << id << History();
      EXPECT_EQ(r->user, c->user) << id << History();
      if (r->present) {
        EXPECT_EQ(r->room, c->room) << id << History();
      }
    }
    for (const std::string& room : kRooms) {
      const events::RoomState* r = render_.Room(room);
      EXPECT_EQ(r != nullptr && r->open, presence_.RoomOpen(room)) << room << History();
    }
  }

  const SessionPresence& presence() const { return presence_; }

 private:
  std::string History() const {
    std::string text = "\nafter:";
    for (const std::string& line : lines_) {
      text += "\n  " + line;
    }
    return text;
  }

  events::SessionState render_;
  SessionPresence presence_;
  std::vector<std::string> warnings_;
  std::vector<std::string> lines_;
  int line_ = 0;
};

// One random participant or room event at time t.
std::string RandomEvent(std::mt19937& rng, int t) {
  auto pick = [&rng](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng)];
  };
  const std::string head = "{\"t\":" + std::to_string(t) + ",";
  const std::string id = pick(kIds);
  switch (std::uniform_int_distribution<int>(0, 5)(rng)) {
  case 0:
    return head + "\"type\":\"participant.join\",\"room\":\"" + pick(kRooms) + "\",\"id\":\"" + id +
           "\",\"name\":\"Name " + id + "\",\"user\":\"u-" + id + "\",\"role\":\"" +
           pick(kRoleNames) + "\"}";
  case 1:
    return head + "\"type\":\"participant.leave\",\"id\":\"" + id + "\",\"reason\":\"" +
           (rng() % 2 ? "disconnected" : "left") + "\"}";
  case 2:
    return head + "\"type\":\"participant.move\",\"id\":\"" + id + "\",\"to\":\"" + pick(kRooms) +
           "\"}";
  case 3:
    return head + "\"type\":\"participant.role\",\"id\":\"" + id + "\",\"role\":\"" +
           pick(kRoleNames) + "\"}";
  case 4:
    return head + "\"type\":\"room.open\",\"id\":\"" + pick(kRooms) + "\",\"name\":\"Room\"}";
  default:
    return head + "\"type\":\"room.close\",\"id\":\"" + pick(kRooms) + "\"}";
  }
}

TEST(SessionPresenceTest, AgreesWithTheRenderReducerOnEverySequence) {
  std::mt19937 rng(20261206);
  for (int sequence = 0; sequence < 500; ++sequence) {
    BothReducers both;
    for (int t = 0; t < 40; ++t) {
      both(RandomEvent(rng, t));
      both.ExpectAgree();
      if (HasFailure()) {
        return; // one history is enough to read
      }
    }
  }
}

TEST(SessionPresenceTest, IgnoresWhatTheContractCallsMistakes) {
  BothReducers both;
  both(R"({"t":0,"type":"participant.join","id":"ann","name":"Ann","role":"host"})");
  // A second join while present does not replace her role.
  both(R"({"t":1,"type":"participant.join","id":"ann","name":"Ann","role":"attendee"})");
  // A join into a room that was never opened does not land in main.
  both(R"({"t":2,"type":"participant.join","room":"nowhere","id":"bob","name":"Bob",)"
       R"("role":"host"})");
  both(R"({"t":3,"type":"participant.leave","id":"ann","reason":"disconnected"})");
  // A role change after leaving does not count.
  both(R"({"t":4,"type":"participant.role","id":"ann","role":"attendee"})");
  both.ExpectAgree();
  const events::Participant* ann = both.presence().FindParticipant("ann");
  ASSERT_NE(ann, nullptr);
  EXPECT_EQ(ann->role, events::Role::kHost);
  EXPECT_FALSE(ann->present);
  EXPECT_TRUE(both.presence().AnyHostDisconnected());
  EXPECT_EQ(both.presence().FindParticipant("bob"), nullptr);
  EXPECT_TRUE(both.presence().Hosts().empty());
}

TEST(SessionPresenceTest, SurvivesItsSavedJson) {
  BothReducers both;
  both(R"({"t":0,"type":"room.open","id":"b1","name":"Group 1","auto_record":true})");
  both(R"({"t":1,"type":"participant.join","id":"ann","name":"Ann","user":"a","role":"host"})");
  both(R"({"t":2,"type":"participant.move","id":"ann","to":"b1"})");
  both(R"({"t":3,"type":"participant.join","id":"cy","name":"Cy","role":"cohost"})");
  both(R"({"t":4,"type":"participant.leave","id":"cy","reason":"disconnected"})");
  const SessionPresence& before = both.presence();
  const SessionPresence after = SessionPresence::FromJson(before.ToJson());
  EXPECT_EQ(after.ToJson(), before.ToJson());
  ASSERT_NE(after.FindRoom("b1"), nullptr);
  EXPECT_TRUE(after.FindRoom("b1")->auto_record);
  EXPECT_EQ(after.HostsIn("b1").size(), 1U);
  EXPECT_TRUE(after.AnyHostDisconnected());
}

TEST(SessionPresenceTest, ReadsTheFormSavedBeforeJoinTimes) {
  // sessions.presence as saved by earlier releases: no joined_t.
  const nlohmann::json saved = nlohmann::json::parse(R"({"members":[
      {"id":"ann","name":"Ann","user":"a","role":"host","room":"main","state":"present"},
      {"id":"cy","name":"Cy","user":"","role":"cohost","room":"main","state":"disconnected"},
      {"id":"dee","name":"Dee","user":"","role":"attendee","room":"main","state":"left"}],
    "rooms":[{"id":"b1","name":"Group 1","open":false,"auto_record":false}]})");
  const SessionPresence presence = SessionPresence::FromJson(saved);
  EXPECT_EQ(presence.HostsIn("main").size(), 1U);
  EXPECT_TRUE(presence.AnyHostDisconnected());
  ASSERT_NE(presence.FindParticipant("dee"), nullptr);
  EXPECT_FALSE(presence.FindParticipant("dee")->present);
  EXPECT_FALSE(presence.FindParticipant("dee")->disconnected);
  EXPECT_FALSE(presence.RoomOpen("b1"));
  EXPECT_EQ(SessionPresence::FromJson(nlohmann::json::object()).Hosts().size(), 0U);
}

} // namespace
} // namespace ssr::control
