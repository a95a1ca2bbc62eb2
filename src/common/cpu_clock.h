#pragma once
// CPU time of the calling thread and of the whole process, for per-stage accounting.

#include <ctime>
#include <sys/resource.h>

namespace ssr {

inline double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

inline double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

// Adds the thread CPU time spent in its scope to `total`.
class ScopedCpuTimer {
 public:
  explicit ScopedCpuTimer(double& total) : total_(total), start_(ThreadCpuSeconds()) {}
  ~ScopedCpuTimer() { total_ += ThreadCpuSeconds() - start_; }
  ScopedCpuTimer(const ScopedCpuTimer&) = delete;
  ScopedCpuTimer& operator=(const ScopedCpuTimer&) = delete;

 private:
  double& total_;
  double start_;
};

} // namespace ssr
