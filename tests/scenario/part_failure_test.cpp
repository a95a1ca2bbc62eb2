// A live part whose disk write fails, for real, while other sessions record on the same
// `ssr serve`: the failing part ends `failed` with its error (in the recording's JSON and a
// `recording.part_failed` notification), its recording goes on in a new part and ends ready
// with what was saved, the other recordings are untouched and playable, and the server keeps
// serving. The write fails because the part's file is a symlink to /dev/full (every write:
// ENOSPC, as on a full disk); no root, no fault injection in the server.

#include "../support/output_probe.h"
#include "control_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;

// Playable to about its stated length. Not the exact-rollover check of
// RecordingControl.LongRecordingsRollOverIntoPartsWithNoGap: three recordings encode at once
// here, and a rollover tick that comes later than the recorder's latency finds frames past
// the boundary already written.
constexpr double kPlayableSlack = 0.6;

void Sleep(double s) {
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(s * 1000)));
}

TEST(PartFailure, AFullDiskFailsOnePartAndNothingElse) {
  ServeProcess server(ControlEnv());
  auto settings = PutSettings(server, {{"countdown_s", 3}, {"max_part_duration_s", 5}});
  ASSERT_TRUE(settings && settings->status == 200);
  const fs::path out = server.data_dir().parent_path() / "out";
  fs::create_directories(out);

  std::vector<std::unique_ptr<Classroom>> classes;
  std::vector<std::string> rids;
  for (const std::string sid : {"s1", "s2", "s3"}) {
    classes.push_back(std::make_unique<Classroom>(server, sid, "Class " + sid));
    classes.back()->StartHeartbeat();
    classes.back()->Join("h-" + sid, "host");
  }
  NotificationStream notes(server, "s2");
  for (auto& c : classes) {
    rids.push_back(c->Start()["id"]);
  }
  // Part 2 of the second recording (after the 5 s rollover) goes to a full disk. Its folder
  // exists once the start is answered: part 1 is being written there.
  const fs::path doomed = server.data_dir() / "live-parts" / rids[1] / "part-2.webm";
  ASSERT_TRUE(fs::exists(doomed.parent_path()));
  fs::create_symlink("/dev/full", doomed);
  for (const std::string& rid : rids) {
    ASSERT_EQ(WaitStatus(server, rid, "recording", 6)["status"], "recording") << rid;
  }

  ASSERT_TRUE(notes.WaitForType(rids[1], "recording.part_failed", 12)) << notes.Raw();
  json note;
  for (const Note& n : notes.Notes()) {
    if (n.event == "recording.part_failed")
      note = n.data;
  }
  EXPECT_THAT(note["detail"].get<std::string>(), HasSubstr("No space left on device"));
  EXPECT_EQ(note["message"],
            "Part 2 of the recording of the main room could not be written; it is left out.");
  // The server keeps serving, and the failed recording goes on in part 3.
  EXPECT_EQ(server.Client().Get("/livez")->status, 200);
  auto list = server.Client().Get("/api/v1/recordings?session_id=s1", server.Auth());
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 200) << list->body;
  const json running = GetRecording(server, rids[1]);
  EXPECT_EQ(running["status"], "recording") << running.dump();
  Sleep(1.5);

  std::vector<json> done;
  for (const std::string& rid : rids) {
    auto res = StopRecording(server, rid);
    ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
  }
  for (const std::string& rid : rids) {
    done.push_back(WaitStatus(server, rid, "ready", 10));
    ASSERT_EQ(done.back()["status"], "ready") << done.back().dump();
  }

  // The failed part, with its error; the recording says which part failed and why.
  const json& failed = done[1];
  // Part 3 and, on a slow machine where the stop comes after the next rollover, any later
  // part are ready: only part 2 failed.
  ASSERT_GE(failed["parts"].size(), 3u) << failed.dump();
  EXPECT_EQ(failed["parts"][0]["status"], "ready");
  EXPECT_EQ(failed["parts"][1]["status"], "failed");
  EXPECT_THAT(failed["parts"][1]["error"].get<std::string>(), HasSubstr("No space left on device"));
  for (size_t n = 2; n < failed["parts"].size(); ++n) {
    EXPECT_EQ(failed["parts"][n]["status"], "ready") << "part " << n + 1;
  }
  EXPECT_THAT(failed["error"].get<std::string>(), HasSubstr("part 2 failed: "));
  EXPECT_FALSE(fs::exists(fs::symlink_status(doomed))) << "the failed part is not kept";
  EXPECT_THAT(notes.Types(rids[1]),
              ::testing::ElementsAre("recording.initializing#1", "recording.started",
                                     "recording.part_failed", "recording.stopped",
                                     "recording.ready"));

  // Every saved part plays to its stated length, the other recordings' parts included.
  for (size_t i = 0; i < rids.size(); ++i) {
    for (const json& part : done[i]["parts"]) {
      const int n = part["n"];
      if (part["status"] != "ready")
        continue;
      EXPECT_TRUE(part["error"].is_null()) << part.dump();
      const fs::path file = out / (rids[i] + "-" + std::to_string(n) + ".webm");
      ASSERT_EQ(DownloadPart(server, rids[i], n, file), 200);
      const OutputProbe probe(file.string());
      EXPECT_NEAR(probe.duration_s, part["duration_s"].get<double>(), kPlayableSlack)
          << rids[i] << " part " << n;
      EXPECT_GT(probe.video_frames, 0);
    }
    if (i != 1) {
      EXPECT_TRUE(done[i]["error"].is_null()) << done[i].dump();
      EXPECT_GE(done[i]["parts"].size(), 2u) << "rolled over at 5 s";
    }
  }
  EXPECT_EQ(server.Client().Get("/livez")->status, 200);
}

} // namespace
} // namespace ssr::test
