#pragma once
// Who is where in a session, as far as recording control cares (R7, R10, R11): participants
// with their role and room, and the breakout rooms. A small reducer over the participant and
// room events; saved as JSON with the session so that a restart keeps it.

#include "events/event.h"
#include "events/role.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace ssr::control {

struct Member {
  std::string id;
  std::string name;
  std::string user;
  events::Role role = events::Role::kAttendee;
  std::string room = "main";
  enum class State { kPresent, kDisconnected, kLeft } state = State::kPresent;

  bool IsHost() const { return events::RunsSession(role); }
  bool Present() const { return state == State::kPresent; }
};

struct BreakoutRoom {
  std::string id;
  std::string name;
  bool open = true;
  bool auto_record = false;
};

class SessionPresence {
 public:
  // Folds a participant.* or room.* event in; returns true when something changed. Events
  // naming someone or a room that does not exist are ignored (the event log warns already).
  bool Apply(const events::Event& event);

  // Present hosts and co-hosts, in `room` or anywhere, by id.
  std::vector<Member> HostsIn(const std::string& room) const;
  std::vector<Member> Hosts() const;
  // A host or co-host whose last leave was a disconnect (and who has not come back).
  bool AnyHostDisconnected() const;

  const Member* FindMember(const std::string& id) const;
  const BreakoutRoom* FindRoom(const std::string& id) const; // nullptr for main / unknown
  bool RoomOpen(const std::string& id) const;                // main is always open
  std::string RoomName(const std::string& id) const;         // "main" or the breakout name

  nlohmann::json ToJson() const;
  static SessionPresence FromJson(const nlohmann::json& j); // {} gives an empty session

 private:
  std::map<std::string, Member> members_;
  std::map<std::string, BreakoutRoom> rooms_;
};

} // namespace ssr::control
