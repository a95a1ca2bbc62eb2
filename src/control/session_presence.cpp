#include "control/session_presence.h"

namespace ssr::control {

using events::EventType;
using events::Participant;

namespace {
// Validated events always name a known role (the parser checks it); so does saved presence
// unless edited by hand, and an unknown name there makes an attendee rather than a host.
events::Role RoleNamed(const std::string& name) {
  return events::ParseRole(name).value_or(events::Role::kAttendee);
}

bool IsHost(const Participant& p) { return p.present && events::RunsSession(p.role); }

// The saved form of a participant's presence (the JSON of sessions.presence).
const char* StateName(const Participant& p) {
  return p.present ? "present" : p.disconnected ? "disconnected" : "left";
}
} // namespace

bool SessionPresence::Apply(const events::Event& e) {
  switch (e.type) {
  case EventType::kParticipantJoin: {
    const std::string id = e.Str("id");
    if (!RoomOpen(e.room) || PresentParticipant(id) != nullptr) {
      return false;
    }
    Participant p;
    p.id = id;
    p.name = e.Str("name");
    p.user = e.StrOr("user", "");
    p.role = RoleNamed(e.Str("role"));
    p.room = e.room;
    p.joined_t = e.t;
    participants_[id] = p;
    return true;
  }
  case EventType::kParticipantLeave: {
    Participant* p = PresentParticipant(e.Str("id"));
    if (p == nullptr) {
      return false;
    }
    p->present = false;
    p->disconnected = e.Str("reason") == "disconnected";
    return true;
  }
  case EventType::kParticipantMove: {
    Participant* p = PresentParticipant(e.Str("id"));
    const std::string to = e.Str("to");
    if (p == nullptr || !RoomOpen(to) || p->room == to) {
      return false;
    }
    p->room = to;
    return true;
  }
  case EventType::kParticipantRole: {
    Participant* p = PresentParticipant(e.Str("id"));
    const events::Role role = RoleNamed(e.Str("role"));
    if (p == nullptr || p->role == role) {
      return false;
    }
    p->role = role;
    return true;
  }
  case EventType::kRoomOpen: {
    const std::string id = e.Str("id");
    if (id == "main" || RoomOpen(id)) {
      return false;
    }
    rooms_[id] = {id, e.Str("name"), true,
                  e.Has("auto_record") && e.body.at("auto_record").get<bool>()};
    return true;
  }
  case EventType::kRoomClose: {
    const std::string id = e.Str("id");
    if (id == "main" || !RoomOpen(id)) {
      return false;
    }
    rooms_[id].open = false;
    for (auto& [pid, p] : participants_) {
      if (p.present && p.room == id) {
        p.room = "main";
      }
    }
    return true;
  }
  default:
    return false;
  }
}

std::vector<Participant> SessionPresence::HostsIn(const std::string& room) const {
  std::vector<Participant> hosts;
  for (const auto& [id, p] : participants_) {
    if (IsHost(p) && p.room == room) {
      hosts.push_back(p);
    }
  }
  return hosts;
}

std::vector<Participant> SessionPresence::Hosts() const {
  std::vector<Participant> hosts;
  for (const auto& [id, p] : participants_) {
    if (IsHost(p)) {
      hosts.push_back(p);
    }
  }
  return hosts;
}

bool SessionPresence::AnyHostDisconnected() const {
  for (const auto& [id, p] : participants_) {
    if (!p.present && p.disconnected && events::RunsSession(p.role)) {
      return true;
    }
  }
  return false;
}

const Participant* SessionPresence::FindParticipant(const std::string& id) const {
  auto it = participants_.find(id);
  return it == participants_.end() ? nullptr : &it->second;
}

Participant* SessionPresence::PresentParticipant(const std::string& id) {
  auto it = participants_.find(id);
  return it == participants_.end() || !it->second.present ? nullptr : &it->second;
}

const BreakoutRoom* SessionPresence::FindRoom(const std::string& id) const {
  auto it = rooms_.find(id);
  return it == rooms_.end() ? nullptr : &it->second;
}

bool SessionPresence::RoomOpen(const std::string& id) const {
  if (id == "main") {
    return true;
  }
  const BreakoutRoom* room = FindRoom(id);
  return room != nullptr && room->open;
}

std::string SessionPresence::RoomName(const std::string& id) const {
  const BreakoutRoom* room = FindRoom(id);
  return room ? room->name : id;
}

nlohmann::json SessionPresence::ToJson() const {
  nlohmann::json members = nlohmann::json::array();
  for (const auto& [id, p] : participants_) {
    members.push_back({{"id", p.id},
                       {"name", p.name},
                       {"user", p.user},
                       {"role", std::string(events::RoleName(p.role))},
                       {"room", p.room},
                       {"state", StateName(p)},
                       {"joined_t", p.joined_t}});
  }
  nlohmann::json rooms = nlohmann::json::array();
  for (const auto& [id, r] : rooms_) {
    rooms.push_back(
        {{"id", r.id}, {"name", r.name}, {"open", r.open}, {"auto_record", r.auto_record}});
  }
  return {{"members", members}, {"rooms", rooms}};
}

SessionPresence SessionPresence::FromJson(const nlohmann::json& j) {
  SessionPresence presence;
  for (const auto& m : j.value("members", nlohmann::json::array())) {
    Participant p;
    p.id = m.at("id").get<std::string>();
    p.name = m.value("name", "");
    p.user = m.value("user", "");
    p.role = RoleNamed(m.value("role", "attendee"));
    p.room = m.value("room", "main");
    p.joined_t = m.value("joined_t", 0.0);
    const std::string state = m.value("state", "present");
    p.present = state == "present";
    p.disconnected = state == "disconnected";
    presence.participants_[p.id] = p;
  }
  for (const auto& r : j.value("rooms", nlohmann::json::array())) {
    BreakoutRoom room{r.at("id").get<std::string>(), r.value("name", ""), r.value("open", true),
                      r.value("auto_record", false)};
    presence.rooms_[room.id] = room;
  }
  return presence;
}

} // namespace ssr::control
