// events/bundle_dir.h: where a bundle's files are, making a new bundle, and the one reader of
// events.jsonl (good lines, a bad line in the middle, a torn last line, an empty and a
// missing file, stopping early, the pre-filter).

#include "events/bundle_dir.h"

#include "events/bundle.h"

#include "../../support/temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

namespace ssr::events {
namespace {

namespace fs = std::filesystem;

const std::string kJoin =
    R"({"t":0,"type":"participant.join","id":"p1","name":"Ann","role":"host"})";
const std::string kChat = R"({"t":1.5,"type":"chat.message","from":"p1","text":"hello"})";
const std::string kLater = R"({"t":2,"type":"chat.message","from":"p1","text":"later"})";

// What a read saw: every event's line and type name, every bad line.
struct Walk {
  LogRead result = LogRead::kRead;
  std::vector<int> event_lines;
  std::vector<std::string> event_types;
  std::vector<BadEventLine> bad;
};

Walk ReadAll(const fs::path& path, const LogReadOptions& options = {}) {
  Walk walk;
  walk.result = ForEachLoggedEvent(
      path,
      [&walk](Event&& event) {
        walk.event_lines.push_back(event.line);
        walk.event_types.push_back(event.type_name);
        return true;
      },
      [&walk](const BadEventLine& bad) { walk.bad.push_back(bad); }, options);
  return walk;
}

class BundleDirTest : public ::testing::Test {
 protected:
  fs::path WriteLog(const std::string& text) {
    const fs::path path = dir_ / "events.jsonl";
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  test::TempDir dir_;
};

TEST_F(BundleDirTest, NamesTheFilesOfTheLayout) {
  const BundleDir bundle(dir_ / "s1");
  EXPECT_EQ(bundle.path(), dir_ / "s1");
  EXPECT_EQ(bundle.SessionFile(), dir_ / "s1" / "session.json");
  EXPECT_EQ(bundle.EventsFile(), dir_ / "s1" / "events.jsonl");
  EXPECT_EQ(bundle.AssetsDir(), dir_ / "s1" / "assets");
  EXPECT_EQ(bundle.AssetPath("deck.pdf"), dir_ / "s1" / "assets" / "deck.pdf");
  EXPECT_EQ(bundle.TracksDir(), dir_ / "s1" / "tracks");
  EXPECT_EQ(bundle.LiveClockFile(), dir_ / "s1" / "live-clock.json");
}

TEST_F(BundleDirTest, CreateMakesABundleTheLoaderReads) {
  const BundleDir bundle =
      BundleDir::Create(dir_ / "s1", SessionInfo{"s1", "Physics \"101\"", "Europe/Paris"});
  EXPECT_TRUE(fs::is_directory(bundle.AssetsDir()));
  ASSERT_TRUE(fs::is_regular_file(bundle.EventsFile()));
  EXPECT_EQ(fs::file_size(bundle.EventsFile()), 0u);
  EXPECT_FALSE(fs::exists(bundle.SessionFile().string() + ".tmp")); // renamed into place
  const Bundle loaded = LoadBundle(bundle.path());
  EXPECT_EQ(loaded.session.id, "s1");
  EXPECT_EQ(loaded.session.title, "Physics \"101\"");
  EXPECT_EQ(loaded.session.timezone, "Europe/Paris");
  EXPECT_TRUE(loaded.events.empty());
}

TEST_F(BundleDirTest, CreateKeepsTheEventsOfAnExistingLog) {
  fs::create_directories(dir_ / "s1");
  std::ofstream(dir_ / "s1" / "events.jsonl") << kJoin << "\n";
  const BundleDir bundle = BundleDir::Create(dir_ / "s1", SessionInfo{"s1", "Again", "UTC"});
  const Walk walk = ReadAll(bundle.EventsFile());
  EXPECT_EQ(walk.event_lines, (std::vector<int>{1}));
}

TEST_F(BundleDirTest, CreateSaysWhenTheDiskSaysNo) {
  std::ofstream(dir_ / "file") << "x"; // a file where the bundle's parent should be
  EXPECT_ANY_THROW(BundleDir::Create(dir_ / "file" / "s1", SessionInfo{"s1", "T", "UTC"}));
}

TEST_F(BundleDirTest, FindTrackFileMatchesTheWholeStem) {
  const BundleDir bundle(dir_.path());
  fs::create_directories(bundle.TracksDir());
  std::ofstream(bundle.TracksDir() / "cam2.webm") << "x";
  EXPECT_FALSE(bundle.FindTrackFile("cam"));
  std::ofstream(bundle.TracksDir() / "cam.webm") << "x";
  EXPECT_EQ(bundle.FindTrackFile("cam"), bundle.TracksDir() / "cam.webm");
  EXPECT_FALSE(bundle.FindTrackFile("../cam"));
  EXPECT_FALSE(bundle.FindTrackFile(""));
}

TEST_F(BundleDirTest, ReadsGoodLinesInOrderWithTheirNumbers) {
  const Walk walk = ReadAll(WriteLog("\xEF\xBB\xBF" + kJoin + "\r\n\n   \n" + kChat + "\n" +
                                     R"({"t":3,"type":"future.thing"})" + "\n"));
  EXPECT_EQ(walk.result, LogRead::kRead);
  EXPECT_EQ(walk.event_lines, (std::vector<int>{1, 4, 5})); // blank lines count, are skipped
  EXPECT_EQ(walk.event_types,
            (std::vector<std::string>{"participant.join", "chat.message", "future.thing"}));
  EXPECT_TRUE(walk.bad.empty());
}

TEST_F(BundleDirTest, ABadLineInTheMiddleIsReportedAndReadingGoesOn) {
  const Walk walk = ReadAll(WriteLog(
      kJoin + "\n{oops\n" + R"({"t":1,"type":"chat.message","from":"p1"})" + "\n" + kLater + "\n"));
  EXPECT_EQ(walk.event_lines, (std::vector<int>{1, 4}));
  ASSERT_EQ(walk.bad.size(), 2u);
  EXPECT_EQ(walk.bad[0].line, 2);
  EXPECT_NE(walk.bad[0].error.find("not JSON"), std::string::npos) << walk.bad[0].error;
  EXPECT_FALSE(walk.bad[0].torn);
  EXPECT_EQ(walk.bad[1].line, 3);
  EXPECT_NE(walk.bad[1].error.find("'text'"), std::string::npos) << walk.bad[1].error;
  EXPECT_FALSE(walk.bad[1].torn);
}

TEST_F(BundleDirTest, ATornLastLineIsABadLineMarkedTorn) {
  const Walk walk = ReadAll(WriteLog(kJoin + "\n" + kChat + "\n" + R"({"t":2,"type":"cha)"));
  EXPECT_EQ(walk.event_lines, (std::vector<int>{1, 2}));
  ASSERT_EQ(walk.bad.size(), 1u);
  EXPECT_EQ(walk.bad[0].line, 3);
  EXPECT_TRUE(walk.bad[0].torn);
}

TEST_F(BundleDirTest, AWholeLastLineWithoutBreakIsStillAnEvent) {
  const Walk walk = ReadAll(WriteLog(kJoin + "\n" + kChat));
  EXPECT_EQ(walk.event_lines, (std::vector<int>{1, 2}));
  EXPECT_TRUE(walk.bad.empty());
}

TEST_F(BundleDirTest, AnEmptyFileHasNoEvents) {
  const Walk walk = ReadAll(WriteLog(""));
  EXPECT_EQ(walk.result, LogRead::kRead);
  EXPECT_TRUE(walk.event_lines.empty());
  EXPECT_TRUE(walk.bad.empty());
}

TEST_F(BundleDirTest, AMissingFileCannotBeOpened) {
  const Walk walk = ReadAll(dir_ / "nowhere" / "events.jsonl");
  EXPECT_EQ(walk.result, LogRead::kCannotOpen);
  EXPECT_TRUE(walk.event_lines.empty());
  EXPECT_TRUE(walk.bad.empty());
}

TEST_F(BundleDirTest, OnEventStopsTheRead) {
  const fs::path path = WriteLog(kJoin + "\n" + kChat + "\n{oops\n" + kLater + "\n");
  std::vector<double> seen;
  int bad_lines = 0;
  const LogRead result = ForEachLoggedEvent(
      path,
      [&seen](Event&& event) {
        seen.push_back(event.t);
        return event.t < 1; // stop after the first event at t >= 1
      },
      [&bad_lines](const BadEventLine&) { ++bad_lines; });
  EXPECT_EQ(result, LogRead::kRead);
  EXPECT_EQ(seen, (std::vector<double>{0, 1.5}));
  EXPECT_EQ(bad_lines, 0); // the bad line after the stop is never read
}

TEST_F(BundleDirTest, OnlyLinesContainingSkipsOtherLinesUnparsed) {
  const Walk walk = ReadAll(WriteLog(kJoin + "\n{not json and no participant\n" + kChat + "\n"),
                            {.only_lines_containing = "\"participant."});
  EXPECT_EQ(walk.event_lines, (std::vector<int>{1}));
  EXPECT_TRUE(walk.bad.empty());
}

} // namespace
} // namespace ssr::events
