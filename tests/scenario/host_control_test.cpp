// Recording control by the people who run a class, through the real `ssr serve`: hosts and
// co-hosts start and stop with their JWT or login cookie (attendees, presenters and strangers
// get 404), follow the notification stream with a cookie or a ticket in the URL (what an
// EventSource can send), see the countdown and the attempts, and every part gets a chapters
// track built from the class's events, served to whoever may watch it.

#include "control_fixture.h"
#include "pdf_fixture.h"

#include "../support/test_jwt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <regex>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;

const std::string kJwtSecret = "scenario-jwt-secret-0123456789abcdef";
// RFC 3339 UTC with milliseconds (POSIX extended regex, as gtest uses here).
const std::string kRfc3339 = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{3}Z";

// A host's browser opens the stream with nothing but its URL (and maybe a cookie).
std::vector<std::string> NoHeaders() { return {}; }

void Sleep(double s) {
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(s * 1000)));
}

std::string ErrorCode(const httplib::Result& res) {
  return json::parse(res->body)["error"]["code"].get<std::string>();
}

// Seconds of a WebVTT timestamp "hh:mm:ss.mmm".
double VttSeconds(const std::string& ts) {
  return std::stoi(ts.substr(0, 2)) * 3600 + std::stoi(ts.substr(3, 2)) * 60 +
         std::stod(ts.substr(6));
}

// The cues of a WebVTT file: (start seconds, title).
std::vector<std::pair<double, std::string>> VttCues(const std::string& vtt) {
  std::vector<std::pair<double, std::string>> cues;
  const std::regex cue(R"((\d\d:\d\d:\d\d\.\d\d\d) --> \d\d:\d\d:\d\d\.\d\d\d\n([^\n]+))");
  for (auto it = std::sregex_iterator(vtt.begin(), vtt.end(), cue); it != std::sregex_iterator();
       ++it) {
    cues.emplace_back(VttSeconds((*it)[1]), (*it)[2]);
  }
  return cues;
}

class HostControl : public ::testing::Test {
 protected:
  void SetUp() override {
    auto env = ControlEnv();
    env["SSR_JWT_SECRET"] = kJwtSecret;
    server_ = std::make_unique<ServeProcess>(env);
    Settings({{"countdown_s", 3}, {"attempts", 5}, {"max_part_duration_s", 0}});
    // A built-in account for the co-host, who signs in with a cookie.
    auto created =
        Post("/api/v1/users", server_->Auth(),
             {{"email", "cohost@example.org"}, {"name", "Cora"}, {"password", "classroom-demo"}});
    ASSERT_EQ(created->status, 201) << created->body;
    auto login = Post("/api/v1/login", {},
                      {{"email", "cohost@example.org"}, {"password", "classroom-demo"}});
    ASSERT_EQ(login->status, 200) << login->body;
    const std::string set = login->get_header_value("Set-Cookie");
    const size_t begin = set.find("ssr_session=") + std::string("ssr_session=").size();
    cookie_ = "ssr_session=" + set.substr(begin, set.find(';', begin) - begin);
  }
  void TearDown() override {
    if (HasFailure() && server_)
      std::cerr << "--- server log ---\n" << server_->Log();
  }
  void Settings(const json& s) {
    auto res = PutSettings(*server_, s);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }
  // A class: ann hosts (JWT), the co-host signs in with a cookie, cat attends, pam presents.
  std::unique_ptr<Classroom> Class(const std::string& sid, json extra = json::object()) {
    extra["invitees"] = json::array({{{"user", "ann"}, {"role", "host"}},
                                     {{"user", "cohost@example.org"}, {"role", "cohost"}},
                                     {{"user", "cat"}, {"role", "attendee"}},
                                     {{"user", "pam"}, {"role", "presenter"}}});
    return std::make_unique<Classroom>(*server_, sid, "Biology 101", extra);
  }
  httplib::Headers Jwt(const std::string& user) { return server_->Auth(UserJwt(kJwtSecret, user)); }
  httplib::Headers Cookie() { return {{"Cookie", cookie_}}; }
  httplib::Result Post(const std::string& path, const httplib::Headers& who,
                       const json& body = json::object()) {
    return server_->Client().Post(path, who, body.dump(), "application/json");
  }
  httplib::Result Get(const std::string& path, const httplib::Headers& who) {
    return server_->Client().Get(path, who);
  }
  json Transitions(const std::string& rid) {
    return json::parse(Get("/api/v1/recordings/" + rid, server_->Auth())->body)["transitions"];
  }

  std::unique_ptr<ServeProcess> server_;
  std::string cookie_;
};

TEST_F(HostControl, HostsAndCohostsStartAndStopWithTheirJwtOrCookie) {
  auto c = Class("bio");
  c->StartHeartbeat();
  // Attendees, presenters and strangers do not even see the session; no credential is a 401.
  for (const std::string user : {"cat", "pam", "stranger"}) {
    auto res = Post("/api/v1/sessions/bio/recordings", Jwt(user));
    EXPECT_EQ(res->status, 404) << user;
    EXPECT_THAT(res->body, HasSubstr("no session 'bio'"));
  }
  EXPECT_EQ(Post("/api/v1/sessions/bio/recordings", {})->status, 401);
  EXPECT_EQ(Post("/api/v1/sessions/bio/recordings", server_->Auth("not-a-key"))->status, 401);
  EXPECT_EQ(Post("/api/v1/sessions/nope/recordings", Jwt("ann"))->status, 404);

  // The host starts with her JWT: the same reply as the platform's.
  auto started = Post("/api/v1/sessions/bio/recordings", Jwt("ann"), {{"name", "Cells"}});
  ASSERT_EQ(started->status, 202) << started->body;
  const json r = json::parse(started->body);
  EXPECT_EQ(r["title"], "Cells");
  EXPECT_EQ(r["requested_by"], "user ann");
  const std::string rid = r["id"];
  ASSERT_EQ(WaitStatus(*server_, rid, "recording", 8)["status"], "recording");

  // Only those who run the session may stop it.
  for (const std::string user : {"cat", "pam", "stranger"}) {
    EXPECT_EQ(Post("/api/v1/recordings/" + rid + "/stop", Jwt(user))->status, 404) << user;
  }
  EXPECT_EQ(Post("/api/v1/recordings/" + rid + "/stop", {})->status, 401);
  // The co-host stops with the cookie of their login.
  auto stopped = Post("/api/v1/recordings/" + rid + "/stop", Cookie());
  ASSERT_EQ(stopped->status, 200) << stopped->body;
  EXPECT_EQ(json::parse(stopped->body)["id"], rid);
  ASSERT_EQ(WaitStatus(*server_, rid, "ready", 8)["status"], "ready");
  const json transitions = Transitions(rid);
  EXPECT_EQ(transitions.front()["reason"], "started by user ann") << transitions.dump();
  bool stop_logged = false;
  for (const json& t : transitions)
    stop_logged |= t["reason"] == "stopped by user cohost@example.org";
  EXPECT_TRUE(stop_logged) << transitions.dump();

  // The co-host starts with the cookie, the host stops with her JWT.
  auto again = Post("/api/v1/sessions/bio/recordings", Cookie());
  ASSERT_EQ(again->status, 202) << again->body;
  const std::string rid2 = json::parse(again->body)["id"];
  EXPECT_EQ(Post("/api/v1/recordings/" + rid2 + "/stop", Jwt("ann"))->status, 200);

  // The latest role counts: a host demoted to attendee in the class no longer runs it.
  c->Post({{"type", "participant.join"},
           {"id", "h1"},
           {"name", "Ann"},
           {"role", "host"},
           {"user", "ann"}});
  c->Post({{"type", "participant.role"}, {"id", "h1"}, {"role", "attendee"}});
  EXPECT_EQ(Post("/api/v1/sessions/bio/recordings", Jwt("ann"))->status, 404);
  c->Post({{"type", "participant.role"}, {"id", "h1"}, {"role", "host"}});
  EXPECT_EQ(Post("/api/v1/sessions/bio/recordings", Jwt("ann"))->status, 202);
}

TEST_F(HostControl, ATicketStreamFollowsARecordingFromCountdownToReady) {
  auto c = Class("bio");
  Class("chem");
  // Tickets: hosts, co-hosts and the platform; nobody else.
  EXPECT_EQ(Post("/api/v1/sessions/bio/notifications/ticket", Jwt("cat"))->status, 404);
  EXPECT_EQ(Post("/api/v1/sessions/bio/notifications/ticket", {})->status, 401);
  EXPECT_EQ(Post("/api/v1/sessions/bio/notifications/ticket", server_->Auth())->status, 200);
  auto issued = Post("/api/v1/sessions/bio/notifications/ticket", Jwt("ann"));
  ASSERT_EQ(issued->status, 200) << issued->body;
  const json ticket = json::parse(issued->body);
  const std::string t = ticket["ticket"];
  EXPECT_EQ(ticket["url"], "/api/v1/sessions/bio/notifications?ticket=" + t);
  EXPECT_THAT(ticket["expires_at"].get<std::string>(), ::testing::MatchesRegex(kRfc3339));

  // Bad tickets: 401 saying what is wrong, so the element asks for a new one.
  auto unknown = Get("/api/v1/sessions/bio/notifications?ticket=not-a-ticket", {});
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(ErrorCode(unknown), "invalid_ticket");
  EXPECT_THAT(unknown->body, HasSubstr("unknown notification ticket"));
  auto elsewhere = Get("/api/v1/sessions/chem/notifications?ticket=" + t, {});
  EXPECT_EQ(elsewhere->status, 401);
  EXPECT_THAT(elsewhere->body, HasSubstr("another session"));
  // Without a ticket or credential: 401; an attendee's cookie-less JWT: 404.
  EXPECT_EQ(Get("/api/v1/sessions/bio/notifications", {})->status, 401);
  EXPECT_EQ(Get("/api/v1/sessions/bio/notifications", Jwt("cat"))->status, 404);

  NotificationStream by_ticket(*server_, ticket["url"].get<std::string>(), NoHeaders());
  NotificationStream by_cookie(*server_, "/api/v1/sessions/bio/notifications",
                               std::vector<std::string>{"Cookie: " + cookie_});
  c->StartHeartbeat();
  auto started = Post("/api/v1/sessions/bio/recordings", Jwt("ann"));
  ASSERT_EQ(started->status, 202);
  const std::string rid = json::parse(started->body)["id"];
  ASSERT_TRUE(by_ticket.WaitForType(rid, "recording.started", 8)) << by_ticket.Raw();
  Sleep(1);
  ASSERT_EQ(Post("/api/v1/recordings/" + rid + "/stop", Jwt("ann"))->status, 200);
  ASSERT_TRUE(by_ticket.WaitForType(rid, "recording.ready", 8)) << by_ticket.Raw();
  EXPECT_EQ(by_ticket.Types(rid),
            (std::vector<std::string>{"recording.initializing#1", "recording.started",
                                      "recording.stopped", "recording.ready"}));
  ASSERT_TRUE(by_cookie.WaitForType(rid, "recording.ready", 5)) << by_cookie.Raw();
  EXPECT_EQ(by_cookie.Types(rid), by_ticket.Types(rid));

  const std::vector<Note> notes = by_ticket.Notes();
  const json& init = notes.front().data;
  EXPECT_EQ(init["recording_id"], rid);
  EXPECT_EQ(init["room"], "main");
  EXPECT_EQ(init["title"], "Biology 101");
  EXPECT_EQ(init["attempt"], 1);
  EXPECT_EQ(init["max_attempts"], 5);
  EXPECT_EQ(init["countdown_s"], 3);
  EXPECT_THAT(init["deadline"].get<std::string>(), ::testing::MatchesRegex(kRfc3339));
  EXPECT_EQ(init["message"],
            "Recording of the main room is initializing: it should start within 3 s.");
  EXPECT_EQ(notes[1].data["message"], "Recording started in the main room.");
  EXPECT_THAT(notes[2].data["message"].get<std::string>(), HasSubstr("Recording stopped."));
  EXPECT_EQ(notes[3].data["message"],
            "The recording \"Biology 101\" is ready to watch in Recorded Sessions.");

  // An EventSource reconnecting with the same URL and ?last_event_id= gets what it missed.
  NotificationStream again(
      *server_, ticket["url"].get<std::string>() + "&last_event_id=" + notes[1].id, NoHeaders());
  ASSERT_TRUE(again.WaitForType(rid, "recording.ready", 5)) << again.Raw();
  EXPECT_EQ(again.Types(rid), (std::vector<std::string>{"recording.stopped", "recording.ready"}));
}

TEST_F(HostControl, FailedAttemptsSayWhatHappenedAndAHostGetsWhatIsAddressedToThem) {
  Settings({{"countdown_s", 2}, {"attempts", 2}, {"autostart", true}});
  auto c = Class("bio");
  auto faults = server_->Client().Put("/api/v1/sessions/bio/test-faults", server_->Auth(),
                                      R"({"recorder_unavailable": true})", "application/json");
  ASSERT_EQ(faults->status, 200) << faults->body;
  NotificationStream platform(*server_, "bio");
  auto issued = Post("/api/v1/sessions/bio/notifications/ticket", Jwt("ann"));
  ASSERT_EQ(issued->status, 200);
  NotificationStream ann(*server_, json::parse(issued->body)["url"].get<std::string>(),
                         NoHeaders());
  // Ann and the co-host join: the class starts, and its automatic recording with it.
  c->Post({{"type", "participant.join"},
           {"id", "h1"},
           {"name", "Ann"},
           {"role", "host"},
           {"user", "ann"}});
  c->Post({{"type", "participant.join"},
           {"id", "c1"},
           {"name", "Cora"},
           {"role", "cohost"},
           {"user", "cohost@example.org"}});
  ASSERT_TRUE(
      platform.WaitFor([](const Note& n) { return n.event == "recording.attempt_failed"; }, 6))
      << platform.Raw();
  const std::string rid = platform.Notes().front().data["recording_id"];
  // The second attempt: the recording says which, with its countdown.
  const json r = GetRecording(*server_, rid);
  EXPECT_EQ(r["status"], "initializing");
  EXPECT_EQ(r["attempt"], 2);
  EXPECT_EQ(r["max_attempts"], 2);
  EXPECT_GE(r["countdown_s"].get<int>(), 0);
  EXPECT_LE(r["countdown_s"].get<int>(), 2);
  EXPECT_TRUE(r["deadline"].is_string()) << r.dump();

  ASSERT_TRUE(ann.WaitFor([](const Note& n) { return n.event == "autostart.failed"; }, 8))
      << ann.Raw();
  Sleep(0.3);
  EXPECT_EQ(ann.Types(rid),
            (std::vector<std::string>{"recording.initializing#1", "recording.attempt_failed#1",
                                      "recording.initializing#2", "recording.attempt_failed#2",
                                      "recording.failed#2", "autostart.failed"}));
  for (const Note& n : ann.Notes()) {
    if (n.event == "recording.attempt_failed") {
      const int attempt = n.data["attempt"];
      EXPECT_EQ(n.data["max_attempts"], 2);
      EXPECT_EQ(n.data["message"], "Recording did not start within 2 s (attempt " +
                                       std::to_string(attempt) + " of 2)" +
                                       (attempt == 1 ? "; trying again." : "."));
      EXPECT_THAT(n.data["detail"].get<std::string>(), HasSubstr("recorder unavailable"));
    }
    if (n.event == "recording.initializing" && n.data["attempt"] == 2) {
      EXPECT_EQ(n.data["message"], "Trying again to start the recording (attempt 2 of 2).");
      EXPECT_EQ(n.data["countdown_s"], 2);
    }
    if (n.event == "recording.failed") {
      EXPECT_EQ(n.data["message"],
                "The recording of the main room could not be started after 2 attempts.");
    }
    if (n.event == "autostart.failed") {
      // Ann's own, not the co-host's (the platform's stream has both).
      EXPECT_EQ(n.data["recipient"], "h1");
      EXPECT_EQ(n.data["message"], "Automatic recording of the main room did not start. You can "
                                   "start it yourself with Record.");
    }
  }
  int platform_autostart = 0;
  for (const Note& n : platform.Notes())
    platform_autostart += n.event == "autostart.failed";
  EXPECT_EQ(platform_autostart, 2);
}

TEST_F(HostControl, APartsChaptersHaveItsSlideChangesAndAreServedToViewers) {
  auto c = Class("bio");
  const fs::path pdf = server_->data_dir().parent_path() / "deck.pdf";
  WriteColourPdf(pdf, {0xff0000, 0x00ff00, 0x0000ff});
  std::ifstream in(pdf, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto put = server_->Client().Put("/api/v1/sessions/bio/assets/deck.pdf", server_->Auth(), bytes,
                                   "application/pdf");
  ASSERT_TRUE(put->status == 201 || put->status == 200) << put->body;
  c->Post({{"type", "participant.join"},
           {"id", "h1"},
           {"name", "Ann"},
           {"role", "host"},
           {"user", "ann"}});
  c->Post({{"type", "participant.join"},
           {"id", "p1"},
           {"name", "Pam"},
           {"role", "presenter"},
           {"user", "pam"}});
  c->Post({{"type", "presentation.show"}, {"asset", "deck.pdf"}});
  c->StartHeartbeat();
  auto started = Post("/api/v1/sessions/bio/recordings", Jwt("ann"));
  ASSERT_EQ(started->status, 202);
  const std::string rid = json::parse(started->body)["id"];
  ASSERT_EQ(WaitStatus(*server_, rid, "recording", 8)["status"], "recording");
  Sleep(1);
  const double slide_t =
      c->Post({{"type", "presentation.show"}, {"asset", "deck.pdf"}, {"page", 2}});
  Sleep(0.5);
  const double board_t = c->Post({{"type", "noteboard.update"}, {"text", "Homework: page 12"}});
  Sleep(0.5);
  ASSERT_EQ(Post("/api/v1/recordings/" + rid + "/stop", Jwt("ann"))->status, 200);
  const json r = WaitStatus(*server_, rid, "ready", 8);
  ASSERT_EQ(r["status"], "ready") << r.dump();
  const double start_t = r["parts"][0]["start_t"];

  auto chapters = Get("/api/v1/recordings/" + rid + "/parts/1/chapters.vtt", Jwt("ann"));
  ASSERT_EQ(chapters->status, 200) << chapters->body;
  EXPECT_THAT(chapters->get_header_value("Content-Type"), HasSubstr("text/vtt"));
  const auto cues = VttCues(chapters->body);
  ASSERT_EQ(cues.size(), 3u) << chapters->body;
  EXPECT_EQ(cues[0], std::make_pair(0.0, std::string("Start")));
  EXPECT_EQ(cues[1].second, "Slide 2 · deck.pdf");
  EXPECT_NEAR(cues[1].first, slide_t - start_t, 0.2) << chapters->body;
  EXPECT_EQ(cues[2].second, "Noteboard");
  EXPECT_NEAR(cues[2].first, board_t - start_t, 0.2);

  // Whoever may watch gets them; a stranger does not, and there is no part 2.
  EXPECT_EQ(Get("/api/v1/recordings/" + rid + "/parts/1/chapters.vtt", Jwt("stranger"))->status,
            404);
  EXPECT_EQ(Get("/api/v1/recordings/" + rid + "/parts/2/chapters.vtt", Jwt("ann"))->status, 404);
  // Through a watch URL, the same file.
  auto watch = Post("/api/v1/recordings/" + rid + "/parts/1/watch", Jwt("ann"));
  ASSERT_EQ(watch->status, 201) << watch->body;
  const json w = json::parse(watch->body);
  const std::string url = w["chapters_url"];
  EXPECT_EQ(url, w["url"].get<std::string>() + "/chapters.vtt");
  auto by_token = server_->Client().Get(url.substr(url.find("/watch/")));
  ASSERT_EQ(by_token->status, 200) << by_token->body;
  EXPECT_EQ(by_token->body, chapters->body);
  auto bad_token =
      server_->Client().Get("/watch/not-a-real-token-at-all-0123456789abcdef/chapters.vtt");
  EXPECT_EQ(bad_token->status, 404);
}

} // namespace
} // namespace ssr::test
