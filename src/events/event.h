#pragma once
// One validated session event (contract: docs/session-events.md).
//
// The parser checks every known type's required fields and their JSON types, so code that
// consumes an Event may read its validated fields from `body` without further checks.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace ssr::events {

enum class EventType {
  kUnknown, // forward compatibility: parsed, warned about, ignored
  kParticipantJoin,
  kParticipantLeave,
  kParticipantMove,
  kParticipantRole,
  kPresenterChange,
  kRoomOpen,
  kRoomClose,
  kSessionEnd,
  kLayout,
  kTrackPublish,
  kTrackUnpublish,
  kTrackMute,
  kMediaPlay,
  kMediaPause,
  kMediaStop,
  kStreamStart,
  kStreamStop,
  kPresentationShow,
  kDocumentShow,
  kScreenshareStart,
  kScreenshareStop,
  kAnnotationAdd,
  kAnnotationRemove,
  kAnnotationClear,
  kNoteboardUpdate,
  kImageShow,
  kImageHide,
  kWhiteboardAdd,
  kWhiteboardRemove,
  kWhiteboardClear,
  kChatMessage,
  kNotesUpdate,
};

// The wire name ("chat.message") of a type, and back. Unknown names map to kUnknown.
std::string_view EventTypeName(EventType type);
EventType EventTypeFromName(std::string_view name);

struct Event {
  double t = 0; // seconds since the session started
  EventType type = EventType::kUnknown;
  std::string type_name;     // as written, kept for unknown types
  std::string room = "main"; // "room" field, default main
  nlohmann::json body;       // the whole validated JSON object
  int line = 0;              // 1-based line in events.jsonl (0 when not from a file)

  // Convenience accessors for validated fields.
  std::string Str(const char* field) const { return body.at(field).get<std::string>(); }
  std::string StrOr(const char* field, std::string fallback) const;
  double NumOr(const char* field, double fallback) const;
  bool Has(const char* field) const { return body.contains(field) && !body.at(field).is_null(); }
};

} // namespace ssr::events
