#include "storage/s3_storage.h"

#include "storage/s3_multipart.h"
#include "storage/s3_object_stream.h"
#include "storage/s3_request.h"

#include "common/ids.h"
#include "common/log.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <thread>
#include <vector>

namespace ssr::storage {
namespace {

std::string ContentTypeOf(const std::string& key) {
  const auto ends_with = [&](std::string_view suffix) {
    return key.size() >= suffix.size() &&
           key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".webm")) {
    return "video/webm";
  }
  if (ends_with(".vtt")) {
    return "text/vtt; charset=utf-8";
  }
  return "application/octet-stream";
}

} // namespace

S3Storage::S3Storage(S3Config config) : config_(std::move(config)) {}

std::string S3Storage::ObjectKey(const std::string& key) const {
  if (const std::string problem = CheckStorageKey(key); !problem.empty()) {
    throw StorageError("storage: " + problem);
  }
  return config_.prefix + key;
}

StoredObject S3Storage::Put(const std::filesystem::path& local_path, const std::string& key) {
  const std::string object_key = ObjectKey(key);
  std::optional<ProgressiveUpload> sent = progressive_.Take(object_key);
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(local_path, ec);
  if (ec) {
    if (sent) {
      progressive_.Restore(std::move(*sent));
    }
    throw StorageError("cannot read " + local_path.string() + ": " + ec.message());
  }
  if (sent && (sent->local_path != local_path || size < sent->next_offset)) {
    // Not the file that grew, or shorter than what was sent: send it all again.
    if (!sent->upload_id.empty()) {
      AbortMultipartUpload(config_, object_key, sent->upload_id);
    }
    sent.reset();
  }
  if (size > config_.part_size_bytes || (sent && !sent->upload_id.empty())) {
    if (!sent) {
      sent.emplace();
      sent->local_path = local_path;
      sent->object_key = object_key;
      sent->content_type = ContentTypeOf(key);
      sent->next_offset = std::min(size, config_.part_size_bytes);
    }
    return PutMultipart(local_path, key, size, std::move(*sent));
  }
  const StoredObject source = HashFile(local_path);
  return Retrying([&] { return PutOnce(local_path, key, source); });
}

// The file's SHA-256 (the part's, for the library) is computed while the rest is sent. A
// transient failure keeps what was sent for the next try; any other drops the upload.
StoredObject S3Storage::PutMultipart(const std::filesystem::path& local_path,
                                     const std::string& key, uint64_t size_bytes,
                                     ProgressiveUpload upload) {
  const std::string object_key = ObjectKey(key);
  upload.next_offset = std::max(upload.next_offset, std::min(size_bytes, config_.part_size_bytes));
  auto hashing = std::async(std::launch::async, [&local_path] { return HashFile(local_path); });
  try {
    if (!upload.completed) {
      SendTheRest(upload, size_bytes);
    }
    const uint64_t stored_size = Retrying([&] { return ObjectSize(config_, object_key); });
    StoredObject source = hashing.get();
    if (stored_size != size_bytes || source.size_bytes != size_bytes) {
      RemoveQuietly(object_key);
      throw S3Error("S3: verification of '" + object_key + "' failed: stored " +
                        std::to_string(stored_size) + " bytes, the file has " +
                        std::to_string(source.size_bytes) + " (" + std::to_string(size_bytes) +
                        " when the upload ended)",
                    false);
    }
    return source;
  } catch (const StorageError& e) {
    if (hashing.valid()) {
      hashing.wait();
    }
    const bool upload_gone = std::string_view(e.what()).find("NoSuchUpload") != std::string::npos;
    if (upload_gone && !upload.parts.empty() && !upload.completed) {
      // S3 dropped the upload (it expired, or was aborted): once more from the first byte.
      Logger("control")->warn("{}; uploading '{}' again from its first byte", e.what(), object_key);
      ProgressiveUpload fresh;
      fresh.local_path = upload.local_path;
      fresh.object_key = upload.object_key;
      fresh.content_type = upload.content_type;
      return PutMultipart(local_path, key, size_bytes, std::move(fresh));
    }
    if (e.transient()) {
      progressive_.Restore(std::move(upload)); // goes on from here, also while it waits
    } else if (!upload.upload_id.empty() && !upload.completed) {
      AbortMultipartUpload(config_, object_key, upload.upload_id);
    }
    throw;
  }
}

// The parts not yet sent (the tail, then the head), and the completion.
void S3Storage::SendTheRest(ProgressiveUpload& upload, uint64_t size_bytes) {
  const std::string& object_key = upload.object_key;
  const uint64_t chunk = config_.part_size_bytes;
  if (upload.upload_id.empty()) {
    upload.upload_id =
        Retrying([&] { return CreateMultipartUpload(config_, object_key, upload.content_type); });
  }
  // The tail: what was written since the last chunk sent, in chunks.
  while (upload.next_offset < size_bytes) {
    const int number = static_cast<int>(upload.parts.size()) + 2;
    if (number > 10000) {
      throw S3Error("S3 PUT '" + object_key + "': " + std::to_string(size_bytes) +
                        " bytes need more than 10,000 parts of " + std::to_string(chunk) +
                        " bytes (raise part_size_bytes)",
                    false);
    }
    const uint64_t length = std::min(chunk, size_bytes - upload.next_offset);
    upload.parts.push_back(Retrying(
        [&] { return UploadFileRange(config_, upload, number, upload.next_offset, length); }));
    upload.next_offset += length;
  }
  // The head last: the muxer rewrote its header when the part ended.
  std::vector<UploadedPart> parts = {Retrying(
      [&] { return UploadFileRange(config_, upload, 1, 0, std::min(chunk, size_bytes)); })};
  parts.insert(parts.end(), upload.parts.begin(), upload.parts.end());
  Retrying([&] { return CompleteMultipartUpload(config_, object_key, upload.upload_id, parts); });
  upload.completed = true;
}

StoredObject S3Storage::PutOnce(const std::filesystem::path& local_path, const std::string& key,
                                const StoredObject& source) {
  const std::string object_key = ObjectKey(key);
  {
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(local_path.c_str(), "rb"),
                                                               &std::fclose);
    if (!file) {
      throw StorageError("cannot read " + local_path.string());
    }
    S3Request put(config_, "PUT", object_key);
    put.Upload(file.get(), source.size_bytes, source.sha256, ContentTypeOf(key));
    if (const long status = put.Perform(); status != 200) {
      put.FailWithStatus(status);
    }
  }
  StoredObject stored;
  try {
    stored = ReadBack(object_key);
  } catch (const StorageError&) {
    RemoveQuietly(object_key); // the first error is the one to report
    throw;
  }
  if (stored.size_bytes != source.size_bytes || stored.sha256 != source.sha256) {
    RemoveQuietly(object_key);
    throw StorageError("S3: verification of '" + object_key + "' failed: stored " +
                       std::to_string(stored.size_bytes) + " bytes sha256 " + stored.sha256 +
                       ", source " + std::to_string(source.size_bytes) + " bytes sha256 " +
                       source.sha256);
  }
  return stored;
}

template <typename Request> auto S3Storage::Retrying(Request request) -> decltype(request()) {
  int delay_ms = config_.retry_delay_ms;
  for (int attempt = 1;; ++attempt) {
    try {
      return request();
    } catch (const S3Error& e) {
      ++failures_;
      if (!e.transient() || attempt >= config_.attempts) {
        throw;
      }
      Logger("control")->warn("{} (attempt {} of {}; trying again in {} ms)", e.what(), attempt,
                              config_.attempts, delay_ms);
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      delay_ms *= 2;
    }
  }
}

void S3Storage::RemoveQuietly(const std::string& object_key) {
  try {
    S3Request remove(config_, "DELETE", object_key);
    remove.Perform();
  } catch (const StorageError&) {
  }
}

StoredObject S3Storage::ReadBack(const std::string& object_key) {
  S3ObjectStream in(config_, object_key);
  Sha256 sha;
  StoredObject stored;
  std::vector<char> block(1 << 20);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    if (const auto got = in.gcount(); got > 0) {
      sha.Update(block.data(), static_cast<size_t>(got));
      stored.size_bytes += static_cast<uint64_t>(got);
    }
  }
  if (in.bad()) {
    throw S3Error(in.failure() + " (after " + std::to_string(stored.size_bytes) + " bytes)",
                  /*transient=*/true);
  }
  stored.sha256 = sha.HexDigest();
  return stored;
}

std::unique_ptr<std::istream> S3Storage::Open(const std::string& key) {
  const std::string object_key = ObjectKey(key);
  // Retried until the object's first bytes arrive; a failure after that is the reader's.
  return Retrying([&]() -> std::unique_ptr<std::istream> {
    return std::make_unique<S3ObjectStream>(config_, object_key);
  });
}

std::unique_ptr<std::istream> S3Storage::OpenRange(const std::string& key, uint64_t first,
                                                   uint64_t length) {
  if (length == 0)
    return StorageBackend::OpenRange(key, first, length);
  const std::string object_key = ObjectKey(key);
  const std::string range = std::to_string(first) + "-" + std::to_string(first + length - 1);
  return Retrying([&]() -> std::unique_ptr<std::istream> {
    return std::make_unique<S3ObjectStream>(config_, object_key, range);
  });
}

void S3Storage::CheckBucket() const {
  S3Config quick = config_;
  quick.connect_timeout_ms = std::min(quick.connect_timeout_ms, 3000);
  quick.low_speed_time_s = std::min(quick.low_speed_time_s, 3);
  S3Request head(quick, "HEAD", "");
  const long status = head.Perform();
  const std::string where = "bucket '" + config_.bucket + "' at " + config_.endpoint;
  if (status == 404) {
    throw StorageError("S3: no " + where);
  }
  if (status == 403) {
    throw StorageError("S3: " + where + " refuses access key '" + config_.access_key +
                       "' (HTTP 403: a wrong key or secret, or no s3:ListBucket permission)");
  }
  if (status / 100 != 2) {
    throw StorageError("S3: " + where + " answers HTTP " + std::to_string(status));
  }
}

std::optional<std::filesystem::path> S3Storage::Path(const std::string&) { return std::nullopt; }

void S3Storage::Growing(const std::filesystem::path& local_path, const std::string& key) {
  try {
    progressive_.Add(local_path, ObjectKey(key), ContentTypeOf(key));
  } catch (const std::exception& e) {
    Logger("control")->error("S3: '{}' will be stored when it ends: {}", key, e.what());
  }
}

void S3Storage::Abandon(const std::string& key) {
  try {
    progressive_.Drop(ObjectKey(key));
  } catch (const std::exception& e) {
    Logger("control")->warn("S3: dropping the upload of '{}': {}", key, e.what());
  }
}

std::optional<UploadProgress> S3Storage::Progress(const std::string& key) {
  try {
    if (auto progress = progressive_.ProgressOf(ObjectKey(key))) {
      return UploadProgress{progress->stored_bytes, progress->error};
    }
  } catch (const StorageError&) {
  }
  return std::nullopt;
}

void S3Storage::Remove(const std::string& key) {
  const std::string object_key = ObjectKey(key);
  Retrying([&] {
    S3Request remove(config_, "DELETE", object_key);
    const long status = remove.Perform();
    const bool gone =
        status == 404 && S3ErrorSummary(remove.error_body()).rfind("NoSuchBucket", 0) != 0;
    if (status / 100 != 2 && !gone) {
      remove.FailWithStatus(status);
    }
  });
}

} // namespace ssr::storage
