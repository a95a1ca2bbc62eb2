#include "http/rfc3339.h"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace ssr::http {

std::optional<double> ParseRfc3339(const std::string& text) {
  int year, month, day, hour, minute, second;
  char t = 0;
  int used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d%n", &year, &month, &day, &t, &hour,
                  &minute, &second, &used) != 7 ||
      used != 19 || (t != 'T' && t != 't' && t != ' ')) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 ||
      hour < 0 || minute < 0 || second < 0) {
    return std::nullopt;
  }
  std::string rest = text.substr(19);
  double fraction = 0;
  if (!rest.empty() && rest[0] == '.') {
    size_t i = 1;
    double scale = 0.1;
    while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) {
      fraction += (rest[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == 1)
      return std::nullopt;
    rest = rest.substr(i);
  }
  int offset_s = 0;
  if (rest == "Z" || rest == "z") {
    offset_s = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
             std::isdigit(static_cast<unsigned char>(rest[1])) &&
             std::isdigit(static_cast<unsigned char>(rest[2])) &&
             std::isdigit(static_cast<unsigned char>(rest[4])) &&
             std::isdigit(static_cast<unsigned char>(rest[5]))) {
    const int hours = (rest[1] - '0') * 10 + (rest[2] - '0');
    const int minutes = (rest[4] - '0') * 10 + (rest[5] - '0');
    if (hours > 23 || minutes > 59)
      return std::nullopt;
    offset_s = (hours * 3600 + minutes * 60) * (rest[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const time_t unix = timegm(&tm);
  // The day must exist; a leap second (:60) is checked as the second before it (:59).
  const time_t check = second == 60 ? unix - 1 : unix;
  std::tm back{};
  gmtime_r(&check, &back);
  if (back.tm_mday != day)
    return std::nullopt; // e.g. February 30
  return static_cast<double>(unix) - offset_s + fraction;
}

} // namespace ssr::http
