#include "common/ids.h"

#include <algorithm>

namespace ssr {
namespace {

// ASCII only, whatever the locale (std::isalnum would follow it).
bool IsAsciiAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// True when every character is a letter, a digit or one of `specials`.
bool OnlyAlnumAnd(std::string_view text, std::string_view specials) {
  for (unsigned char c : text) {
    if (!IsAsciiAlnum(c) && specials.find(static_cast<char>(c)) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

} // namespace

std::string CheckSessionId(std::string_view id) {
  if (id.empty() || id.size() > kMaxSessionIdBytes) {
    return "must be 1 to " + std::to_string(kMaxSessionIdBytes) + " characters";
  }
  if (id.front() == '.' || id.front() == '-')
    return "must not start with '.' or '-'";
  if (!OnlyAlnumAnd(id, "-_."))
    return "may contain only letters, digits, '-', '_' and '.'";
  return "";
}

std::string CheckAssetName(std::string_view name) {
  if (name.empty())
    return "asset name must not be empty";
  if (name.size() > kMaxAssetNameBytes) {
    return "asset name is longer than " + std::to_string(kMaxAssetNameBytes) + " bytes";
  }
  if (name.find('/') != std::string_view::npos || name.find('\\') != std::string_view::npos) {
    return "asset name must not contain '/' or '\\'";
  }
  if (name.find("..") != std::string_view::npos)
    return "asset name must not contain '..'";
  if (name.front() == '.')
    return "asset name must not start with '.'";
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f)
      return "asset name must not contain control characters";
  }
  return "";
}

std::string CheckPlainId(std::string_view id) {
  if (id.empty() || id.size() > kMaxPlainIdBytes) {
    return "id must be 1 to " + std::to_string(kMaxPlainIdBytes) + " characters";
  }
  if (!OnlyAlnumAnd(id, "-_"))
    return "id may contain only letters, digits, '-' and '_'";
  return "";
}

std::string CheckTrackId(std::string_view id) {
  if (id.empty() || id.size() > kMaxTrackIdBytes) {
    return "track id must be 1 to " + std::to_string(kMaxTrackIdBytes) + " characters";
  }
  if (!OnlyAlnumAnd(id, "-_.")) {
    return "track id '" + std::string(id) + "' may contain only letters, digits, '-', '_' and '.'";
  }
  return "";
}

std::vector<std::string> SplitTrackList(std::string_view tracks) {
  std::vector<std::string> ids;
  size_t start = 0;
  while (true) {
    const size_t plus = tracks.find('+', start);
    ids.emplace_back(tracks.substr(start, plus == std::string_view::npos ? std::string_view::npos
                                                                         : plus - start));
    if (plus == std::string_view::npos)
      break;
    start = plus + 1;
  }
  return ids;
}

std::string CheckTrackList(std::string_view tracks) {
  const std::vector<std::string> ids = SplitTrackList(tracks);
  for (const std::string& id : ids) {
    if (std::string problem = CheckTrackId(id); !problem.empty())
      return problem;
  }
  if (ids.size() > kMaxTracksPerWhipResource) {
    return "at most two track ids (video+audio) per WHIP resource";
  }
  return "";
}

std::string CheckStorageKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxStorageKeyBytes) {
    return "a key must have 1 to " + std::to_string(kMaxStorageKeyBytes) + " characters";
  }
  size_t start = 0;
  while (start <= key.size()) {
    const size_t slash = std::min(key.find('/', start), key.size());
    const std::string_view segment = key.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return "empty, '.' or '..' segment in key '" + std::string(key) + "'";
    }
    if (!OnlyAlnumAnd(segment, "._-")) {
      return "character not allowed in key '" + std::string(key) + "'";
    }
    start = slash + 1;
  }
  return "";
}

} // namespace ssr
