#include "control/org_settings.h"

#include <cstdio>

namespace ssr::control {
namespace {

int IntField(const nlohmann::json& value, const std::string& name, int min, int max) {
  if (!value.is_number_integer()) {
    throw SettingsError(name, "settings: '" + name + "' must be an integer");
  }
  const auto v = value.get<long long>();
  if (v < min || v > max) {
    throw SettingsError(name, "settings: '" + name + "' must be between " + std::to_string(min) +
                                  " and " + std::to_string(max));
  }
  return static_cast<int>(v);
}

std::string StringField(const nlohmann::json& value, const std::string& name) {
  if (!value.is_string()) {
    throw SettingsError(name, "settings: '" + name + "' must be a string");
  }
  return value.get<std::string>();
}

// "WIDTHxHEIGHT", even numbers from 320x180 to 1920x1080 (what the composer and the VP9
// level of a browser's decoder are sized for).
void ParseVideoSize(const nlohmann::json& value, PartVideo& video) {
  const std::string text = StringField(value, "video_size");
  int width = 0;
  int height = 0;
  char rest = 0;
  if (std::sscanf(text.c_str(), "%dx%d%c", &width, &height, &rest) != 2 || width % 2 != 0 ||
      height % 2 != 0 || width < 320 || width > 1920 || height < 180 || height > 1080) {
    throw SettingsError("video_size", "settings: 'video_size' must be WIDTHxHEIGHT in even "
                                      "pixels from 320x180 to 1920x1080, not '" +
                                          text + "'");
  }
  video.width = width;
  video.height = height;
}

} // namespace

void OrgSettings::CheckWebhook() const {
  if (!webhook_url.empty() && webhook_secret.size() < kMinWebhookSecret) {
    throw SettingsError("webhook_secret",
                        "settings: 'webhook_secret' must be at least " +
                            std::to_string(kMinWebhookSecret) +
                            " characters while 'webhook_url' is set: receivers check each "
                            "notification's signature with it");
  }
}

OrgSettings OrgSettings::FromJson(const nlohmann::json& object) {
  return FromJson(object, OrgSettings{});
}

nlohmann::json OrgSettings::ToJson(bool include_secret) const {
  nlohmann::json j = {
      {"autostart", autostart},
      {"countdown_s", countdown_s},
      {"attempts", attempts},
      {"max_part_duration_s", max_part_duration_s},
      {"disconnect_grace_s", disconnect_grace_s},
      {"webhook_url", webhook_url},
      {"video_size", std::to_string(video.width) + "x" + std::to_string(video.height)},
      {"video_fps", video.fps},
      {"video_bitrate_bps", video.bitrate_bps},
      {"raw_track_retention_days", raw_track_retention_days}};
  if (include_secret) {
    j["webhook_secret"] = webhook_secret;
  } else {
    j["webhook_secret_set"] = !webhook_secret.empty();
  }
  return j;
}

OrgSettings OrgSettings::FromJson(const nlohmann::json& object, const OrgSettings& base) {
  if (!object.is_object()) {
    throw SettingsError("", "settings: must be a JSON object");
  }
  OrgSettings s = base;
  for (const auto& [name, value] : object.items()) {
    if (name == "autostart") {
      if (!value.is_boolean()) {
        throw SettingsError("autostart", "settings: 'autostart' must be true or false");
      }
      s.autostart = value.get<bool>();
    } else if (name == "countdown_s") {
      s.countdown_s = IntField(value, name, 1, 3600);
    } else if (name == "attempts") {
      s.attempts = IntField(value, name, 1, 100);
    } else if (name == "max_part_duration_s") {
      s.max_part_duration_s = IntField(value, name, 0, 7 * 24 * 3600);
      if (s.max_part_duration_s != 0 && s.max_part_duration_s < 5) {
        throw SettingsError("max_part_duration_s",
                            "settings: 'max_part_duration_s' must be 0 (never) or at least 5");
      }
    } else if (name == "disconnect_grace_s") {
      s.disconnect_grace_s = IntField(value, name, 0, 24 * 3600);
    } else if (name == "webhook_url") {
      s.webhook_url = StringField(value, name);
      if (!s.webhook_url.empty() && s.webhook_url.rfind("http://", 0) != 0 &&
          s.webhook_url.rfind("https://", 0) != 0) {
        throw SettingsError("webhook_url",
                            "settings: 'webhook_url' must start with http:// or https://");
      }
    } else if (name == "webhook_secret") {
      s.webhook_secret = StringField(value, name);
    } else if (name == "video_size") {
      ParseVideoSize(value, s.video);
    } else if (name == "video_fps") {
      s.video.fps = IntField(value, name, 5, 60);
    } else if (name == "video_bitrate_bps") {
      s.video.bitrate_bps = IntField(value, name, 0, 50'000'000);
      if (s.video.bitrate_bps != 0 && s.video.bitrate_bps < 50'000) {
        throw SettingsError("video_bitrate_bps", "settings: 'video_bitrate_bps' must be 0 (the "
                                                 "default for the size and frame rate) or at "
                                                 "least 50000");
      }
    } else if (name == "raw_track_retention_days") {
      s.raw_track_retention_days = IntField(value, name, 0, 36500);
    } else if (name == "webhook_secret_set") {
      // Echoed back by a client that PUTs what it GOT: harmless, ignored.
    } else {
      throw SettingsError(name, "settings: unknown field '" + name + "'");
    }
  }
  return s;
}

} // namespace ssr::control
