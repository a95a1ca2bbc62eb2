// The id validators of common/ids.h: for each kind of name, a table of names it takes and a
// table of names it refuses with (part of) the text it answers, which the API sends back.

#include "common/ids.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace ssr {
namespace {

struct Bad {
  std::string id;
  std::string says; // a part of the problem text
};

void ExpectTable(const std::function<std::string(std::string_view)>& check,
                 const std::vector<std::string>& good, const std::vector<Bad>& bad) {
  for (const std::string& id : good) {
    EXPECT_EQ(check(id), "") << "'" << id << "' should be accepted";
  }
  for (const Bad& b : bad) {
    const std::string problem = check(b.id);
    EXPECT_NE(problem.find(b.says), std::string::npos)
        << "'" << b.id << "': got '" << problem << "', expected it to say '" << b.says << "'";
    EXPECT_FALSE(problem.empty()) << "'" << b.id << "' should be refused";
  }
}

TEST(Ids, SessionIds) {
  ExpectTable(CheckSessionId, {"maths-101_a.b", "s", "S1", "a..b", std::string(64, 'a')},
              {{"", "must be 1 to 64 characters"},
               {std::string(65, 'a'), "must be 1 to 64 characters"},
               {"..", "must not start with '.' or '-'"},
               {".x", "must not start with '.' or '-'"},
               {"-x", "must not start with '.' or '-'"},
               {"a/b", "may contain only letters, digits, '-', '_' and '.'"},
               {"a b", "may contain only letters, digits, '-', '_' and '.'"},
               {"caf\xC3\xA9", "may contain only letters, digits, '-', '_' and '.'"}});
}

TEST(Ids, AssetNames) {
  ExpectTable(CheckAssetName,
              {"slides.pdf", "Cours n°1 (v2).pdf", "a b.png", std::string(200, 'a')},
              {{"", "must not be empty"},
               {std::string(201, 'a'), "longer than 200 bytes"},
               {"a/b", "must not contain '/' or '\\'"},
               {"a\\b", "must not contain '/' or '\\'"},
               {"..", "must not contain '..'"},
               {"x..y", "must not contain '..'"},
               {".env", "must not start with '.'"},
               {"a\nb", "control characters"},
               {std::string("a\0b", 3), "control characters"},
               {"a\x7f", "control characters"}});
}

TEST(Ids, PlainIds) {
  ExpectTable(CheckPlainId, {"ME3CLwqsf9gDiSnl", "a-b_c", std::string(64, 'z')},
              {{"", "1 to 64"},
               {std::string(65, 'a'), "1 to 64"},
               {"a.b", "only letters, digits, '-' and '_'"},
               {"a/b", "only letters, digits, '-' and '_'"},
               {"a b", "only letters, digits, '-' and '_'"}});
}

TEST(Ids, TrackIds) {
  ExpectTable(CheckTrackId, {"cam-h1", "mic_h1.0", std::string(64, 't')},
              {{"", "track id must be 1 to 64 characters"},
               {std::string(65, 't'), "track id must be 1 to 64 characters"},
               {"bad id", "track id 'bad id' may contain only"},
               {"cam/1", "may contain only letters, digits, '-', '_' and '.'"}});
}

TEST(Ids, TrackLists) {
  ExpectTable(CheckTrackList, {"cam-h1", "cam-h1+mic-h1"},
              {{"a+b+c", "at most two track ids"},
               {"", "track id must be 1 to 64"},
               {"cam+", "track id must be 1 to 64"},
               {"+mic", "track id must be 1 to 64"},
               {"a b", "may contain only"}});
  EXPECT_EQ(SplitTrackList("cam+mic"), (std::vector<std::string>{"cam", "mic"}));
  EXPECT_EQ(SplitTrackList("cam"), (std::vector<std::string>{"cam"}));
  EXPECT_EQ(SplitTrackList("cam+"), (std::vector<std::string>{"cam", ""}));
}

TEST(Ids, StorageKeys) {
  ExpectTable(CheckStorageKey,
              {"recordings/r1/part-1.webm", "k.webm", "a/b.c/d_e-f", std::string(512, 'k')},
              {{"", "1 to 512 characters"},
               {std::string(513, 'k'), "1 to 512 characters"},
               {"/abs.webm", "segment in key"},
               {"a//b", "segment in key"},
               {"a/", "segment in key"},
               {"../escape.webm", "segment in key"},
               {"a/./b", "segment in key"},
               {"a b", "character not allowed in key 'a b'"},
               {"a\\b", "character not allowed"},
               {"caf\xC3\xA9", "character not allowed"}});
}

// The tests these validators came with (tests/unit/http/api_paths_test.cpp), as they were.
TEST(Ids, FormerApiPathsCases) {
  EXPECT_EQ(CheckAssetName("slides.pdf"), "");
  EXPECT_EQ(CheckAssetName("Cours n°1 (v2).pdf"), "");
  EXPECT_EQ(CheckAssetName(std::string(200, 'a')), "");
  for (const std::string& bad :
       {std::string(""), std::string(".."), std::string("a/b"), std::string("a\\b"),
        std::string("x..y"), std::string(".env"), std::string(201, 'a'), std::string("a\nb"),
        std::string("a\0b", 3)}) {
    EXPECT_NE(CheckAssetName(bad), "") << bad;
  }
  EXPECT_EQ(CheckSessionId("maths-101_a.b"), "");
  for (const std::string& bad :
       {std::string(), std::string(".."), std::string(".x"), std::string("-x"), std::string("a/b"),
        std::string("a b"), std::string(65, 'a')}) {
    EXPECT_NE(CheckSessionId(bad), "") << bad;
  }
  EXPECT_EQ(CheckTrackList("cam-h1"), "");
  EXPECT_EQ(CheckTrackList("cam-h1+mic-h1"), "");
  EXPECT_NE(CheckTrackList("a+b+c"), "");
  EXPECT_NE(CheckTrackList(""), "");
  EXPECT_NE(CheckTrackList("cam+"), "");
  EXPECT_NE(CheckTrackList("a b"), "");
  EXPECT_TRUE(CheckPlainId("ME3CLwqsf9gDiSnl").empty());
  EXPECT_FALSE(CheckPlainId("").empty());
  EXPECT_FALSE(CheckPlainId("a.b").empty());
  EXPECT_FALSE(CheckPlainId(std::string(65, 'a')).empty());
}

} // namespace
} // namespace ssr
