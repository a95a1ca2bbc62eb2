#pragma once
// Where a published track comes from (track.publish "source", docs/session-events.md): the
// one type for it, with the one table of its names that the event parser checks against.

#include <cstddef>
#include <iterator>
#include <optional>
#include <string_view>

namespace ssr::events {

enum class TrackSource { kCamera, kMicrophone, kScreen };

// The contract's names, in the enum's order.
inline constexpr std::string_view kTrackSourceNames[] = {"camera", "microphone", "screen"};
static_assert(std::size(kTrackSourceNames) == static_cast<size_t>(TrackSource::kScreen) + 1);

inline std::string_view TrackSourceName(TrackSource source) {
  return kTrackSourceNames[static_cast<size_t>(source)];
}

// nullopt for anything but one of kTrackSourceNames.
inline std::optional<TrackSource> ParseTrackSource(std::string_view name) {
  for (size_t i = 0; i < std::size(kTrackSourceNames); ++i) {
    if (kTrackSourceNames[i] == name) {
      return static_cast<TrackSource>(i);
    }
  }
  return std::nullopt;
}

} // namespace ssr::events
