#pragma once
// Starts a child program from a test process without running any code in a forked copy of
// it. Test processes have threads (httplib listeners, webhook receivers, decoders); a
// fork()ed child that allocates before exec (setenv, std::vector) can block forever on an
// allocator lock another thread held at the fork — under ASan this hung a CI run. The
// child is made with posix_spawn, so everything it needs is built here, before it exists.

#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ssr::test {

struct SpawnOptions {
  // Added to (or replacing in) this process's environment.
  std::map<std::string, std::string> env;
  // Where the child's stdout and stderr go: an open descriptor, or -1 to inherit ours.
  int stdout_fd = -1;
  int stderr_fd = -1;
  // The child leads a new process group, so that kill(-pid) also ends what it starts.
  bool new_process_group = false;
};

// Runs argv[0] (looked up in PATH when it has no '/'); returns its pid. Throws
// std::runtime_error naming the program when it cannot be started.
pid_t Spawn(const std::vector<std::string>& argv, const SpawnOptions& options = {});

} // namespace ssr::test
