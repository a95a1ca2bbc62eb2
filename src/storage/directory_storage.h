#pragma once
// The default storage backend: a directory (the "file server" of a single machine). Put
// hard-links the part into place when it is on the same filesystem (so storing a 2-hour part
// costs one read for the hash, not a copy), else copies it while hashing the source.
// Either way the stored file is read back and its size and SHA-256 compared before it gets
// its final name.

#include "storage/storage_backend.h"

namespace ssr::storage {

class DirectoryStorage : public StorageBackend {
 public:
  // Creates `root` if needed. Throws StorageError.
  explicit DirectoryStorage(std::filesystem::path root);

  std::string_view Kind() const override { return "directory"; }
  StoredObject Put(const std::filesystem::path& local_path, const std::string& key) override;
  std::unique_ptr<std::istream> Open(const std::string& key) override;
  std::optional<std::filesystem::path> Path(const std::string& key) override;
  void Remove(const std::string& key) override;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path Resolve(const std::string& key) const; // throws for a bad key

  std::filesystem::path root_;
};

} // namespace ssr::storage
