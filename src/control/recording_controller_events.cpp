#include "control/recording_controller.h"

#include "common/log.h"
#include "common/text.h"

#include <algorithm>
#include <cmath>

namespace ssr::control {

using events::EventType;

void RecordingController::OnEvent(double wall_s, const std::string& session_id,
                                  const events::Event& e) {
  std::lock_guard lock(mutex_);
  LiveSession* s = FindSession(session_id);
  if (!s) {
    // Sessions are opened when created; one created before this module existed still works.
    Logger("control")->warn("event for session {} that was not opened: opening it", session_id);
    s = &sessions_[session_id];
    s->row.id = session_id;
  }
  if (s->row.ended) {
    return;
  }
  const bool first = !s->row.started;
  if (first) {
    s->row.started = true;
    if (!s->row.start_wall_s) {
      s->row.start_wall_s = wall_s - e.t;
    }
  }
  const bool host_was_in_main = !s->presence.HostsIn("main").empty();
  const bool changed = s->presence.Apply(e);
  if (changed || first) {
    s->row.presence = s->presence.ToJson();
    store_.SaveSession(s->row);
  }
  // R10: a session starts with its first event (usually the host joining), not when it is
  // created: a session created ahead of time would burn every attempt before anyone came.
  if (first && AutostartOn(*s) && !ActiveIn(session_id, "main")) {
    StartLocked(wall_s, *s, "main", "", "", true);
  }
  switch (e.type) {
  case EventType::kRoomOpen: {
    const BreakoutRoom* room = s->presence.FindRoom(e.Str("id"));
    if (changed && room && room->auto_record && !ActiveIn(session_id, room->id)) {
      StartLocked(wall_s, *s, room->id, "", "", true);
    }
    break;
  }
  case EventType::kRoomClose:
    if (changed) {
      if (Recording* r = ActiveIn(session_id, e.Str("id"))) {
        StopLocked(*r, wall_s, e.t, "breakout room closed");
      }
    }
    break;
  case EventType::kSessionEnd:
    for (auto& [id, r] : recordings_) {
      if (r.session_id == session_id && r.Active()) {
        StopLocked(r, wall_s, e.t, "session ended");
      }
    }
    s->row.ended = true;
    store_.SaveSession(s->row);
    return;
  default:
    break; // presenter.change included: a handover never interrupts a part (R8)
  }
  if (changed) {
    ApplyMainRoomRule(*s, wall_s, e, host_was_in_main);
  }
}

// R7: the main room records while a host or co-host is in it. When the last one leaves it
// pauses; with one back it resumes as a new part. (A recording that begins with no host in
// main, e.g. started by the platform before anyone joined, records until a host has come and
// gone.) A host disconnect (nobody else in main) that lasts longer
// than the grace period stops it; a pause for a breakout move lasts until someone returns.
void RecordingController::ApplyMainRoomRule(LiveSession& s, double wall_s, const events::Event& e,
                                            bool host_was_in_main) {
  Recording* r = ActiveIn(s.row.id, "main");
  if (!r || r->status == RecordingStatus::kInitializing) {
    return;
  }
  const double t = e.t;
  const bool host_in_main = !s.presence.HostsIn("main").empty();
  if (host_in_main) {
    if (r->status == RecordingStatus::kPaused) {
      ResumePart(*r, wall_s, t, "a host or co-host is back in the main room");
    }
    if (r->grace_ends_at != 0) {
      r->grace_ends_at = 0;
      store_.SaveRecording(*r);
    }
    return;
  }
  const events::Participant* who = e.Has("id") ? s.presence.FindParticipant(e.Str("id")) : nullptr;
  const bool host_disconnected = e.type == EventType::kParticipantLeave && who &&
                                 events::RunsSession(who->role) && !who->present &&
                                 who->disconnected;
  if (r->status == RecordingStatus::kRecording && host_was_in_main) {
    std::string reason = "no host or co-host in the main room";
    if (host_disconnected) {
      reason = "host or co-host " + who->id + " disconnected";
    } else if (e.type == EventType::kParticipantMove && who) {
      reason = "host or co-host " + who->id + " moved to " + s.presence.RoomName(who->room);
    }
    Pause(*r, wall_s, t, reason);
  }
  if (host_disconnected && r->grace_ends_at == 0) {
    r->grace_ends_at = wall_s + settings_.disconnect_grace_s;
    store_.SaveRecording(*r);
  } else if (r->grace_ends_at != 0 && !s.presence.AnyHostDisconnected()) {
    r->grace_ends_at = 0; // the one who disconnected is back (in a breakout room)
    store_.SaveRecording(*r);
  }
}

void RecordingController::Pause(Recording& r, double wall_s, double t, const std::string& reason) {
  ClosePart(r, wall_s, t);
  state_.Move(r, RecordingStatus::kPaused, wall_s, reason);
  Notify(r, "recording.paused", wall_s,
         "Recording paused: no host or co-host is in the main room. It continues as a new "
         "part when one comes back.");
}

void RecordingController::ResumePart(Recording& r, double wall_s, double t,
                                     const std::string& reason) {
  if (!OpenPart(r, t)) {
    StopLocked(r, wall_s, t, "recorder unavailable to resume");
    return;
  }
  r.grace_ends_at = 0;
  alive_saved_at_[r.id] = wall_s;
  state_.Move(r, RecordingStatus::kRecording, wall_s, reason);
  Notify(r, "recording.resumed", wall_s,
         "Recording resumed: a host or co-host is back in the main room (a new part begins).");
}

bool RecordingController::AutostartOn(const LiveSession& s) const {
  return s.row.autostart.value_or(settings_.autostart);
}

std::string RecordingController::TitleFor(const LiveSession& s, const std::string& room,
                                          const std::string& name) const {
  if (const std::string_view trimmed = TrimSpace(name); !trimmed.empty()) {
    return std::string(trimmed);
  }
  if (room == "main") {
    return s.row.title;
  }
  return s.row.title + " - " + s.presence.RoomName(room);
}

std::string RecordingController::RoomLabel(const std::string& session_id, const std::string& room) {
  if (room == "main") {
    return "the main room";
  }
  const LiveSession* s = FindSession(session_id);
  return "breakout room " + (s ? s->presence.RoomName(room) : room);
}

void RecordingController::Notify(const Recording& r, const std::string& type, double wall_s,
                                 const std::string& message, const std::string& detail,
                                 bool with_attempt) {
  notify::Notification n;
  n.id = NewId();
  n.type = type;
  n.session_id = r.session_id;
  n.recording_id = r.id;
  n.room = r.room;
  n.title = r.title;
  if (with_attempt) {
    n.attempt = r.attempt;
    n.max_attempts = settings_.attempts;
  }
  if (with_attempt && type == "recording.initializing") {
    n.countdown_s = static_cast<int>(std::ceil(std::max(0.0, r.countdown_ends_at - wall_s) - 1e-3));
    n.deadline = FormatRfc3339(r.countdown_ends_at);
  }
  n.message = message;
  n.detail = detail;
  n.at = FormatRfc3339(wall_s);
  hub_.Publish(n, settings_.webhook_url, static_cast<int64_t>(std::llround(wall_s * 1000)));
}

// R10: one notification per present host and co-host, saying which room failed and fitting
// where they are: (a) main failed, you are in main; (b) main failed, you are in a breakout
// room; (c) a breakout room failed, you are elsewhere.
void RecordingController::NotifyAutostartFailed(const Recording& r, double wall_s) {
  LiveSession* s = FindSession(r.session_id);
  if (!s) {
    return;
  }
  for (const events::Participant& host : s->presence.Hosts()) {
    notify::Notification n;
    n.id = NewId();
    n.type = "autostart.failed";
    n.session_id = r.session_id;
    n.recording_id = r.id;
    n.room = r.room;
    n.title = r.title;
    n.host_location = host.room;
    n.recipient = host.id;
    n.at = FormatRfc3339(wall_s);
    n.detail = r.error;
    const std::string failed = RoomLabel(r.session_id, r.room);
    const std::string where = RoomLabel(r.session_id, host.room);
    if (host.room == r.room) {
      n.message = "Automatic recording of " + failed +
                  " did not start. You can start it yourself with Record.";
    } else if (r.room == "main") {
      n.message = "Automatic recording of the main room did not start. You are in " + where +
                  ": go back to the main room to start it with Record.";
    } else {
      n.message = "Automatic recording of " + failed + " did not start. You are in " + where +
                  "; a host or co-host in " + failed + " can start it with Record.";
    }
    hub_.Publish(n, settings_.webhook_url, static_cast<int64_t>(std::llround(wall_s * 1000)));
  }
}

} // namespace ssr::control
