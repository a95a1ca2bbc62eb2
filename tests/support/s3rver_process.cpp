#include "s3rver_process.h"

#include "spawn.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace ssr::test {

namespace fs = std::filesystem;

S3rverProcess::S3rverProcess(const std::vector<std::string>& buckets)
    : temp_dir_("s3rver"), buckets_(buckets) {
  Start(0);
}

void S3rverProcess::Restart() {
  Kill();
  Start(port_);
}

void S3rverProcess::Start(int port) {
  const std::string script = std::string(SSR_SOURCE_DIR) + "/tests/s3/start-s3rver.js";
  if (!fs::exists(std::string(SSR_SOURCE_DIR) + "/tests/s3/node_modules/s3rver")) {
    throw std::runtime_error("s3rver is not installed: run scripts/install-deps");
  }
  std::vector<std::string> args = {"node", script, (temp_dir_ / "data").string()};
  args.insert(args.end(), buckets_.begin(), buckets_.end());
  // pipe2 with O_CLOEXEC: no other child inherits the write end (and keeps it open).
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  SpawnOptions options;
  options.stdout_fd = out[1];
  options.env["S3RVER_PORT"] = std::to_string(port);
  try {
    pid_ = Spawn(args, options);
  } catch (...) {
    ::close(out[0]);
    ::close(out[1]);
    throw;
  }
  ::close(out[1]);
  std::string output;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline && output.find('\n') == std::string::npos) {
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) {
      continue;
    }
    char buf[256];
    const ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) {
      break;
    }
    output.append(buf, static_cast<size_t>(n));
  }
  ::close(out[0]);
  if (output.rfind("PORT ", 0) != 0) {
    Kill();
    throw std::runtime_error("s3rver did not start (it printed '" + output + "')");
  }
  port_ = std::stoi(output.substr(5));
}

S3rverProcess::~S3rverProcess() { Kill(); }

nlohmann::json S3rverProcess::StorageConfig(const std::string& bucket) const {
  return {{"kind", "s3"},          {"endpoint", endpoint()}, {"bucket", bucket},
          {"region", "us-east-1"}, {"access_key", "S3RVER"}, {"secret_key", "S3RVER"}};
}

void S3rverProcess::Kill() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
}

void S3rverProcess::Freeze() {
  if (pid_ > 0) {
    ::kill(pid_, SIGSTOP);
  }
}

void S3rverProcess::Thaw() {
  if (pid_ > 0) {
    ::kill(pid_, SIGCONT);
  }
}

} // namespace ssr::test
