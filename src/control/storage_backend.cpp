#include "control/storage_backend.h"

#include "control/directory_storage.h"

#include <sodium.h>

#include <fstream>
#include <map>
#include <mutex>
#include <vector>

namespace ssr::control {
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

std::string CheckStorageKey(std::string_view key) {
  if (key.empty() || key.size() > 512) {
    return "a key must have 1 to 512 characters";
  }
  size_t start = 0;
  while (start <= key.size()) {
    const size_t slash = std::min(key.find('/', start), key.size());
    const std::string_view segment = key.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return "empty, '.' or '..' segment in key '" + std::string(key) + "'";
    }
    for (char c : segment) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
      if (!ok) {
        return "character not allowed in key '" + std::string(key) + "'";
      }
    }
    start = slash + 1;
  }
  return {};
}

StoredObject HashFile(const std::filesystem::path& path) {
  if (sodium_init() < 0) {
    throw StorageError("libsodium failed to initialize");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw StorageError("cannot read " + path.string());
  }
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> block(1 << 20);
  StoredObject result;
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto got = in.gcount();
    if (got > 0) {
      crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(block.data()),
                                static_cast<unsigned long long>(got));
      result.size_bytes += static_cast<uint64_t>(got);
    }
  }
  if (in.bad()) {
    throw StorageError("error reading " + path.string());
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  result.sha256 = hex;
  return result;
}

} // namespace ssr::control
