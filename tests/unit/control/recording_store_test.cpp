#include "control/recording_state.h"
#include "control/recording_store.h"
#include "store/session_store.h"

#include "../../support/temp_dir.h"
#include "../../support/test_database.h"

#include <gtest/gtest.h>

namespace ssr::control {
namespace {

namespace fs = std::filesystem;

TEST(RecordingStore, SettingsHaveTypedDefaultsAndRoundTrip) {
  const test::TempDir dir;
  const fs::path db = dir / "ssr.db";
  {
    store::Database store_db(ssr::test::TestDatabase(db));
    RecordingStore store(store_db);
    const OrgSettings s = store.LoadSettings();
    EXPECT_FALSE(s.autostart);
    EXPECT_EQ(s.countdown_s, 180);
    EXPECT_EQ(s.attempts, 5);
    EXPECT_EQ(s.max_part_duration_s, 7200);
    EXPECT_EQ(s.disconnect_grace_s, 120);
    EXPECT_EQ(s.webhook_url, "");
    EXPECT_EQ(s.video, (PartVideo{1280, 720, 30, 0}));
    OrgSettings changed = OrgSettings::FromJson({{"autostart", true},
                                                 {"max_part_duration_s", 0},
                                                 {"video_size", "640x360"},
                                                 {"video_fps", 15},
                                                 {"video_bitrate_bps", 200000},
                                                 {"raw_track_retention_days", 30},
                                                 {"webhook_url", "https://example.org/h"},
                                                 {"webhook_secret", "k"}});
    store.SaveSettings(changed);
  }
  store::Database reopened_db(ssr::test::TestDatabase(db));
  RecordingStore reopened(reopened_db);
  const OrgSettings s = reopened.LoadSettings();
  EXPECT_TRUE(s.autostart);
  EXPECT_EQ(s.max_part_duration_s, 0);
  EXPECT_EQ(s.countdown_s, 180);
  EXPECT_EQ(s.webhook_secret, "k");
  EXPECT_EQ(s.video, (PartVideo{640, 360, 15, 200000}));
  EXPECT_EQ(s.raw_track_retention_days, 30);
  EXPECT_EQ(
      s.ToJson(false).dump(),
      R"({"attempts":5,"autostart":true,"countdown_s":180,"disconnect_grace_s":120,)"
      R"("max_part_duration_s":0,"raw_track_retention_days":30,)"
      R"("video_bitrate_bps":200000,"video_fps":15,)"
      R"("video_size":"640x360","webhook_secret_set":true,"webhook_url":"https://example.org/h"})");
}

TEST(RecordingStore, BadSettingsNameTheField) {
  const auto message = [](const nlohmann::json& j) {
    try {
      OrgSettings::FromJson(j);
    } catch (const SettingsError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message({{"attempts", 0}}), "settings: 'attempts' must be between 1 and 100");
  EXPECT_EQ(message({{"countdown_s", "180"}}), "settings: 'countdown_s' must be an integer");
  EXPECT_EQ(message({{"autostart", 1}}), "settings: 'autostart' must be true or false");
  EXPECT_EQ(message({{"colour", "red"}}), "settings: unknown field 'colour'");
  EXPECT_EQ(message({{"webhook_url", "ftp://x"}}),
            "settings: 'webhook_url' must start with http:// or https://");
  EXPECT_EQ(message({{"max_part_duration_s", 3}}),
            "settings: 'max_part_duration_s' must be 0 (never) or at least 5");
  EXPECT_EQ(message(nlohmann::json::array()), "settings: must be a JSON object");
  const std::string size_rule =
      "settings: 'video_size' must be WIDTHxHEIGHT in even pixels from 320x180 to 1920x1080, ";
  EXPECT_EQ(message({{"video_size", "4096x2160"}}), size_rule + "not '4096x2160'");
  EXPECT_EQ(message({{"video_size", "641x360"}}), size_rule + "not '641x360'");
  EXPECT_EQ(message({{"video_size", "1280x720p"}}), size_rule + "not '1280x720p'");
  EXPECT_EQ(message({{"video_size", "720"}}), size_rule + "not '720'");
  EXPECT_EQ(message({{"video_size", 720}}), "settings: 'video_size' must be a string");
  EXPECT_EQ(message({{"video_fps", 0}}), "settings: 'video_fps' must be between 5 and 60");
  EXPECT_EQ(message({{"video_fps", 29.97}}), "settings: 'video_fps' must be an integer");
  EXPECT_EQ(message({{"video_bitrate_bps", 1000}}),
            "settings: 'video_bitrate_bps' must be 0 (the default for the size and frame rate) "
            "or at least 50000");
  EXPECT_EQ(message({{"video_bitrate_bps", 60'000'000}}),
            "settings: 'video_bitrate_bps' must be between 0 and 50000000");
  EXPECT_EQ(message({{"raw_track_retention_days", -1}}),
            "settings: 'raw_track_retention_days' must be between 0 and 36500");
  EXPECT_EQ(message({{"raw_track_retention_days", "30"}}),
            "settings: 'raw_track_retention_days' must be an integer");
  // A webhook URL needs a secret receivers can check signatures with (L6).
  const auto webhook = [](const nlohmann::json& j) {
    try {
      OrgSettings::FromJson(j).CheckWebhook();
    } catch (const SettingsError& e) {
      EXPECT_EQ(e.field(), "webhook_secret");
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  const std::string short_secret =
      "settings: 'webhook_secret' must be at least 16 characters while 'webhook_url' is set: "
      "receivers check each notification's signature with it";
  EXPECT_EQ(webhook({{"webhook_url", "https://example.org/h"}}), short_secret);
  EXPECT_EQ(
      webhook({{"webhook_url", "https://example.org/h"}, {"webhook_secret", "123456789012345"}}),
      short_secret);
  EXPECT_EQ(
      webhook({{"webhook_url", "https://example.org/h"}, {"webhook_secret", "1234567890123456"}}),
      "accepted");
  EXPECT_EQ(webhook({{"webhook_url", ""}}), "accepted");
}

TEST(RecordingStore, RecordingsPartsTransitionsAndSessionsSurviveReopening) {
  const test::TempDir dir;
  const fs::path db = dir / "ssr.db";
  {
    store::Database store_db(ssr::test::TestDatabase(db));
    RecordingStore store(store_db);
    RecordingState state(store);
    Recording r;
    r.id = "r1";
    r.session_id = "s1";
    r.room = "b1";
    r.title = "Bio - Group A";
    r.created_at = FormatRfc3339(100);
    r.automatic = true;
    state.Create(r, 100, "started automatically");
    r.countdown_ends_at = 280.5;
    store.SaveRecording(r);
    state.Move(r, RecordingStatus::kRecording, 101, "recorder running (attempt 1)");
    Part p;
    p.recording_id = "r1";
    p.n = 1;
    p.start_t = 12.5;
    p.end_t = 20;
    p.local_path = "/live/r1/part-1.webm";
    store.SavePart(p);
    p.n = 2;
    p.status = PartStatus::kReady;
    p.size_bytes = 5'000'000'000ULL;
    p.sha256 = std::string(64, 'a');
    store.SavePart(p);
    SessionRow s;
    s.id = "s1";
    s.title = "Bio";
    s.autostart = false;
    s.start_wall_s = 99.25;
    s.presence = {{"members", nlohmann::json::array()}};
    store.SaveSession(s);
  }
  store::Database store_db(ssr::test::TestDatabase(db));
  RecordingStore store(store_db);
  const auto r = store.FindRecording("r1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, RecordingStatus::kRecording);
  EXPECT_EQ(r->room, "b1");
  EXPECT_TRUE(r->automatic);
  EXPECT_EQ(r->countdown_ends_at, 280.5);
  EXPECT_EQ(r->created_at, "1970-01-01T00:01:40.000Z");
  const auto parts = store.Parts("r1");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].start_t, 12.5);
  EXPECT_EQ(parts[0].status, PartStatus::kRecording);
  EXPECT_EQ(parts[1].size_bytes, 5'000'000'000ULL);
  const auto log = store.Transitions("r1");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].from, "initializing");
  EXPECT_EQ(log[1].to, "recording");
  EXPECT_EQ(log[1].at, "1970-01-01T00:01:41.000Z");
  EXPECT_EQ(store.UnfinishedRecordings().size(), 1u);
  const auto s = store.FindSession("s1");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->autostart, std::optional<bool>(false));
  EXPECT_EQ(s->start_wall_s, std::optional<double>(99.25));
  EXPECT_FALSE(s->ended);
  // Saving the recording again (an upsert) keeps its parts and transitions.
  store.SaveRecording(*r);
  EXPECT_EQ(store.Parts("r1").size(), 2u);
  EXPECT_EQ(store.Transitions("r1").size(), 2u);
}

TEST(RecordingStore, SharesTheDatabaseFileWithTheSessionStore) {
  const test::TempDir dir;
  const fs::path db = dir / "shared.db";
  auto shared = std::make_unique<store::Database>(ssr::test::TestDatabase(db));
  store::SessionStore sessions(*shared);
  RecordingStore recordings(*shared);
  store::SessionRecord session;
  session.id = "s1";
  session.title = "Bio";
  session.ingest_token_hash = "h";
  EXPECT_TRUE(sessions.Create(session));
  recordings.SaveSettings(OrgSettings::FromJson({{"autostart", true}}));
  // One connection for both; reopened, both read what the other wrote.
  shared.reset();
  store::Database reopened(ssr::test::TestDatabase(db));
  RecordingStore again(reopened);
  store::SessionStore sessions_again(reopened);
  EXPECT_TRUE(sessions_again.Find("s1"));
  EXPECT_TRUE(again.LoadSettings().autostart);
}

TEST(RecordingState, OnlyTheDiagramsTransitionsAreAllowed) {
  using S = RecordingStatus;
  const std::vector<std::pair<S, S>> allowed = {
      {S::kInitializing, S::kRecording}, {S::kInitializing, S::kFailed},
      {S::kRecording, S::kPaused},       {S::kPaused, S::kRecording},
      {S::kRecording, S::kProcessing},   {S::kPaused, S::kProcessing},
      {S::kProcessing, S::kReady},       {S::kProcessing, S::kFailed}};
  const S all[] = {S::kInitializing, S::kRecording, S::kPaused,
                   S::kProcessing,   S::kReady,     S::kFailed};
  int count = 0;
  for (S from : all) {
    for (S to : all) {
      const bool expected =
          std::find(allowed.begin(), allowed.end(), std::make_pair(from, to)) != allowed.end();
      EXPECT_EQ(RecordingState::Allowed(from, to), expected)
          << StatusName(from) << " -> " << StatusName(to);
      count += expected;
    }
  }
  EXPECT_EQ(count, 8);
}

TEST(RecordingState, AnIllegalTransitionThrowsAndWritesNothing) {
  const test::TempDir dir;
  store::Database store_db(ssr::test::TestDatabase(dir / "illegal.db"));
  RecordingStore store(store_db);
  RecordingState state(store);
  Recording r;
  r.id = "r1";
  r.session_id = "s1";
  r.created_at = FormatRfc3339(0);
  state.Create(r, 0, "test");
  try {
    state.Move(r, RecordingStatus::kReady, 1, "skipping ahead");
    FAIL() << "no IllegalTransition";
  } catch (const IllegalTransition& e) {
    EXPECT_EQ(std::string(e.what()),
              "recording r1: illegal transition initializing -> ready (skipping ahead)");
  }
  EXPECT_EQ(r.status, RecordingStatus::kInitializing);
  EXPECT_EQ(store.FindRecording("r1")->status, RecordingStatus::kInitializing);
  EXPECT_EQ(store.Transitions("r1").size(), 1u);
  Recording late = r;
  late.status = RecordingStatus::kRecording;
  late.id = "r2";
  EXPECT_THROW(state.Create(late, 2, "x"), IllegalTransition);
  EXPECT_FALSE(store.FindRecording("r2"));
}

} // namespace
} // namespace ssr::control
