#pragma once
// A recording's sharing settings as the API reads and writes them (R15):
//   {stream_by: ["attendees","presenters"], download_by: [...],
//    grants: [{user, stream, download}], release_at: null | "2026-12-01T09:00",
//    release_timezone: "America/New_York"}
// PUT sends the whole settings: every field is checked, and a bad one is a SharingFieldError
// naming it ("grants[1].user"). The release time is also kept as the instant it stands for.

#include "common/error.h"
#include "library/access_policy.h"
#include "library/release_time.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace ssr::library {

class SharingFieldError : public Error {
 public:
  SharingFieldError(const std::string& field, const std::string& what)
      : Error(ErrorKind::kInvalid, "field '" + field + "' " + what, field) {}
};

struct SharingRecord {
  SharingSettings settings;                // what the access policy reads (release_at_s in UTC)
  std::optional<LocalDateTime> release_at; // as the host wrote it, in release_timezone
  std::string release_timezone;            // IANA name; the session's zone until one is saved
  int64_t version = 0;                     // 0: never saved (the defaults); +1 per save
  std::string updated_at;                  // RFC 3339 UTC of the last save ("" : never)
  std::string updated_by;                  // who saved last ("platform" or a user id)
};

// Parses a PUT body into the settings it asks for (version and updated_* left empty).
// Throws SharingFieldError.
SharingRecord ParseSharing(const nlohmann::json& body);

// The JSON the API returns (with `release_at_utc`, `version`, `updated_at`, `updated_by`,
// which a PUT may send back and which are then ignored).
nlohmann::json SharingJson(const SharingRecord& record);

// The strong ETag of a version: "\"v<version>\"".
std::string SharingETag(int64_t version);

std::string_view AudienceName(Audience audience); // "attendees", "presenters"

} // namespace ssr::library
