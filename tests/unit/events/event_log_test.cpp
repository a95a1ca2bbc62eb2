#include "events/event_log.h"

#include "../../support/temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>

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

} // namespace
} // namespace ssr::events
