#include "library/release_time.h"

#include <date/tz.h>

#include <cstdio>
#include <regex>

namespace ssr::library {
namespace {

std::string TwoDigits(int n) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02d", n);
  return buffer;
}

const date::time_zone* FindZone(const std::string& name) {
  if (name.empty() || name.size() > 64)
    return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

} // namespace

std::string LocalDateTime::ToString() const {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d", year, month, day, hour, minute);
  std::string text = buffer;
  if (second != 0)
    text += ":" + TwoDigits(second);
  return text;
}

std::optional<LocalDateTime> ParseLocalDateTime(const std::string& text) {
  static const std::regex kFormat(R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?)");
  std::smatch m;
  if (text.size() > 19 || !std::regex_match(text, m, kFormat))
    return std::nullopt;
  LocalDateTime t{std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3]),
                  std::stoi(m[4]), std::stoi(m[5]), m[6].matched ? std::stoi(m[6]) : 0};
  const date::year_month_day ymd{date::year{t.year}, date::month(static_cast<unsigned>(t.month)),
                                 date::day(static_cast<unsigned>(t.day))};
  if (!ymd.ok() || t.year < 1970 || t.hour > 23 || t.minute > 59 || t.second > 59) {
    return std::nullopt;
  }
  return t;
}

bool IsTimeZone(const std::string& name) { return FindZone(name) != nullptr; }

double LocalToUnixSeconds(const LocalDateTime& local, const std::string& zone_name) {
  const date::time_zone* zone = FindZone(zone_name);
  if (!zone) {
    throw ReleaseTimeError("release_timezone", "'" + zone_name +
                                                   "' is not an IANA time zone (e.g. "
                                                   "America/New_York)");
  }
  const date::local_seconds wall =
      date::local_days{date::year{local.year} / local.month / local.day} +
      std::chrono::hours{local.hour} + std::chrono::minutes{local.minute} +
      std::chrono::seconds{local.second};
  const date::local_info info = zone->get_info(wall);
  if (info.result == date::local_info::nonexistent) {
    throw ReleaseTimeError("release_at", local.ToString() + " does not exist in " + zone_name +
                                             " (clocks jump forward then): choose another time");
  }
  // unique: its one offset; ambiguous: the first occurrence, at the earlier offset.
  const auto utc = wall.time_since_epoch() - info.first.offset;
  return static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(utc).count());
}

} // namespace ssr::library
