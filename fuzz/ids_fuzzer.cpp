// Fuzzes the validators of the names a request brings (common/ids.h: session, recording and
// share-link ids, track ids and lists, asset names, storage keys) with any bytes, and the ids
// the server makes up (auth/new_ids.h). Each validator returns "" or what is wrong, never
// crashes; what it accepts has the documented length and characters; a valid recording id
// makes valid storage keys of its parts (recordings/{rid}/part-N.ext); a valid track list
// splits into valid track ids that join back into it; and every generated id passes the
// check of its routes.

#include "auth/new_ids.h"
#include "common/ids.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

bool IsAsciiAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool Only(std::string_view text, std::string_view specials) {
  for (unsigned char c : text) {
    if (!IsAsciiAlnum(c) && specials.find(static_cast<char>(c)) == std::string_view::npos)
      return false;
  }
  return true;
}

void Require(bool condition) {
  if (!condition)
    std::abort();
}

void CheckValidators(std::string_view text) {
  if (ssr::CheckSessionId(text).empty()) {
    Require(!text.empty() && text.size() <= ssr::kMaxSessionIdBytes);
    Require(text.front() != '.' && text.front() != '-' && Only(text, "-_."));
  }
  if (ssr::CheckPlainId(text).empty()) {
    Require(!text.empty() && text.size() <= ssr::kMaxPlainIdBytes && Only(text, "-_"));
    Require(ssr::CheckTrackId(text).empty());
    const std::string rid(text);
    Require(ssr::CheckStorageKey("recordings/" + rid + "/part-1.webm").empty());
    Require(ssr::CheckStorageKey("recordings/" + rid + "/part-12.chapters.vtt").empty());
  }
  if (ssr::CheckTrackId(text).empty()) {
    Require(!text.empty() && text.size() <= ssr::kMaxTrackIdBytes && Only(text, "-_."));
    Require(ssr::CheckTrackList(text).empty());
  }
  const auto ids = ssr::SplitTrackList(text);
  std::string joined;
  for (size_t i = 0; i < ids.size(); ++i)
    joined += (i == 0 ? "" : "+") + ids[i];
  Require(joined == text);
  if (ssr::CheckTrackList(text).empty()) {
    Require(!ids.empty() && ids.size() <= ssr::kMaxTracksPerWhipResource);
    for (const auto& id : ids)
      Require(ssr::CheckTrackId(id).empty());
  }
  if (ssr::CheckAssetName(text).empty()) {
    Require(!text.empty() && text.size() <= ssr::kMaxAssetNameBytes && text.front() != '.');
    Require(text.find('/') == std::string_view::npos && text.find('\\') == std::string_view::npos);
    Require(text.find("..") == std::string_view::npos);
    for (unsigned char c : text)
      Require(c >= 0x20 && c != 0x7f);
  }
  if (ssr::CheckStorageKey(text).empty()) {
    Require(!text.empty() && text.size() <= ssr::kMaxStorageKeyBytes && Only(text, "._-/"));
    Require(text.front() != '/' && text.back() != '/');
    Require(text.find("//") == std::string_view::npos);
    // No "." or ".." segment: a safe relative path.
    const std::string padded = "/" + std::string(text) + "/";
    Require(padded.find("/./") == std::string::npos && padded.find("/../") == std::string::npos);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckValidators(text);
  // The ids the server makes up: random, so the input only says how long RandomId's are.
  Require(ssr::CheckSessionId(ssr::auth::NewSessionId()).empty());
  Require(ssr::CheckPlainId(ssr::auth::NewRecordingId()).empty());
  Require(ssr::CheckPlainId(ssr::auth::NewShareLinkId()).empty());
  Require(ssr::CheckPlainId(ssr::auth::NewWhipResourceId()).empty());
  const std::string account = ssr::auth::NewAccountId();
  Require(!account.empty() && account.find(' ') == std::string::npos);
  const size_t bytes = 1 + (size > 0 ? data[0] % 48 : 0); // 1..48 bytes: 2..64 characters
  const std::string id = ssr::auth::RandomId(bytes);
  Require(ssr::CheckSessionId(id).empty() && ssr::CheckPlainId(id).empty());
  CheckValidators(id);
  return 0;
}
