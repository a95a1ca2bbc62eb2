#include "common/title.h"

#include "common/text.h"

#include <algorithm>

namespace ssr {

CheckedTitle CheckTitle(std::string_view text, EmptyTitle empty) {
  const std::string_view trimmed = TrimSpace(text);
  if (!ValidUtf8(trimmed)) {
    return {{}, "must be UTF-8 text"};
  }
  const size_t characters = Utf8Characters(trimmed);
  if ((characters == 0 && empty == EmptyTitle::kRejected) || characters > kMaxTitleCharacters) {
    const std::string range = empty == EmptyTitle::kRejected ? "1 to " : "at most ";
    return {{},
            "must be " + range + std::to_string(kMaxTitleCharacters) +
                " characters (spaces around it do not count)"};
  }
  const bool control = std::any_of(trimmed.begin(), trimmed.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (control) {
    return {{}, "must not contain control characters (line breaks, tabs)"};
  }
  return {std::string(trimmed), {}};
}

} // namespace ssr
