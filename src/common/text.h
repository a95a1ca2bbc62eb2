#pragma once
// Small checks on text that users type (titles, names, e-mail addresses).

#include <cstddef>
#include <string_view>

namespace ssr {

// `s` without leading and trailing spaces, tabs and line breaks.
std::string_view TrimSpace(std::string_view s);

// The number of characters (code points) in UTF-8 text: bytes that do not continue one.
size_t Utf8Characters(std::string_view s);

// Whether `s` is well-formed UTF-8 (RFC 3629): no stray continuation bytes, no truncated,
// overlong or surrogate sequences, nothing above U+10FFFF.
bool ValidUtf8(std::string_view s);

} // namespace ssr
