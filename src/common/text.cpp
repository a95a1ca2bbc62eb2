#include "common/text.h"

#include <algorithm>

namespace ssr {

std::string_view TrimSpace(std::string_view s) {
  const size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos)
    return {};
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

size_t Utf8Characters(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    // The length of the sequence and the range its second byte must be in (RFC 3629 §4).
    size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0)
        low = 0xA0; // overlong
      if (lead == 0xED)
        high = 0x9F; // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0)
        low = 0x90; // overlong
      if (lead == 0xF4)
        high = 0x8F; // above U+10FFFF
    } else {
      return false; // a continuation byte, an overlong lead (C0, C1) or F5..FF
    }
    if (i + length > s.size())
      return false;
    const auto second = static_cast<unsigned char>(s[i + 1]);
    if (second < low || second > high)
      return false;
    for (size_t k = 2; k < length; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
        return false;
    }
    i += length;
  }
  return true;
}

} // namespace ssr
