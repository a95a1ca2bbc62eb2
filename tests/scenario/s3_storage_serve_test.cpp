// `ssr serve` with the S3 storage backend (R9 at scale): a real S3-compatible server
// (s3rver, started here on 127.0.0.1) receives the parts of a recording made through the
// API; downloads stream from it; a bad storage configuration stops the server at start.

#include "../support/s3rver_process.h"
#include "bundle_builder.h"
#include "control_fixture.h"

#include "control/recording_controller.h"
#include "storage/s3_storage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::map<std::string, std::string> S3Env(const S3rverProcess& s3) {
  return S3ControlEnv(s3.endpoint(), "ssr-parts", "scenario/");
}

std::string Sha256Of(const std::string& bytes) {
  storage::Sha256 sha;
  sha.Update(bytes.data(), bytes.size());
  return sha.HexDigest();
}

// Starts a recording of a class and stops it after about a second; returns its id.
std::string RecordBriefly(ServeProcess& server, Classroom& c) {
  c.StartHeartbeat();
  c.Join("h1", "host");
  const std::string rid = c.Start()["id"];
  EXPECT_EQ(WaitStatus(server, rid, "recording", 8)["status"], "recording");
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  auto res = StopRecording(server, rid);
  EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
  return rid;
}

class S3StorageServe : public ::testing::Test {
 protected:
  void SetUp() override {
    s3_ = std::make_unique<S3rverProcess>(std::vector<std::string>{"ssr-parts"});
    server_ = std::make_unique<ServeProcess>(S3Env(*s3_));
    auto res =
        PutSettings(*server_, {{"countdown_s", 1}, {"attempts", 3}, {"max_part_duration_s", 0}});
    ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
  }
  void TearDown() override {
    if (HasFailure() && server_) {
      std::cerr << "--- server log ---\n" << server_->Log();
    }
  }

  std::unique_ptr<S3rverProcess> s3_;
  std::unique_ptr<ServeProcess> server_;
};

TEST_F(S3StorageServe, PartsAreStoredInTheBucketAndDownloadedFromIt) {
  Classroom c(*server_, "physics", "Physics 2");
  const std::string rid = RecordBriefly(*server_, c);
  const json r = WaitStatus(*server_, rid, "ready", 10);
  ASSERT_EQ(r["status"], "ready") << r.dump();
  ASSERT_EQ(r["parts"].size(), 1u);
  const json& part = r["parts"][0];
  const std::string sha256 = part["sha256"];
  EXPECT_THAT(server_->Log(), HasSubstr("storage: s3 backend"));

  // The download streams from S3: its bytes are the ones verified when stored.
  auto download =
      server_->Client().Get("/api/v1/recordings/" + rid + "/parts/1/download", server_->Auth());
  ASSERT_TRUE(download);
  ASSERT_EQ(download->status, 200) << download->body;
  EXPECT_EQ(download->get_header_value("Content-Type"), "video/webm");
  EXPECT_EQ(download->get_header_value("Content-Length"),
            std::to_string(part["size_bytes"].get<uint64_t>()));
  EXPECT_THAT(download->get_header_value("Content-Disposition"),
              HasSubstr("filename=\"Physics 2 - part 1.webm\""));
  EXPECT_EQ(download->body.size(), part["size_bytes"].get<uint64_t>());
  EXPECT_EQ(Sha256Of(download->body), sha256);
  // The chat track has no recorded size: it comes chunked.
  auto vtt =
      server_->Client().Get("/api/v1/recordings/" + rid + "/parts/1/chat.vtt", server_->Auth());
  ASSERT_TRUE(vtt);
  EXPECT_EQ(vtt->status, 200);
  EXPECT_THAT(vtt->body, StartsWith("WEBVTT"));
  EXPECT_EQ(vtt->get_header_value("Transfer-Encoding"), "chunked");
  // So do the chapters, stored in the bucket beside the part.
  auto chapters =
      server_->Client().Get("/api/v1/recordings/" + rid + "/parts/1/chapters.vtt", server_->Auth());
  ASSERT_TRUE(chapters);
  EXPECT_EQ(chapters->status, 200) << chapters->body;
  EXPECT_THAT(chapters->body, StartsWith("WEBVTT\n\n1\n00:00:00.000 --> "));
  EXPECT_THAT(chapters->body, HasSubstr("\nStart\n"));

  // The object is in the bucket, under the prefix, read here with a client of our own.
  json config = s3_->StorageConfig("ssr-parts");
  config["prefix"] = "scenario/";
  storage::S3Storage bucket(storage::S3Config::FromJson(config));
  std::stringstream object;
  object << bucket.Open(control::RecordingController::StorageKey(rid, 1, ".webm"))->rdbuf();
  EXPECT_EQ(Sha256Of(object.str()), sha256);
  // Nothing of it stays on the server's disk.
  EXPECT_FALSE(fs::exists(server_->data_dir() / "storage" / "recordings" / rid));
  for (const auto& entry : fs::recursive_directory_iterator(server_->data_dir() / "live-parts")) {
    EXPECT_NE(entry.path().extension(), ".webm") << entry.path();
  }

  // With S3 gone, a download is a clear 502, not a hang.
  s3_->Kill();
  auto gone =
      server_->Client().Get("/api/v1/recordings/" + rid + "/parts/1/download", server_->Auth());
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 502);
  EXPECT_EQ(json::parse(gone->body)["error"]["code"], "storage_unavailable");
  EXPECT_THAT(server_->Log(), HasSubstr("S3 GET 'scenario/recordings/" + rid + "/part-1.webm'"));
}

TEST_F(S3StorageServe, AStoreThatFailsFailsTheRecordingWithTheReason) {
  Classroom c(*server_, "chemistry", "Chemistry 1");
  s3_->Kill(); // gone before the part is stored
  const std::string rid = RecordBriefly(*server_, c);
  const json r = WaitStatus(*server_, rid, "failed", 10);
  ASSERT_EQ(r["status"], "failed") << r.dump();
  EXPECT_THAT(r["error"].get<std::string>(),
              HasSubstr("S3 PUT 'scenario/recordings/" + rid + "/part-1.webm'"));
  EXPECT_EQ(r["parts"][0]["status"], "failed");
}

TEST(S3StorageServeConfig, AMissingBucketIsReportedAtStart) {
  S3rverProcess s3({"ssr-parts"});
  auto env = S3Env(s3);
  env["SSR_S3_BUCKET"] = "not-there";
  ServeProcess server(env);
  EXPECT_THAT(server.Log(), HasSubstr("storage: S3: no bucket 'not-there' at " + s3.endpoint()));
  ServeProcess good(S3Env(s3));
  EXPECT_THAT(good.Log(),
              HasSubstr("storage: bucket 'ssr-parts' at " + s3.endpoint() + " answers"));
}

TEST(S3StorageServeConfig, ABadStorageConfigurationStopsTheServerAtStart) {
  const std::string serve = "SSR_API_KEY=" + std::string(kApiKey) + " " + SSR_BINARY +
                            " serve --listen 127.0.0.1:1 --data /tmp/ssr-never-created-s3";
  CommandResult no_bucket =
      RunCommand("SSR_STORAGE_KIND=s3 SSR_S3_ENDPOINT=http://127.0.0.1:9 SSR_S3_ACCESS_KEY=a "
                 "SSR_S3_SECRET_KEY=b " +
                 serve);
  EXPECT_EQ(no_bucket.exit_code, 2);
  EXPECT_THAT(no_bucket.output, HasSubstr("storage \"bucket\": missing"));

  CommandResult stray = RunCommand("SSR_S3_BUCKET=parts " + serve);
  EXPECT_EQ(stray.exit_code, 2);
  EXPECT_THAT(stray.output, HasSubstr("SSR_S3_BUCKET: set, but the storage kind is not s3"));

  BundleBuilder scratch;
  scratch.WriteFile("ssr.json", R"({"storage": {"kind": "s3", "endpoint": "ftp://127.0.0.1",
    "bucket": "parts", "access_key": "a", "secret_key": "b"}})");
  CommandResult endpoint =
      RunCommand(serve + " --config '" + (scratch.dir() / "ssr.json").string() + "'");
  EXPECT_EQ(endpoint.exit_code, 2);
  EXPECT_THAT(endpoint.output,
              HasSubstr("storage \"endpoint\": 'ftp://127.0.0.1' must start with http://"));

  CommandResult kind = RunCommand("SSR_STORAGE_KIND=tape " + serve);
  EXPECT_EQ(kind.exit_code, 2);
  EXPECT_THAT(kind.output, HasSubstr("storage: unknown kind 'tape'"));
  EXPECT_FALSE(fs::exists("/tmp/ssr-never-created-s3"));
}

} // namespace
} // namespace ssr::test
