#include "storage/s3_config.h"

#include "storage/storage_backend.h"

#include <gtest/gtest.h>

namespace ssr::storage {
namespace {

nlohmann::json Good() {
  return {{"kind", "s3"},
          {"endpoint", "http://127.0.0.1:9000/"},
          {"bucket", "recordings"},
          {"region", "eu-west-3"},
          {"access_key", "AKIDEXAMPLE"},
          {"secret_key", "super-secret-value"}};
}

std::string ErrorWith(const std::string& key, const nlohmann::json& value) {
  nlohmann::json config = Good();
  if (value.is_null()) {
    config.erase(key);
  } else {
    config[key] = value;
  }
  try {
    S3Config::FromJson(config);
  } catch (const StorageError& e) {
    return e.what();
  }
  return "no error";
}

TEST(S3Config, ReadsTheSettingsWithDefaults) {
  const S3Config c = S3Config::FromJson(Good());
  EXPECT_EQ(c.endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(c.bucket, "recordings");
  EXPECT_EQ(c.region, "eu-west-3");
  EXPECT_EQ(c.prefix, "");
  EXPECT_EQ(c.connect_timeout_ms, 5000);
  EXPECT_EQ(c.low_speed_time_s, 30);
  EXPECT_EQ(c.attempts, 3);
  EXPECT_EQ(c.retry_delay_ms, 500);
  EXPECT_EQ(c.part_size_bytes, uint64_t{8} << 20);
  nlohmann::json config = Good();
  config["part_size_bytes"] = 16 << 20;
  EXPECT_EQ(S3Config::FromJson(config).part_size_bytes, uint64_t{16} << 20);
  config.erase("region");
  config["prefix"] = "site-a";
  EXPECT_EQ(S3Config::FromJson(config).region, "us-east-1");
  EXPECT_EQ(S3Config::FromJson(config).prefix, "site-a/");
}

TEST(S3Config, ErrorsNameTheKey) {
  EXPECT_EQ(ErrorWith("bucket", nullptr), "storage \"bucket\": missing (the s3 backend needs it)");
  EXPECT_EQ(ErrorWith("endpoint", nullptr),
            "storage \"endpoint\": missing (the s3 backend needs it)");
  EXPECT_EQ(ErrorWith("access_key", ""), "storage \"access_key\": must not be empty");
  EXPECT_EQ(ErrorWith("secret_key", 7), "storage \"secret_key\": must be a string");
  EXPECT_EQ(ErrorWith("endpoint", "127.0.0.1:9000"),
            "storage \"endpoint\": '127.0.0.1:9000' must start with http:// or https://");
  EXPECT_EQ(ErrorWith("bucket", "Recordings_2"),
            "storage \"bucket\": 'Recordings_2' is not a bucket name (3 to 63 of a-z 0-9 . -)");
  EXPECT_EQ(ErrorWith("region", "EU West"),
            "storage \"region\": 'EU West' is not a region (a-z 0-9 -)");
  EXPECT_EQ(ErrorWith("prefix", "../up"),
            "storage \"prefix\": '../up/' is not a key prefix (segments of A-Z a-z 0-9 . _ -)");
  EXPECT_EQ(ErrorWith("low_speed_time_s", 0),
            "storage \"low_speed_time_s\": must be an integer from 1 to 3600");
  EXPECT_EQ(ErrorWith("attempts", 0), "storage \"attempts\": must be an integer from 1 to 10");
  // S3 refuses parts under 5 MiB (but the last) and over 5 GiB.
  EXPECT_EQ(ErrorWith("part_size_bytes", 1 << 20),
            "storage \"part_size_bytes\": must be an integer from 5242880 (5 MiB) to 5368709120 "
            "(5 GiB)");
  EXPECT_EQ(ErrorWith("part_size_bytes", "8M"),
            "storage \"part_size_bytes\": must be an integer from 5242880 (5 MiB) to 5368709120 "
            "(5 GiB)");
  EXPECT_EQ(ErrorWith("buckett", "x"), "storage \"buckett\": is not a setting of the s3 backend");
  for (const char* key : {"bucket", "endpoint", "region", "prefix", "access_key"}) {
    EXPECT_EQ(ErrorWith(key, "bad value!").find("super-secret-value"), std::string::npos);
  }
}

TEST(S3Config, TheRegistryChecksTheConfiguration) {
  nlohmann::json config = Good();
  config.erase("bucket");
  try {
    MakeStorageBackend(config);
    FAIL() << "no error";
  } catch (const StorageError& e) {
    EXPECT_STREQ(e.what(), "storage \"bucket\": missing (the s3 backend needs it)");
  }
  config = Good();
  EXPECT_EQ(MakeStorageBackend(config)->Kind(), "s3");
}

} // namespace
} // namespace ssr::storage
