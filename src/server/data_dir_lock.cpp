#include "server/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace ssr::server {

DataDirLock::DataDirLock(const std::filesystem::path& data_dir) {
  std::filesystem::create_directories(data_dir);
  const std::filesystem::path path = data_dir / "ssr.lock";
  fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
  }
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    char holder[32] = {};
    const ssize_t got = pread(fd_, holder, sizeof(holder) - 1, 0);
    close(fd_);
    fd_ = -1;
    if (error != EWOULDBLOCK) {
      throw std::runtime_error("cannot lock " + path.string() + ": " + std::strerror(error));
    }
    std::string pid = got > 0 ? std::string(holder, static_cast<size_t>(got)) : "";
    pid.erase(pid.find_last_not_of(" \n") + 1);
    throw std::runtime_error(
        "the data directory " + data_dir.string() + " is in use by another ssr serve" +
        (pid.empty() ? "" : " (pid " + pid + ")") + "; one server per data directory");
  }
  // The holder's pid, for the message above (informative only: the flock is the lock).
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd_, 0) != 0 || pwrite(fd_, pid.data(), pid.size(), 0) < 0) {
    // The lock holds without it.
  }
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) {
    close(fd_); // releases the flock
  }
}

} // namespace ssr::server
