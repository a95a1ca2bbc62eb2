#include "storage/s3_progressive_uploads.h"

#include "storage/s3_request.h"

#include "common/log.h"

#include <algorithm>
#include <fstream>

namespace ssr::storage {
namespace {

namespace fs = std::filesystem;

// How often the thread looks at the files when nothing is due.
constexpr auto kPollInterval = std::chrono::milliseconds(500);
// After a failure, 1 s, 2 s, 4 s ... at most this long between tries.
constexpr int kMaxRetryDelayMs = 30000;

} // namespace

uint64_t ProgressiveUpload::StoredBytes() const {
  uint64_t bytes = 0;
  for (const UploadedPart& p : parts) {
    bytes += p.size;
  }
  return bytes;
}

UploadedPart UploadFileRange(const S3Config& config, const ProgressiveUpload& upload, int number,
                             uint64_t offset, uint64_t length) {
  std::ifstream in(upload.local_path, std::ios::binary);
  std::string bytes(length, '\0');
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(bytes.data(), static_cast<std::streamsize>(length));
  if (!in || static_cast<uint64_t>(in.gcount()) != length) {
    throw StorageError("cannot read bytes " + std::to_string(offset) + "+" +
                       std::to_string(length) + " of " + upload.local_path.string());
  }
  return UploadPart(config, upload.object_key, upload.upload_id, number, offset, bytes);
}

S3ProgressiveUploads::S3ProgressiveUploads(const S3Config& config, std::atomic<uint64_t>& failures)
    : config_(config), failures_(failures), thread_([this] { Run(); }) {}

S3ProgressiveUploads::~S3ProgressiveUploads() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void S3ProgressiveUploads::Add(const fs::path& local_path, const std::string& object_key,
                               const std::string& content_type) {
  ProgressiveUpload upload;
  upload.local_path = local_path;
  upload.object_key = object_key;
  upload.content_type = content_type;
  upload.next_offset = config_.part_size_bytes; // the head waits for the stop
  Restore(std::move(upload));
}

void S3ProgressiveUploads::Restore(ProgressiveUpload upload) {
  {
    std::lock_guard lock(mutex_);
    upload.busy = false;
    const std::string key = upload.object_key;
    uploads_[key] = std::move(upload);
  }
  changed_.notify_all();
}

std::optional<ProgressiveUpload> S3ProgressiveUploads::Take(const std::string& object_key) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] {
    auto it = uploads_.find(object_key);
    return it == uploads_.end() || !it->second.busy;
  });
  auto it = uploads_.find(object_key);
  if (it == uploads_.end()) {
    return std::nullopt;
  }
  ProgressiveUpload upload = std::move(it->second);
  uploads_.erase(it);
  return upload;
}

void S3ProgressiveUploads::Drop(const std::string& object_key) {
  {
    std::lock_guard lock(mutex_);
    auto it = uploads_.find(object_key);
    if (it == uploads_.end()) {
      return;
    }
    if (it->second.busy) {
      it->second.dropped = true;
      return;
    }
    if (!it->second.upload_id.empty()) {
      to_abort_.push_back(std::move(it->second));
    }
    uploads_.erase(it);
  }
  changed_.notify_all();
}

std::optional<S3ProgressiveUploads::Progress>
S3ProgressiveUploads::ProgressOf(const std::string& object_key) const {
  std::lock_guard lock(mutex_);
  auto it = uploads_.find(object_key);
  if (it == uploads_.end()) {
    return std::nullopt;
  }
  return Progress{it->second.StoredBytes(), it->second.error};
}

void S3ProgressiveUploads::SendChunk(ProgressiveUpload& upload) {
  const int number = static_cast<int>(upload.parts.size()) + 2;
  if (number > 10000) {
    throw StorageError("S3: '" + upload.object_key + "' needs more than 10,000 parts of " +
                       std::to_string(config_.part_size_bytes) + " bytes (part_size_bytes)");
  }
  if (upload.upload_id.empty()) {
    upload.upload_id = CreateMultipartUpload(config_, upload.object_key, upload.content_type);
  }
  upload.parts.push_back(
      UploadFileRange(config_, upload, number, upload.next_offset, config_.part_size_bytes));
  upload.next_offset += config_.part_size_bytes;
}

void S3ProgressiveUploads::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (!to_abort_.empty()) {
      const ProgressiveUpload dropped = std::move(to_abort_.back());
      to_abort_.pop_back();
      lock.unlock();
      AbortMultipartUpload(config_, dropped.object_key, dropped.upload_id);
      lock.lock();
      continue;
    }
    // The due file with the most bytes waiting goes first.
    const auto now = std::chrono::steady_clock::now();
    ProgressiveUpload* next = nullptr;
    uint64_t most_waiting = 0;
    for (auto& [key, upload] : uploads_) {
      std::error_code ec;
      const uint64_t size = fs::file_size(upload.local_path, ec);
      if (ec || upload.busy || upload.retry_at > now ||
          size < upload.next_offset + config_.part_size_bytes) {
        continue;
      }
      if (size - upload.next_offset > most_waiting) {
        most_waiting = size - upload.next_offset;
        next = &upload;
      }
    }
    if (!next) {
      changed_.wait_for(lock, kPollInterval);
      continue;
    }
    next->busy = true;
    ProgressiveUpload work = *next;
    lock.unlock();
    std::string error;
    bool transient = true;
    try {
      SendChunk(work);
    } catch (const StorageError& e) {
      error = e.what();
      transient = e.transient();
    } catch (const std::exception& e) {
      error = e.what();
    }
    lock.lock();
    auto it = uploads_.find(work.object_key);
    if (it == uploads_.end()) {
      continue; // not reached: Take waits for the chunk
    }
    ProgressiveUpload& upload = it->second;
    if (upload.dropped) {
      if (!work.upload_id.empty()) {
        to_abort_.push_back(std::move(work));
      }
      uploads_.erase(it);
      changed_.notify_all();
      continue;
    }
    if (error.empty()) {
      work.error.clear();
      work.failures_in_a_row = 0;
      upload = std::move(work);
    } else {
      ++failures_;
      ++upload.failures_in_a_row;
      upload.error = error;
      const int shift = std::min(upload.failures_in_a_row - 1, 15);
      const int delay_ms = std::min(kMaxRetryDelayMs, 1000 << shift);
      upload.retry_at = std::chrono::steady_clock::now() + std::chrono::milliseconds(delay_ms);
      if (!transient) {
        // S3 refused the upload itself (it expired, was aborted): begin it again.
        upload.upload_id.clear();
        upload.parts.clear();
        upload.next_offset = config_.part_size_bytes;
      } else if (upload.upload_id.empty()) {
        upload.upload_id = work.upload_id; // created before the chunk failed
      }
      Logger("control")->warn("S3: uploading '{}' while it is recorded: {} (trying again in {} ms; "
                              "the part file keeps every byte)",
                              upload.object_key, error, delay_ms);
    }
    upload.busy = false;
    changed_.notify_all();
  }
}

} // namespace ssr::storage
