#include "events/event_log.h"

#include "../../support/temp_dir.h"

#include "events/bundle_dir.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>

namespace ssr::events {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

size_t LineCount(const fs::path& p) {
  std::ifstream in(p);
  size_t n = 0;
  for (std::string line; std::getline(in, line);)
    ++n;
  return n;
}

json Chat(double t) { return {{"t", t}, {"type", "chat.message"}, {"from", "a"}, {"text", "x"}}; }

TEST(EventLog, AppendsValidBatchesAllOrNothing) {
  const test::TempDir dir;
  const fs::path path = dir / "ssr_event_log_test.jsonl";
  EventLog log(path);
  const auto parsed = log.Append({Chat(0), Chat(1)});
  EXPECT_EQ(LineCount(path), 2u);
  ASSERT_EQ(parsed.size(), 2u); // the events as parsed, for the live runtime
  EXPECT_EQ(parsed[1].t, 1.0);
  EXPECT_EQ(parsed[1].type_name, "chat.message");
  json bad = Chat(2);
  bad.erase("text");
  try {
    log.Append({Chat(2), bad});
    FAIL() << "no EventLogError";
  } catch (const EventLogError& e) {
    EXPECT_EQ(e.index(), 1u);
    EXPECT_NE(std::string(e.what()).find("'text'"), std::string::npos) << e.what();
  }
  EXPECT_EQ(LineCount(path), 2u);
  EXPECT_THROW(log.Append({Chat(0.5)}), EventLogError); // t goes backwards
  EXPECT_THROW(log.Append({Chat(3), Chat(2.5)}), EventLogError);
  log.Append({Chat(1)}); // equal t is fine
  EXPECT_EQ(LineCount(path), 3u);
}

TEST(EventLog, ReopenedLogRemembersTheLastT) {
  const test::TempDir dir;
  const fs::path path = dir / "ssr_event_log_reopen.jsonl";
  {
    EventLog log(path);
    log.Append({Chat(4)});
  }
  EventLog log(path);
  EXPECT_EQ(log.last_t(), 4);
  EXPECT_THROW(log.Append({Chat(3)}), EventLogError);
}

TEST(EventLog, ATornLastLineDoesNotSwallowTheNextEvent) {
  const test::TempDir dir;
  const fs::path path = dir / "events.jsonl";
  std::ofstream(path, std::ios::binary) << Chat(1).dump() << "\n"
                                        << R"({"t":2,"type":"cha)";
  EventLog log(path);         // as after a crash in the middle of a write
  EXPECT_EQ(log.last_t(), 1); // the torn line does not count
  log.Append({Chat(1.5)});
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], R"({"t":2,"type":"cha)");
  EXPECT_EQ(json::parse(lines[2])["t"], 1.5);
}

std::string Contents(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Events of the log as a reader (ssr render, replay) sees them, and its bad lines.
std::pair<int, int> GoodAndBadLines(const fs::path& p) {
  int good = 0;
  int bad = 0;
  ForEachLoggedEvent(
      p,
      [&](Event&&) {
        ++good;
        return true;
      },
      [&](const BadEventLine&) { ++bad; });
  return {good, bad};
}

json LongChat(double t) {
  json chat = Chat(t);
  chat["text"] = std::string(200, 'x');
  return chat;
}

TEST(EventLog, AWriteThatFailsPartWayLeavesTheLogAsItWas) {
  // A full disk in a test without root: a file size limit (RLIMIT_FSIZE) 100 bytes past the
  // log's end makes write() store part of the batch and then fail (EFBIG). It is set in a
  // child process so that it limits nothing else.
  const test::TempDir dir;
  const fs::path path = dir / "events.jsonl";
  EventLog log(path);
  log.Append({Chat(0)});
  const std::string before = Contents(path);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN); // else the kernel ends the process instead of failing
    const rlim_t limit = before.size() + 100;
    const rlimit fsize{limit, limit};
    if (setrlimit(RLIMIT_FSIZE, &fsize) != 0)
      _exit(3);
    try {
      log.Append({LongChat(1), LongChat(2), LongChat(3)});
      _exit(1); // no error reported
    } catch (const Error& e) {
      const bool says_why = std::string(e.what()).find("File too large") != std::string::npos;
      _exit(e.kind() == ErrorKind::kUnavailable && says_why ? 0 : 2);
    } catch (...) {
      _exit(4);
    }
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: no error, 2: wrong kind or text, 3/4: setup";
  EXPECT_EQ(Contents(path), before) << "the partial batch was not cut back";
  log.Append({Chat(1)}); // the next batch starts on a clean line
  EXPECT_EQ(GoodAndBadLines(path), std::make_pair(2, 0));
}

TEST(EventLog, TheLogIsOwnerOnly) {
  const test::TempDir dir;
  const fs::path path = dir / "events.jsonl";
  const mode_t old_mask = umask(022); // the usual default, which made it 0644
  EventLog log(path);
  umask(old_mask);
  const fs::perms perms = fs::status(path).permissions();
  EXPECT_EQ(perms & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);
}

} // namespace
} // namespace ssr::events
