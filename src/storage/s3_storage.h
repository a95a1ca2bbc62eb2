#pragma once
// Finished parts in S3-compatible object storage (R9 at scale), through libcurl with AWS
// SigV4 signing. Put uploads the part in one PUT whose x-amz-content-sha256 is the part's
// SHA-256 (so S3 itself refuses a body that arrives altered), then reads the object back
// through SHA-256 and compares size and hash with the source's; a mismatch removes the
// object. Open streams a GET. There is no local file, so Path is always nullopt. Requests
// that fail transiently (no answer, 5xx, SlowDown) are tried again, a few times.

#include "storage/s3_config.h"
#include "storage/storage_backend.h"

namespace ssr::storage {

class S3Storage : public StorageBackend {
 public:
  // One PUT carries at most 5 GiB on AWS; larger parts would need a multipart upload.
  static constexpr uint64_t kMaxObjectBytes = 5ull << 30;

  // Checks nothing over the network (the first store or download does).
  explicit S3Storage(S3Config config);

  std::string_view Kind() const override { return "s3"; }
  StoredObject Put(const std::filesystem::path& local_path, const std::string& key) override;
  std::unique_ptr<std::istream> Open(const std::string& key) override;
  // A GET with a Range header: only the bytes asked for cross the network.
  std::unique_ptr<std::istream> OpenRange(const std::string& key, uint64_t first,
                                          uint64_t length) override;
  std::optional<std::filesystem::path> Path(const std::string& key) override;
  void Remove(const std::string& key) override;

  // Asks for the bucket (HEAD, one attempt, at most a few seconds): throws StorageError when
  // it cannot be reached, does not exist or refuses these credentials. For a check at start.
  void CheckBucket() const;

  const S3Config& config() const { return config_; }

 private:
  std::string ObjectKey(const std::string& key) const; // prefix + key; throws for a bad key
  StoredObject PutOnce(const std::filesystem::path& local_path, const std::string& key,
                       const StoredObject& source);
  StoredObject ReadBack(const std::string& object_key);
  void RemoveQuietly(const std::string& object_key); // best effort, after a failed store
  // Runs `request`, again after a transient S3Error (config_.attempts in all, backing off).
  template <typename Request> auto Retrying(Request request) -> decltype(request());

  S3Config config_;
};

} // namespace ssr::storage
