#include "record/chapter_cues.h"

#include "encode/chat_cue.h"
#include "events/room_state.h"

#include <algorithm>
#include <optional>

namespace ssr::record {
namespace {

using events::Pane2Kind;
using events::Pane3Kind;

// Two instants closer than this are one (events a frame apart are not two chapters).
constexpr double kSameInstantS = 0.001;
// A change this soon after a part starts is what the part begins with, not a chapter of its
// own: the platform stamps events with its clock and the recorder starts on its own, so an
// event sent with the request to record lands a few milliseconds either side of the start.
constexpr double kLeadInS = 0.25;

// What a room shows that may begin a chapter.
struct Shown {
  Pane2Kind pane2 = Pane2Kind::kNone;
  std::string asset;
  int page = 0;
  std::string screen_track;
  bool noteboard = false;
  bool whiteboard = false;
};

Shown ShownIn(const events::SessionState& state, const std::string& room) {
  Shown shown;
  const events::RoomState* r = state.Room(room);
  if (!r)
    return shown;
  shown.pane2 = r->pane2.kind;
  if (shown.pane2 == Pane2Kind::kPresentation || shown.pane2 == Pane2Kind::kDocument) {
    shown.asset = r->pane2.asset;
    shown.page = r->pane2.page;
  } else if (shown.pane2 == Pane2Kind::kScreenshare) {
    shown.screen_track = r->pane2.screen_track;
  }
  shown.noteboard = r->pane3.kind == Pane3Kind::kNoteboard;
  shown.whiteboard = !r->whiteboard.empty();
  return shown;
}

std::string ParticipantName(const events::SessionState& state, const std::string& id) {
  const events::Participant* p = state.FindParticipant(id);
  return p && !p->name.empty() ? p->name : id;
}

std::string RoomName(const events::SessionState& state, const std::string& id) {
  const events::RoomState* r = state.Room(id);
  return r && !r->name.empty() ? r->name : id;
}

// What a room shows and where the mover of a participant.move was, before an event.
struct Before {
  Shown shown;
  std::string mover_room;
};

// The chapter an event begins in `room`, if any, from what was before it and the state after.
std::optional<std::string> ChapterTitle(const events::Event& e, const std::string& room,
                                        const Before& before, const events::SessionState& after) {
  if (e.type == events::EventType::kParticipantMove && room == "main") {
    const events::Participant* p = after.FindParticipant(e.Str("id"));
    const bool runs = p && events::RunsSession(p->role);
    if (runs && !before.mover_room.empty() && before.mover_room != p->room) {
      return p->room == "main" ? p->name + " is back in the main room"
                               : p->name + " moved to " + RoomName(after, p->room);
    }
    return std::nullopt;
  }
  if (e.room != room)
    return std::nullopt; // pane events belong to the room they name
  const Shown& was = before.shown;
  const Shown now = ShownIn(after, room);
  if ((now.pane2 == Pane2Kind::kPresentation || now.pane2 == Pane2Kind::kDocument) &&
      (now.pane2 != was.pane2 || now.asset != was.asset || now.page != was.page)) {
    return std::string(now.pane2 == Pane2Kind::kPresentation ? "Slide " : "Page ") +
           std::to_string(now.page) + " · " + now.asset;
  }
  if (now.pane2 == Pane2Kind::kScreenshare &&
      (was.pane2 != Pane2Kind::kScreenshare || now.screen_track != was.screen_track)) {
    const events::RoomState* r = after.Room(room);
    const auto track = r->tracks.find(now.screen_track);
    if (track == r->tracks.end())
      return std::string("Screen share");
    return "Screen share · " + ParticipantName(after, track->second.participant);
  }
  if (now.whiteboard && !was.whiteboard)
    return std::string("Whiteboard");
  if (now.noteboard && !was.noteboard)
    return std::string("Noteboard");
  return std::nullopt;
}

std::string Escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '\n' || c == '\r') {
      out += ' '; // a line break could end the cue early
    } else {
      out += c;
    }
  }
  return out;
}

} // namespace

std::vector<ChapterCue> ChapterCues(const std::vector<events::Event>& events,
                                    const std::string& room, double start_t, double end_t) {
  const double duration = end_t - start_t;
  std::vector<ChapterCue> cues;
  if (duration <= kSameInstantS)
    return cues;
  cues.push_back({0, duration, "Start"});
  events::SessionState state;
  for (const events::Event& e : events) {
    if (e.t >= end_t)
      break;
    if (e.t <= start_t) { // what the part begins with: part of its first chapter
      state.Apply(e, nullptr);
      continue;
    }
    Before before{ShownIn(state, room), ""};
    if (e.type == events::EventType::kParticipantMove) {
      const events::Participant* p = state.FindParticipant(e.Str("id"));
      if (p)
        before.mover_room = p->room;
    }
    state.Apply(e, nullptr);
    const auto title = ChapterTitle(e, room, before, state);
    const double at = e.t - start_t;
    if (!title || at < kLeadInS)
      continue; // at the very start: the "Start" chapter
    if (at - cues.back().start_s < kSameInstantS && cues.size() > 1) {
      cues.back().title = *title;
    } else {
      cues.push_back({at, duration, *title});
    }
  }
  for (size_t i = 0; i + 1 < cues.size(); ++i)
    cues[i].end_s = cues[i + 1].start_s;
  return cues;
}

std::string ChaptersVtt(const std::vector<ChapterCue>& cues) {
  std::string out = "WEBVTT\n\n";
  int n = 0;
  for (const ChapterCue& cue : cues) {
    out += std::to_string(++n) + "\n" + encode::VttTimestamp(cue.start_s) + " --> " +
           encode::VttTimestamp(cue.end_s) + "\n" + Escaped(cue.title) + "\n\n";
  }
  return out;
}

} // namespace ssr::record
