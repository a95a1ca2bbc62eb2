#include "storage/directory_storage.h"

#include "common/ids.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <vector>

namespace ssr::storage {
namespace {

namespace fs = std::filesystem;

void SyncPath(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Copies `from` to `to`, returning the size and SHA-256 of what was read from `from`.
StoredObject CopyHashing(const fs::path& from, const fs::path& to) {
  std::ifstream in(from, std::ios::binary);
  if (!in) {
    throw StorageError("cannot read " + from.string());
  }
  std::ofstream out(to, std::ios::binary | std::ios::trunc);
  if (!out) {
    throw StorageError("cannot write " + to.string());
  }
  Sha256 sha;
  std::vector<char> block(1 << 20);
  StoredObject source;
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto got = in.gcount();
    if (got > 0) {
      sha.Update(block.data(), static_cast<size_t>(got));
      out.write(block.data(), got);
      source.size_bytes += static_cast<uint64_t>(got);
    }
  }
  out.flush();
  if (in.bad() || !out) {
    throw StorageError("error copying " + from.string() + " to " + to.string());
  }
  source.sha256 = sha.HexDigest();
  return source;
}

} // namespace

DirectoryStorage::DirectoryStorage(fs::path root) : root_(std::move(root)) {
  std::error_code ec;
  fs::create_directories(root_, ec);
  if (ec || !fs::is_directory(root_)) {
    throw StorageError("storage: cannot create directory " + root_.string() + ": " + ec.message());
  }
}

fs::path DirectoryStorage::Resolve(const std::string& key) const {
  if (const std::string problem = CheckStorageKey(key); !problem.empty()) {
    throw StorageError("storage: " + problem);
  }
  return root_ / key;
}

StoredObject DirectoryStorage::Put(const fs::path& local_path, const std::string& key) {
  const fs::path dest = Resolve(key);
  std::error_code ec;
  fs::create_directories(dest.parent_path(), ec);
  if (ec) {
    throw StorageError("storage: cannot create " + dest.parent_path().string() + ": " +
                       ec.message());
  }
  static std::atomic<uint64_t> counter{0};
  const fs::path temp = dest.string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                        std::to_string(counter.fetch_add(1));
  try {
    std::optional<StoredObject> source;
    fs::create_hard_link(local_path, temp, ec);
    if (ec) {
      // Another filesystem (or no links): a copy, hashing the source on the way.
      source = CopyHashing(local_path, temp);
    }
    StoredObject stored = HashFile(temp);
    if (!source) {
      // A link shares the source's data, so its hash is the source's; its size is checked
      // against the source's directory entry.
      source = StoredObject{static_cast<uint64_t>(fs::file_size(local_path)), stored.sha256};
    }
    if (stored.size_bytes != source->size_bytes || stored.sha256 != source->sha256) {
      throw StorageError("storage: verification of " + key + " failed: stored " +
                         std::to_string(stored.size_bytes) + " bytes sha256 " + stored.sha256 +
                         ", source " + std::to_string(source->size_bytes) + " bytes sha256 " +
                         source->sha256);
    }
    SyncPath(temp, false);
    fs::rename(temp, dest);
    SyncPath(dest.parent_path(), true);
    return stored;
  } catch (const fs::filesystem_error& e) {
    fs::remove(temp, ec);
    throw StorageError("storage: cannot store " + local_path.string() + " as " + key + ": " +
                       e.what());
  } catch (...) {
    fs::remove(temp, ec);
    throw;
  }
}

std::unique_ptr<std::istream> DirectoryStorage::Open(const std::string& key) {
  const fs::path path = Resolve(key);
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) {
    throw StorageNotFound("storage: no object '" + key + "'");
  }
  return in;
}

std::optional<fs::path> DirectoryStorage::Path(const std::string& key) {
  const fs::path path = Resolve(key);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return std::nullopt;
  }
  return path;
}

void DirectoryStorage::Remove(const std::string& key) {
  const fs::path path = Resolve(key);
  std::error_code ec;
  fs::remove(path, ec);
  if (ec) {
    throw StorageError("storage: cannot remove '" + key + "': " + ec.message());
  }
  // A folder emptied by this (recordings/<id>/) goes too; the top-level folders stay, so a Put
  // creating its folder beside never races with this.
  fs::path folder = fs::path(key).parent_path(); // keys are relative: "recordings/<id>"
  while (std::distance(folder.begin(), folder.end()) >= 2) {
    if (!fs::remove(root_ / folder, ec))
      break; // not empty (or gone): stop
    folder = folder.parent_path();
  }
}

} // namespace ssr::storage
