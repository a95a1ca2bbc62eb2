// Parts stored in S3 while they are written (s3_progressive_uploads.h), against a real
// S3-compatible server (s3rver on 127.0.0.1). The part file is a real WebM written by
// libavformat's webm muxer (ffmpeg copying a high-rate source at twice its real time), so the
// muxer rewrites its header when the file ends, as it does for a recorded part.

#include "storage/s3_storage.h"

#include "../../support/s3rver_process.h"
#include "../../support/spawn.h"
#include "../../support/temp_dir.h"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace ssr::storage {
namespace {

namespace fs = std::filesystem;
using test::S3rverProcess;
using Clock = std::chrono::steady_clock;

constexpr uint64_t kChunkBytes = uint64_t{5} << 20; // S3's smallest part

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string Slurp(std::istream& in) {
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

int RunToEnd(const std::vector<std::string>& argv) {
  const pid_t pid = test::Spawn(argv);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Waits until `done` holds, at most `timeout`.
template <typename Done> bool WaitFor(Done done, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

// Files of multipart uploads s3rver holds before they complete (the parts that arrived):
// DATA/<bucket>/._S3rver_uploads/<upload id>/<part number>.
int PartsInProgress(const fs::path& s3rver_data) {
  int parts = 0;
  for (const auto& entry : fs::recursive_directory_iterator(s3rver_data)) {
    const std::string path = entry.path().string();
    if (entry.is_regular_file() && path.find("_S3rver_uploads/") != std::string::npos &&
        entry.path().filename().string().find_first_not_of("0123456789") == std::string::npos) {
      ++parts;
    }
  }
  return parts;
}

class S3ProgressiveUploadTest : public ::testing::Test {
 protected:
  // A 16 s source at about 12 Mbit/s (noise, nearly lossless): 24 MB, written in 8 s.
  static void SetUpTestSuite() {
    source_dir_ = new test::TempDir("s3-progressive-source");
    const fs::path once = *source_dir_ / "8s.webm";
    ASSERT_EQ(RunToEnd({"ffmpeg",     "-v",
                        "error",      "-y",
                        "-f",         "lavfi",
                        "-i",         "color=c=gray:s=640x360:r=5,noise=alls=100:allf=t",
                        "-t",         "8",
                        "-c:v",       "libvpx",
                        "-deadline",  "realtime",
                        "-cpu-used",  "8",
                        "-qmin",      "0",
                        "-qmax",      "0",
                        "-b:v",       "200M",
                        once.string()}),
              0);
    ASSERT_EQ(RunToEnd({"ffmpeg", "-v", "error", "-y", "-stream_loop", "1", "-i", once.string(),
                        "-c", "copy", (*source_dir_ / "16s.webm").string()}),
              0);
  }
  static void TearDownTestSuite() {
    delete source_dir_;
    source_dir_ = nullptr;
  }

  // ffmpeg writes the part at `path` as a recorder does (1 s clusters, flushed), at twice
  // real time; returns its pid.
  static pid_t StartWriting(const fs::path& path) {
    return test::Spawn({"ffmpeg", "-v", "error", "-y", "-readrate", "2", "-i",
                        (*source_dir_ / "16s.webm").string(), "-c", "copy", "-f", "webm",
                        "-cluster_time_limit", "1000", "-flush_packets", "1", path.string()});
  }
  static int Wait(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  S3Config Config() const {
    S3Config config = S3Config::FromJson(s3_.StorageConfig());
    config.part_size_bytes = kChunkBytes;
    config.retry_delay_ms = 100;
    return config;
  }

  static test::TempDir* source_dir_;
  S3rverProcess s3_;
  test::TempDir dir_{"s3-progressive"};
};

test::TempDir* S3ProgressiveUploadTest::source_dir_ = nullptr;

// Chunks reach S3 while the file grows; at the stop only the head (rewritten by the muxer)
// and the tail are sent. The object is the finished file, byte for byte, and plays.
TEST_F(S3ProgressiveUploadTest, APartIsStoredWhileItIsWrittenAndTheObjectIsTheFinishedFile) {
  S3Storage storage(Config());
  const fs::path local = dir_ / "part-1.webm";
  const std::string key = "recordings/p1/part-1.webm";
  storage.Growing(local, key);
  const pid_t writer = StartWriting(local);

  // Two chunks after the held-back head: 15 MiB written, 10 MiB of it in S3.
  ASSERT_TRUE(WaitFor([&] { return storage.Progress(key)->stored_bytes >= 2 * kChunkBytes; },
                      std::chrono::seconds(30)));
  EXPECT_GE(PartsInProgress(s3_.data_dir()), 2) << "s3rver holds the parts sent so far";
  std::error_code ec;
  EXPECT_GT(fs::file_size(local, ec), 2 * kChunkBytes); // written before the stop
  // A copy taken while it is written: the muxer changes none of these bytes past the header.
  const std::string while_written = ReadFile(local);
  ASSERT_EQ(Wait(writer), 0);

  const std::string finished = ReadFile(local);
  const uint64_t in_s3_at_stop = storage.Progress(key)->stored_bytes;
  EXPECT_GE(in_s3_at_stop + 2 * kChunkBytes, finished.size()) << "only head and tail left";
  const auto start = Clock::now();
  const StoredObject stored = storage.Put(local, key);
  const double put_s = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_FALSE(storage.Progress(key)) << "no longer followed once stored";

  EXPECT_EQ(stored.size_bytes, finished.size());
  EXPECT_EQ(stored.sha256, HashFile(local).sha256);
  const std::string object = Slurp(*storage.Open(key));
  ASSERT_EQ(object.size(), finished.size());
  EXPECT_TRUE(object == finished) << "the object differs from the finished part file";
  EXPECT_EQ(PartsInProgress(s3_.data_dir()), 0) << "the upload is complete";

  // What the muxer rewrote at the end lies before the first cluster, inside the head chunk.
  size_t first_difference = 0;
  size_t last_difference = 0;
  for (size_t i = 0; i < while_written.size(); ++i) {
    if (while_written[i] != finished[i]) {
      first_difference = first_difference ? first_difference : i;
      last_difference = i;
    }
  }
  const size_t first_cluster = finished.find("\x1f\x43\xb6\x75");
  EXPECT_GT(last_difference, 0u) << "the header was rewritten at the end";
  EXPECT_LT(last_difference, first_cluster);
  EXPECT_LT(first_cluster, kChunkBytes);

  // It plays: ffprobe reads the stored object's duration and its video stream.
  const fs::path downloaded = dir_ / "downloaded.webm";
  std::ofstream(downloaded, std::ios::binary) << object;
  const std::string probe_out = (dir_ / "probe.txt").string();
  ASSERT_EQ(
      RunToEnd({"sh", "-c",
                "ffprobe -v error -show_entries format=duration:stream=codec_name -of csv=p=0 '" +
                    downloaded.string() + "' > '" + probe_out + "'"}),
      0);
  const std::string probe = ReadFile(probe_out);
  EXPECT_NE(probe.find("vp8"), std::string::npos) << probe;
  EXPECT_NE(probe.find("16.0"), std::string::npos) << probe;
  std::printf("%zu bytes: %llu in S3 before the stop, stored %.2f s after it\n", finished.size(),
              static_cast<unsigned long long>(in_s3_at_stop), put_s);
}

// S3 goes away while the part is written and while it is stored: nothing is lost. The part
// file is the spool; the upload goes on where it stopped once S3 is back.
TEST_F(S3ProgressiveUploadTest, AnOutageWhileThePartIsWrittenLosesNothing) {
  S3Storage storage(Config());
  const fs::path local = dir_ / "part-1.webm";
  const std::string key = "recordings/p2/part-1.webm";
  storage.Growing(local, key);
  const pid_t writer = StartWriting(local);
  ASSERT_TRUE(WaitFor([&] { return storage.Progress(key)->stored_bytes >= kChunkBytes; },
                      std::chrono::seconds(30)));

  s3_.Kill(); // gone for the rest of the writing and the first store
  ASSERT_EQ(Wait(writer), 0);
  const std::string finished = ReadFile(local);
  ASSERT_TRUE(
      WaitFor([&] { return !storage.Progress(key)->error.empty(); }, std::chrono::seconds(10)));
  const UploadProgress during = *storage.Progress(key);
  EXPECT_NE(during.error.find("127.0.0.1"), std::string::npos) << during.error;
  EXPECT_LT(during.stored_bytes + 2 * kChunkBytes, finished.size()) << "chunks are waiting";
  EXPECT_GT(storage.FailedRequests(), 0u);

  try {
    storage.Put(local, key);
    ADD_FAILURE() << "stored with S3 gone";
  } catch (const StorageError& e) {
    EXPECT_TRUE(e.transient()) << e.what();
  }
  ASSERT_TRUE(storage.Progress(key)) << "what was sent is kept for the next try";
  EXPECT_GE(storage.Progress(key)->stored_bytes, during.stored_bytes);

  std::this_thread::sleep_for(std::chrono::seconds(3));
  s3_.Restart();
  const StoredObject stored = storage.Put(local, key);
  EXPECT_EQ(stored.size_bytes, finished.size());
  const std::string object = Slurp(*storage.Open(key));
  EXPECT_EQ(object.size(), finished.size());
  EXPECT_TRUE(object == finished) << "the object differs from the part file";
  EXPECT_EQ(stored.sha256, HashFile(local).sha256);
}

// A file larger than a chunk that was never followed (stored after a restart) goes as a
// multipart upload from its first byte.
TEST_F(S3ProgressiveUploadTest, ALargeFileNotFollowedGoesAsAMultipartUpload) {
  S3Storage storage(Config());
  const fs::path local = dir_ / "part-2.webm";
  fs::copy_file(*source_dir_ / "16s.webm", local);
  const StoredObject stored = storage.Put(local, "recordings/p3/part-2.webm");
  EXPECT_EQ(stored.size_bytes, fs::file_size(local));
  EXPECT_TRUE(Slurp(*storage.Open("recordings/p3/part-2.webm")) == ReadFile(local));
}

} // namespace
} // namespace ssr::storage
