#pragma once
// S3's multipart upload, one request per call: an object assembled from numbered parts of at
// least 5 MiB (except the last), up to 10,000 of them, each sent and checked on its own, so
// a part file can go to S3 while it is still being written and a part over 5 GiB (one PUT's
// limit) can be stored at all. A part number may be uploaded again before completion: the
// new bytes replace the old.
// Each call is one attempt: it throws S3Error (transient or not) and the caller retries.

#include "storage/s3_config.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ssr::storage {

struct UploadedPart {
  int number = 0;      // 1..10000
  uint64_t offset = 0; // of its first byte in the object
  uint64_t size = 0;   // bytes
  std::string md5;     // lowercase hex of its bytes
  std::string etag;    // as S3 answered it, without quotes
};

// CreateMultipartUpload: returns the upload id. `content_type` is the object's.
std::string CreateMultipartUpload(const S3Config& config, const std::string& object_key,
                                  const std::string& content_type);

// UploadPart of `bytes` as part `number`. S3 checks the body against its SHA-256
// (x-amz-content-sha256); the ETag it answers is compared with the bytes' MD5 (unless S3
// encrypts with KMS: its ETags are no MD5s), so what it keeps is what was read from the file.
UploadedPart UploadPart(const S3Config& config, const std::string& object_key,
                        const std::string& upload_id, int number, uint64_t offset,
                        std::string_view bytes);

// CompleteMultipartUpload of `parts` (sorted by number): returns the object's ETag, without
// quotes. When it has S3's multipart form ("<MD5 of the parts' MD5s>-<count>") it is compared
// with the one the parts make.
std::string CompleteMultipartUpload(const S3Config& config, const std::string& object_key,
                                    const std::string& upload_id,
                                    const std::vector<UploadedPart>& parts);

// AbortMultipartUpload, best effort: S3 frees the parts (not every S3-compatible server
// implements it; a bucket lifecycle rule removes what is left).
void AbortMultipartUpload(const S3Config& config, const std::string& object_key,
                          const std::string& upload_id) noexcept;

// The object's size (a HEAD). Throws StorageNotFound when there is none.
uint64_t ObjectSize(const S3Config& config, const std::string& object_key);

} // namespace ssr::storage
