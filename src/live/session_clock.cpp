#include "live/session_clock.h"

#include "common/log.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace ssr::live {
namespace {

using SystemClock = std::chrono::system_clock;

double UnixSeconds(SystemClock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

} // namespace

SessionClock::SessionClock(std::filesystem::path state_file) : state_file_(std::move(state_file)) {
  std::ifstream in(state_file_);
  if (!in)
    return;
  try {
    const auto j = nlohmann::json::parse(in);
    // Saved as wall-clock time (steady_clock does not survive a reboot); mapped back to
    // steady_clock through the current offset between the two.
    const double origin_unix_s = j.at("origin_unix_s").get<double>();
    const double age_s = UnixSeconds(SystemClock::now()) - origin_unix_s;
    origin_ = Clock::now() -
              std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(age_s));
  } catch (const std::exception& e) {
    Logger("ingest")->warn("{}: ignored ({})", state_file_.string(), e.what());
  }
}

void SessionClock::Save() const {
  const double age_s = std::chrono::duration<double>(Clock::now() - *origin_).count();
  const std::filesystem::path temp = state_file_.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << nlohmann::json{{"origin_unix_s", UnixSeconds(SystemClock::now()) - age_s}}.dump()
        << '\n';
  }
  std::error_code ec;
  std::filesystem::rename(temp, state_file_, ec);
}

void SessionClock::AnchorAt(double t) {
  std::lock_guard lock(mutex_);
  if (origin_)
    return;
  origin_ =
      Clock::now() - std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(t));
  Save();
}

bool SessionClock::anchored() const {
  std::lock_guard lock(mutex_);
  return origin_.has_value();
}

SessionClock::Clock::time_point SessionClock::Origin() {
  std::lock_guard lock(mutex_);
  if (!origin_) {
    origin_ = Clock::now();
    Save();
  }
  return *origin_;
}

std::optional<double> SessionClock::SessionTime(int64_t mono_ns) const {
  std::lock_guard lock(mutex_);
  if (!origin_)
    return std::nullopt;
  const auto origin_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(origin_->time_since_epoch()).count();
  return static_cast<double>(mono_ns - origin_ns) / 1e9;
}

double SessionClock::Now() const {
  std::lock_guard lock(mutex_);
  if (!origin_)
    return 0;
  return std::chrono::duration<double>(Clock::now() - *origin_).count();
}

} // namespace ssr::live
