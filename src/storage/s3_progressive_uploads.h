#pragma once
// Part files that go to S3 while they are recorded (R9: ready within seconds of the stop,
// whatever the length). A thread of its own uploads each growing file's finished bytes as
// parts of a multipart upload, chunk by chunk, as soon as a whole chunk is on disk. The first
// chunk is held back: the WebM muxer rewrites the file's header (duration, seek index
// position, segment size) when the part ends, and everything it rewrites lies before the
// first cluster, inside the first chunk. So at the stop only the first chunk and the tail
// are left to send.
// The part file is the spool: while S3 is unreachable nothing is sent and nothing is lost;
// the thread tries again, backing off, and goes on where it stopped when S3 answers again.

#include "storage/s3_config.h"
#include "storage/s3_multipart.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ssr::storage {

// What has been sent of one part file.
struct ProgressiveUpload {
  std::filesystem::path local_path;
  std::string object_key;
  std::string content_type;
  std::string upload_id;           // "" until the first chunk goes
  std::vector<UploadedPart> parts; // numbers 2, 3, ... in order (1 is the held-back head)
  uint64_t next_offset = 0;        // first byte not sent
  std::string error;               // the last failure, "" once a request succeeds again
  int failures_in_a_row = 0;
  std::chrono::steady_clock::time_point retry_at{};
  bool busy = false;      // a chunk is on its way (on the uploader thread)
  bool completed = false; // CompleteMultipartUpload succeeded (only the check is left)
  bool dropped = false;   // Drop while busy: aborted when the chunk is back

  // Bytes of the file in S3's upload so far.
  uint64_t StoredBytes() const;
};

class S3ProgressiveUploads {
 public:
  // `failures` counts every failed S3 request (the backend's counter).
  S3ProgressiveUploads(const S3Config& config, std::atomic<uint64_t>& failures);
  ~S3ProgressiveUploads(); // stops the thread; uploads in S3 are left as they are
  S3ProgressiveUploads(const S3ProgressiveUploads&) = delete;
  S3ProgressiveUploads& operator=(const S3ProgressiveUploads&) = delete;

  // Starts following the file at `local_path`, to be stored under `object_key`.
  void Add(const std::filesystem::path& local_path, const std::string& object_key,
           const std::string& content_type);
  // Stops following `object_key` and returns what was sent of it (after the chunk on its
  // way, if any, has arrived), or nullopt when it was not followed.
  std::optional<ProgressiveUpload> Take(const std::string& object_key);
  // Follows an upload again (a Put that failed transiently keeps what it had sent).
  void Restore(ProgressiveUpload upload);
  // Stops following `object_key` and aborts its upload, on the thread: returns at once (the
  // controller calls it under its lock).
  void Drop(const std::string& object_key);

  struct Progress {
    uint64_t stored_bytes = 0;
    std::string error;
  };
  std::optional<Progress> ProgressOf(const std::string& object_key) const;

 private:
  void Run();
  // Sends the next chunk of `upload` (a copy; the thread's own), outside the lock.
  void SendChunk(ProgressiveUpload& upload);

  const S3Config& config_;
  std::atomic<uint64_t>& failures_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, ProgressiveUpload> uploads_; // by object key
  std::vector<ProgressiveUpload> to_abort_;          // dropped uploads S3 should forget
  bool stopping_ = false;
  std::thread thread_;
};

// Sends `length` bytes of `path` from `offset` as part `number` of `upload`. Throws
// StorageError (S3Error for S3's failures).
UploadedPart UploadFileRange(const S3Config& config, const ProgressiveUpload& upload, int number,
                             uint64_t offset, uint64_t length);

} // namespace ssr::storage
