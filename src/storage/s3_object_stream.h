#pragma once
// A stream over an S3 object, read as it arrives: the GET runs on curl's multi interface and
// is driven by the reader, so memory stays at what one network read brings (no temporary
// file, no thread), and a slow reader slows the transfer down instead of piling up data.
// A transfer that fails midway sets the stream's badbit.

#include "storage/s3_request.h"

#include <curl/curl.h>

#include <istream>
#include <memory>
#include <streambuf>
#include <string>

namespace ssr::storage {

class S3ObjectBuffer : public std::streambuf {
 public:
  // Starts the GET and waits for the response's first bytes. Throws StorageError when the
  // object cannot be read (HTTP status not 200, connection failure, timeout).
  // `range` ("first-last", "" for all) asks for part of the object (206 then expected).
  S3ObjectBuffer(const S3Config& config, const std::string& object_key,
                 const std::string& range = "");
  ~S3ObjectBuffer() override;
  S3ObjectBuffer(const S3ObjectBuffer&) = delete;
  S3ObjectBuffer& operator=(const S3ObjectBuffer&) = delete;

  // Why the stream went bad ("" while it is fine).
  const std::string& failure() const { return failure_; }

 protected:
  int_type underflow() override;

 private:
  // Runs the transfer until data is waiting or it is over.
  void Fill();

  std::unique_ptr<S3Request> request_;
  CURLM* multi_ = nullptr;
  std::string chunk_; // what the last network read brought
  bool done_ = false;
  CURLcode result_ = CURLE_OK;
  std::string failure_;
  std::string range_; // kept alive for curl (CURLOPT_RANGE)
};

class S3ObjectStream : public std::istream {
 public:
  S3ObjectStream(const S3Config& config, const std::string& object_key,
                 const std::string& range = "")
      : std::istream(nullptr), buffer_(config, object_key, range) {
    rdbuf(&buffer_);
  }
  const std::string& failure() const { return buffer_.failure(); }

 private:
  S3ObjectBuffer buffer_;
};

} // namespace ssr::storage
