#include "events/bundle.h"

#include "../../support/temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace ssr::events {
namespace {

namespace fs = std::filesystem;

class BundleTest : public ::testing::Test {
 protected:
  void Write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }
  void WriteSession() { Write("session.json", R"({"id":"s1","title":"Physics 101"})"); }

  // The BundleError message of loading the bundle ("" if it loads).
  std::string ErrorOf() {
    try {
      LoadBundle(dir_);
    } catch (const BundleError& error) {
      return error.what();
    }
    return "";
  }

  test::TempDir temp_dir_;
  const fs::path dir_ = temp_dir_.path();
};

TEST_F(BundleTest, LoadsSessionAndEvents) {
  Write("session.json", R"({"id":"s1","title":"Physics 101","timezone":"Europe/Paris"})");
  Write("events.jsonl",
        "{\"t\":0,\"type\":\"participant.join\",\"id\":\"p1\",\"name\":\"Ann\",\"role\":\"host\"}\n"
        "{\"t\":1.5,\"type\":\"chat.message\",\"from\":\"p1\",\"text\":\"hello\"}\n"
        "{\"t\":1.5,\"type\":\"notes.update\",\"room\":\"b1\",\"text\":\"n\"}\n");
  const Bundle bundle = LoadBundle(dir_);
  EXPECT_EQ(bundle.dir, dir_);
  EXPECT_EQ(bundle.session.id, "s1");
  EXPECT_EQ(bundle.session.title, "Physics 101");
  EXPECT_EQ(bundle.session.timezone, "Europe/Paris");
  ASSERT_EQ(bundle.events.size(), 3u);
  EXPECT_EQ(bundle.events[0].type, EventType::kParticipantJoin);
  EXPECT_EQ(bundle.events[1].type, EventType::kChatMessage);
  EXPECT_EQ(bundle.events[1].line, 2);
  EXPECT_DOUBLE_EQ(bundle.events[1].t, 1.5);
  EXPECT_EQ(bundle.events[2].room, "b1");
  EXPECT_TRUE(bundle.warnings.empty());
  EXPECT_EQ(bundle.AssetPath("deck.pdf"), dir_ / "assets" / "deck.pdf");
}

TEST_F(BundleTest, SessionDefaults) {
  Write("session.json", R"({"title":"T"})");
  Write("events.jsonl", "");
  const Bundle bundle = LoadBundle(dir_);
  EXPECT_EQ(bundle.session.id, "");
  EXPECT_EQ(bundle.session.timezone, "UTC");
  EXPECT_TRUE(bundle.events.empty());
}

TEST_F(BundleTest, MissingDirectory) {
  const fs::path missing = dir_ / "nope";
  try {
    LoadBundle(missing);
    FAIL() << "expected a BundleError";
  } catch (const BundleError& error) {
    EXPECT_EQ(std::string(error.what()), missing.string() + ": bundle directory does not exist");
  }
}

TEST_F(BundleTest, MissingSessionJson) {
  Write("events.jsonl", "");
  EXPECT_TRUE(ErrorOf().starts_with("session.json: missing")) << ErrorOf();
}

TEST_F(BundleTest, MissingEventsJsonl) {
  WriteSession();
  EXPECT_TRUE(ErrorOf().starts_with("events.jsonl: missing")) << ErrorOf();
}

TEST_F(BundleTest, SessionWithoutTitle) {
  Write("session.json", R"({"id":"s1"})");
  Write("events.jsonl", "");
  EXPECT_EQ(ErrorOf(), "session.json: missing required field 'title'");
}

TEST_F(BundleTest, SessionWithBadFields) {
  Write("events.jsonl", "");
  Write("session.json", R"({"title":42})");
  EXPECT_EQ(ErrorOf(), "session.json: field 'title' must be a string");
  Write("session.json", R"({"title":"T","timezone":1})");
  EXPECT_EQ(ErrorOf(), "session.json: field 'timezone' must be a string");
  Write("session.json", R"(["title"])");
  EXPECT_EQ(ErrorOf(), "session.json: must be a JSON object");
  Write("session.json", R"({"title":)");
  EXPECT_TRUE(ErrorOf().starts_with("session.json: not JSON: parse error")) << ErrorOf();
}

TEST_F(BundleTest, BadLineReportsItsNumber) {
  WriteSession();
  Write("events.jsonl", "{\"t\":0,\"type\":\"session.end\"}\n"
                        "\n"
                        "{\"t\":1,\"type\":\"chat.message\",\"from\":\"p1\"}\n");
  EXPECT_EQ(ErrorOf(), "events.jsonl:3: chat.message: missing required field 'text'");
}

TEST_F(BundleTest, LineThatIsNotJson) {
  WriteSession();
  Write("events.jsonl", "{\"t\":0,\"type\":\"session.end\"}\n{\"t\":1,\n");
  EXPECT_TRUE(ErrorOf().starts_with("events.jsonl:2: not JSON: ")) << ErrorOf();
}

TEST_F(BundleTest, DecreasingTimeIsAnError) {
  WriteSession();
  Write("events.jsonl", "{\"t\":5,\"type\":\"media.pause\"}\n"
                        "{\"t\":5,\"type\":\"media.stop\"}\n"
                        "{\"t\":4.5,\"type\":\"session.end\"}\n");
  EXPECT_EQ(ErrorOf(),
            "events.jsonl:3: \"t\" 4.5 is before 5 on line 2 (events must be in order of t)");
}

TEST_F(BundleTest, UnknownTypeWarnsAndIsDropped) {
  WriteSession();
  Write("events.jsonl", "{\"t\":1,\"type\":\"poll.start\",\"question\":\"?\"}\n"
                        "{\"t\":2,\"type\":\"session.end\"}\n");
  const Bundle bundle = LoadBundle(dir_);
  ASSERT_EQ(bundle.events.size(), 1u);
  EXPECT_EQ(bundle.events[0].type, EventType::kSessionEnd);
  ASSERT_EQ(bundle.warnings.size(), 1u);
  EXPECT_EQ(bundle.warnings[0], "events.jsonl:1: unknown event type 'poll.start'; ignored");
}

TEST_F(BundleTest, UnknownTypeStillCountsForOrder) {
  WriteSession();
  Write("events.jsonl", "{\"t\":3,\"type\":\"poll.start\"}\n"
                        "{\"t\":2,\"type\":\"session.end\"}\n");
  EXPECT_TRUE(ErrorOf().starts_with("events.jsonl:2: \"t\" 2 is before 3 on line 1")) << ErrorOf();
}

TEST_F(BundleTest, BomCrlfAndBlankLines) {
  Write("session.json", "\xEF\xBB\xBF{\"title\":\"T\"}\r\n");
  Write("events.jsonl",
        "\xEF\xBB\xBF{\"t\":0,\"type\":\"notes.update\",\"text\":\"a\"}\r\n"
        "\r\n"
        "   \t\r\n"
        "{\"t\":1,\"type\":\"chat.message\",\"from\":\"p1\",\"text\":\"b\"}\r\n"
        "{\"t\":2,\"type\":\"session.end\"}"); // no newline at the end
  const Bundle bundle = LoadBundle(dir_);
  ASSERT_EQ(bundle.events.size(), 3u);
  EXPECT_EQ(bundle.events[0].Str("text"), "a");
  EXPECT_EQ(bundle.events[1].Str("text"), "b");
  EXPECT_EQ(bundle.events[1].line, 4);
  EXPECT_EQ(bundle.events[2].line, 5);
}

TEST_F(BundleTest, CrlfLineErrorStillNamesTheLine) {
  WriteSession();
  Write("events.jsonl",
        "{\"t\":0,\"type\":\"session.end\"}\r\n{\"t\":1,\"type\":\"layout\",\"webcams\":1}\r\n");
  EXPECT_TRUE(ErrorOf().starts_with("events.jsonl:2: layout: field 'webcams'")) << ErrorOf();
}

TEST_F(BundleTest, TrackFileMatchesTheExactStem) {
  WriteSession();
  Write("events.jsonl", "");
  Write("tracks/cam2.webm", "x");
  Write("tracks/cam.part.webm", "x");
  Write("tracks/mic.ogg", "x");
  Write("tracks/p1-screen.mkv", "x");
  fs::create_directories(dir_ / "tracks" / "dir.webm");
  const Bundle bundle = LoadBundle(dir_);
  EXPECT_EQ(bundle.TrackFile("cam"), std::nullopt);
  EXPECT_EQ(bundle.TrackFile("cam2"), dir_ / "tracks" / "cam2.webm");
  EXPECT_EQ(bundle.TrackFile("mic"), dir_ / "tracks" / "mic.ogg");
  EXPECT_EQ(bundle.TrackFile("p1-screen"), dir_ / "tracks" / "p1-screen.mkv");
  EXPECT_EQ(bundle.TrackFile("cam.part"), dir_ / "tracks" / "cam.part.webm");
  EXPECT_EQ(bundle.TrackFile("dir"), std::nullopt); // a directory is not a track
  Write("tracks/cam.webm", "x");
  EXPECT_EQ(bundle.TrackFile("cam"), dir_ / "tracks" / "cam.webm");
}

TEST_F(BundleTest, TrackFileRejectsPathsInIds) {
  WriteSession();
  Write("events.jsonl", "");
  Write("secret.webm", "x");
  Write("tracks/sub/cam.webm", "x");
  const Bundle bundle = LoadBundle(dir_);
  EXPECT_EQ(bundle.TrackFile("../secret"), std::nullopt);
  EXPECT_EQ(bundle.TrackFile("sub/cam"), std::nullopt);
  EXPECT_EQ(bundle.TrackFile(".."), std::nullopt);
  EXPECT_EQ(bundle.TrackFile(""), std::nullopt);
}

TEST_F(BundleTest, TrackFileWithoutTracksDirectory) {
  WriteSession();
  Write("events.jsonl", "");
  EXPECT_EQ(LoadBundle(dir_).TrackFile("cam"), std::nullopt);
}

} // namespace
} // namespace ssr::events
