#pragma once
// Audio or video: the one type for a track's media kind, from a track.publish event
// ("kind", docs/session-events.md) to an SDP m-line and the ingest pipeline that decodes it.
// It lives in common because both events and ingest speak of it and neither depends on the
// other.

#include <cstddef>
#include <iterator>
#include <optional>
#include <string_view>

namespace ssr {

enum class MediaKind { kAudio, kVideo };

// The names of the events contract and of SDP m-lines, in the enum's order.
inline constexpr std::string_view kMediaKindNames[] = {"audio", "video"};
static_assert(std::size(kMediaKindNames) == static_cast<size_t>(MediaKind::kVideo) + 1);

inline std::string_view KindName(MediaKind kind) {
  return kMediaKindNames[static_cast<size_t>(kind)];
}

// nullopt for anything but "audio" or "video".
inline std::optional<MediaKind> ParseMediaKind(std::string_view name) {
  for (size_t i = 0; i < std::size(kMediaKindNames); ++i) {
    if (kMediaKindNames[i] == name) {
      return static_cast<MediaKind>(i);
    }
  }
  return std::nullopt;
}

} // namespace ssr
