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

#include <csignal>
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

// The part file on the server's disk while it waits for storage.
std::string LocalPart(ServeProcess& server, const std::string& rid, int n) {
  std::ifstream in(server.data_dir() / "live-parts" / rid / ("part-" + std::to_string(n) + ".webm"),
                   std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string Download(ServeProcess& server, const std::string& rid, int n) {
  auto res = server.Client().Get(
      "/api/v1/recordings/" + rid + "/parts/" + std::to_string(n) + "/download", server.Auth());
  EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
  return res ? res->body : "";
}

// Polls until part 1 waits for storage (its store failed because S3 is unreachable).
json WaitForStorageWait(ServeProcess& server, const std::string& rid) {
  json r;
  for (int i = 0; i < 100; ++i) {
    r = GetRecording(server, rid);
    if (!r["parts"].empty() && r["parts"][0]["upload"].is_object() &&
        r["parts"][0]["upload"]["waiting_for_storage"] == true) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return r;
}

// S3 goes away mid-recording and stays away past the stop: the part waits on the server's
// disk (processing, and the JSON and /metrics say it waits for storage), then is stored,
// byte for byte, when S3 is back.
TEST_F(S3StorageServe, APartWaitsOnDiskWhileS3IsGoneAndIsStoredWhenItIsBack) {
  Classroom c(*server_, "chemistry", "Chemistry 1");
  c.StartHeartbeat();
  c.Join("h1", "host");
  const std::string rid = c.Start()["id"];
  ASSERT_EQ(WaitStatus(*server_, rid, "recording", 8)["status"], "recording");
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  s3_->Kill(); // mid-recording
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  auto res = StopRecording(*server_, rid);
  ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");

  const json waiting = WaitForStorageWait(*server_, rid);
  ASSERT_EQ(waiting["status"], "processing") << waiting.dump();
  const json& part = waiting["parts"][0];
  EXPECT_EQ(part["status"], "processing");
  EXPECT_EQ(part["upload"]["waiting_for_storage"], true) << part.dump();
  EXPECT_THAT(part["upload"]["error"].get<std::string>(),
              HasSubstr("S3 PUT 'scenario/recordings/" + rid + "/part-1.webm'"));
  EXPECT_EQ(MetricValue(*server_, "ssr_storage_upload_waiting_parts"), 1);
  EXPECT_EQ(MetricValue(*server_, "ssr_storage_upload_backlog_parts"), 1);
  EXPECT_GT(MetricValue(*server_, "ssr_storage_upload_backlog_bytes"), 0);
  EXPECT_GE(MetricValue(*server_, "ssr_storage_upload_failures_total"), 3);
  const std::string local = LocalPart(*server_, rid, 1);
  ASSERT_GT(local.size(), 1000u);

  std::this_thread::sleep_for(std::chrono::seconds(5)); // S3 away a while longer
  EXPECT_EQ(GetRecording(*server_, rid)["status"], "processing");
  s3_->Restart();
  const json r = WaitStatus(*server_, rid, "ready", 90);
  ASSERT_EQ(r["status"], "ready") << r.dump();
  EXPECT_TRUE(r["parts"][0]["upload"].is_null());
  EXPECT_EQ(r["parts"][0]["size_bytes"].get<uint64_t>(), local.size());
  EXPECT_EQ(r["parts"][0]["sha256"], Sha256Of(local));
  EXPECT_TRUE(Download(*server_, rid, 1) == local) << "the stored part is the local file";
  EXPECT_EQ(MetricValue(*server_, "ssr_storage_upload_waiting_parts"), 0);
  EXPECT_EQ(MetricValue(*server_, "ssr_storage_upload_backlog_bytes"), 0);
  EXPECT_FALSE(fs::exists(server_->data_dir() / "live-parts" / rid / "part-1.webm"));
}

// The same, with a restart of the server while the part waits: the part file and its row
// are the spool, so the next server stores it.
TEST(S3StorageServeRestart, APartWaitingForS3IsStoredAfterTheServerRestarts) {
  S3rverProcess s3({"ssr-parts"});
  TempDir data("s3-restart-data");
  std::string rid;
  std::string local;
  {
    ServeProcess server(S3Env(s3), data);
    auto res = PutSettings(server, {{"countdown_s", 1}, {"max_part_duration_s", 0}});
    ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    Classroom c(server, "biology", "Biology 3");
    s3.Kill();
    rid = RecordBriefly(server, c);
    const json waiting = WaitForStorageWait(server, rid);
    ASSERT_EQ(waiting["parts"][0]["upload"]["waiting_for_storage"], true) << waiting.dump();
    local = LocalPart(server, rid, 1);
    c.StopHeartbeat();
    EXPECT_EQ(server.StopWith(SIGTERM, 20), 0) << server.Log();
  }
  s3.Restart();
  ServeProcess second(S3Env(s3), data);
  const json r = WaitStatus(second, rid, "ready", 30);
  ASSERT_EQ(r["status"], "ready") << r.dump() << second.Log();
  EXPECT_EQ(r["parts"][0]["sha256"], Sha256Of(local));
  EXPECT_TRUE(Download(second, rid, 1) == local) << "the stored part is the local file";
}

// An error that waiting will not cure (here: no such bucket) fails the recording with S3's
// reason, and the part file stays on the disk.
TEST(S3StorageServeConfig, AStoreThatS3RefusesFailsTheRecordingWithTheReason) {
  S3rverProcess s3({"ssr-parts"});
  auto env = S3Env(s3);
  env["SSR_S3_BUCKET"] = "not-there";
  ServeProcess server(env);
  auto res = PutSettings(server, {{"countdown_s", 1}, {"max_part_duration_s", 0}});
  ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
  Classroom c(server, "history", "History 1");
  const std::string rid = RecordBriefly(server, c);
  const json r = WaitStatus(server, rid, "failed", 15);
  ASSERT_EQ(r["status"], "failed") << r.dump();
  EXPECT_THAT(r["error"].get<std::string>(),
              HasSubstr("S3 PUT 'scenario/recordings/" + rid + "/part-1.webm'"));
  EXPECT_THAT(r["error"].get<std::string>(), HasSubstr("NoSuchBucket"));
  EXPECT_EQ(r["parts"][0]["status"], "failed");
  EXPECT_GT(LocalPart(server, rid, 1).size(), 0u) << "nothing is lost";
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
