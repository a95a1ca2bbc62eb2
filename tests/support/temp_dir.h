#pragma once
// A fresh directory for one test, removed when it goes out of scope. Every tier uses this one
// helper so that no two tests share a directory: the name carries the running test's name, the
// process id, a per-process counter and random letters (mkdtemp), so tests of one binary, of
// `ctest -j` and of two checkouts at once never collide.
//
//   const test::TempDir dir;                 // /tmp/ssr-Suite.Name-<pid>-<n>-XXXXXX
//   RecordingStore store(dir / "ssr.db");

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ssr::test {

class TempDir {
 public:
  // `label` names the directory (default: the running test, "Suite.Name"); `parent` is where
  // it is made (default: the system temp directory). Throws std::runtime_error when it cannot
  // be made.
  explicit TempDir(std::string_view label = {},
                   const std::filesystem::path& parent = std::filesystem::temp_directory_path());
  ~TempDir(); // removes the directory and all in it (unless kept, see KeepIfTestFailed)
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  operator const std::filesystem::path&() const {
    return path_;
  } // NOLINT: a path wherever one is asked for
  std::string string() const { return path_.string(); }
  std::filesystem::path operator/(const std::filesystem::path& name) const { return path_ / name; }

  // Leaves the directory in place when the running test has failed by the time this object
  // goes away, and prints where it is: the files a failed test leaves are worth a look.
  void KeepIfTestFailed() { keep_if_failed_ = true; }

 private:
  static std::string CurrentTestName();
  static std::string SafeForFileName(std::string_view text);

  std::filesystem::path path_;
  bool keep_if_failed_ = false;
};

inline TempDir::TempDir(std::string_view label, const std::filesystem::path& parent) {
  static std::atomic<int> counter{0};
  const std::string name = SafeForFileName(label.empty() ? CurrentTestName() : label);
  std::string pattern = (parent / ("ssr-" + name + "-" + std::to_string(::getpid()) + "-" +
                                   std::to_string(++counter) + "-XXXXXX"))
                            .string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot make a temporary directory " + pattern + ": " +
                             std::strerror(errno));
  }
  path_ = pattern;
}

inline TempDir::~TempDir() {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  if (keep_if_failed_ && test != nullptr && test->result()->Failed()) {
    std::cerr << "kept for inspection: " << path_.string() << "\n";
    return;
  }
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

inline std::string TempDir::CurrentTestName() {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  if (test == nullptr) {
    return "test";
  }
  return std::string(test->test_suite_name()) + "." + test->name();
}

// Letters, digits, '.', '-' and '_' kept, anything else (the '/' of parameterised tests) made
// '_'; cut to 80 characters so the whole name stays far below the file-name limit.
inline std::string TempDir::SafeForFileName(std::string_view text) {
  std::string out(text.substr(0, 80));
  for (char& c : out) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '-' || c == '_';
    if (!plain) {
      c = '_';
    }
  }
  return out;
}

} // namespace ssr::test
