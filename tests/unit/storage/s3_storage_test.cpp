// S3Storage against a real S3-compatible server (s3rver on 127.0.0.1, started here).

#include "storage/s3_storage.h"

#include "../../support/s3rver_process.h"

#include "../../support/temp_dir.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace ssr::storage {
namespace {

namespace fs = std::filesystem;
using test::S3rverProcess;

// SHA-256("abc"), FIPS 180-2 appendix B.1.
constexpr const char* kAbcSha256 =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

std::string Slurp(std::istream& in) {
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// The message of the StorageError that `action` throws ("" when it throws none).
template <typename Action> std::string ErrorOf(Action action) {
  try {
    action();
  } catch (const StorageError& e) {
    return e.what();
  }
  return "";
}

class S3StorageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new S3rverProcess({"ssr-test", "other-bucket"}); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  fs::path Write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
    return dir_ / name;
  }
  static S3Storage Storage(nlohmann::json changes = nlohmann::json::object()) {
    nlohmann::json config = server_->StorageConfig();
    config.update(changes);
    return S3Storage(S3Config::FromJson(config));
  }

  static S3rverProcess* server_;
  test::TempDir temp_dir_;
  const fs::path dir_ = temp_dir_.path();
};

S3rverProcess* S3StorageTest::server_ = nullptr;

TEST_F(S3StorageTest, PutOpenRemoveRoundTrip) {
  S3Storage storage = Storage();
  const fs::path local = Write("part-1.webm", "abc");
  const StoredObject stored = storage.Put(local, "recordings/r1/part-1.webm");
  EXPECT_EQ(stored.size_bytes, 3u);
  EXPECT_EQ(stored.sha256, kAbcSha256);
  EXPECT_TRUE(fs::exists(local)) << "the caller removes the local file";
  EXPECT_FALSE(storage.Path("recordings/r1/part-1.webm")) << "no local file for S3";
  EXPECT_EQ(Slurp(*storage.Open("recordings/r1/part-1.webm")), "abc");

  storage.Remove("recordings/r1/part-1.webm");
  EXPECT_THROW(storage.Open("recordings/r1/part-1.webm"), StorageNotFound);
  storage.Remove("recordings/r1/part-1.webm"); // absent: no error
}

TEST_F(S3StorageTest, AnEmptyFileRoundTrips) {
  S3Storage storage = Storage();
  const StoredObject stored = storage.Put(Write("empty.vtt", ""), "recordings/r1/part-1.vtt");
  EXPECT_EQ(stored.size_bytes, 0u);
  EXPECT_EQ(stored.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Slurp(*storage.Open("recordings/r1/part-1.vtt")), "");
}

TEST_F(S3StorageTest, StoresAndVerifiesALargePart) {
  constexpr size_t kBytes = 100u << 20;
  std::string content(kBytes, '\0');
  std::mt19937_64 random(42);
  for (size_t i = 0; i + 8 <= kBytes; i += 8) {
    const uint64_t v = random();
    std::memcpy(&content[i], &v, 8);
  }
  const fs::path local = Write("big.webm", content);
  S3Storage storage = Storage();

  const auto start = std::chrono::steady_clock::now();
  const StoredObject stored = storage.Put(local, "recordings/big/part-1.webm");
  const double put_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const StoredObject source = HashFile(local);
  EXPECT_EQ(stored.size_bytes, kBytes);
  EXPECT_EQ(stored.sha256, source.sha256);

  const auto read_start = std::chrono::steady_clock::now();
  auto in = storage.Open("recordings/big/part-1.webm");
  Sha256 sha;
  std::vector<char> block(1 << 16);
  uint64_t read_bytes = 0;
  while (*in) {
    in->read(block.data(), static_cast<std::streamsize>(block.size()));
    sha.Update(block.data(), static_cast<size_t>(in->gcount()));
    read_bytes += static_cast<uint64_t>(in->gcount());
  }
  const double read_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - read_start).count();
  EXPECT_FALSE(in->bad());
  EXPECT_EQ(read_bytes, kBytes);
  EXPECT_EQ(sha.HexDigest(), source.sha256);
  std::printf("100 MiB through s3rver: store+verify %.2f s, stream back %.2f s\n", put_s, read_s);
  storage.Remove("recordings/big/part-1.webm");
}

TEST_F(S3StorageTest, PutReplacesTheObject) {
  S3Storage storage = Storage();
  storage.Put(Write("a", "first version"), "recordings/r2/part-1.webm");
  const StoredObject second = storage.Put(Write("b", "second"), "recordings/r2/part-1.webm");
  EXPECT_EQ(second.size_bytes, 6u);
  EXPECT_EQ(Slurp(*storage.Open("recordings/r2/part-1.webm")), "second");
}

TEST_F(S3StorageTest, APrefixGoesBeforeEveryKey) {
  S3Storage prefixed = Storage({{"prefix", "site-a/ssr"}});
  prefixed.Put(Write("a", "abc"), "recordings/r3/part-1.webm");
  EXPECT_EQ(Slurp(*prefixed.Open("recordings/r3/part-1.webm")), "abc");
  S3Storage plain = Storage();
  EXPECT_EQ(Slurp(*plain.Open("site-a/ssr/recordings/r3/part-1.webm")), "abc");
  EXPECT_THROW(plain.Open("recordings/r3/part-1.webm"), StorageNotFound);
}

TEST_F(S3StorageTest, AMissingKeyIsNotFound) {
  S3Storage storage = Storage();
  const std::string error = ErrorOf([&] { storage.Open("recordings/none/part-9.webm"); });
  EXPECT_NE(error.find("GET 'recordings/none/part-9.webm'"), std::string::npos) << error;
  EXPECT_NE(error.find("HTTP 404 NoSuchKey"), std::string::npos) << error;
  EXPECT_THROW(storage.Open("recordings/none/part-9.webm"), StorageNotFound);
}

TEST_F(S3StorageTest, WrongCredentialsAreAClearError) {
  S3Storage storage = Storage({{"access_key", "NOT-A-KEY"}, {"secret_key", "wrong-secret"}});
  const std::string error =
      ErrorOf([&] { storage.Put(Write("a", "abc"), "recordings/r4/part-1.webm"); });
  EXPECT_NE(error.find("PUT 'recordings/r4/part-1.webm'"), std::string::npos) << error;
  EXPECT_NE(error.find("HTTP 403 InvalidAccessKeyId"), std::string::npos) << error;
  EXPECT_EQ(error.find("wrong-secret"), std::string::npos) << "the secret never shows";
  EXPECT_THROW(storage.Open("recordings/r4/part-1.webm"), StorageError);
}

TEST_F(S3StorageTest, AMissingBucketIsAClearError) {
  S3Storage storage = Storage({{"bucket", "no-such-bucket"}});
  const std::string put =
      ErrorOf([&] { storage.Put(Write("a", "abc"), "recordings/r5/part-1.webm"); });
  EXPECT_NE(put.find("HTTP 404 NoSuchBucket"), std::string::npos) << put;
  const std::string remove = ErrorOf([&] { storage.Remove("recordings/r5/part-1.webm"); });
  EXPECT_NE(remove.find("DELETE 'recordings/r5/part-1.webm': HTTP 404 NoSuchBucket"),
            std::string::npos)
      << remove;
}

TEST_F(S3StorageTest, BadKeysAreRefusedBeforeAnyRequest) {
  S3Storage storage = Storage();
  EXPECT_NE(ErrorOf([&] { storage.Open("../etc/passwd"); }).find("'..'"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { storage.Remove("a b"); }).find("not allowed"), std::string::npos);
}

TEST_F(S3StorageTest, AMissingLocalFileIsAnError) {
  S3Storage storage = Storage();
  const std::string error =
      ErrorOf([&] { storage.Put(dir_ / "none.webm", "recordings/r6/part-1.webm"); });
  EXPECT_NE(error.find("none.webm"), std::string::npos) << error;
}

TEST_F(S3StorageTest, CheckBucketSaysWhatIsWrong) {
  EXPECT_NO_THROW(Storage().CheckBucket());
  EXPECT_EQ(ErrorOf([&] {
              Storage({{"bucket", "no-such-bucket"}}).CheckBucket();
            }),
            "S3: no bucket 'no-such-bucket' at " + server_->endpoint());
  EXPECT_NE(ErrorOf([&] {
              Storage({{"access_key", "NOT-A-KEY"}}).CheckBucket();
            }).find("refuses access key 'NOT-A-KEY' (HTTP 403"),
            std::string::npos);
}

TEST_F(S3StorageTest, TheRegistryBuildsIt) {
  const auto backend = MakeStorageBackend(server_->StorageConfig());
  EXPECT_EQ(backend->Kind(), "s3");
}

// A server that went away: connections are refused; after the retries (0.5 s, 1 s) that is
// the error.
TEST(S3StorageServerGoneTest, ARefusedConnectionIsAnErrorWithinSeconds) {
  S3rverProcess server;
  S3Storage storage(S3Config::FromJson(server.StorageConfig()));
  server.Kill();
  const auto start = std::chrono::steady_clock::now();
  const std::string error = ErrorOf([&] { storage.Open("recordings/r7/part-1.webm"); });
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_NE(error.find("S3 GET 'recordings/r7/part-1.webm'"), std::string::npos) << error;
  EXPECT_NE(error.find("127.0.0.1"), std::string::npos) << error;
}

// A server that hangs (stopped: the kernel still accepts connections): the low-speed limit
// ends the request instead of waiting forever.
TEST(S3StorageServerGoneTest, AHangingServerTimesOut) {
  S3rverProcess server;
  nlohmann::json config = server.StorageConfig();
  config["low_speed_time_s"] = 2;
  config["attempts"] = 1;
  S3Storage storage(S3Config::FromJson(config));
  const test::TempDir dir;
  const fs::path local = dir / "part-1.webm";
  std::ofstream(local) << "abc";
  server.Freeze();
  const auto start = std::chrono::steady_clock::now();
  const std::string error = ErrorOf([&] { storage.Put(local, "recordings/r8/part-1.webm"); });
  const auto waited = std::chrono::steady_clock::now() - start;
  server.Thaw();
  EXPECT_GE(waited, std::chrono::seconds(1));
  EXPECT_LT(waited, std::chrono::seconds(10));
  EXPECT_NE(error.find("S3 PUT 'recordings/r8/part-1.webm'"), std::string::npos) << error;
}

} // namespace
} // namespace ssr::storage
