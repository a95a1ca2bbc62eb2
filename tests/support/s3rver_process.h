#pragma once
// A real S3-compatible server for tests: s3rver (tests/s3/package.json, installed by
// scripts/install-deps) on 127.0.0.1 at a free port, with a fresh data directory and the
// buckets asked for. Its credentials are fixed: access key and secret "S3RVER".

#include "temp_dir.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ssr::test {

class S3rverProcess {
 public:
  // Starts it and waits until it listens; throws std::runtime_error if it does not.
  explicit S3rverProcess(const std::vector<std::string>& buckets = {"ssr-test"});
  ~S3rverProcess(); // stops it and removes its data
  S3rverProcess(const S3rverProcess&) = delete;
  S3rverProcess& operator=(const S3rverProcess&) = delete;

  int port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // The configuration object of an s3 storage backend on `bucket` of this server.
  nlohmann::json StorageConfig(const std::string& bucket = "ssr-test") const;

  void Kill();    // gone: connections are refused
  void Restart(); // started again on the same port with the same data (after Kill)
  // s3rver's data directory: <bucket>/... objects, multipart uploads in progress under
  // <bucket>/._S3rver_uploads/<upload id>/<part number> (what arrived before completion).
  std::filesystem::path data_dir() const { return temp_dir_ / "data"; }
  void Freeze(); // SIGSTOP: connections are accepted by the kernel, nothing answers
  void Thaw();   // SIGCONT

 private:
  void Start(int port); // 0: a free port
  TempDir temp_dir_;    // s3rver's data/
  std::vector<std::string> buckets_;
  pid_t pid_ = -1;
  int port_ = 0;
};

} // namespace ssr::test
