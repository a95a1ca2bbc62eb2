#pragma once
// The settings of the S3-compatible storage backend, read from its configuration object:
// {"kind": "s3", "endpoint": "https://s3.example.org", "bucket": "recordings",
//  "region": "us-east-1", "access_key": "...", "secret_key": "...", "prefix": "ssr/"}.
// Objects are addressed path-style: ENDPOINT/BUCKET/PREFIX+KEY.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace ssr::storage {

struct S3Config {
  std::string endpoint; // http(s)://host[:port], no trailing slash
  std::string bucket;
  std::string region = "us-east-1";
  std::string access_key;
  std::string secret_key;
  std::string prefix;            // put before every key ("" or "a/b/")
  int connect_timeout_ms = 5000; // TCP (and TLS) connect
  // A transfer that moves fewer than low_speed_bytes_per_s for low_speed_time_s fails: a
  // stalled server cannot hang a store or a download forever.
  int low_speed_time_s = 30;
  int low_speed_bytes_per_s = 1;
  // A request that fails transiently (no answer, 5xx, SlowDown) is tried this many times in
  // all, waiting retry_delay_ms, then twice that, ... in between.
  int attempts = 3;
  int retry_delay_ms = 500;
  // Parts larger than this go as a multipart upload of chunks this long (the last shorter),
  // sent while the part is recorded. S3 wants at least 5 MiB (FromJson's minimum); up to
  // 10,000 chunks make an object, so 8 MiB stores parts up to 78 GiB.
  uint64_t part_size_bytes = uint64_t{8} << 20;

  // Throws StorageError naming the key that is missing or wrong (never showing the secret).
  static S3Config FromJson(const nlohmann::json& config);
};

} // namespace ssr::storage
