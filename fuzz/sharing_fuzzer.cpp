// Fuzzes the sharing settings of PUT /api/v1/recordings/{rid}/sharing: the body through
// http::ParseJson (depth limit) and library::ParseSharing (audiences, grants, a release time
// in an IANA zone). A bad body may only be refused with ApiError (400 invalid_json) or
// SharingFieldError (400 naming the field). Accepted settings answer as JSON that a client
// may PUT back as it got it: that parses to the same settings.

#include "http/json_body.h"
#include "library/sharing_settings.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const nlohmann::json body = ssr::http::ParseJson(text, "body");
    const ssr::library::SharingRecord record = ssr::library::ParseSharing(body);
    const nlohmann::json answer = ssr::library::SharingJson(record);
    (void)answer.dump(); // what GET sends
    const ssr::library::SharingRecord again = ssr::library::ParseSharing(answer);
    if (ssr::library::SharingJson(again) != answer)
      std::abort();
  } catch (const ssr::http::ApiError&) {
    // 400 invalid_json
  } catch (const ssr::library::SharingFieldError&) {
    // 400 invalid_field
  }
  return 0;
}
