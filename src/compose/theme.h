#pragma once
// Colours and type sizes of the recording. Sizes are for a 720-pixel-high canvas and scale
// with the canvas height.

#include <cstdint>
#include <string_view>

namespace ssr::compose::theme {

inline constexpr uint32_t kCanvas = 0x1b1f2a;
inline constexpr uint32_t kPaneBackground = 0x252a37;
inline constexpr uint32_t kTileBackground = 0x10121a;
inline constexpr uint32_t kSidebarBackground = 0xf3f4f7;
inline constexpr uint32_t kSidebarHeader = 0xe2e5ec;
inline constexpr uint32_t kSidebarText = 0x1d2230;
inline constexpr uint32_t kSidebarMuted = 0x6b7285;
inline constexpr uint32_t kLabelBackground = 0x1d2230;
inline constexpr uint32_t kLabelText = 0xffffff;
inline constexpr uint32_t kCardText = 0xe8eaf0;

inline constexpr double kBodyPx = 14;
inline constexpr double kSmallPx = 12;
inline constexpr double kHeaderPx = 15;
inline constexpr double kLabelPx = 13;

inline constexpr const char* kFontFamily =
    "Noto Sans"; // fontconfig falls back per script and for emoji

// A stable, readable colour for a participant's name card, from its id.
uint32_t AvatarColour(const std::string_view id);

} // namespace ssr::compose::theme
