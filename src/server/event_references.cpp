#include "server/event_references.h"

#include <filesystem>

namespace ssr::server {
namespace {

using events::EventType;

// The participant ids an event names (besides the one a participant.join introduces).
std::vector<std::string> ParticipantsNamed(const events::Event& event) {
  switch (event.type) {
  case EventType::kParticipantLeave:
  case EventType::kParticipantMove:
  case EventType::kParticipantRole:
  case EventType::kPresenterChange:
    return {event.Str("id")};
  case EventType::kTrackPublish:
    return {event.Str("participant")};
  case EventType::kChatMessage: {
    std::vector<std::string> named{event.Str("from")};
    if (event.Has("to")) {
      named.push_back(event.Str("to"));
    }
    return named;
  }
  default:
    return {};
  }
}

// The track id an event names (besides the one a track.publish introduces), or "".
std::string TrackNamed(const events::Event& event) {
  switch (event.type) {
  case EventType::kTrackUnpublish:
  case EventType::kTrackMute:
  case EventType::kScreenshareStart:
    return event.Str("track");
  default:
    return "";
  }
}

bool NamesAnAsset(EventType type) {
  return type == EventType::kMediaPlay || type == EventType::kPresentationShow ||
         type == EventType::kDocumentShow || type == EventType::kImageShow;
}

} // namespace

void EventReferences::Learn(Known& known, const events::Event& event) {
  if (event.type == EventType::kParticipantJoin) {
    known.participants.insert(event.Str("id"));
  } else if (event.type == EventType::kTrackPublish) {
    known.tracks.insert(event.Str("track"));
  }
}

EventReferences::Known& EventReferences::For(const std::string& session_id, bool* made) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = sessions_.try_emplace(session_id);
  if (made != nullptr) {
    *made = inserted;
  }
  return it->second;
}

void EventReferences::Forget(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session_id);
}

void EventReferences::Prime(const std::string& session_id, const events::BundleDir& bundle) {
  bool made = false;
  Known& known = For(session_id, &made);
  if (!made) {
    return;
  }
  std::error_code ec;
  if (!std::filesystem::exists(bundle.EventsFile(), ec)) {
    return;
  }
  events::ForEachLoggedEvent(
      bundle.EventsFile(),
      [&known](events::Event&& event) {
        Learn(known, event);
        return true;
      },
      [](const events::BadEventLine&) {}); // the live runtime logs torn lines
}

std::vector<std::string> EventReferences::Check(const std::string& session_id,
                                                const events::BundleDir& bundle,
                                                const std::vector<events::Event>& batch) {
  Known& known = For(session_id);
  std::vector<std::string> warnings;
  for (size_t i = 0; i < batch.size(); ++i) {
    const events::Event& event = batch[i];
    Learn(known, event);
    const std::string where = "event " + std::to_string(i) + ": " + event.type_name + ": ";
    for (const std::string& id : ParticipantsNamed(event)) {
      if (known.participants.count(id) == 0) {
        warnings.push_back(where + "participant '" + id + "' has not joined");
      }
    }
    if (const std::string track = TrackNamed(event);
        !track.empty() && known.tracks.count(track) == 0) {
      warnings.push_back(where + "track '" + track + "' was not published");
    }
    if (NamesAnAsset(event.type)) {
      const std::string asset = event.Str("asset");
      std::error_code ec;
      if (!std::filesystem::is_regular_file(bundle.AssetPath(asset), ec)) {
        warnings.push_back(where + "asset '" + asset +
                           "' has not been uploaded: its pane shows a card until it is");
      }
    }
  }
  return warnings;
}

} // namespace ssr::server
