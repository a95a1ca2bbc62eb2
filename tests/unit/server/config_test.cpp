#include "server/config.h"

#include "../../support/temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>

namespace ssr::server {
namespace {

namespace fs = std::filesystem;

fs::path WriteFile(const fs::path& p, const std::string& text) {
  std::ofstream(p) << text;
  return p;
}

// A getenv over `env` (ApplyEnvironment's argument); `env` must outlive it.
std::function<const char*(const char*)> Lookup(const std::map<std::string, std::string>& env) {
  return [&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
}

// The message of the ConfigError that `f` throws, or "no error".
template <typename F> std::string ErrorOf(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ServerConfig, DefaultsNeedOnlyAnApiKey) {
  ServerConfig config;
  EXPECT_EQ(config.listen, "127.0.0.1:8080");
  EXPECT_EQ(config.data_dir, "./var");
  EXPECT_EQ(config.max_asset_bytes, 512ull << 20);
  EXPECT_THROW(Validate(config), ConfigError);
  config.api_key = "0123456789abcdef";
  EXPECT_NO_THROW(Validate(config));
  EXPECT_EQ(config.host(), "127.0.0.1");
  EXPECT_EQ(config.port(), 8080);
}

TEST(ServerConfig, EnvironmentOverridesTheFile) {
  const test::TempDir dir;
  const fs::path file = WriteFile(dir / "ssr_config_test.json", R"({
    // comments are allowed
    "listen": "0.0.0.0:9000", "data_dir": "/srv/ssr", "max_asset_bytes": 1000
  })");
  ServerConfig config;
  ApplyConfigFile(config, file);
  EXPECT_EQ(config.listen, "0.0.0.0:9000");
  EXPECT_EQ(config.max_asset_bytes, 1000u);
  const std::map<std::string, std::string> env = {{"SSR_LISTEN", "127.0.0.1:9100"},
                                                  {"SSR_API_KEY", "0123456789abcdef"},
                                                  {"SSR_MAX_BODY_BYTES", "2048"}};
  ApplyEnvironment(config, Lookup(env));
  EXPECT_EQ(config.listen, "127.0.0.1:9100");
  EXPECT_EQ(config.data_dir, "/srv/ssr");
  EXPECT_EQ(config.max_body_bytes, 2048u);
  EXPECT_NO_THROW(Validate(config));
}

TEST(ServerConfig, ErrorsNameTheSetting) {
  const test::TempDir dir;
  ServerConfig config;
  EXPECT_NE(ErrorOf([&] {
              ApplyConfigFile(
                  config, WriteFile(dir / "ssr_config_bad.json", R"({"max_asset_bytes": "big"})"));
            }).find("'max_asset_bytes' has the wrong type"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] {
              ApplyConfigFile(config, WriteFile(dir / "ssr_config_bad2.json", "{"));
            }).find("not valid JSON"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] {
              ApplyEnvironment(config, [](const char* n) -> const char* {
                return std::string(n) == "SSR_MAX_ASSET_BYTES" ? "12k" : nullptr;
              });
            }).find("SSR_MAX_ASSET_BYTES"),
            std::string::npos);
  config.api_key = "0123456789abcdef";
  for (const char* listen : {"8080", "host:", ":80", "127.0.0.1:70000", "127.0.0.1:x"}) {
    config.listen = listen;
    EXPECT_NE(ErrorOf([&] { Validate(config); }).find("listen"), std::string::npos) << listen;
  }
  config.listen = "[::1]:8080";
  EXPECT_NO_THROW(Validate(config));
  EXPECT_EQ(config.host(), "::1");
}

TEST(ServerConfig, TheDatabaseIsTheDataDirectorysFileOrAPostgresqlUrl) {
  ServerConfig config;
  config.api_key = "0123456789abcdef";
  config.data_dir = "/srv/ssr";
  EXPECT_EQ(config.DatabaseLocation(), "/srv/ssr/ssr.db");
  const std::map<std::string, std::string> env = {
      {"SSR_DATABASE_URL", "postgresql://ssr@db:5432/ssr"}};
  ApplyEnvironment(config, Lookup(env));
  EXPECT_NO_THROW(Validate(config));
  EXPECT_EQ(config.DatabaseLocation(), "postgresql://ssr@db:5432/ssr");
  for (const char* bad : {"/srv/other.db", "mysql://db/ssr", "postgresql:/db"}) {
    config.database = bad;
    const std::string error = ErrorOf([&] { Validate(config); });
    EXPECT_NE(error.find("database"), std::string::npos) << bad << ": " << error;
    EXPECT_NE(error.find("postgresql://"), std::string::npos) << bad << ": " << error;
  }
}

TEST(ServerConfig, StorageIsADirectoryByDefault) {
  ServerConfig config;
  config.data_dir = "/srv/ssr";
  EXPECT_EQ(config.StorageConfig(),
            nlohmann::json({{"kind", "directory"}, {"root", "/srv/ssr/storage"}}));
  config.storage_dir = "/mnt/parts";
  EXPECT_EQ(config.StorageConfig()["root"], "/mnt/parts");
}

TEST(ServerConfig, StorageFromTheFileAndTheEnvironment) {
  const test::TempDir dir;
  const fs::path file = WriteFile(dir / "ssr_config_storage_test.json", R"({
    "api_key": "0123456789abcdef",
    "storage": {"kind": "s3", "endpoint": "http://127.0.0.1:9000", "bucket": "parts",
                "access_key": "AK", "secret_key": "from-file"}
  })");
  ServerConfig config;
  ApplyConfigFile(config, file);
  const std::map<std::string, std::string> env = {{"SSR_S3_SECRET_KEY", "from-env"},
                                                  {"SSR_S3_PREFIX", "site-a/"}};
  ApplyEnvironment(config, Lookup(env));
  EXPECT_EQ(config.StorageConfig()["bucket"], "parts");
  EXPECT_EQ(config.StorageConfig()["secret_key"], "from-env");
  EXPECT_EQ(config.StorageConfig()["prefix"], "site-a/");
  EXPECT_NO_THROW(Validate(config));

  ServerConfig from_env;
  from_env.api_key = "0123456789abcdef";
  const std::map<std::string, std::string> s3_env = {
      {"SSR_STORAGE_KIND", "s3"},  {"SSR_S3_ENDPOINT", "https://s3.example.org"},
      {"SSR_S3_BUCKET", "parts"},  {"SSR_S3_REGION", "eu-west-3"},
      {"SSR_S3_ACCESS_KEY", "AK"}, {"SSR_S3_SECRET_KEY", "SK"}};
  ApplyEnvironment(from_env, Lookup(s3_env));
  EXPECT_EQ(from_env.StorageConfig(), nlohmann::json({{"kind", "s3"},
                                                      {"endpoint", "https://s3.example.org"},
                                                      {"bucket", "parts"},
                                                      {"region", "eu-west-3"},
                                                      {"access_key", "AK"},
                                                      {"secret_key", "SK"}}));
  EXPECT_NO_THROW(Validate(from_env));
}

TEST(ServerConfig, BadStorageErrorsNameTheProblem) {
  const test::TempDir dir;
  ServerConfig config;
  config.api_key = "0123456789abcdef";
  config.storage = {{"kind", "s3"},
                    {"endpoint", "http://127.0.0.1:9000"},
                    {"access_key", "AK"},
                    {"secret_key", "SK"}};
  EXPECT_EQ(ErrorOf([&] { Validate(config); }),
            "storage \"bucket\": missing (the s3 backend needs it)");
  config.storage = {{"kind", "tape"}};
  EXPECT_EQ(ErrorOf([&] { Validate(config); }), "storage: unknown kind 'tape'");
  config.storage = nlohmann::json::object();
  EXPECT_NE(ErrorOf([&] { Validate(config); }).find("storage: needs a \"kind\""),
            std::string::npos);

  const fs::path file = WriteFile(dir / "ssr_config_storage_bad.json", R"({"storage": "s3"})");
  EXPECT_NE(ErrorOf([&] {
              ServerConfig c;
              ApplyConfigFile(c, file);
            }).find("'storage' must be an object"),
            std::string::npos);

  ServerConfig no_kind;
  EXPECT_EQ(ErrorOf([&] {
              ApplyEnvironment(no_kind, [](const char* n) -> const char* {
                return std::string(n) == "SSR_S3_BUCKET" ? "parts" : nullptr;
              });
            }),
            "SSR_S3_BUCKET: set, but the storage kind is not s3 (set SSR_STORAGE_KIND=s3)");
}

} // namespace
TEST(ServerConfig, RecordingControlSettings) {
  const test::TempDir dir;
  ServerConfig config;
  config.api_key = "0123456789abcdef";
  config.data_dir = "/srv/ssr";
  EXPECT_EQ(config.StorageRoot(), "/srv/ssr/storage");
  EXPECT_FALSE(config.test_faults);
  ApplyConfigFile(config, WriteFile(dir / "ssr_config_control.json", R"({
    "storage_dir": "/mnt/parts", "webhook_backoff_base_ms": 500, "webhook_backoff_max_ms": 8000,
    "control_tick_ms": 100, "test_faults": true
  })"));
  EXPECT_EQ(config.StorageRoot(), "/mnt/parts");
  EXPECT_EQ(config.webhook_backoff_base_ms, 500);
  EXPECT_TRUE(config.test_faults);
  const std::map<std::string, std::string> env = {{"SSR_FAULT_NO_MEDIA", "1"},
                                                  {"SSR_TEST_FAULTS", "false"},
                                                  {"SSR_WEBHOOK_BACKOFF_MAX_MS", "9000"}};
  ApplyEnvironment(config, Lookup(env));
  EXPECT_TRUE(config.fault_no_media);
  EXPECT_FALSE(config.fault_recorder_unavailable);
  EXPECT_FALSE(config.test_faults);
  EXPECT_EQ(config.webhook_backoff_max_ms, 9000);
  EXPECT_NO_THROW(Validate(config));
  config.webhook_backoff_max_ms = 100;
  try {
    Validate(config);
    FAIL() << "max below base";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("webhook_backoff_max_ms"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ApplyEnvironment(config,
                                [](const char* n) -> const char* {
                                  return std::string(n) == "SSR_TEST_FAULTS" ? "yes please"
                                                                             : nullptr;
                                }),
               ConfigError);
}

} // namespace ssr::server

namespace ssr::server {
namespace {

TEST(ServerConfig, LibrarySettingsComeFromFileAndEnvironmentAndAreChecked) {
  const test::TempDir dir;
  const fs::path file = WriteFile(dir / "ssr_config_library_test.json", R"({
    "api_key": "0123456789abcdef", "jwt_secret": "file-secret-0123456789-0123456789",
    "login_session_ttl_s": 3600, "cookie_secure": true
  })");
  ServerConfig config;
  EXPECT_EQ(config.jwt_secret, ""); // JWTs refused unless configured
  EXPECT_EQ(config.login_session_ttl_s, 7 * 24 * 3600);
  ApplyConfigFile(config, file);
  EXPECT_EQ(config.login_session_ttl_s, 3600);
  EXPECT_TRUE(config.cookie_secure);
  const std::map<std::string, std::string> env = {{"SSR_JWT_SECRET", "short"}};
  ApplyEnvironment(config, Lookup(env));
  EXPECT_EQ(config.jwt_secret, "short");
  try {
    Validate(config);
    ADD_FAILURE() << "a 5-character JWT secret was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("jwt_secret"), std::string::npos) << e.what();
  }
  config.jwt_secret = "";
  config.login_session_ttl_s = 0;
  EXPECT_THROW(Validate(config), ConfigError);
}

TEST(ServerConfig, WebDirAndCorsOriginsFromTheFileAndTheEnvironment) {
  const test::TempDir dir;
  ServerConfig config;
  EXPECT_EQ(config.web_dir, DefaultWebDir());
  EXPECT_EQ(config.web_dir.filename(), "dist");
  EXPECT_TRUE(config.cors_origins.empty());
  const fs::path file = WriteFile(dir / "ssr_config_web_test.json", R"({
    "web_dir": "/srv/web", "cors_origins": ["https://a.example.org"]
  })");
  ApplyConfigFile(config, file);
  EXPECT_EQ(config.web_dir, "/srv/web");
  EXPECT_EQ(config.cors_origins, std::vector<std::string>{"https://a.example.org"});
  const std::map<std::string, std::string> env = {
      {"SSR_API_KEY", "0123456789abcdef"},
      {"SSR_WEB_DIR", "/opt/web"},
      {"SSR_CORS_ORIGINS", " https://b.example.org,http://localhost:5173 ,"}};
  ApplyEnvironment(config, Lookup(env));
  EXPECT_EQ(config.web_dir, "/opt/web");
  EXPECT_EQ(config.cors_origins,
            (std::vector<std::string>{"https://b.example.org", "http://localhost:5173"}));
  EXPECT_NO_THROW(Validate(config));
  for (const std::string bad : {"b.example.org", "https://b.example.org/", "ws://b.example.org",
                                "https://", "https://a b", "https://*.example.org"}) {
    config.cors_origins = {bad};
    try {
      Validate(config);
      ADD_FAILURE() << bad;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("cors_origins: '" + bad + "'"), std::string::npos)
          << e.what();
    }
  }
  EXPECT_THROW(ApplyConfigFile(config, WriteFile(dir / "ssr_config_web_bad.json",
                                                 R"({"cors_origins": "https://a.example.org"})")),
               ConfigError);
}

TEST(ServerConfig, StreamUrlAllowFromTheFileAndTheEnvironment) {
  const test::TempDir dir;
  ServerConfig config;
  EXPECT_TRUE(config.stream_url_allow.empty()); // default: only public hosts
  ApplyConfigFile(config, WriteFile(dir / "ssr_config_stream.json",
                                    R"({"stream_url_allow": ["cam.lan", "10.0.0.5"]})"));
  EXPECT_EQ(config.stream_url_allow, (std::vector<std::string>{"cam.lan", "10.0.0.5"}));
  ApplyEnvironment(config, Lookup({{"SSR_API_KEY", "0123456789abcdef"},
                                   {"SSR_STREAM_URL_ALLOW", " 127.0.0.2, Cam.LAN,,::1 "}}));
  EXPECT_EQ(config.stream_url_allow, (std::vector<std::string>{"127.0.0.2", "cam.lan", "::1"}));
  EXPECT_NO_THROW(Validate(config));
  for (const std::string bad : {"http://cam.lan", "cam.lan:8080", "[::1]", "a b"}) {
    config.stream_url_allow = {bad};
    try {
      Validate(config);
      ADD_FAILURE() << bad;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("stream_url_allow: '" + bad + "'"), std::string::npos)
          << e.what();
    }
  }
}

TEST(ServerConfig, LogFormatAndAccessLogNameTheSettingWhenBad) {
  const test::TempDir dir;
  ServerConfig config;
  config.api_key = "0123456789abcdef";
  EXPECT_EQ(config.log_format, "text");
  EXPECT_TRUE(config.access_log);
  ApplyEnvironment(config, Lookup({{"SSR_LOG_FORMAT", "json"}, {"SSR_ACCESS_LOG", "0"}}));
  EXPECT_EQ(config.log_format, "json");
  EXPECT_FALSE(config.access_log);
  EXPECT_NO_THROW(Validate(config));

  config.log_format = "xml";
  EXPECT_EQ(ErrorOf([&] { Validate(config); }),
            "log_format: 'xml' is not a log format (text or json)");
  EXPECT_EQ(ErrorOf([&] {
              ApplyEnvironment(config, Lookup({{"SSR_ACCESS_LOG", "yes"}}));
            }),
            "SSR_ACCESS_LOG: 'yes' is not a boolean (1, 0, true, false)");
  const fs::path file = WriteFile(dir / "ssr_config_access.json", R"({"access_log": "off"})");
  EXPECT_NE(ErrorOf([&] { ApplyConfigFile(config, file); }).find("'access_log' has the wrong type"),
            std::string::npos);
}

TEST(ServerConfig, FleetRolesNeedPostgresAndAHeartbeatThatFitsTheLease) {
  ServerConfig config;
  config.api_key = "0123456789abcdef";
  EXPECT_EQ(config.role, "all");
  EXPECT_EQ(config.AdvertiseUrl(), "http://127.0.0.1:8080");
  ApplyEnvironment(config, Lookup({{"SSR_ROLE", "worker"},
                                   {"SSR_WORKER_HEARTBEAT_MS", "200"},
                                   {"SSR_WORKER_LEASE_MS", "1000"}}));
  EXPECT_EQ(ErrorOf([&] { Validate(config); }),
            "role: 'worker' needs the fleet's PostgreSQL database (database / SSR_DATABASE_URL = "
            "postgresql://...); SQLite serves one process only (role all)");
  config.database = "postgresql://ssr@db.example.org/ssr";
  EXPECT_NO_THROW(Validate(config));
  EXPECT_TRUE(config.InFleet());
  EXPECT_TRUE(config.RecordsHere());

  config.worker_lease_ms = 300;
  EXPECT_NE(ErrorOf([&] { Validate(config); }).find("worker_lease_ms: must be at least twice"),
            std::string::npos);
  config.worker_lease_ms = 1000;
  config.role = "recorder";
  EXPECT_EQ(ErrorOf([&] { Validate(config); }),
            "role: 'recorder' is not a role (all, api or worker)");
  config.role = "api";
  EXPECT_FALSE(config.RecordsHere());
  config.advertise_url = "http://10.0.3.7:8080/ssr";
  EXPECT_EQ(ErrorOf([&] { Validate(config); }),
            "advertise_url: 'http://10.0.3.7:8080/ssr' must not have a path (not even a "
            "trailing '/')");
  config.advertise_url = "http://10.0.3.7:8080";
  EXPECT_NO_THROW(Validate(config));
  EXPECT_EQ(config.AdvertiseUrl(), "http://10.0.3.7:8080");
}

// The sample config documents every setting (commented out or not) with its variable, and
// everything it sets is a setting the server reads.
TEST(ServerConfig, TheSampleConfigDocumentsEverySetting) {
  const fs::path sample = fs::path(SSR_SOURCE_DIR) / "deploy" / "ssr.sample.json";
  std::ifstream in(sample);
  ASSERT_TRUE(in) << sample;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::vector<SettingName> names = SettingNames();
  EXPECT_EQ(names.size(), 63u); // a new setting: add it to the sample too
  for (const SettingName& name : names) {
    EXPECT_NE(text.find('"' + std::string(name.key) + "\":"), std::string::npos)
        << name.key << " is not in " << sample;
    if (*name.variable != '\0') {
      EXPECT_NE(text.find(name.variable), std::string::npos)
          << name.variable << " is not in " << sample;
    }
  }
  ServerConfig config;
  ASSERT_NO_THROW(ApplyConfigFile(config, sample));
  config.api_key = "0123456789abcdef";
  EXPECT_NO_THROW(Validate(config));
}

} // namespace
} // namespace ssr::server
