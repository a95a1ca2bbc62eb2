#include "storage/storage_backend.h"

#include "storage/directory_storage.h"
#include "storage/s3_storage.h"

#include <openssl/evp.h>

#include <fstream>
#include <map>
#include <mutex>
#include <vector>

namespace ssr::storage {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, StorageFactory> factories;
};

Registry& TheRegistry() {
  static Registry* registry = [] {
    auto* r = new Registry;
    r->factories["directory"] =
        [](const nlohmann::json& config) -> std::unique_ptr<StorageBackend> {
      if (!config.contains("root") || !config.at("root").is_string()) {
        throw StorageError("storage: directory backend needs a \"root\" string");
      }
      return std::make_unique<DirectoryStorage>(config.at("root").get<std::string>());
    };
    r->factories["s3"] = [](const nlohmann::json& config) -> std::unique_ptr<StorageBackend> {
      return std::make_unique<S3Storage>(S3Config::FromJson(config));
    };
    return r;
  }();
  return *registry;
}

} // namespace

void RegisterStorageBackend(const std::string& kind, StorageFactory factory) {
  auto& registry = TheRegistry();
  std::lock_guard lock(registry.mutex);
  registry.factories[kind] = std::move(factory);
}

std::unique_ptr<StorageBackend> MakeStorageBackend(const nlohmann::json& config) {
  if (!config.is_object() || !config.contains("kind") || !config.at("kind").is_string()) {
    throw StorageError("storage: configuration needs a \"kind\" string");
  }
  const auto kind = config.at("kind").get<std::string>();
  StorageFactory factory;
  {
    auto& registry = TheRegistry();
    std::lock_guard lock(registry.mutex);
    auto it = registry.factories.find(kind);
    if (it == registry.factories.end()) {
      throw StorageError("storage: unknown kind '" + kind + "'");
    }
    factory = it->second;
  }
  return factory(config);
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx_);
    throw StorageError("OpenSSL: cannot initialize SHA-256");
  }
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

void Sha256::Update(const void* data, size_t size) {
  if (EVP_DigestUpdate(ctx_, data, size) != 1) {
    throw StorageError("OpenSSL: SHA-256 update failed");
  }
}

std::string Sha256::HexDigest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx_, digest, &length) != 1) {
    throw StorageError("OpenSSL: SHA-256 final failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

StoredObject HashFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw StorageError("cannot read " + path.string());
  }
  Sha256 sha;
  std::vector<char> block(1 << 20);
  StoredObject result;
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto got = in.gcount();
    if (got > 0) {
      sha.Update(block.data(), static_cast<size_t>(got));
      result.size_bytes += static_cast<uint64_t>(got);
    }
  }
  if (in.bad()) {
    throw StorageError("error reading " + path.string());
  }
  result.sha256 = sha.HexDigest();
  return result;
}

std::unique_ptr<std::istream> StorageBackend::OpenRange(const std::string& key, uint64_t first,
                                                        uint64_t /*length*/) {
  std::unique_ptr<std::istream> in = Open(key);
  if (first > 0) {
    in->ignore(static_cast<std::streamsize>(first));
    if (static_cast<uint64_t>(in->gcount()) != first) {
      throw StorageError("object '" + key + "' is shorter than " + std::to_string(first) +
                         " bytes");
    }
  }
  return in;
}

} // namespace ssr::storage
