#pragma once
// "Schedule release" (R15): a date and time as the host reads it on a wall clock in an IANA
// time zone, turned into the instant it stands for. Zones come from the system's tz database
// (/usr/share/zoneinfo, read by Howard Hinnant's date library: libstdc++ 12 has no
// std::chrono::locate_zone).

#include "common/error.h"

#include <optional>
#include <stdexcept>
#include <string>

namespace ssr::library {

// Why a release time cannot be used; `field` is "release_at" or "release_timezone".
class ReleaseTimeError : public Error {
 public:
  ReleaseTimeError(std::string field, const std::string& message)
      : Error(ErrorKind::kInvalid, message, std::move(field)) {}
};

// A wall-clock date and time with no zone: "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS".
struct LocalDateTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;

  // "YYYY-MM-DDTHH:MM", with ":SS" only when the seconds are not 0.
  std::string ToString() const;
};

// Parses `text`; nullopt when it is not such a date and time (or not a real date: 02-30).
std::optional<LocalDateTime> ParseLocalDateTime(const std::string& text);

// True when `name` is a zone of the tz database ("Europe/Paris", "UTC").
bool IsTimeZone(const std::string& name);

// The instant (Unix seconds) at which clocks in `zone` show `local`. A time that occurs twice
// (clocks going back) is its first occurrence; a time that never occurs (clocks jumping
// forward) is refused. Throws ReleaseTimeError naming the field at fault.
double LocalToUnixSeconds(const LocalDateTime& local, const std::string& zone);

} // namespace ssr::library
