#include "compose/theme.h"

#include <array>
#include <functional>
#include <string>

namespace ssr::compose::theme {

uint32_t AvatarColour(const std::string_view id) {
  static constexpr std::array<uint32_t, 8> kPalette = {0x3b6fd6, 0x2f9e76, 0xc2573a, 0x8a55c9,
                                                       0xc28f1e, 0x2b8fb3, 0xb84a7f, 0x5c7a2e};
  return kPalette[std::hash<std::string_view>{}(id) % kPalette.size()];
}

} // namespace ssr::compose::theme
