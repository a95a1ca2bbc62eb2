#include "control/s3_storage.h"

#include "control/s3_object_stream.h"
#include "control/s3_request.h"

#include <cstdio>
#include <memory>
#include <vector>

namespace ssr::control {
namespace {

std::string ContentTypeOf(const std::string& key) {
  const auto ends_with = [&](std::string_view suffix) {
    return key.size() >= suffix.size() &&
           key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".webm"))
    return "video/webm";
  if (ends_with(".vtt"))
    return "text/vtt; charset=utf-8";
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
  const StoredObject source = HashFile(local_path);
  if (source.size_bytes > kMaxObjectBytes) {
    throw StorageError("S3 PUT '" + object_key + "': " + std::to_string(source.size_bytes) +
                       " bytes is more than one PUT may carry (5 GiB)");
  }
  {
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(local_path.c_str(), "rb"),
                                                               &std::fclose);
    if (!file)
      throw StorageError("cannot read " + local_path.string());
    S3Request put(config_, "PUT", object_key);
    put.Upload(file.get(), source.size_bytes, source.sha256, ContentTypeOf(key));
    if (const long status = put.Perform(); status != 200)
      put.FailWithStatus(status);
  }
  StoredObject stored;
  try {
    stored = ReadBack(object_key);
  } catch (const StorageError&) {
    try {
      Remove(key);
    } catch (const StorageError&) {
    } // best effort: the first error counts
    throw;
  }
  if (stored.size_bytes != source.size_bytes || stored.sha256 != source.sha256) {
    try {
      Remove(key);
    } catch (const StorageError&) {
    }
    throw StorageError("S3: verification of '" + object_key + "' failed: stored " +
                       std::to_string(stored.size_bytes) + " bytes sha256 " + stored.sha256 +
                       ", source " + std::to_string(source.size_bytes) + " bytes sha256 " +
                       source.sha256);
  }
  return stored;
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
    throw StorageError(in.failure() + " (after " + std::to_string(stored.size_bytes) + " bytes)");
  }
  stored.sha256 = sha.HexDigest();
  return stored;
}

std::unique_ptr<std::istream> S3Storage::Open(const std::string& key) {
  return std::make_unique<S3ObjectStream>(config_, ObjectKey(key));
}

std::optional<std::filesystem::path> S3Storage::Path(const std::string&) { return std::nullopt; }

void S3Storage::Remove(const std::string& key) {
  const std::string object_key = ObjectKey(key);
  S3Request remove(config_, "DELETE", object_key);
  const long status = remove.Perform();
  const bool gone =
      status == 404 && S3ErrorSummary(remove.error_body()).rfind("NoSuchBucket", 0) != 0;
  if (status / 100 != 2 && !gone)
    remove.FailWithStatus(status);
}

} // namespace ssr::control
