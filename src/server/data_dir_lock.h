#pragma once
// One `ssr serve` per data directory: a second one on the same directory would serve the same
// database and bundles without knowing of the first one's recordings (both would recover,
// purge and write the same files). The lock is an flock on DATA/ssr.lock, held while the
// process lives and released by the kernel however it ends (a crash included).

#include <filesystem>

namespace ssr::server {

class DataDirLock {
 public:
  // Throws std::runtime_error naming the directory (and the holder's pid when it is known)
  // when another process holds it.
  explicit DataDirLock(const std::filesystem::path& data_dir);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  int fd_ = -1;
};

} // namespace ssr::server
