#pragma once
// The state of a session at time t, as a pure reducer over its events.
//
// SessionState::Apply folds one event into the state; applying the events of a bundle up to
// t gives what every room showed at t. Each room carries revision counters that change when
// something a pane draws changes, so the composer redraws only the panes that did.

#include "common/media_kind.h"
#include "events/event.h"
#include "events/role.h"
#include "events/track_source.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ssr::events {

struct Participant {
  std::string id;
  std::string name;
  std::string user; // platform user id or e-mail, may be empty
  Role role = Role::kAttendee;
  std::string room = "main";
  bool present = true;       // false after participant.leave (until joining again)
  bool disconnected = false; // left with reason "disconnected"
  double joined_t = 0;
};

struct Track {
  std::string id;
  std::string participant;
  MediaKind kind = MediaKind::kVideo;
  TrackSource source = TrackSource::kCamera;
  std::string room = "main";
  bool muted = false;
  double publish_t = 0; // time 0 of the track's media
};

struct Point {
  double x = 0;
  double y = 0;
};

// A whiteboard or annotation shape, in normalized surface coordinates.
struct Shape {
  std::string id;
  std::string shape; // pen, highlighter, line, arrow, rect, ellipse, text
  std::string color; // #rrggbb
  double width = 0;  // fraction of the surface width
  std::vector<Point> points;
  std::string text;
};

struct ChatLine {
  double t = 0;
  std::string from;      // participant id
  std::string from_name; // the name at the time of the message
  std::string text;
};

enum class WebcamMode { kFilmstrip, kGrid };

struct Layout {
  WebcamMode webcams = WebcamMode::kFilmstrip;
  int maximized = 0; // 0 = none, else pane 1..4
  bool sidebar_open = true;
};

// Pane 1's prerecorded media (media.play/pause/stop).
struct MediaState {
  std::string asset;    // empty: nothing playing or paused
  bool playing = false; // false while paused
  double position = 0;  // seconds into the asset at `since_t`
  double since_t = 0;   // session time of the last play/pause
  // Position in the asset at session time t (frozen while paused).
  double PositionAt(double t) const { return playing ? position + (t - since_t) : position; }
};

struct StreamState {
  std::string url; // empty: no stream
  double started_t = 0;
};

enum class Pane2Kind { kNone, kPresentation, kDocument, kScreenshare };

struct Pane2State {
  Pane2Kind kind = Pane2Kind::kNone;
  std::string asset; // presentation/document
  int page = 1;
  std::string screen_track; // screenshare
  // Annotations belong to the (asset, page) they were drawn on.
  std::map<std::pair<std::string, int>, std::vector<Shape>> annotations;
  const std::vector<Shape>* CurrentAnnotations() const;
};

enum class Pane3Kind { kNone, kNoteboard, kImage };

struct Pane3State {
  Pane3Kind kind = Pane3Kind::kNone;
  std::string noteboard_text;
  std::string image_asset;
};

// Incremented whenever what the named area draws changes.
struct Revisions {
  uint64_t layout = 0;
  uint64_t pane1 = 0; // tiles: participants, tracks, mute; media; stream
  uint64_t pane2 = 0;
  uint64_t pane3 = 0;
  uint64_t pane4 = 0;
  uint64_t sidebar = 0; // attendee list, chat, notes
};

struct RoomState {
  std::string id;
  std::string name;
  bool open = true; // breakout rooms close; main never does
  bool auto_record = false;
  Layout layout;
  std::map<std::string, Track> tracks; // published tracks of this room, by id
  std::vector<ChatLine> chat;          // public messages only (private ones are never kept)
  std::string notes;
  MediaState media;
  StreamState stream;
  Pane2State pane2;
  Pane3State pane3;
  std::vector<Shape> whiteboard;
  Revisions rev;
};

class SessionState {
 public:
  SessionState();

  // Folds one event into the state. Events must come in non-decreasing "t". An event that
  // names a participant, track or room that does not exist at that time is ignored, and a
  // warning naming its line is appended to `warnings` (if not null).
  void Apply(const Event& event, std::vector<std::string>* warnings);

  double t() const { return t_; }
  bool ended() const { return ended_; }
  const std::string& presenter() const { return presenter_; }
  const std::map<std::string, Participant>& participants() const { return participants_; }
  const std::map<std::string, RoomState>& rooms() const { return rooms_; }
  const RoomState* Room(const std::string& id) const;
  const Participant* FindParticipant(const std::string& id) const;

  // Participants present in a room, in join order (for tiles and the attendee list).
  std::vector<const Participant*> ParticipantsIn(const std::string& room) const;

  // "events.jsonl:LINE: TYPE: WHAT; ignored" (or "event at t=T: ..." without a line).
  static void Warn(const Event& event, std::vector<std::string>* warnings, const std::string& what);

 private:
  // Handlers by group of event types: session-wide events and tracks (room_state.cpp),
  // layout, panes and side bar of one open room (room_state_panes.cpp).
  void ApplyParticipantEvent(const Event& event, std::vector<std::string>* warnings);
  void ApplyRoomEvent(const Event& event, std::vector<std::string>* warnings);
  void ApplyTrackEvent(const Event& event, RoomState& room, std::vector<std::string>* warnings);
  void ApplyPaneEvent(const Event& event, RoomState& room, std::vector<std::string>* warnings);
  RoomState* OpenRoom(const std::string& id);             // nullptr if absent or closed
  Participant* PresentParticipant(const std::string& id); // nullptr if absent or left
  RoomState* RoomOfTrack(const std::string& track_id);    // the open room publishing it
  void Enter(Participant& participant, RoomState& room);  // joins or moves into `room`

  double t_ = 0;
  bool ended_ = false;
  std::string presenter_;
  uint64_t join_seq_ = 0;
  std::map<std::string, uint64_t> join_order_; // participant id -> sequence of last join
  std::map<std::string, Participant> participants_;
  std::map<std::string, RoomState> rooms_;
};

} // namespace ssr::events
