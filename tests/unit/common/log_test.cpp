// Logger(name) from many threads at once: the first use of a name must create it exactly once
// (spdlog's registry throws on a second registration, and a throw on a media thread ends the
// server, as two WHIP connections once did).
#include "common/log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace ssr {
namespace {

TEST(Logger, ANewNameUsedByManyThreadsAtOnceIsCreatedOnce) {
  constexpr int kThreads = 8;
  constexpr int kNames = 300;
  std::atomic<int> ready{0};
  std::atomic<int> failures{0};
  std::vector<std::shared_ptr<spdlog::logger>> seen(static_cast<size_t>(kThreads) * kNames);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ++ready;
      while (ready < kThreads) {
        std::this_thread::yield(); // start together
      }
      for (int n = 0; n < kNames; ++n) {
        try {
          seen[static_cast<size_t>(t) * kNames + n] = Logger("race-" + std::to_string(n));
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failures, 0);
  for (int n = 0; n < kNames; ++n) {
    for (int t = 1; t < kThreads; ++t) {
      ASSERT_EQ(seen[static_cast<size_t>(t) * kNames + n], seen[n]) << "race-" << n;
    }
  }
}

} // namespace
} // namespace ssr
