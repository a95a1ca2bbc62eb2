#include "storage/s3_config.h"

#include "common/ids.h"
#include "storage/storage_backend.h"

#include <algorithm>
#include <set>

namespace ssr::storage {
namespace {

[[noreturn]] void Bad(const std::string& key, const std::string& what) {
  throw StorageError("storage \"" + key + "\": " + what);
}

std::string String(const nlohmann::json& config, const std::string& key, bool required) {
  if (!config.contains(key)) {
    if (required) {
      Bad(key, "missing (the s3 backend needs it)");
    }
    return {};
  }
  if (!config.at(key).is_string()) {
    Bad(key, "must be a string");
  }
  auto value = config.at(key).get<std::string>();
  if (required && value.empty()) {
    Bad(key, "must not be empty");
  }
  return value;
}

int Integer(const nlohmann::json& config, const std::string& key, int fallback, int min, int max) {
  if (!config.contains(key)) {
    return fallback;
  }
  const auto& v = config.at(key);
  if (!v.is_number_integer() || v.get<int64_t>() < min || v.get<int64_t>() > max) {
    Bad(key, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return v.get<int>();
}

bool AllOf(const std::string& s, const char* allowed_punctuation) {
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           std::string_view(allowed_punctuation).find(c) != std::string_view::npos;
  });
}

} // namespace

S3Config S3Config::FromJson(const nlohmann::json& config) {
  static const std::set<std::string> kKnown = {"kind",
                                               "endpoint",
                                               "bucket",
                                               "region",
                                               "access_key",
                                               "secret_key",
                                               "prefix",
                                               "connect_timeout_ms",
                                               "low_speed_time_s",
                                               "low_speed_bytes_per_s",
                                               "attempts",
                                               "retry_delay_ms",
                                               "part_size_bytes"};
  for (const auto& [key, value] : config.items()) {
    if (!kKnown.count(key)) {
      Bad(key, "is not a setting of the s3 backend");
    }
  }
  S3Config c;
  c.endpoint = String(config, "endpoint", true);
  if (c.endpoint.rfind("http://", 0) != 0 && c.endpoint.rfind("https://", 0) != 0) {
    Bad("endpoint", "'" + c.endpoint + "' must start with http:// or https://");
  }
  while (c.endpoint.back() == '/') {
    c.endpoint.pop_back();
  }
  const size_t host_start = c.endpoint.find("//") + 2;
  if (host_start >= c.endpoint.size() ||
      c.endpoint.find_first_of("?#", host_start) != std::string::npos) {
    Bad("endpoint", "'" + c.endpoint + "' needs a host and no query");
  }
  c.bucket = String(config, "bucket", true);
  if (c.bucket.size() < 3 || c.bucket.size() > 63 || !AllOf(c.bucket, ".-")) {
    Bad("bucket", "'" + c.bucket + "' is not a bucket name (3 to 63 of a-z 0-9 . -)");
  }
  if (config.contains("region")) {
    c.region = String(config, "region", true);
  }
  if (!AllOf(c.region, "-")) {
    Bad("region", "'" + c.region + "' is not a region (a-z 0-9 -)");
  }
  c.access_key = String(config, "access_key", true);
  c.secret_key = String(config, "secret_key", true);
  if (c.access_key.find(':') != std::string::npos) {
    Bad("access_key", "must not contain ':'");
  }
  c.prefix = String(config, "prefix", false);
  if (!c.prefix.empty()) {
    if (c.prefix.back() != '/') {
      c.prefix += '/';
    }
    if (const std::string problem = CheckStorageKey(c.prefix + "x"); !problem.empty()) {
      Bad("prefix", "'" + c.prefix + "' is not a key prefix (segments of A-Z a-z 0-9 . _ -)");
    }
  }
  c.connect_timeout_ms = Integer(config, "connect_timeout_ms", c.connect_timeout_ms, 100, 120000);
  c.low_speed_time_s = Integer(config, "low_speed_time_s", c.low_speed_time_s, 1, 3600);
  c.low_speed_bytes_per_s =
      Integer(config, "low_speed_bytes_per_s", c.low_speed_bytes_per_s, 1, 1 << 30);
  c.attempts = Integer(config, "attempts", c.attempts, 1, 10);
  c.retry_delay_ms = Integer(config, "retry_delay_ms", c.retry_delay_ms, 0, 60000);
  if (config.contains("part_size_bytes")) {
    const auto& v = config.at("part_size_bytes");
    constexpr int64_t kMin = int64_t{5} << 20;
    constexpr int64_t kMax = int64_t{5} << 30;
    if (!v.is_number_integer() || v.get<int64_t>() < kMin || v.get<int64_t>() > kMax) {
      Bad("part_size_bytes", "must be an integer from " + std::to_string(kMin) + " (5 MiB) to " +
                                 std::to_string(kMax) + " (5 GiB)");
    }
    c.part_size_bytes = v.get<uint64_t>();
  }
  return c;
}

} // namespace ssr::storage
