#include "library/sharing_settings.h"

#include "control/recording.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace ssr::library {
namespace {

using nlohmann::json;

constexpr size_t kMaxGrants = 1000;
constexpr size_t kMaxUserBytes = 320; // an e-mail address at its longest

// Fields GET shows that a PUT may send back unchanged: ignored.
const std::set<std::string> kReadOnly = {"release_at_utc", "version", "updated_at", "updated_by"};

std::optional<Audience> AudienceFromName(const std::string& name) {
  if (name == "attendees")
    return Audience::kAttendees;
  if (name == "presenters")
    return Audience::kPresenters;
  return std::nullopt;
}

const json& Required(const json& body, const std::string& field) {
  const auto it = body.find(field);
  if (it == body.end()) {
    throw SharingFieldError(field, "is required (PUT sends the whole settings)");
  }
  return *it;
}

std::set<Audience> ParseAudiences(const json& value, const std::string& field) {
  if (!value.is_array()) {
    throw SharingFieldError(field, "must be an array of \"attendees\" and/or \"presenters\"");
  }
  std::set<Audience> audiences;
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string where = field + "[" + std::to_string(i) + "]";
    const auto audience =
        value[i].is_string() ? AudienceFromName(value[i].get<std::string>()) : std::nullopt;
    if (!audience)
      throw SharingFieldError(where, "must be \"attendees\" or \"presenters\"");
    if (!audiences.insert(*audience).second) {
      throw SharingFieldError(where, "names '" + value[i].get<std::string>() + "' twice");
    }
  }
  return audiences;
}

std::string Lowercase(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool ParseFlag(const json& grant, const std::string& where, const char* name) {
  const auto it = grant.find(name);
  if (it == grant.end())
    return false;
  if (!it->is_boolean())
    throw SharingFieldError(where + "." + name, "must be true or false");
  return it->get<bool>();
}

std::vector<Grant> ParseGrants(const json& value) {
  if (!value.is_array())
    throw SharingFieldError("grants", "must be an array of {user, stream, download}");
  if (value.size() > kMaxGrants) {
    throw SharingFieldError("grants", "has more than " + std::to_string(kMaxGrants) + " entries");
  }
  std::vector<Grant> grants;
  std::set<std::string> users; // lowercase: a user named twice, however spelt
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string where = "grants[" + std::to_string(i) + "]";
    const json& g = value[i];
    if (!g.is_object())
      throw SharingFieldError(where, "must be an object {user, stream, download}");
    for (const auto& [key, unused] : g.items()) {
      if (key != "user" && key != "stream" && key != "download") {
        throw SharingFieldError(where + "." + key,
                                "is not a field of a grant (user, stream, download)");
      }
    }
    const auto user = g.find("user");
    if (user == g.end() || !user->is_string()) {
      throw SharingFieldError(where + ".user", "must be a user id or e-mail (a string)");
    }
    Grant grant{user->get<std::string>(), ParseFlag(g, where, "stream"),
                ParseFlag(g, where, "download")};
    if (grant.user.empty() || grant.user.size() > kMaxUserBytes ||
        std::any_of(grant.user.begin(), grant.user.end(), [](char c) {
          const auto u = static_cast<unsigned char>(c);
          return u <= 0x20 || u == 0x7f;
        })) {
      throw SharingFieldError(where + ".user",
                              "must be 1 to " + std::to_string(kMaxUserBytes) +
                                  " characters with no spaces or control characters");
    }
    if (!users.insert(Lowercase(grant.user)).second) {
      throw SharingFieldError(where + ".user", "'" + grant.user + "' has a grant already");
    }
    grants.push_back(std::move(grant));
  }
  return grants;
}

} // namespace

std::string_view AudienceName(Audience audience) {
  return audience == Audience::kAttendees ? "attendees" : "presenters";
}

std::string SharingETag(int64_t version) { return "\"v" + std::to_string(version) + "\""; }

SharingRecord ParseSharing(const json& body) {
  if (!body.is_object()) {
    throw SharingFieldError("(body)", "must be a JSON object {stream_by, download_by, grants, "
                                      "release_at, release_timezone}");
  }
  for (const auto& [key, unused] : body.items()) {
    if (key != "stream_by" && key != "download_by" && key != "grants" && key != "release_at" &&
        key != "release_timezone" && !kReadOnly.count(key)) {
      throw SharingFieldError(key, "is not a sharing setting (stream_by, download_by, grants, "
                                   "release_at, release_timezone)");
    }
  }
  SharingRecord record;
  record.settings.stream_by = ParseAudiences(Required(body, "stream_by"), "stream_by");
  record.settings.download_by = ParseAudiences(Required(body, "download_by"), "download_by");
  record.settings.grants = ParseGrants(Required(body, "grants"));
  const json& release_at = Required(body, "release_at");
  const auto zone = body.find("release_timezone");
  if (zone != body.end() && !zone->is_null()) {
    if (!zone->is_string() || !IsTimeZone(zone->get<std::string>())) {
      throw SharingFieldError(
          "release_timezone",
          (zone->is_string() ? "'" + zone->get<std::string>() + "' " : std::string("")) +
              "must be an IANA time zone (e.g. America/New_York)");
    }
    record.release_timezone = zone->get<std::string>();
  }
  if (!release_at.is_null()) {
    const auto local =
        release_at.is_string() ? ParseLocalDateTime(release_at.get<std::string>()) : std::nullopt;
    if (!local) {
      throw SharingFieldError("release_at",
                              "must be null or a local date and time "
                              "YYYY-MM-DDTHH:MM[:SS] (no zone: see release_timezone)");
    }
    if (record.release_timezone.empty()) {
      throw SharingFieldError("release_timezone", "is required with release_at (the zone its "
                                                  "date and time are in)");
    }
    try {
      record.settings.release_at_s = LocalToUnixSeconds(*local, record.release_timezone);
    } catch (const ReleaseTimeError& e) {
      throw SharingFieldError(e.field(), e.what());
    }
    record.release_at = local;
  }
  return record;
}

json SharingJson(const SharingRecord& record) {
  auto audiences = [](const std::set<Audience>& set) {
    json array = json::array();
    for (Audience a : set)
      array.push_back(AudienceName(a));
    return array;
  };
  json grants = json::array();
  for (const Grant& g : record.settings.grants) {
    grants.push_back({{"user", g.user}, {"stream", g.stream}, {"download", g.download}});
  }
  auto nullable = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  return {{"stream_by", audiences(record.settings.stream_by)},
          {"download_by", audiences(record.settings.download_by)},
          {"grants", grants},
          {"release_at", record.release_at ? json(record.release_at->ToString()) : json(nullptr)},
          {"release_timezone", nullable(record.release_timezone)},
          {"release_at_utc", record.settings.release_at_s
                                 ? json(control::FormatRfc3339(*record.settings.release_at_s))
                                 : json(nullptr)},
          {"version", record.version},
          {"updated_at", nullable(record.updated_at)},
          {"updated_by", nullable(record.updated_by)}};
}

} // namespace ssr::library
