#include "control/session_presence.h"

namespace ssr::control {

using events::EventType;

namespace {
// Validated events always name a known role (the parser checks it); so does saved presence
// unless edited by hand, and an unknown name there makes an attendee rather than a host.
events::Role RoleNamed(const std::string& name) {
  return events::ParseRole(name).value_or(events::Role::kAttendee);
}
} // namespace

bool SessionPresence::Apply(const events::Event& e) {
  switch (e.type) {
  case EventType::kParticipantJoin: {
    Member m;
    m.id = e.Str("id");
    m.name = e.Str("name");
    m.role = RoleNamed(e.Str("role"));
    m.user = e.StrOr("user", "");
    m.room = RoomOpen(e.room) ? e.room : "main";
    members_[m.id] = m;
    return true;
  }
  case EventType::kParticipantLeave: {
    auto it = members_.find(e.Str("id"));
    if (it == members_.end() || !it->second.Present()) {
      return false;
    }
    it->second.state =
        e.Str("reason") == "disconnected" ? Member::State::kDisconnected : Member::State::kLeft;
    return true;
  }
  case EventType::kParticipantMove: {
    auto it = members_.find(e.Str("id"));
    const std::string to = e.Str("to");
    if (it == members_.end() || !it->second.Present() || !RoomOpen(to) || it->second.room == to) {
      return false;
    }
    it->second.room = to;
    return true;
  }
  case EventType::kParticipantRole: {
    auto it = members_.find(e.Str("id"));
    if (it == members_.end()) {
      return false;
    }
    it->second.role = RoleNamed(e.Str("role"));
    return true;
  }
  case EventType::kRoomOpen: {
    const std::string id = e.Str("id");
    if (id == "main") {
      return false;
    }
    rooms_[id] = {id, e.Str("name"), true,
                  e.Has("auto_record") && e.body.at("auto_record").get<bool>()};
    return true;
  }
  case EventType::kRoomClose: {
    auto it = rooms_.find(e.Str("id"));
    if (it == rooms_.end() || !it->second.open) {
      return false;
    }
    it->second.open = false;
    for (auto& [id, m] : members_) {
      if (m.room == it->first) {
        m.room = "main";
      }
    }
    return true;
  }
  default:
    return false;
  }
}

std::vector<Member> SessionPresence::HostsIn(const std::string& room) const {
  std::vector<Member> hosts;
  for (const auto& [id, m] : members_) {
    if (m.Present() && m.IsHost() && m.room == room) {
      hosts.push_back(m);
    }
  }
  return hosts;
}

std::vector<Member> SessionPresence::Hosts() const {
  std::vector<Member> hosts;
  for (const auto& [id, m] : members_) {
    if (m.Present() && m.IsHost()) {
      hosts.push_back(m);
    }
  }
  return hosts;
}

bool SessionPresence::AnyHostDisconnected() const {
  for (const auto& [id, m] : members_) {
    if (m.state == Member::State::kDisconnected && m.IsHost()) {
      return true;
    }
  }
  return false;
}

const Member* SessionPresence::FindMember(const std::string& id) const {
  auto it = members_.find(id);
  return it == members_.end() ? nullptr : &it->second;
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
  for (const auto& [id, m] : members_) {
    const char* state = m.state == Member::State::kPresent        ? "present"
                        : m.state == Member::State::kDisconnected ? "disconnected"
                                                                  : "left";
    members.push_back({{"id", m.id},
                       {"name", m.name},
                       {"user", m.user},
                       {"role", std::string(events::RoleName(m.role))},
                       {"room", m.room},
                       {"state", state}});
  }
  nlohmann::json rooms = nlohmann::json::array();
  for (const auto& [id, r] : rooms_) {
    rooms.push_back(
        {{"id", r.id}, {"name", r.name}, {"open", r.open}, {"auto_record", r.auto_record}});
  }
  return {{"members", members}, {"rooms", rooms}};
}

SessionPresence SessionPresence::FromJson(const nlohmann::json& j) {
  SessionPresence p;
  for (const auto& m : j.value("members", nlohmann::json::array())) {
    Member member;
    member.id = m.at("id").get<std::string>();
    member.name = m.value("name", "");
    member.user = m.value("user", "");
    member.role = RoleNamed(m.value("role", "attendee"));
    member.room = m.value("room", "main");
    const std::string state = m.value("state", "present");
    member.state = state == "present"        ? Member::State::kPresent
                   : state == "disconnected" ? Member::State::kDisconnected
                                             : Member::State::kLeft;
    p.members_[member.id] = member;
  }
  for (const auto& r : j.value("rooms", nlohmann::json::array())) {
    BreakoutRoom room{r.at("id").get<std::string>(), r.value("name", ""), r.value("open", true),
                      r.value("auto_record", false)};
    p.rooms_[room.id] = room;
  }
  return p;
}

} // namespace ssr::control
