// The reducer, part 2: what one open room draws — layout, pane 1 (media, stream), pane 2
// (presentation, document, screen share, annotations), pane 3 (noteboard, image), pane 4
// (whiteboard) and the side bar (chat, notes). Tracks and participants: room_state.cpp.

#include "events/room_state.h"

#include <algorithm>

namespace ssr::events {
namespace {

using nlohmann::json;

std::string Quoted(const std::string& id) { return "'" + id + "'"; }

// A validated shape event as a Shape. Two-point shapes keep their first two points (the
// corners of the bounding box), text its first (the top left corner).
Shape ShapeFrom(const Event& event) {
  Shape shape;
  shape.id = event.Str("id");
  shape.shape = event.Str("shape");
  shape.color = event.Str("color");
  shape.width = event.body.at("width").get<double>();
  shape.text = event.StrOr("text", "");
  for (const json& point : event.body.at("points")) {
    shape.points.push_back({point[0].get<double>(), point[1].get<double>()});
  }
  size_t keep = shape.points.size();
  if (shape.shape == "text") {
    keep = 1;
  } else if (shape.shape != "pen" && shape.shape != "highlighter") {
    keep = 2;
  }
  shape.points.resize(std::min(keep, shape.points.size()));
  return shape;
}

// Adds a shape, or replaces the shape with the same id in place.
void Upsert(std::vector<Shape>& shapes, Shape shape) {
  const auto it =
      std::find_if(shapes.begin(), shapes.end(), [&](const Shape& s) { return s.id == shape.id; });
  if (it != shapes.end()) {
    *it = std::move(shape);
  } else {
    shapes.push_back(std::move(shape));
  }
}

bool Erase(std::vector<Shape>& shapes, const std::string& id) {
  const auto it =
      std::find_if(shapes.begin(), shapes.end(), [&](const Shape& s) { return s.id == id; });
  if (it == shapes.end()) {
    return false;
  }
  shapes.erase(it);
  return true;
}

bool ShowsPage(const Pane2State& pane) {
  return pane.kind == Pane2Kind::kPresentation || pane.kind == Pane2Kind::kDocument;
}

// presentation.show and document.show; true if pane 2 changed.
bool ShowPage(Pane2State& pane, Pane2Kind kind, const Event& event) {
  const std::string asset = event.Str("asset");
  const int page = static_cast<int>(event.NumOr("page", 1));
  if (pane.kind == kind && pane.asset == asset && pane.page == page) {
    return false;
  }
  pane.kind = kind;
  pane.asset = asset;
  pane.page = page;
  pane.screen_track.clear();
  return true;
}

// The layout: webcam grid or filmstrip, the maximized pane, the side bar.
bool ApplyLayoutEvent(const Event& event, RoomState& room) {
  Revisions& rev = room.rev;
  switch (event.type) {
  case EventType::kLayout: {
    Layout next = room.layout;
    if (event.Has("webcams")) {
      next.webcams = event.Str("webcams") == "grid" ? WebcamMode::kGrid : WebcamMode::kFilmstrip;
    }
    if (event.body.contains("maximized")) { // null is a value: no pane maximized
      next.maximized = static_cast<int>(event.NumOr("maximized", 0));
    }
    if (event.Has("sidebar")) {
      next.sidebar_open = event.Str("sidebar") == "open";
    }
    const Layout& now = room.layout;
    if (next.webcams != now.webcams || next.maximized != now.maximized ||
        next.sidebar_open != now.sidebar_open) {
      room.layout = next;
      ++rev.layout;
    }
    return true;
  }

  default:
    return false;
  }
}

// Pane 1: prerecorded media and a stream (webcam tiles change with tracks).
bool ApplyPlayerEvent(const Event& event, RoomState& room) {
  Revisions& rev = room.rev;
  switch (event.type) {
  case EventType::kMediaPlay:
    room.media.asset = event.Str("asset");
    room.media.position = event.NumOr("position", 0);
    room.media.since_t = event.t;
    room.media.playing = true;
    ++rev.pane1;
    return true;
  case EventType::kMediaPause:
    if (!room.media.asset.empty() && room.media.playing) {
      room.media.position = room.media.PositionAt(event.t);
      room.media.since_t = event.t;
      room.media.playing = false;
      ++rev.pane1;
    }
    return true;
  case EventType::kMediaStop:
    if (!room.media.asset.empty()) {
      room.media = MediaState{};
      ++rev.pane1;
    }
    return true;
  case EventType::kStreamStart:
    room.stream.url = event.Str("url");
    room.stream.started_t = event.t;
    ++rev.pane1;
    return true;
  case EventType::kStreamStop:
    if (!room.stream.url.empty()) {
      room.stream = StreamState{};
      ++rev.pane1;
    }
    return true;

  default:
    return false;
  }
}

// Pane 2: presentation and document pages with annotations, screen share.
bool ApplyPresentationEvent(const Event& event, RoomState& room,
                            std::vector<std::string>* warnings) {
  Revisions& rev = room.rev;
  Pane2State& pane2 = room.pane2;
  const auto no_page = [&] {
    SessionState::Warn(event, warnings, "no presentation or document page is shown");
  };
  switch (event.type) {
  case EventType::kPresentationShow:
    rev.pane2 += ShowPage(pane2, Pane2Kind::kPresentation, event) ? 1 : 0;
    return true;
  case EventType::kDocumentShow:
    rev.pane2 += ShowPage(pane2, Pane2Kind::kDocument, event) ? 1 : 0;
    return true;
  case EventType::kScreenshareStart: {
    const std::string track_id = event.Str("track");
    const auto track = room.tracks.find(track_id);
    if (track == room.tracks.end()) {
      SessionState::Warn(event, warnings,
                         "track " + Quoted(track_id) + " does not exist in room " +
                             Quoted(room.id));
      return true;
    }
    if (track->second.kind != MediaKind::kVideo) {
      SessionState::Warn(event, warnings, "track " + Quoted(track_id) + " is not a video track");
      return true;
    }
    if (pane2.kind != Pane2Kind::kScreenshare || pane2.screen_track != track_id) {
      pane2.kind = Pane2Kind::kScreenshare;
      pane2.screen_track = track_id;
      pane2.asset.clear();
      pane2.page = 1;
      ++rev.pane2;
    }
    return true;
  }
  case EventType::kScreenshareStop:
    if (pane2.kind == Pane2Kind::kScreenshare) {
      pane2.kind = Pane2Kind::kNone;
      pane2.screen_track.clear();
      ++rev.pane2;
    }
    return true;
  case EventType::kAnnotationAdd:
    if (!ShowsPage(pane2)) {
      no_page();
      return true;
    }
    Upsert(pane2.annotations[{pane2.asset, pane2.page}], ShapeFrom(event));
    ++rev.pane2;
    return true;
  case EventType::kAnnotationRemove: {
    if (!ShowsPage(pane2)) {
      no_page();
      return true;
    }
    const std::string id = event.Str("id");
    const auto page = pane2.annotations.find({pane2.asset, pane2.page});
    if (page == pane2.annotations.end() || !Erase(page->second, id)) {
      SessionState::Warn(event, warnings,
                         "annotation " + Quoted(id) + " does not exist on this page");
      return true;
    }
    ++rev.pane2;
    return true;
  }
  case EventType::kAnnotationClear: {
    if (!ShowsPage(pane2)) {
      no_page();
      return true;
    }
    const auto page = pane2.annotations.find({pane2.asset, pane2.page});
    if (page != pane2.annotations.end()) {
      const bool had_shapes = !page->second.empty();
      pane2.annotations.erase(page);
      rev.pane2 += had_shapes ? 1 : 0;
    }
    return true;
  }

  default:
    return false;
  }
}

// Pane 3: the noteboard or an image.
bool ApplyBoardEvent(const Event& event, RoomState& room) {
  Revisions& rev = room.rev;
  Pane3State& pane3 = room.pane3;
  switch (event.type) {
  case EventType::kNoteboardUpdate: {
    const std::string text = event.Str("text");
    if (pane3.kind != Pane3Kind::kNoteboard || pane3.noteboard_text != text) {
      pane3.kind = Pane3Kind::kNoteboard;
      pane3.noteboard_text = text;
      ++rev.pane3;
    }
    return true;
  }
  case EventType::kImageShow: {
    const std::string asset = event.Str("asset");
    if (pane3.kind != Pane3Kind::kImage || pane3.image_asset != asset) {
      pane3.kind = Pane3Kind::kImage;
      pane3.image_asset = asset;
      ++rev.pane3;
    }
    return true;
  }
  case EventType::kImageHide:
    if (pane3.kind == Pane3Kind::kImage) {
      pane3.kind = Pane3Kind::kNone;
      pane3.image_asset.clear();
      ++rev.pane3;
    }
    return true;

  default:
    return false;
  }
}

// Pane 4: the whiteboard.
bool ApplyWhiteboardEvent(const Event& event, RoomState& room, std::vector<std::string>* warnings) {
  Revisions& rev = room.rev;
  switch (event.type) {
  case EventType::kWhiteboardAdd:
    Upsert(room.whiteboard, ShapeFrom(event));
    ++rev.pane4;
    return true;
  case EventType::kWhiteboardRemove: {
    const std::string id = event.Str("id");
    if (!Erase(room.whiteboard, id)) {
      SessionState::Warn(event, warnings, "whiteboard shape " + Quoted(id) + " does not exist");
      return true;
    }
    ++rev.pane4;
    return true;
  }
  case EventType::kWhiteboardClear:
    if (!room.whiteboard.empty()) {
      room.whiteboard.clear();
      ++rev.pane4;
    }
    return true;

  default:
    return false;
  }
}

} // namespace

const std::vector<Shape>* Pane2State::CurrentAnnotations() const {
  if (!ShowsPage(*this)) {
    return nullptr;
  }
  const auto it = annotations.find({asset, page});
  return it == annotations.end() ? nullptr : &it->second;
}

void SessionState::ApplyPaneEvent(const Event& event, RoomState& room,
                                  std::vector<std::string>* warnings) {
  if (ApplyLayoutEvent(event, room) || ApplyPlayerEvent(event, room) ||
      ApplyPresentationEvent(event, room, warnings) || ApplyBoardEvent(event, room) ||
      ApplyWhiteboardEvent(event, room, warnings)) {
    return;
  }
  Revisions& rev = room.rev;
  // Side bar.
  switch (event.type) {
  case EventType::kChatMessage: {
    if (event.Has("to")) {
      return; // private: never recorded, not even in a warning
    }
    const std::string from = event.Str("from");
    const Participant* sender = FindParticipant(from);
    if (sender == nullptr || !sender->present) {
      return Warn(event, warnings, "participant " + Quoted(from) + " does not exist");
    }
    room.chat.push_back({event.t, from, sender->name, event.Str("text")});
    ++rev.sidebar;
    return;
  }
  case EventType::kNotesUpdate: {
    const std::string text = event.Str("text");
    if (room.notes != text) {
      room.notes = text;
      ++rev.sidebar;
    }
    return;
  }
  default:
    return; // session-wide and track events are handled in room_state.cpp
  }
}

} // namespace ssr::events
