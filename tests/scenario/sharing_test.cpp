// R15 sharing through the real `ssr serve`: the settings and their ETag, saves with If-Match
// (two hosts saving at once: the second gets 412 and nothing of theirs is saved), each bad
// field a 400 naming it; and what the saved settings open (R12's "shared with them"):
// attendees and presenters by audience, single users by grant, nothing before the release
// time set in the host's zone.

#include "control_fixture.h"

#include "../support/test_jwt.h"

#include <date/tz.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace ssr::test {
namespace {

using nlohmann::json;

const std::string kJwtSecret = "scenario-jwt-secret-0123456789abcdef";

json Nothing() {
  return {{"stream_by", json::array()},
          {"download_by", json::array()},
          {"grants", json::array()},
          {"release_at", nullptr},
          {"release_timezone", "America/New_York"}};
}

// The wall-clock time in New York `seconds_from_now` from now: "YYYY-MM-DDTHH:MM:SS".
std::string NewYorkTimeIn(int seconds_from_now) {
  const auto at = std::chrono::time_point_cast<std::chrono::seconds>(
      std::chrono::system_clock::now() + std::chrono::seconds(seconds_from_now));
  return date::format("%Y-%m-%dT%H:%M:%S", date::make_zoned("America/New_York", at));
}

class Sharing : public ::testing::Test {
 protected:
  void SetUp() override {
    auto env = ControlEnv();
    env["SSR_JWT_SECRET"] = kJwtSecret;
    server_ = std::make_unique<ServeProcess>(env);
    ASSERT_EQ(PutSettings(*server_, {{"countdown_s", 3}, {"max_part_duration_s", 0}})->status, 200);
    Classroom bio(*server_, "bio", "Biology",
                  {{"timezone", "America/New_York"},
                   {"invitees", json::array({{{"user", "ann"}, {"role", "host"}},
                                             {{"user", "bob"}, {"role", "cohost"}},
                                             {{"user", "cat"}, {"role", "attendee"}},
                                             {{"user", "pam"}, {"role", "presenter"}}})}});
    bio.StartHeartbeat();
    rid_ = bio.Start()["id"];
    ASSERT_EQ(WaitStatus(*server_, rid_, "recording", 8)["status"], "recording");
    std::this_thread::sleep_for(std::chrono::seconds(1));
    ASSERT_EQ(StopRecording(*server_, rid_)->status, 200);
    ASSERT_EQ(WaitStatus(*server_, rid_, "ready", 8)["status"], "ready");
    path_ = "/api/v1/recordings/" + rid_;
  }
  void TearDown() override {
    if (HasFailure() && server_)
      std::cerr << "--- server log ---\n" << server_->Log();
  }
  httplib::Headers Jwt(const std::string& user) { return server_->Auth(UserJwt(kJwtSecret, user)); }
  httplib::Result Get(const std::string& path, const httplib::Headers& who) {
    return server_->Client().Get(path, who);
  }
  httplib::Result Put(const httplib::Headers& who, const json& body, const std::string& if_match) {
    httplib::Headers headers = who;
    if (!if_match.empty())
      headers.emplace("If-Match", if_match);
    return server_->Client().Put(path_ + "/sharing", headers, body.dump(), "application/json");
  }
  // Saves `body` as `who` over the current settings; returns the new ETag.
  std::string Save(const json& body, const std::string& who = "ann") {
    const std::string etag = Get(path_ + "/sharing", Jwt(who))->get_header_value("ETag");
    auto res = Put(Jwt(who), body, etag);
    EXPECT_EQ(res->status, 200) << res->body;
    return res->get_header_value("ETag");
  }
  std::vector<std::string> ListIds(const std::string& user) {
    auto res = Get("/api/v1/recordings", Jwt(user));
    EXPECT_EQ(res->status, 200);
    std::vector<std::string> ids;
    const json body = json::parse(res->body);
    for (const json& r : body["recordings"])
      ids.push_back(r["id"]);
    return ids;
  }
  bool HasRecordings(const std::string& user) {
    return json::parse(Get("/api/v1/me", Jwt(user))->body)["has_recordings"];
  }
  int Download(const std::string& user) {
    return Get(path_ + "/parts/1/download", Jwt(user))->status;
  }
  // Asks for a watch URL of part 1 as `user` (R13, R19); when one is given, checks it plays.
  int Watch(const std::string& user) {
    auto res = server_->Client().Post(path_ + "/parts/1/watch", Jwt(user), "", "application/json");
    if (res->status == 201) {
      auto played = Get(json::parse(res->body)["url"].get<std::string>(), {});
      EXPECT_EQ(played->status, 200) << user;
    }
    return res->status;
  }

  std::unique_ptr<ServeProcess> server_;
  std::string rid_;
  std::string path_;
};

TEST_F(Sharing, HostsReadAndSaveTheSettingsAndASecondSaveOnTheSameETagIs412) {
  // Nothing saved: not shared, the session's zone, ETag "v0". Reading twice (a dialog opened
  // and closed without saving) changes nothing.
  auto first = Get(path_ + "/sharing", Jwt("ann"));
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(first->get_header_value("ETag"), "\"v0\"");
  const json defaults = json::parse(first->body);
  EXPECT_EQ(defaults["stream_by"], json::array());
  EXPECT_EQ(defaults["download_by"], json::array());
  EXPECT_EQ(defaults["grants"], json::array());
  EXPECT_EQ(defaults["release_at"], nullptr);
  EXPECT_EQ(defaults["release_timezone"], "America/New_York");
  auto again = Get(path_ + "/sharing", Jwt("bob"));
  EXPECT_EQ(again->get_header_value("ETag"), "\"v0\"");
  EXPECT_EQ(again->body, first->body);

  // No If-Match: 428, nothing saved.
  auto blind = Put(Jwt("ann"), Nothing(), "");
  EXPECT_EQ(blind->status, 428);
  EXPECT_EQ(json::parse(blind->body)["error"]["code"], "precondition_required");

  // Ann and Bob both read v0; Ann saves first, Bob's save is refused with the current ETag.
  json anns = Nothing();
  anns["stream_by"] = {"attendees"};
  anns["grants"] = json::array({{{"user", "zed"}, {"stream", true}, {"download", false}}});
  auto saved = Put(Jwt("ann"), anns, "\"v0\"");
  ASSERT_EQ(saved->status, 200) << saved->body;
  EXPECT_EQ(saved->get_header_value("ETag"), "\"v1\"");
  EXPECT_EQ(json::parse(saved->body)["stream_by"], json::array({"attendees"}));
  EXPECT_EQ(json::parse(saved->body)["updated_by"], "ann");
  json bobs = Nothing();
  bobs["download_by"] = {"attendees", "presenters"};
  auto refused = Put(Jwt("bob"), bobs, "\"v0\"");
  EXPECT_EQ(refused->status, 412) << refused->body;
  EXPECT_EQ(refused->get_header_value("ETag"), "\"v1\"");
  EXPECT_EQ(json::parse(refused->body)["error"]["code"], "precondition_failed");
  auto now = Get(path_ + "/sharing", Jwt("bob"));
  EXPECT_EQ(now->get_header_value("ETag"), "\"v1\"");
  EXPECT_EQ(now->body, saved->body); // Ann's settings, whole; nothing of Bob's
  EXPECT_EQ(Download("cat"), 403);   // Bob's download_by did not happen

  // Bob reloads and saves on v1; a weak or unknown tag never matches; "*" saves over anything.
  EXPECT_EQ(Put(Jwt("bob"), bobs, "W/\"v1\"")->status, 412);
  EXPECT_EQ(Put(Jwt("bob"), bobs, "\"v7\", \"v1\"")->status, 200);
  auto star = Put(server_->Auth(), anns, "*");
  EXPECT_EQ(star->status, 200);
  EXPECT_EQ(star->get_header_value("ETag"), "\"v3\"");
  // What GET returns may be PUT back as it is.
  auto roundtrip =
      Put(Jwt("ann"), json::parse(Get(path_ + "/sharing", Jwt("ann"))->body), "\"v3\"");
  EXPECT_EQ(roundtrip->status, 200) << roundtrip->body;

  // Cat may now watch it but not manage its sharing: 403; strangers: 404 as for no recording.
  EXPECT_EQ(Get(path_ + "/sharing", Jwt("cat"))->status, 403);
  EXPECT_EQ(Put(Jwt("cat"), Nothing(), "\"v4\"")->status, 403);
  for (const std::string user : {"eve", "pam"}) {
    EXPECT_EQ(Get(path_ + "/sharing", Jwt(user))->status, 404) << user;
    EXPECT_EQ(Put(Jwt(user), Nothing(), "\"v4\"")->status, 404) << user;
  }
  EXPECT_EQ(Get("/api/v1/recordings/NoSuchRecording/sharing", Jwt("ann"))->status, 404);
  auto post = server_->Client().Post(path_ + "/sharing", Jwt("ann"), "{}", "application/json");
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET, PUT");
}

TEST_F(Sharing, EachBadFieldIsA400NamingItAndSavesNothing) {
  const std::string etag = Get(path_ + "/sharing", Jwt("ann"))->get_header_value("ETag");
  auto field_of = [&](const json& body) {
    auto res = Put(Jwt("ann"), body, etag);
    EXPECT_EQ(res->status, 400) << body.dump();
    const json error = json::parse(res->body)["error"];
    return error.value("field", error["code"].get<std::string>());
  };
  auto with = [](const std::string& field, json value) {
    json body = Nothing();
    body[field] = std::move(value);
    return body;
  };
  json no_zone = with("release_at", "2027-01-10T09:00");
  no_zone.erase("release_timezone");
  json missing = Nothing();
  missing.erase("grants");
  EXPECT_EQ(field_of(with("public", true)), "public");
  EXPECT_EQ(field_of(missing), "grants");
  EXPECT_EQ(field_of(with("stream_by", "attendees")), "stream_by");
  EXPECT_EQ(field_of(with("stream_by", {"everyone"})), "stream_by[0]");
  EXPECT_EQ(field_of(with("download_by", {"presenters", "hosts"})), "download_by[1]");
  EXPECT_EQ(field_of(with("grants", {{{"user", "zed"}, {"stream", true}},
                                     {{"user", "ZED"}, {"download", true}}})),
            "grants[1].user");
  EXPECT_EQ(field_of(with("grants", {{{"user", ""}, {"stream", true}}})), "grants[0].user");
  EXPECT_EQ(field_of(with("grants", {{{"user", "zed"}, {"stream", "yes"}}})), "grants[0].stream");
  EXPECT_EQ(field_of(with("release_at", "2027-01-10")), "release_at");
  EXPECT_EQ(field_of(with("release_at", "2027-01-10T09:00Z")), "release_at");
  EXPECT_EQ(field_of(with("release_at", "2027-03-14T02:30")), "release_at"); // DST gap in NY
  EXPECT_EQ(field_of(with("release_timezone", "Atlantis/Capital")), "release_timezone");
  EXPECT_EQ(field_of(no_zone), "release_timezone");
  EXPECT_EQ(field_of(json::array()), "bad_request");
  httplib::Headers headers = Jwt("ann");
  headers.emplace("If-Match", etag);
  EXPECT_EQ(server_->Client().Put(path_ + "/sharing", headers, "{oops", "application/json")->status,
            400);
  EXPECT_EQ(
      server_->Client().Put(path_ + "/sharing", headers, Nothing().dump(), "text/plain")->status,
      415);
  EXPECT_EQ(Get(path_ + "/sharing", Jwt("ann"))->get_header_value("ETag"), "\"v0\"");
}

// R12/R15: audiences and grants open the recording, download only where allowed (see but not
// do: 403); nothing shows before the release time set in the host's zone.
TEST_F(Sharing, SavedSettingsDecideWhoSeesStreamsAndDownloads) {
  using Ids = std::vector<std::string>;
  EXPECT_EQ(ListIds("cat"), Ids{});
  EXPECT_FALSE(HasRecordings("cat"));

  json settings = Nothing();
  settings["stream_by"] = {"attendees"};
  Save(settings);
  EXPECT_EQ(ListIds("cat"), Ids{rid_});
  EXPECT_TRUE(HasRecordings("cat"));
  auto seen = Get(path_, Jwt("cat"));
  ASSERT_EQ(seen->status, 200);
  EXPECT_EQ(json::parse(seen->body)["recorded_at"].get<std::string>().back(), 'Z'); // UTC
  EXPECT_EQ(Get(path_ + "/parts/1/chat.vtt", Jwt("cat"))->status, 200);             // streaming
  EXPECT_EQ(Download("cat"), 403);
  EXPECT_EQ(Watch("cat"), 201);     // streaming is watching
  EXPECT_EQ(ListIds("pam"), Ids{}); // presenters are not in stream_by
  EXPECT_EQ(Download("pam"), 404);
  EXPECT_EQ(Watch("pam"), 404);

  settings["download_by"] = {"attendees"};
  settings["grants"] = json::array({{{"user", "zed"}, {"stream", true}, {"download", true}},
                                    {{"user", "yan"}, {"stream", true}, {"download", false}}});
  Save(settings);
  EXPECT_EQ(Download("cat"), 200);
  EXPECT_EQ(ListIds("zed"), Ids{rid_}); // a grant alone, no role in the session
  EXPECT_TRUE(HasRecordings("zed"));
  EXPECT_EQ(Download("zed"), 200);
  EXPECT_EQ(ListIds("yan"), Ids{rid_});
  EXPECT_EQ(Download("yan"), 403);
  EXPECT_EQ(Watch("yan"), 201); // a stream-only grant
  EXPECT_EQ(ListIds("eve"), Ids{});
  EXPECT_EQ(Download("eve"), 404);

  // A release far ahead (in New York time): attendees and grantees neither see nor download.
  settings["release_at"] = "2099-01-01T09:00";
  Save(settings);
  EXPECT_EQ(json::parse(Get(path_ + "/sharing", Jwt("ann"))->body)["release_at_utc"],
            "2099-01-01T14:00:00.000Z");
  for (const std::string user : {"cat", "zed"}) {
    EXPECT_EQ(ListIds(user), Ids{}) << user;
    EXPECT_FALSE(HasRecordings(user)) << user;
    EXPECT_EQ(Get(path_, Jwt(user))->status, 404) << user;
    EXPECT_EQ(Download(user), 404) << user;
    EXPECT_EQ(Watch(user), 404) << user;
  }
  EXPECT_EQ(Watch("ann"), 201);
  EXPECT_EQ(ListIds("ann"), Ids{rid_}); // hosts always
  EXPECT_EQ(Download("bob"), 200);

  // A release 3 s ahead: hidden now, there once the time has come.
  settings["release_at"] = NewYorkTimeIn(3);
  Save(settings);
  EXPECT_EQ(ListIds("cat"), Ids{});
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  EXPECT_EQ(ListIds("cat"), Ids{rid_});
  EXPECT_EQ(Download("cat"), 200);

  // A release in the past: visible at once.
  settings["release_at"] = "2020-01-01T00:00";
  Save(settings);
  EXPECT_EQ(ListIds("zed"), Ids{rid_});

  // Deleting the recording forgets its sharing.
  const auto db = server_->data_dir() / "ssr.db";
  EXPECT_EQ(CountRows(db, "SELECT COUNT(*) FROM recording_grants WHERE recording_id = ?", rid_), 2);
  ASSERT_EQ(server_->Client().Delete(path_, Jwt("ann"))->status, 204);
  EXPECT_EQ(ListIds("zed"), Ids{});
  EXPECT_EQ(CountRows(db, "SELECT COUNT(*) FROM recording_grants WHERE recording_id = ?", rid_), 0);
  EXPECT_EQ(CountRows(db, "SELECT COUNT(*) FROM recording_sharing WHERE recording_id = ?", rid_),
            0);
}

} // namespace
} // namespace ssr::test
