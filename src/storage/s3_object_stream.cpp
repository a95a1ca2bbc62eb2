#include "storage/s3_object_stream.h"

#include "storage/storage_backend.h"

namespace ssr::storage {

S3ObjectBuffer::S3ObjectBuffer(const S3Config& config, const std::string& object_key,
                               const std::string& range)
    : request_(std::make_unique<S3Request>(config, "GET", object_key)), range_(range) {
  request_->OnBody([this](const char* data, size_t size) { chunk_.append(data, size); });
  if (!range_.empty()) {
    curl_easy_setopt(request_->handle(), CURLOPT_RANGE, range_.c_str());
  }
  multi_ = curl_multi_init();
  if (!multi_ || curl_multi_add_handle(multi_, request_->handle()) != CURLM_OK) {
    curl_multi_cleanup(multi_);
    throw StorageError("S3: cannot start a transfer");
  }
  try {
    Fill();
    if (done_) {
      request_->CheckTransfer(result_);
    }
    if (const long status = request_->Status(); status != (range_.empty() ? 200 : 206)) {
      while (!done_) {
        Fill(); // the rest of the error document
      }
      request_->FailWithStatus(status);
    }
  } catch (...) {
    curl_multi_remove_handle(multi_, request_->handle());
    curl_multi_cleanup(multi_);
    throw;
  }
  setg(chunk_.data(), chunk_.data(), chunk_.data() + chunk_.size());
}

S3ObjectBuffer::~S3ObjectBuffer() {
  curl_multi_remove_handle(multi_, request_->handle());
  curl_multi_cleanup(multi_);
}

void S3ObjectBuffer::Fill() {
  while (chunk_.empty() && !done_) {
    int running = 0;
    if (const CURLMcode code = curl_multi_perform(multi_, &running); code != CURLM_OK) {
      throw StorageError(std::string("S3: transfer failed: ") + curl_multi_strerror(code));
    }
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
      if (message->msg == CURLMSG_DONE) {
        done_ = true;
        result_ = message->data.result;
      }
    }
    if (chunk_.empty() && !done_) {
      // Sleeps until the socket has news; curl's own timeouts still apply.
      curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
    }
  }
}

S3ObjectBuffer::int_type S3ObjectBuffer::underflow() {
  if (gptr() < egptr()) {
    return traits_type::to_int_type(*gptr());
  }
  chunk_.clear();
  try {
    Fill();
    if (chunk_.empty()) {
      request_->CheckTransfer(result_);
    }
  } catch (const StorageError& e) {
    failure_ = e.what();
    throw; // a failure midway: the istream sets badbit
  }
  if (chunk_.empty()) {
    return traits_type::eof();
  }
  setg(chunk_.data(), chunk_.data(), chunk_.data() + chunk_.size());
  return traits_type::to_int_type(*gptr());
}

} // namespace ssr::storage
