#pragma once
// Who is where in a session, as far as recording control cares (R7, R10, R11): participants
// with their role and room, and the breakout rooms. Saved as JSON with the session so that a
// restart keeps it.
//
// It folds the participant.* and room.* events by the same rules as the render reducer
// (events::SessionState), with the same participant type, so that control and the composer
// never disagree on who is present, in which room, with which role:
// tests/unit/control/session_presence_test.cpp replays the same events into both and
// compares. It is a reducer of its own because control keeps one per live session for the
// whole class, persisted on every change, and needs none of the panes SessionState carries.

#include "events/event.h"
#include "events/role.h"
#include "events/room_state.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace ssr::control {

struct BreakoutRoom {
  std::string id;
  std::string name;
  bool open = true;
  bool auto_record = false;
};

class SessionPresence {
 public:
  // Folds a participant.* or room.* event in; returns true when something changed. An event
  // the render reducer would refuse (someone not present, a room not open, a second join)
  // changes nothing here either (the event log warns already).
  bool Apply(const events::Event& event);

  // Present hosts and co-hosts, in `room` or anywhere, by id.
  std::vector<events::Participant> HostsIn(const std::string& room) const;
  std::vector<events::Participant> Hosts() const;
  // A host or co-host whose last leave was a disconnect (and who has not come back).
  bool AnyHostDisconnected() const;

  // Everyone who ever joined, present or not (nullptr for an unknown id).
  const events::Participant* FindParticipant(const std::string& id) const;
  const BreakoutRoom* FindRoom(const std::string& id) const; // nullptr for main / unknown
  bool RoomOpen(const std::string& id) const;                // main is always open
  std::string RoomName(const std::string& id) const;         // "main" or the breakout name

  const std::map<std::string, events::Participant>& participants() const { return participants_; }
  const std::map<std::string, BreakoutRoom>& rooms() const { return rooms_; }

  nlohmann::json ToJson() const;
  static SessionPresence FromJson(const nlohmann::json& j); // {} gives an empty session

 private:
  events::Participant* PresentParticipant(const std::string& id);

  std::map<std::string, events::Participant> participants_;
  std::map<std::string, BreakoutRoom> rooms_;
};

} // namespace ssr::control
