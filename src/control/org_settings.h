#pragma once
// Organization settings of recording control (GET/PUT /api/v1/settings), stored as one JSON
// object. Every field has a default here; a stored object only holds what was set.

#include "common/error.h"
#include "control/part_video.h"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace ssr::control {

class SettingsError : public Error {
 public:
  SettingsError(std::string field, const std::string& message)
      : Error(ErrorKind::kInvalid, message, std::move(field)) {}
};

struct OrgSettings {
  bool autostart = false;         // R10: start the main room when a session starts
  int countdown_s = 180;          // R2: per attempt
  int attempts = 5;               // R2
  int max_part_duration_s = 7200; // R6: 0 = never roll over
  int disconnect_grace_s = 120;   // R7
  std::string webhook_url;        // "" = no webhooks
  std::string webhook_secret;     // HMAC-SHA256 key of X-SSR-Signature
  PartVideo video; // video_size "WIDTHxHEIGHT", video_fps, video_bitrate_bps: for new parts
  // Days a session's raw tracks are kept after its last event or media (0: for ever); then
  // the purge removes them (server::RawTrackPurge). Recordings are not affected.
  int raw_track_retention_days = 0;

  // The JSON object; the secret is left out unless asked for (GET shows "webhook_secret_set").
  nlohmann::json ToJson(bool include_secret) const;

  // `base` with the fields of `object` applied. Throws SettingsError naming the field for an
  // unknown field, a wrong JSON type or a value out of range.
  static OrgSettings FromJson(const nlohmann::json& object, const OrgSettings& base);
  static OrgSettings FromJson(const nlohmann::json& object); // on the defaults

  // What a change must leave (PUT /api/v1/settings; stored settings are not re-checked): a
  // webhook URL goes with a secret of at least kMinWebhookSecret characters, or receivers
  // could not tell our notifications from forged ones. Throws SettingsError.
  void CheckWebhook() const;
  static constexpr size_t kMinWebhookSecret = 16;
};

} // namespace ssr::control
