#include "http/byte_range.h"

#include <cctype>
#include <limits>
#include <optional>
#include <vector>

namespace ssr::http {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back()))
    s.remove_suffix(1);
  return s;
}

// A run of digits as a number (saturated at the largest uint64_t: any such position is past
// the end of every resource); nullopt if empty or not all digits.
std::optional<uint64_t> Number(std::string_view s) {
  if (s.empty())
    return std::nullopt;
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  uint64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return std::nullopt;
    const auto digit = static_cast<uint64_t>(c - '0');
    n = n > (kMax - digit) / 10 ? kMax : n * 10 + digit;
  }
  return n;
}

struct Spec {
  std::optional<uint64_t> first; // absent: a suffix range "-n"
  std::optional<uint64_t> last;  // absent: "a-" (to the end)
};

std::optional<Spec> ParseSpec(std::string_view s) {
  s = Trim(s);
  const size_t dash = s.find('-');
  if (dash == std::string_view::npos)
    return std::nullopt;
  Spec spec;
  const std::string_view a = s.substr(0, dash);
  const std::string_view b = s.substr(dash + 1);
  if (a.empty()) {
    spec.last = Number(b); // the suffix length
    if (!spec.last)
      return std::nullopt;
    return spec;
  }
  spec.first = Number(a);
  if (!spec.first)
    return std::nullopt;
  if (!b.empty()) {
    spec.last = Number(b);
    if (!spec.last || *spec.last < *spec.first)
      return std::nullopt;
  }
  return spec;
}

bool StartsWithBytesUnit(std::string_view s) {
  constexpr std::string_view kUnit = "bytes=";
  if (s.size() < kUnit.size())
    return false;
  for (size_t i = 0; i < kUnit.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != kUnit[i])
      return false;
  }
  return true;
}

} // namespace

ByteRange ParseByteRange(std::string_view header, uint64_t size) {
  ByteRange whole;
  header = Trim(header);
  if (!StartsWithBytesUnit(header))
    return whole; // absent, or a unit we do not serve
  std::string_view list = header.substr(6);
  std::vector<Spec> specs;
  while (true) {
    const size_t comma = list.find(',');
    const std::string_view item = Trim(list.substr(0, comma));
    if (!item.empty()) { // RFC 9110 list syntax tolerates empty elements
      const auto spec = ParseSpec(item);
      if (!spec)
        return whole; // bad syntax: ignore the header
      specs.push_back(*spec);
    }
    if (comma == std::string_view::npos)
      break;
    list.remove_prefix(comma + 1);
  }
  if (specs.empty())
    return whole;
  // Which ranges can be satisfied at all.
  std::vector<ByteRange> satisfiable;
  for (const Spec& spec : specs) {
    ByteRange r;
    r.kind = ByteRange::Kind::kPartial;
    if (!spec.first) {
      const uint64_t suffix = *spec.last;
      if (suffix == 0 || size == 0)
        continue;
      r.first = suffix >= size ? 0 : size - suffix;
      r.last = size - 1;
    } else {
      if (*spec.first >= size)
        continue;
      r.first = *spec.first;
      r.last = spec.last && *spec.last < size ? *spec.last : size - 1;
    }
    satisfiable.push_back(r);
  }
  if (satisfiable.empty()) {
    ByteRange none;
    none.kind = ByteRange::Kind::kUnsatisfiable;
    return none;
  }
  if (specs.size() > 1)
    return whole; // several ranges: no multipart, the whole resource
  return satisfiable.front();
}

} // namespace ssr::http
