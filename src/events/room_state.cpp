// The reducer, part 1: session-wide events (participants, rooms, presenter, end) and
// media tracks. Layout, panes and the side bar are in room_state_panes.cpp.

#include "events/room_state.h"

#include <algorithm>
#include <cstdio>

namespace ssr::events {
namespace {

// Validated events always name a known role (the parser checks it against kRoleNames).
Role RoleOf(const Event& event) { return ParseRole(event.Str("role")).value_or(Role::kAttendee); }

// Ends a track of `room`; a screen share showing it ends with it.
void Unpublish(RoomState& room, const std::string& track_id) {
  if (room.tracks.erase(track_id) == 0) {
    return;
  }
  ++room.rev.pane1;
  if (room.pane2.kind == Pane2Kind::kScreenshare && room.pane2.screen_track == track_id) {
    room.pane2.kind = Pane2Kind::kNone;
    room.pane2.screen_track.clear();
    ++room.rev.pane2;
  }
}

// A participant's media is only in the room they are in: leaving it ends their tracks there.
void UnpublishTracksOf(RoomState& room, const std::string& participant) {
  std::vector<std::string> ids;
  for (const auto& [id, track] : room.tracks) {
    if (track.participant == participant) {
      ids.push_back(id);
    }
  }
  for (const auto& id : ids) {
    Unpublish(room, id);
  }
}

// Something about a participant changed in `room`: the attendee list and the tiles show
// it (tiles show participants with media, and hosts, cohosts and presenters without).
void TouchRoster(RoomState& room) {
  ++room.rev.sidebar;
  ++room.rev.pane1;
}

std::string Quoted(const std::string& id) { return "'" + id + "'"; }

} // namespace

SessionState::SessionState() {
  RoomState main;
  main.id = "main";
  main.name = "main";
  rooms_.emplace("main", std::move(main));
}

const RoomState* SessionState::Room(const std::string& id) const {
  const auto it = rooms_.find(id);
  return it == rooms_.end() ? nullptr : &it->second;
}

const Participant* SessionState::FindParticipant(const std::string& id) const {
  const auto it = participants_.find(id);
  return it == participants_.end() ? nullptr : &it->second;
}

std::vector<const Participant*> SessionState::ParticipantsIn(const std::string& room) const {
  std::vector<const Participant*> out;
  for (const auto& [id, participant] : participants_) {
    if (participant.present && participant.room == room) {
      out.push_back(&participant);
    }
  }
  std::sort(out.begin(), out.end(), [this](const Participant* a, const Participant* b) {
    return join_order_.at(a->id) < join_order_.at(b->id);
  });
  return out;
}

RoomState* SessionState::OpenRoom(const std::string& id) {
  const auto it = rooms_.find(id);
  return it == rooms_.end() || !it->second.open ? nullptr : &it->second;
}

Participant* SessionState::PresentParticipant(const std::string& id) {
  const auto it = participants_.find(id);
  return it == participants_.end() || !it->second.present ? nullptr : &it->second;
}

RoomState* SessionState::RoomOfTrack(const std::string& track_id) {
  for (auto& [id, room] : rooms_) {
    if (room.open && room.tracks.count(track_id) > 0) {
      return &room;
    }
  }
  return nullptr;
}

void SessionState::Enter(Participant& participant, RoomState& room) {
  participant.room = room.id;
  join_order_[participant.id] = ++join_seq_;
  TouchRoster(room);
}

void SessionState::Warn(const Event& event, std::vector<std::string>* warnings,
                        const std::string& what) {
  if (warnings == nullptr) {
    return;
  }
  std::string where;
  if (event.line > 0) {
    where = "events.jsonl:" + std::to_string(event.line);
  } else {
    char t[32];
    std::snprintf(t, sizeof t, "%g", event.t);
    where = std::string("event at t=") + t;
  }
  const std::string type =
      event.type_name.empty() ? std::string(EventTypeName(event.type)) : event.type_name;
  warnings->push_back(where + ": " + type + ": " + what + "; ignored");
}

void SessionState::Apply(const Event& event, std::vector<std::string>* warnings) {
  t_ = event.t;
  switch (event.type) {
  case EventType::kUnknown:
    return; // forward compatibility: the loader has warned already
  case EventType::kParticipantJoin:
  case EventType::kParticipantLeave:
  case EventType::kParticipantMove:
  case EventType::kParticipantRole:
  case EventType::kPresenterChange:
    ApplyParticipantEvent(event, warnings);
    return;
  case EventType::kRoomOpen:
  case EventType::kRoomClose:
    ApplyRoomEvent(event, warnings);
    return;
  case EventType::kSessionEnd:
    ended_ = true;
    return;
  default:
    break;
  }
  RoomState* room = OpenRoom(event.room);
  if (room == nullptr) {
    Warn(event, warnings, "room " + Quoted(event.room) + " does not exist");
    return;
  }
  switch (event.type) {
  case EventType::kTrackPublish:
  case EventType::kTrackUnpublish:
  case EventType::kTrackMute:
    ApplyTrackEvent(event, *room, warnings);
    return;
  default:
    ApplyPaneEvent(event, *room, warnings);
    return;
  }
}

void SessionState::ApplyParticipantEvent(const Event& event, std::vector<std::string>* warnings) {
  const std::string id = event.Str("id");
  const auto no_participant = [&] {
    Warn(event, warnings, "participant " + Quoted(id) + " does not exist");
  };
  const auto no_room = [&](const std::string& room) {
    Warn(event, warnings, "room " + Quoted(room) + " does not exist");
  };

  switch (event.type) {
  case EventType::kParticipantJoin: {
    RoomState* room = OpenRoom(event.room);
    if (room == nullptr) {
      return no_room(event.room);
    }
    if (PresentParticipant(id) != nullptr) {
      return Warn(event, warnings, "participant " + Quoted(id) + " has already joined");
    }
    Participant& participant = participants_[id];
    participant = Participant{};
    participant.id = id;
    participant.name = event.Str("name");
    participant.user = event.StrOr("user", "");
    participant.role = RoleOf(event);
    participant.joined_t = event.t;
    Enter(participant, *room);
    return;
  }
  case EventType::kParticipantLeave: {
    Participant* participant = PresentParticipant(id);
    if (participant == nullptr) {
      return no_participant();
    }
    participant->present = false;
    participant->disconnected = event.Str("reason") == "disconnected";
    if (RoomState* room = OpenRoom(participant->room)) {
      UnpublishTracksOf(*room, id);
      TouchRoster(*room);
    }
    return;
  }
  case EventType::kParticipantMove: {
    Participant* participant = PresentParticipant(id);
    if (participant == nullptr) {
      return no_participant();
    }
    const std::string to = event.Str("to");
    RoomState* destination = OpenRoom(to);
    if (destination == nullptr) {
      return no_room(to);
    }
    if (participant->room == to) {
      return; // already there
    }
    if (RoomState* from = OpenRoom(participant->room)) {
      UnpublishTracksOf(*from, id);
      TouchRoster(*from);
    }
    Enter(*participant, *destination);
    return;
  }
  case EventType::kParticipantRole: {
    Participant* participant = PresentParticipant(id);
    if (participant == nullptr) {
      return no_participant();
    }
    const Role role = RoleOf(event);
    if (participant->role != role) {
      participant->role = role;
      if (RoomState* room = OpenRoom(participant->room)) {
        TouchRoster(*room);
      }
    }
    return;
  }
  case EventType::kPresenterChange: {
    Participant* participant = PresentParticipant(id);
    if (participant == nullptr) {
      return no_participant();
    }
    if (presenter_ == id) {
      return;
    }
    if (Participant* previous = PresentParticipant(presenter_)) {
      if (RoomState* room = OpenRoom(previous->room)) {
        TouchRoster(*room);
      }
    }
    presenter_ = id;
    if (RoomState* room = OpenRoom(participant->room)) {
      TouchRoster(*room);
    }
    return;
  }
  default:
    return;
  }
}

void SessionState::ApplyRoomEvent(const Event& event, std::vector<std::string>* warnings) {
  const std::string id = event.Str("id");
  const auto no_room = [&](const std::string& room) {
    Warn(event, warnings, "room " + Quoted(room) + " does not exist");
  };
  switch (event.type) {
  case EventType::kRoomOpen: {
    if (id == "main") {
      return Warn(event, warnings, "room 'main' always exists");
    }
    const auto existing = rooms_.find(id);
    if (existing != rooms_.end() && existing->second.open) {
      return Warn(event, warnings, "room " + Quoted(id) + " is already open");
    }
    RoomState room;
    room.id = id;
    room.name = event.Str("name");
    room.auto_record = event.Has("auto_record") && event.body.at("auto_record").get<bool>();
    if (existing != rooms_.end()) {
      // Reopened: a fresh room, with revisions that move on from the old ones.
      const Revisions old = existing->second.rev;
      room.rev = {old.layout + 1, old.pane1 + 1, old.pane2 + 1,
                  old.pane3 + 1,  old.pane4 + 1, old.sidebar + 1};
    }
    rooms_[id] = std::move(room);
    return;
  }
  case EventType::kRoomClose: {
    if (id == "main") {
      return Warn(event, warnings, "room 'main' cannot be closed");
    }
    RoomState* room = OpenRoom(id);
    if (room == nullptr) {
      return no_room(id);
    }
    while (!room->tracks.empty()) {
      Unpublish(*room, room->tracks.begin()->first);
    }
    RoomState& main = rooms_.at("main");
    for (const Participant* present : ParticipantsIn(id)) {
      Enter(participants_.at(present->id), main);
    }
    room->open = false;
    TouchRoster(*room);
    return;
  }
  default:
    return;
  }
}

void SessionState::ApplyTrackEvent(const Event& event, RoomState& room,
                                   std::vector<std::string>* warnings) {
  const std::string track_id = event.Str("track");
  if (event.type == EventType::kTrackPublish) {
    const std::string participant_id = event.Str("participant");
    const Participant* participant = PresentParticipant(participant_id);
    if (participant == nullptr) {
      return Warn(event, warnings, "participant " + Quoted(participant_id) + " does not exist");
    }
    if (participant->room != room.id) {
      return Warn(event, warnings,
                  "participant " + Quoted(participant_id) + " is in room " +
                      Quoted(participant->room) + ", not in " + Quoted(room.id));
    }
    if (RoomOfTrack(track_id) != nullptr) {
      return Warn(event, warnings, "track " + Quoted(track_id) + " is already published");
    }
    Track track;
    track.id = track_id;
    track.participant = participant_id;
    // Validated events always name a known kind and source (the parser checks them).
    track.kind = ParseMediaKind(event.Str("kind")).value_or(MediaKind::kVideo);
    track.source = ParseTrackSource(event.Str("source")).value_or(TrackSource::kCamera);
    track.room = room.id;
    track.publish_t = event.t;
    room.tracks.emplace(track_id, std::move(track));
    ++room.rev.pane1;
    return;
  }

  // Track ids are unique in the session: unpublish and mute find the track wherever it is.
  RoomState* owner = RoomOfTrack(track_id);
  if (owner == nullptr) {
    return Warn(event, warnings, "track " + Quoted(track_id) + " does not exist");
  }
  if (event.type == EventType::kTrackUnpublish) {
    Unpublish(*owner, track_id);
    return;
  }
  Track& track = owner->tracks.at(track_id);
  const bool muted = event.body.at("muted").get<bool>();
  if (track.muted != muted) {
    track.muted = muted;
    ++owner->rev.pane1;
    if (owner->pane2.kind == Pane2Kind::kScreenshare && owner->pane2.screen_track == track_id) {
      ++owner->rev.pane2;
    }
  }
}

} // namespace ssr::events
