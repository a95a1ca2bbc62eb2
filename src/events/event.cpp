#include "events/event.h"

#include <array>
#include <utility>

namespace ssr::events {
namespace {

// Every type of the contract with its wire name, in the order of the EventType enum.
constexpr std::array<std::pair<EventType, std::string_view>, 32> kTypeNames{{
    {EventType::kParticipantJoin, "participant.join"},
    {EventType::kParticipantLeave, "participant.leave"},
    {EventType::kParticipantMove, "participant.move"},
    {EventType::kParticipantRole, "participant.role"},
    {EventType::kPresenterChange, "presenter.change"},
    {EventType::kRoomOpen, "room.open"},
    {EventType::kRoomClose, "room.close"},
    {EventType::kSessionEnd, "session.end"},
    {EventType::kLayout, "layout"},
    {EventType::kTrackPublish, "track.publish"},
    {EventType::kTrackUnpublish, "track.unpublish"},
    {EventType::kTrackMute, "track.mute"},
    {EventType::kMediaPlay, "media.play"},
    {EventType::kMediaPause, "media.pause"},
    {EventType::kMediaStop, "media.stop"},
    {EventType::kStreamStart, "stream.start"},
    {EventType::kStreamStop, "stream.stop"},
    {EventType::kPresentationShow, "presentation.show"},
    {EventType::kDocumentShow, "document.show"},
    {EventType::kScreenshareStart, "screenshare.start"},
    {EventType::kScreenshareStop, "screenshare.stop"},
    {EventType::kAnnotationAdd, "annotation.add"},
    {EventType::kAnnotationRemove, "annotation.remove"},
    {EventType::kAnnotationClear, "annotation.clear"},
    {EventType::kNoteboardUpdate, "noteboard.update"},
    {EventType::kImageShow, "image.show"},
    {EventType::kImageHide, "image.hide"},
    {EventType::kWhiteboardAdd, "whiteboard.add"},
    {EventType::kWhiteboardRemove, "whiteboard.remove"},
    {EventType::kWhiteboardClear, "whiteboard.clear"},
    {EventType::kChatMessage, "chat.message"},
    {EventType::kNotesUpdate, "notes.update"},
}};

} // namespace

std::string_view EventTypeName(EventType type) {
  for (const auto& [known, name] : kTypeNames) {
    if (known == type) {
      return name;
    }
  }
  return "unknown";
}

EventType EventTypeFromName(std::string_view name) {
  for (const auto& [type, known] : kTypeNames) {
    if (known == name) {
      return type;
    }
  }
  return EventType::kUnknown;
}

std::string Event::StrOr(const char* field, std::string fallback) const {
  if (body.is_object()) {
    auto it = body.find(field);
    if (it != body.end() && it->is_string()) {
      return it->get<std::string>();
    }
  }
  return fallback;
}

double Event::NumOr(const char* field, double fallback) const {
  if (body.is_object()) {
    auto it = body.find(field);
    if (it != body.end() && it->is_number()) {
      return it->get<double>();
    }
  }
  return fallback;
}

} // namespace ssr::events
