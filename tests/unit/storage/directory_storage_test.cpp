#include "storage/directory_storage.h"

#include "common/ids.h"

#include "../../support/temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace ssr::storage {
namespace {

namespace fs = std::filesystem;

// SHA-256("abc"), FIPS 180-2 appendix B.1.
constexpr const char* kAbcSha256 =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

class DirectoryStorageTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(dir_ / "live"); }
  fs::path Write(const fs::path& path, const std::string& content) {
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  test::TempDir temp_dir_;
  const fs::path dir_ = temp_dir_.path();
};

TEST_F(DirectoryStorageTest, PutVerifiesAndStoresUnderTheKey) {
  DirectoryStorage storage(dir_ / "media");
  const fs::path local = Write(dir_ / "live" / "part-1.webm", "abc");
  const StoredObject stored = storage.Put(local, "recordings/r1/part-1.webm");
  EXPECT_EQ(stored.size_bytes, 3u);
  EXPECT_EQ(stored.sha256, kAbcSha256);
  const auto path = storage.Path("recordings/r1/part-1.webm");
  ASSERT_TRUE(path);
  EXPECT_EQ(*path, dir_ / "media" / "recordings" / "r1" / "part-1.webm");
  std::stringstream content;
  content << storage.Open("recordings/r1/part-1.webm")->rdbuf();
  EXPECT_EQ(content.str(), "abc");
  EXPECT_TRUE(fs::exists(local)) << "the caller removes the local file";
  // No temporary file is left beside it.
  EXPECT_EQ(std::distance(fs::directory_iterator(path->parent_path()), fs::directory_iterator{}),
            1);
  storage.Remove("recordings/r1/part-1.webm");
  EXPECT_FALSE(storage.Path("recordings/r1/part-1.webm"));
  EXPECT_THROW(storage.Open("recordings/r1/part-1.webm"), StorageError);
  storage.Remove("recordings/r1/part-1.webm"); // absent: no error
}

TEST_F(DirectoryStorageTest, CopiesAcrossFilesystemsAndVerifies) {
  const fs::path shm = "/dev/shm";
  if (!fs::is_directory(shm)) {
    GTEST_SKIP() << "no /dev/shm";
  }
  const test::TempDir on_shm({}, shm); // another file system than dir_
  const fs::path local = Write(on_shm / "part-1.webm", "abc");
  DirectoryStorage storage(dir_ / "media");
  const StoredObject stored = storage.Put(local, "x/part-1.webm");
  EXPECT_EQ(stored.sha256, kAbcSha256);
  EXPECT_EQ(HashFile(*storage.Path("x/part-1.webm")).sha256, kAbcSha256);
}

TEST_F(DirectoryStorageTest, BadKeysAndMissingFilesAreErrors) {
  DirectoryStorage storage(dir_ / "media");
  const fs::path local = Write(dir_ / "live" / "p.webm", "abc");
  EXPECT_THROW(storage.Put(local, "../escape.webm"), StorageError);
  EXPECT_THROW(storage.Put(local, "/abs.webm"), StorageError);
  EXPECT_THROW(storage.Put(local, "a//b"), StorageError);
  EXPECT_THROW(storage.Put(local, "a b"), StorageError);
  EXPECT_THROW(storage.Put(dir_ / "live" / "missing.webm", "k.webm"), StorageError);
  EXPECT_FALSE(storage.Path("k.webm"));
  EXPECT_EQ(CheckStorageKey("recordings/r1/part-1.webm"), "");
}

TEST_F(DirectoryStorageTest, RegistryBuildsBackendsByKind) {
  auto backend = MakeStorageBackend({{"kind", "directory"}, {"root", (dir_ / "m").string()}});
  EXPECT_EQ(backend->Kind(), "directory");
  EXPECT_THROW(MakeStorageBackend({{"kind", "tape"}}), StorageError);
  EXPECT_THROW(MakeStorageBackend({{"root", "x"}}), StorageError);
  EXPECT_THROW(MakeStorageBackend({{"kind", "directory"}}), StorageError);
  const fs::path root = dir_ / "other";
  RegisterStorageBackend("test-kind", [root](const nlohmann::json&) {
    return std::make_unique<DirectoryStorage>(root);
  });
  EXPECT_EQ(MakeStorageBackend({{"kind", "test-kind"}})->Kind(), "directory");
  EXPECT_TRUE(fs::is_directory(root));
}

TEST_F(DirectoryStorageTest, HashesLargeFilesInBlocks) {
  // 3 MiB + 1 of "a": several read blocks, a partial last one.
  const fs::path local = Write(dir_ / "live" / "big", std::string(3 * 1024 * 1024 + 1, 'a'));
  const StoredObject object = HashFile(local);
  EXPECT_EQ(object.size_bytes, 3u * 1024 * 1024 + 1);
  EXPECT_EQ(object.sha256, "2b98b70051781969f52a33c9cd0e8392bb7a634a92a3be4597b25e13feb41ee6");
  DirectoryStorage storage(dir_ / "media");
  EXPECT_EQ(storage.Put(local, "big").sha256, object.sha256);
}

} // namespace
} // namespace ssr::storage
