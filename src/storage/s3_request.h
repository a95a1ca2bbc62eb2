#pragma once
// One request to an S3-compatible endpoint through libcurl. curl signs it (AWS Signature
// Version 4, CURLOPT_AWS_SIGV4); curl 7.88 does not send x-amz-content-sha256, which S3
// requires and signs, so it is set here: the SHA-256 of the payload (of nothing for GET,
// HEAD and DELETE), which also lets S3 reject an upload that arrives corrupted.

#include "storage/s3_config.h"
#include "storage/storage_backend.h"

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <string_view>

typedef void CURL; // NOLINT: as curl/curl.h declares it
struct curl_slist;

namespace ssr::storage {

// A failed S3 request. `transient` when the same request may succeed later: no answer, a
// broken or stalled transfer, HTTP 5xx, 429 or S3's SlowDown and RequestTimeout.
class S3Error : public StorageError {
 public:
  S3Error(const std::string& what, bool transient) : StorageError(what), transient_(transient) {}
  bool transient() const override { return transient_; }

 private:
  bool transient_;
};

class S3Request {
 public:
  // `operation` is the method: "PUT", "GET", "HEAD", "DELETE" or "POST"; `object_key` the key
  // in the bucket (prefix included), "" for the bucket itself; `query` the URL's query,
  // already encoded and sorted by name ("partNumber=2&uploadId=abc"), "" for none.
  S3Request(const S3Config& config, const std::string& operation, const std::string& object_key,
            const std::string& query = "");
  ~S3Request();
  S3Request(const S3Request&) = delete;
  S3Request& operator=(const S3Request&) = delete;

  // Sends `file` (`size_bytes` long, SHA-256 `sha256`) as the body (a PUT).
  void Upload(std::FILE* file, uint64_t size_bytes, const std::string& sha256,
              const std::string& content_type);
  // Sends `bytes` (SHA-256 `sha256`) as the body of a PUT or POST. They must outlive Perform.
  void SendBytes(std::string_view bytes, const std::string& sha256,
                 const std::string& content_type = "");
  // Response body bytes go to `sink` (by default they are kept for the error message).
  void OnBody(std::function<void(const char* data, size_t size)> sink);

  // Runs the request; returns the HTTP status. Throws S3Error when no response came.
  long Perform();

  // The handle, ready to run (for a transfer driven by curl's multi interface).
  CURL* handle() { return curl_; }
  // Throws S3Error for a transfer that ended with `curl_code` (a CURLcode) != OK.
  void CheckTransfer(int curl_code) const;
  long Status() const;
  const std::string& error_body() const { return error_body_; }
  // The body of a successful answer when no sink took it (S3's XML documents), first 64 KB.
  const std::string& response_body() const { return error_body_; }
  // A response header by lowercase name ("etag"), "" when there was none.
  std::string ResponseHeader(const std::string& lowercase_name) const;

  // Throws S3Error: "S3 PUT 'k': HTTP 403 InvalidAccessKeyId: The AWS Access Key Id you ...",
  // or StorageNotFound for a 404 NoSuchKey.
  [[noreturn]] void FailWithStatus(long status) const;

 private:
  static size_t Write(char* data, size_t size, size_t count, void* self);
  static size_t Header(char* data, size_t size, size_t count, void* self);
  static size_t ReadBytes(char* data, size_t size, size_t count, void* self);
  void AddHeader(const std::string& line);

  std::string operation_;
  std::string object_key_;
  CURL* curl_ = nullptr;
  curl_slist* headers_ = nullptr;
  char error_[256] = {};
  std::string error_body_; // first 64 KB of the body, when no sink takes it
  std::function<void(const char*, size_t)> sink_;
  std::map<std::string, std::string> response_headers_; // lowercase names
  std::string_view send_;                               // SendBytes' bytes not yet sent
  std::string userpwd_, sigv4_, url_;
};

// The text of the first <tag>...</tag> in an S3 XML document, XML's predefined entities
// decoded; "" when there is none. S3's answers are flat and known: no XML parser is needed.
std::string S3XmlElement(const std::string& body, const std::string& tag);

// "Code: Message" from an S3 error document (<Error><Code>..</Code><Message>..</Message>),
// or "" when the body has neither.
std::string S3ErrorSummary(const std::string& body);

} // namespace ssr::storage
