#include "control/recording.h"

#include <array>
#include <cmath>
#include <ctime>
#include <stdexcept>

namespace ssr::control {
namespace {

constexpr std::array<std::string_view, 6> kRecordingNames = {"initializing", "recording", "paused",
                                                             "processing",   "ready",     "failed"};
constexpr std::array<std::string_view, 4> kPartNames = {"recording", "processing", "ready",
                                                        "failed"};

} // namespace

std::string_view StatusName(RecordingStatus status) {
  return kRecordingNames[static_cast<size_t>(status)];
}

std::string_view StatusName(PartStatus status) { return kPartNames[static_cast<size_t>(status)]; }

RecordingStatus RecordingStatusFromName(std::string_view name) {
  for (size_t i = 0; i < kRecordingNames.size(); ++i) {
    if (kRecordingNames[i] == name) {
      return static_cast<RecordingStatus>(i);
    }
  }
  throw std::invalid_argument("unknown recording status '" + std::string(name) + "'");
}

PartStatus PartStatusFromName(std::string_view name) {
  for (size_t i = 0; i < kPartNames.size(); ++i) {
    if (kPartNames[i] == name) {
      return static_cast<PartStatus>(i);
    }
  }
  throw std::invalid_argument("unknown part status '" + std::string(name) + "'");
}

std::string FormatRfc3339(double wall_s) {
  const double whole = std::floor(wall_s);
  const auto seconds = static_cast<std::time_t>(whole);
  int ms = static_cast<int>(std::lround((wall_s - whole) * 1000));
  std::time_t t = seconds;
  if (ms == 1000) {
    ms = 0;
    ++t;
  }
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", ms);
  return buf;
}

} // namespace ssr::control
