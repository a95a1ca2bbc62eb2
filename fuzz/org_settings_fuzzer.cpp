// Fuzzes the organization settings of PUT /api/v1/settings: the body through http::ParseJson
// (depth limit) and control::OrgSettings::FromJson on the defaults. A bad body may only be
// refused with ApiError (400 invalid_json) or SettingsError (400 naming the field). Accepted
// settings are within their documented ranges, and their JSON (with the secret, as stored)
// reads back to the same settings.

#include "control/org_settings.h"
#include "http/json_body.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const nlohmann::json body = ssr::http::ParseJson(text, "body");
    const auto settings = ssr::control::OrgSettings::FromJson(body);
    const auto& v = settings.video;
    if (settings.countdown_s < 1 || settings.attempts < 1 || settings.disconnect_grace_s < 0 ||
        settings.max_part_duration_s < 0 || v.width < 320 || v.width > 1920 || v.height < 180 ||
        v.height > 1080 || v.width % 2 != 0 || v.height % 2 != 0 || v.fps < 5 || v.fps > 60 ||
        v.bitrate_bps < 0)
      std::abort();
    const nlohmann::json stored = settings.ToJson(/*include_secret=*/true);
    (void)stored.dump();
    const auto again = ssr::control::OrgSettings::FromJson(stored);
    if (again.ToJson(true) != stored)
      std::abort();
  } catch (const ssr::http::ApiError&) {
    // 400 invalid_json
  } catch (const ssr::control::SettingsError&) {
    // 400 invalid_field
  }
  return 0;
}
