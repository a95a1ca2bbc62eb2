#pragma once
// Where finished parts live (R9): one interface, one registry of kinds. "directory" is built
// in; an S3-compatible backend registers itself the same way. Keys are relative paths made
// of [A-Za-z0-9._-] segments ("recordings/<id>/part-1.webm").

#include "common/error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct evp_md_ctx_st; // OpenSSL's EVP_MD_CTX

namespace ssr::storage {

class StorageError : public Error {
 public:
  explicit StorageError(const std::string& message) : Error(ErrorKind::kUnavailable, message) {}
  // The same request may succeed later (the storage was unreachable or overloaded): worth
  // trying again rather than failing the part.
  virtual bool transient() const { return false; }

 protected:
  StorageError(ErrorKind kind, const std::string& message) : Error(kind, message) {}
};

// There is no object under the key (Open).
class StorageNotFound : public StorageError {
 public:
  explicit StorageNotFound(const std::string& message)
      : StorageError(ErrorKind::kNotFound, message) {}
};

struct StoredObject {
  uint64_t size_bytes = 0;
  std::string sha256; // lowercase hex
};

// How far a growing file's progressive store has got.
struct UploadProgress {
  uint64_t stored_bytes = 0; // in storage already
  std::string error;         // the last failure, "" while storing works
};

// Keys are what common/ids.h CheckStorageKey accepts ("recordings/r1/part-1.webm").
class StorageBackend {
 public:
  virtual ~StorageBackend() = default;

  virtual std::string_view Kind() const = 0;

  // Stores the file at `local_path` under `key` (replacing what was there), then reads back
  // what was stored and compares its size and SHA-256 with the source's. Returns them once
  // they match; otherwise throws StorageError and leaves nothing under `key`. The local file
  // is left in place (the caller removes it).
  virtual StoredObject Put(const std::filesystem::path& local_path, const std::string& key) = 0;

  // A stream over the stored object. Throws StorageNotFound when there is none, StorageError
  // when it cannot be read.
  virtual std::unique_ptr<std::istream> Open(const std::string& key) = 0;

  // A stream over bytes [first, first + length) of the object (a watch URL's Range). This
  // default opens the whole object and skips to `first`; S3 asks for the range itself.
  virtual std::unique_ptr<std::istream> OpenRange(const std::string& key, uint64_t first,
                                                  uint64_t length);

  // A local file holding the object, when the backend has one (serve it with Range/sendfile);
  // nullopt for remote backends or a missing key.
  virtual std::optional<std::filesystem::path> Path(const std::string& key) = 0;

  // Removes the object; no error when it does not exist.
  virtual void Remove(const std::string& key) = 0;

  // Progressive storing (R9: ready soon after the stop, whatever the length). The file at
  // `local_path` is being written and will be Put under `key` when it ends; a backend may
  // store its finished bytes meanwhile (S3 does; a directory has nothing to gain). Never
  // throws.
  virtual void Growing(const std::filesystem::path& /*local_path*/, const std::string& /*key*/) {}
  // The file given to Growing will not be Put as it grew (its part failed, or a repair
  // rewrites it): what was stored of it is dropped. Never throws.
  virtual void Abandon(const std::string& /*key*/) {}
  // Of a file given to Growing and not yet Put; nullopt when the backend does not follow it.
  virtual std::optional<UploadProgress> Progress(const std::string& /*key*/) {
    return std::nullopt;
  }
  // Requests to the storage that failed (each attempt counts), since the start.
  virtual uint64_t FailedRequests() const { return 0; }
};

// Builds a backend from its configuration object: {"kind": "directory", "root": "DATA/media"}.
using StorageFactory = std::function<std::unique_ptr<StorageBackend>(const nlohmann::json& config)>;

// Registers `kind` (replacing an earlier one of that name).
void RegisterStorageBackend(const std::string& kind, StorageFactory factory);

// Throws StorageError naming the problem: no "kind", an unknown kind, or a bad configuration.
std::unique_ptr<StorageBackend> MakeStorageBackend(const nlohmann::json& config);

// Size and SHA-256 of a file, read once in large blocks. Throws StorageError.
StoredObject HashFile(const std::filesystem::path& path);

// Incremental SHA-256 through OpenSSL, which uses the CPU's SHA extensions where there are
// some (several times libsodium's portable code: what keeps a 2-hour part within R9's 5 s).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(const void* data, size_t size);
  std::string HexDigest(); // lowercase hex; ends the computation

 private:
  ::evp_md_ctx_st* ctx_;
};

} // namespace ssr::storage
