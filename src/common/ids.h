#pragma once
// The names a request brings that the server then uses as directory names, file names, URL
// segments or object keys: session ids, asset names, recording and share-link ids, track ids,
// storage keys. One validator per kind, all in one style: each returns "" when the name is
// fine, else what is wrong with it, worded for the caller (the API sends it back as is). The
// limits are named constants so that docs and tests can refer to them.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ssr {

inline constexpr size_t kMaxSessionIdBytes = 64;
inline constexpr size_t kMaxAssetNameBytes = 200;
inline constexpr size_t kMaxPlainIdBytes = 64;
inline constexpr size_t kMaxTrackIdBytes = 64;
inline constexpr size_t kMaxTracksPerWhipResource = 2; // one video and one audio
inline constexpr size_t kMaxStorageKeyBytes = 512;

// A session id names the session's bundle directory: 1-64 letters, digits, '-', '_' and
// '.', not starting with '.' or '-'. The text has no subject ("must be 1 to 64
// characters"): callers say which field it is.
std::string CheckSessionId(std::string_view id);

// An asset is a file in the bundle's assets/: any 1-200 bytes but '/', '\\', "..", a
// leading '.' and control characters (names people give slides keep their spaces and
// accents).
std::string CheckAssetName(std::string_view name);

// A recording or share-link id (and a token's characters): 1-64 letters, digits, '-' and
// '_'.
std::string CheckPlainId(std::string_view id);

// One track id of a session (a WHIP resource's or an RTP forward's): 1-64 letters, digits,
// '-', '_' and '.'.
std::string CheckTrackId(std::string_view id);

// The {tracks} segment of a WHIP URL: one track id, or two joined by '+'.
std::string CheckTrackList(std::string_view tracks);
// The track ids of a {tracks} segment, split at each '+' (empty ids kept: CheckTrackList
// reports them).
std::vector<std::string> SplitTrackList(std::string_view tracks);

// A key of stored media (storage::StorageBackend): 1-512 characters, '/'-separated segments
// of letters, digits, '.', '_' and '-', none empty, "." or "..". Such a key is a safe
// relative path and needs no percent-encoding in a URL.
std::string CheckStorageKey(std::string_view key);

} // namespace ssr
