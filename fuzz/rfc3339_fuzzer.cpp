// Fuzzes the RFC 3339 date-time parser (http::ParseRfc3339: a share link's expires_at) with
// any bytes. It has no error to throw: nullopt or a finite instant. An accepted date is a
// real one (no February 30, leap second or not), and an instant of years 1970-9999 formats
// (control::FormatRfc3339, what the API answers) to a text that parses back to it within the
// millisecond the format keeps.

#include "control/recording.h"
#include "http/rfc3339.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

namespace {

bool Digits(const std::string& text, size_t from, size_t count) {
  for (size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9')
      return false;
  }
  return true;
}

int Number(const std::string& text, size_t from, size_t count) {
  int n = 0;
  for (size_t i = from; i < from + count; ++i)
    n = n * 10 + (text[i] - '0');
  return n;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::optional<double> parsed = ssr::http::ParseRfc3339(text);
  if (!parsed)
    return 0;
  if (!std::isfinite(*parsed))
    std::abort();
  // The calendar date as written must exist: the date-time without fraction and offset, as
  // UTC, falls on that day (a leap second :60 is the second after :59 of that day).
  if (text.size() >= 19 && Digits(text, 0, 4) && text[4] == '-' && Digits(text, 5, 2) &&
      text[7] == '-' && Digits(text, 8, 2) && Digits(text, 17, 2)) {
    const std::optional<double> utc = ssr::http::ParseRfc3339(text.substr(0, 19) + "Z");
    if (!utc)
      std::abort();
    const bool leap = Number(text, 17, 2) == 60;
    const auto seconds = static_cast<time_t>(*utc) - (leap ? 1 : 0);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    if (tm.tm_year + 1900 != Number(text, 0, 4) || tm.tm_mon + 1 != Number(text, 5, 2) ||
        tm.tm_mday != Number(text, 8, 2))
      std::abort();
  }
  constexpr double kYear10000 = 253402300800.0; // 10000-01-01T00:00:00Z
  if (*parsed >= 0 && *parsed < kYear10000 - 1) {
    const std::string formatted = ssr::control::FormatRfc3339(*parsed);
    const std::optional<double> again = ssr::http::ParseRfc3339(formatted);
    if (!again || std::fabs(*again - *parsed) > 0.0005 + 1e-6)
      std::abort();
  }
  return 0;
}
