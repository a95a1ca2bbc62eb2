#include "live/runtime_recorder_port.h"

#include "../../support/temp_dir.h"

#include <gtest/gtest.h>

namespace ssr::live {
namespace {

TEST(RecorderFaults, JsonTakesBooleansAndCounts) {
  const RecorderFaults f =
      RecorderFaults::FromJson({{"no_media", 2}, {"recorder_unavailable", true}});
  EXPECT_EQ(f.no_media, 2);
  EXPECT_EQ(f.recorder_unavailable, RecorderFaults::kAlways);
  EXPECT_EQ(f.ToJson(), (nlohmann::json{{"no_media", 2}, {"recorder_unavailable", true}}));
  EXPECT_EQ(RecorderFaults::FromJson(nlohmann::json::object()).ToJson(),
            (nlohmann::json{{"no_media", false}, {"recorder_unavailable", false}}));
  for (const nlohmann::json& bad :
       {nlohmann::json{{"no_media", -1}}, nlohmann::json{{"no_media", "2"}},
        nlohmann::json{{"no_media", 1.5}}, nlohmann::json{{"slow", true}},
        nlohmann::json::array()}) {
    EXPECT_THROW(RecorderFaults::FromJson(bad), std::invalid_argument) << bad.dump();
  }
}

// A fault on the first N starts of each recording: starts N+1.. go to the runtime.
TEST(RuntimeRecorderPort, CountsStartsPerRecording) {
  const test::TempDir dir;
  SessionRuntimes runtimes(dir, RuntimeOptions{});
  RuntimeRecorderPort port(runtimes, [](const std::string& rid) -> std::optional<std::string> {
    if (rid == "unknown")
      return std::nullopt;
    return "s1";
  });
  port.SetFaults("s1", RecorderFaults::FromJson({{"recorder_unavailable", 2}, {"no_media", true}}));
  for (const char* rid : {"r1", "r2"}) {
    for (int start = 1; start <= 2; ++start) {
      try {
        port.StartPart(rid, 1, "main", dir / rid / "part-1.webm", 0, {});
        FAIL() << rid << " start " << start;
      } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "recorder unavailable (test fault)");
      }
    }
    EXPECT_FALSE(port.Flowing(rid)); // no_media: always
  }
  EXPECT_THROW(port.StartPart("unknown", 1, "main", dir / "x.webm", 0, {}), std::runtime_error);
  EXPECT_EQ(port.Faults("s1").ToJson()["recorder_unavailable"], 2);
  EXPECT_EQ(port.Faults("other").ToJson()["no_media"], false);
}

} // namespace
} // namespace ssr::live
