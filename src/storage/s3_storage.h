#pragma once
// Finished parts in S3-compatible object storage (R9 at scale), through libcurl with AWS
// SigV4 signing. A file up to part_size_bytes goes in one PUT whose x-amz-content-sha256 is
// its SHA-256 (so S3 itself refuses a body that arrives altered), then is read back through
// SHA-256 and compared; a mismatch removes the object. A larger file goes as a multipart
// upload (s3_multipart.h), most of it while it is recorded (Growing,
// s3_progressive_uploads.h): each chunk is checked by S3 against its SHA-256 and by us
// against the MD5 ETag S3 answers, and the object's size against the file's, without
// reading the whole object back. Open streams a GET. There is no local file, so Path is
// always nullopt. Requests that fail transiently (no answer, 5xx, SlowDown) are tried again,
// a few times; the caller tries a failed Put again later (the part file is the spool).

#include "storage/s3_config.h"
#include "storage/s3_progressive_uploads.h"
#include "storage/storage_backend.h"

#include <atomic>
#include <memory>

namespace ssr::storage {

class S3Storage : public StorageBackend {
 public:
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
  void Growing(const std::filesystem::path& local_path, const std::string& key) override;
  void Abandon(const std::string& key) override;
  std::optional<UploadProgress> Progress(const std::string& key) override;
  uint64_t FailedRequests() const override { return failures_; }

  // Asks for the bucket (HEAD, one attempt, at most a few seconds): throws StorageError when
  // it cannot be reached, does not exist or refuses these credentials. For a check at start.
  void CheckBucket() const;

  const S3Config& config() const { return config_; }

 private:
  std::string ObjectKey(const std::string& key) const; // prefix + key; throws for a bad key
  StoredObject PutOnce(const std::filesystem::path& local_path, const std::string& key,
                       const StoredObject& source);
  StoredObject ReadBack(const std::string& object_key);
  // A multipart upload of the file, going on from what `upload` sent while it grew.
  StoredObject PutMultipart(const std::filesystem::path& local_path, const std::string& key,
                            uint64_t size_bytes, ProgressiveUpload upload);
  void SendTheRest(ProgressiveUpload& upload, uint64_t size_bytes);
  void RemoveQuietly(const std::string& object_key); // best effort, after a failed store
  // Runs `request`, again after a transient S3Error (config_.attempts in all, backing off).
  template <typename Request> auto Retrying(Request request) -> decltype(request());

  S3Config config_;
  std::atomic<uint64_t> failures_{0};
  S3ProgressiveUploads progressive_{config_, failures_};
};

} // namespace ssr::storage
