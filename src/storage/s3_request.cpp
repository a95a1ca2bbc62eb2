#include "storage/s3_request.h"

#include "storage/storage_backend.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>

namespace ssr::storage {
namespace {

// SHA-256 of an empty payload.
constexpr const char* kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

constexpr size_t kMaxErrorBody = size_t{64} * 1024;

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

} // namespace

std::string S3XmlElement(const std::string& body, const std::string& tag) {
  const size_t open = body.find("<" + tag + ">");
  if (open == std::string::npos) {
    return {};
  }
  const size_t start = open + tag.size() + 2;
  const size_t close = body.find("</" + tag + ">", start);
  if (close == std::string::npos) {
    return {};
  }
  std::string text = body.substr(start, close - start);
  static const std::pair<const char*, const char*> kEntities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [entity, plain] : kEntities) {
    for (size_t at = text.find(entity); at != std::string::npos; at = text.find(entity, at + 1)) {
      text.replace(at, std::string_view(entity).size(), plain);
    }
  }
  return text;
}

std::string S3ErrorSummary(const std::string& body) {
  const std::string code = S3XmlElement(body, "Code");
  std::string message = S3XmlElement(body, "Message");
  if (code.empty()) {
    return message;
  }
  return message.empty() ? code : code + ": " + message;
}

S3Request::S3Request(const S3Config& config, const std::string& operation,
                     const std::string& object_key, const std::string& query)
    : operation_(operation), object_key_(object_key) {
  InitCurlOnce();
  curl_ = curl_easy_init();
  if (!curl_) {
    throw StorageError("S3: cannot create a curl handle");
  }
  // Keys hold only [A-Za-z0-9._-/] (CheckStorageKey): nothing to percent-encode.
  url_ = config.endpoint + "/" + config.bucket + (object_key.empty() ? "" : "/" + object_key) +
         (query.empty() ? "" : "?" + query);
  userpwd_ = config.access_key + ":" + config.secret_key;
  sigv4_ = "aws:amz:" + config.region + ":s3";
  curl_easy_setopt(curl_, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl_, CURLOPT_AWS_SIGV4, sigv4_.c_str());
  curl_easy_setopt(curl_, CURLOPT_USERPWD, userpwd_.c_str());
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config.connect_timeout_ms));
  curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_TIME, static_cast<long>(config.low_speed_time_s));
  curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(config.low_speed_bytes_per_s));
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &S3Request::Write);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &S3Request::Header);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, this);
  if (operation == "HEAD") {
    curl_easy_setopt(curl_, CURLOPT_NOBODY, 1L);
  } else if (operation != "GET" && operation != "PUT" && operation != "POST") {
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, operation.c_str()); // DELETE
  }
  if (operation != "PUT" && operation != "POST") {
    AddHeader(std::string("x-amz-content-sha256: ") + kEmptySha256);
  }
}

S3Request::~S3Request() {
  curl_easy_cleanup(curl_);
  curl_slist_free_all(headers_);
}

void S3Request::AddHeader(const std::string& line) {
  curl_slist* grown = curl_slist_append(headers_, line.c_str());
  if (!grown) {
    throw StorageError("S3: out of memory");
  }
  headers_ = grown;
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
}

void S3Request::Upload(std::FILE* file, uint64_t size_bytes, const std::string& sha256,
                       const std::string& content_type) {
  curl_easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl_, CURLOPT_READDATA, file); // curl's default reader is fread
  curl_easy_setopt(curl_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size_bytes));
  AddHeader("x-amz-content-sha256: " + sha256);
  // Kept with the object: what it was verified against, readable with a HEAD.
  AddHeader("x-amz-meta-sha256: " + sha256);
  AddHeader("Content-Type: " + content_type);
}

void S3Request::SendBytes(std::string_view bytes, const std::string& sha256,
                          const std::string& content_type) {
  send_ = bytes;
  if (operation_ == "POST") {
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(bytes.size()));
    // Never null: curl would read the body from the read callback instead.
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, bytes.empty() ? "" : bytes.data());
  } else {
    curl_easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl_, CURLOPT_READFUNCTION, &S3Request::ReadBytes);
    curl_easy_setopt(curl_, CURLOPT_READDATA, this);
    curl_easy_setopt(curl_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(bytes.size()));
  }
  AddHeader("x-amz-content-sha256: " + sha256);
  // Without one, curl would call a POST's body a form.
  AddHeader("Content-Type: " + (content_type.empty() ? "application/octet-stream" : content_type));
}

size_t S3Request::ReadBytes(char* data, size_t size, size_t count, void* self) {
  auto* request = static_cast<S3Request*>(self);
  const size_t n = std::min(size * count, request->send_.size());
  std::memcpy(data, request->send_.data(), n);
  request->send_.remove_prefix(n);
  return n;
}

size_t S3Request::Header(char* data, size_t size, size_t count, void* self) {
  auto* request = static_cast<S3Request*>(self);
  const std::string_view line(data, size * count);
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
      value.remove_suffix(1);
    request->response_headers_[name] = std::string(value);
  }
  return size * count;
}

std::string S3Request::ResponseHeader(const std::string& lowercase_name) const {
  auto it = response_headers_.find(lowercase_name);
  return it == response_headers_.end() ? std::string() : it->second;
}

void S3Request::OnBody(std::function<void(const char*, size_t)> sink) { sink_ = std::move(sink); }

size_t S3Request::Write(char* data, size_t size, size_t count, void* self) {
  auto* request = static_cast<S3Request*>(self);
  const size_t bytes = size * count;
  try {
    if (request->sink_ && request->Status() / 100 == 2) {
      request->sink_(data, bytes);
    } else if (request->error_body_.size() < kMaxErrorBody) {
      request->error_body_.append(data,
                                  std::min(bytes, kMaxErrorBody - request->error_body_.size()));
    }
  } catch (...) {
    return 0; // curl ends the transfer with CURLE_WRITE_ERROR
  }
  return bytes;
}

long S3Request::Status() const {
  long status = 0;
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

void S3Request::CheckTransfer(int curl_code) const {
  if (curl_code == CURLE_OK) {
    return;
  }
  const auto code = static_cast<CURLcode>(curl_code);
  const std::string detail = error_[0] ? error_ : curl_easy_strerror(code);
  // What the network or the server did, not our configuration or our own callbacks.
  const bool transient = code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST ||
                         code == CURLE_OPERATION_TIMEDOUT || code == CURLE_SEND_ERROR ||
                         code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING ||
                         code == CURLE_PARTIAL_FILE || code == CURLE_SSL_CONNECT_ERROR;
  throw S3Error("S3 " + operation_ + " '" + object_key_ + "': " + detail + " (" + url_ + ")",
                transient);
}

long S3Request::Perform() {
  CheckTransfer(curl_easy_perform(curl_));
  return Status();
}

void S3Request::FailWithStatus(long status) const {
  std::string summary = S3ErrorSummary(error_body_);
  if (summary.empty()) {
    summary = "no S3 error document";
  }
  const std::string what =
      "S3 " + operation_ + " '" + object_key_ + "': HTTP " + std::to_string(status) + " " + summary;
  if (status == 404 && summary.rfind("NoSuchKey", 0) == 0) {
    throw StorageNotFound(what);
  }
  const bool transient = status >= 500 || status == 429 || summary.rfind("SlowDown", 0) == 0 ||
                         summary.rfind("RequestTimeout", 0) == 0;
  throw S3Error(what, transient);
}

} // namespace ssr::storage
