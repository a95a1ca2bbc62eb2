// The recordings list as a UI pages and searches it, through the real `ssr serve`: limit,
// offset and q with a total, 400 naming a bad parameter; each item's `actions` (what the
// caller may do now, from the access policy and the recording's state) and `release_at`;
// and downloads named after the title (RFC 6266, with an ASCII fallback).

#include "control_fixture.h"

#include "../support/test_jwt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ssr::test {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

const std::string kJwtSecret = "scenario-jwt-secret-0123456789abcdef";

class RecordingsList : public ::testing::Test {
 protected:
  void SetUp() override {
    auto env = ControlEnv();
    env["SSR_JWT_SECRET"] = kJwtSecret;
    server_ = std::make_unique<ServeProcess>(env);
    ASSERT_EQ(PutSettings(*server_, {{"countdown_s", 1}, {"max_part_duration_s", 0}})->status, 200);
  }
  void TearDown() override {
    if (HasFailure() && server_)
      std::cerr << "--- server log ---\n" << server_->Log();
  }
  httplib::Headers Jwt(const std::string& user) {
    return server_->Auth(UserJwt(kJwtSecret, user, user + "@example.org"));
  }
  httplib::Result Get(const std::string& path, const httplib::Headers& who) {
    return server_->Client().Get(path, who);
  }
  // A ready recording of `c` titled `title`.
  std::string Record(Classroom& c, const std::string& title) {
    const std::string rid = c.Start({{"name", title}})["id"];
    EXPECT_EQ(WaitStatus(*server_, rid, "recording", 8)["status"], "recording");
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    EXPECT_EQ(StopRecording(*server_, rid)->status, 200);
    EXPECT_EQ(WaitStatus(*server_, rid, "ready", 10)["status"], "ready");
    return rid;
  }
  json List(const std::string& query, const httplib::Headers& who) {
    auto res = Get("/api/v1/recordings" + query, who);
    EXPECT_TRUE(res && res->status == 200) << query << ": " << (res ? res->body : "no answer");
    return res && res->status == 200 ? json::parse(res->body) : json();
  }
  std::vector<std::string> Titles(const json& list) {
    std::vector<std::string> titles;
    for (const json& r : list["recordings"])
      titles.push_back(r["title"]);
    return titles;
  }

  std::unique_ptr<ServeProcess> server_;
};

TEST_F(RecordingsList, PagesAndSearchesNewestFirstWithATotal) {
  Classroom c(*server_, "bio", "Biology",
              {{"invitees", json::array({{{"user", "hana"}, {"role", "host"}}})}});
  c.StartHeartbeat();
  Record(c, "Photosynthesis 101");
  Record(c, "Algebra");
  Record(c, "photosynthesis lab");
  using Titles_ = std::vector<std::string>;

  const json all = List("", Jwt("hana"));
  EXPECT_EQ(Titles(all), (Titles_{"photosynthesis lab", "Algebra", "Photosynthesis 101"}));
  EXPECT_EQ(all["total"], 3);
  EXPECT_EQ(all["limit"], 50);
  EXPECT_EQ(all["offset"], 0);

  const json first = List("?limit=2", Jwt("hana"));
  EXPECT_EQ(Titles(first), (Titles_{"photosynthesis lab", "Algebra"}));
  EXPECT_EQ(first["total"], 3);
  EXPECT_EQ(first["limit"], 2);
  const json second = List("?limit=2&offset=2", Jwt("hana"));
  EXPECT_EQ(Titles(second), (Titles_{"Photosynthesis 101"}));
  EXPECT_EQ(second["offset"], 2);
  EXPECT_EQ(Titles(List("?offset=10", Jwt("hana"))), Titles_{});
  EXPECT_EQ(List("?offset=10", Jwt("hana"))["total"], 3);

  // q: case-insensitive, percent-encoded or with '+' for spaces; the total counts matches.
  const json photo = List("?q=PHOTO", Jwt("hana"));
  EXPECT_EQ(Titles(photo), (Titles_{"photosynthesis lab", "Photosynthesis 101"}));
  EXPECT_EQ(photo["total"], 2);
  EXPECT_EQ(Titles(List("?q=synthesis%20101", Jwt("hana"))), Titles_{"Photosynthesis 101"});
  // '+' for a space, as a form sends it (raw: the HTTP client would encode the '+').
  const std::string plus = RawExchange(
      server_->port(), "GET /api/v1/recordings?q=synthesis+LAB&limit=1 HTTP/1.1\r\nHost: x\r\n"
                       "Authorization: Bearer " +
                           std::string(kApiKey) + "\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(plus, HasSubstr("\"title\":\"photosynthesis lab\""));
  EXPECT_THAT(plus, HasSubstr("\"total\":1"));
  EXPECT_EQ(List("?q=chemistry", Jwt("hana"))["total"], 0);
  EXPECT_EQ(Titles(List("?q=photo&session_id=bio&limit=1&offset=1", server_->Auth())),
            Titles_{"Photosynthesis 101"});
  EXPECT_EQ(List("", Jwt("stranger"))["total"], 0);

  // Bad parameters: 400 naming them.
  for (const auto& [query, field] :
       std::vector<std::pair<std::string, std::string>>{{"?limit=0", "limit"},
                                                        {"?limit=201", "limit"},
                                                        {"?limit=abc", "limit"},
                                                        {"?limit=-1", "limit"},
                                                        {"?limit=1.5", "limit"},
                                                        {"?limit=2x", "limit"},
                                                        {"?offset=-1", "offset"},
                                                        {"?offset=x", "offset"},
                                                        {"?offset=99999999999", "offset"},
                                                        {"?q=%zz", "q"},
                                                        {"?q=" + std::string(201, 'a'), "q"},
                                                        {"?session_id=..", "session_id"}}) {
    auto res = Get("/api/v1/recordings" + query, Jwt("hana"));
    ASSERT_TRUE(res) << query;
    EXPECT_EQ(res->status, 400) << query;
    const json error = json::parse(res->body)["error"];
    EXPECT_EQ(error["field"], field) << query;
    EXPECT_THAT(error["message"].get<std::string>(), HasSubstr("'" + field + "'")) << query;
  }
}

TEST_F(RecordingsList, EachItemSaysWhatTheCallerMayDoAndWhenItIsReleased) {
  Classroom c(*server_, "chem", "Chemistry",
              {{"invitees", json::array({{{"user", "hana"}, {"role", "host"}},
                                         {{"user", "carl"}, {"role", "cohost"}},
                                         {{"user", "ann"}, {"role", "attendee"}}})}});
  c.StartHeartbeat();
  const std::string rid = Record(c, "Acids");
  const std::string path = "/api/v1/recordings/" + rid;
  const json everything = json::array({"watch", "download", "rename", "delete", "share"});
  for (const auto& who : {Jwt("hana"), Jwt("carl"), server_->Auth()}) {
    const json item = List("", who)["recordings"][0];
    EXPECT_EQ(item["actions"], everything);
    EXPECT_TRUE(item["release_at"].is_null());
    EXPECT_EQ(item["parts"][0]["status"], "ready");
    auto one = Get(path, who);
    ASSERT_EQ(one->status, 200);
    EXPECT_EQ(json::parse(one->body)["actions"], everything);
    EXPECT_TRUE(json::parse(one->body).contains("release_at"));
  }
  EXPECT_EQ(List("", Jwt("ann"))["total"], 0); // not shared yet

  // Shared with attendees for streaming: ann may watch, nothing more.
  json sharing = {{"stream_by", {"attendees"}},
                  {"download_by", json::array()},
                  {"grants", json::array()},
                  {"release_at", nullptr},
                  {"release_timezone", "UTC"}};
  auto put = [&](const json& body) {
    httplib::Headers headers = Jwt("hana");
    headers.emplace("If-Match", "*");
    auto res = server_->Client().Put(path + "/sharing", headers, body.dump(), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  };
  put(sharing);
  const json anns = List("", Jwt("ann"))["recordings"][0];
  EXPECT_EQ(anns["actions"], json::array({"watch"}));
  EXPECT_EQ(json::parse(Get(path, Jwt("ann"))->body)["actions"], json::array({"watch"}));
  sharing["download_by"] = {"attendees"};
  put(sharing);
  EXPECT_EQ(List("", Jwt("ann"))["recordings"][0]["actions"], json::array({"watch", "download"}));

  // A release in the future: hosts see when; the attendee sees nothing until then.
  sharing["release_at"] = "2099-01-02T09:00:00";
  put(sharing);
  const json hanas = List("", Jwt("hana"))["recordings"][0];
  EXPECT_EQ(hanas["release_at"], "2099-01-02T09:00:00.000Z");
  EXPECT_EQ(hanas["actions"], everything);
  EXPECT_EQ(List("", Jwt("ann"))["total"], 0);

  // While recording, nothing to watch or download yet, and it cannot be deleted.
  const std::string live = c.Start({{"name", "Bases"}})["id"];
  ASSERT_EQ(WaitStatus(*server_, live, "recording", 8)["status"], "recording");
  const json recording = json::parse(Get("/api/v1/recordings/" + live, Jwt("hana"))->body);
  EXPECT_EQ(recording["actions"], json::array({"rename", "share"}));
  EXPECT_EQ(StopRecording(*server_, live)->status, 200);
}

TEST_F(RecordingsList, DownloadsAreNamedAfterTheTitle) {
  Classroom c(*server_, "names", "Names",
              {{"invitees", json::array({{{"user", "hana"}, {"role", "host"}}})}});
  c.StartHeartbeat();
  const std::string plain = Record(c, "Photosynthesis 101");
  const std::string odd = Record(c, "Bio/Chem: \"Zellen\" \xE2\x80\x93 Teil \xC3\xBC");
  // Read raw: the HTTP client would percent-decode header values.
  auto download = [&](const std::string& rid) {
    const std::string raw =
        RawExchange(server_->port(), "GET /api/v1/recordings/" + rid +
                                         "/parts/1/download HTTP/1.1\r\n"
                                         "Host: x\r\nAuthorization: Bearer " +
                                         std::string(kApiKey) + "\r\nConnection: close\r\n\r\n");
    EXPECT_THAT(raw, ::testing::StartsWith("HTTP/1.1 200"));
    const std::string name = "Content-Disposition: ";
    const size_t at = raw.find(name);
    if (at == std::string::npos)
      return std::string();
    const size_t begin = at + name.size();
    return raw.substr(begin, raw.find("\r\n", begin) - begin);
  };
  EXPECT_EQ(download(plain), "attachment; filename=\"Photosynthesis 101 - part 1.webm\"; "
                             "filename*=UTF-8''Photosynthesis%20101%20-%20part%201.webm");
  EXPECT_EQ(
      download(odd),
      "attachment; filename=\"Bio_Chem_ _Zellen_ _ Teil _ - part 1.webm\"; "
      "filename*=UTF-8''Bio_Chem_%20_Zellen_%20%E2%80%93%20Teil%20%C3%BC%20-%20part%201.webm");
  // The viewer report's CSV too.
  auto csv = Get("/api/v1/recordings/" + plain + "/viewers?format=csv", Jwt("hana"));
  ASSERT_TRUE(csv);
  EXPECT_THAT(csv->get_header_value("Content-Disposition"),
              HasSubstr("filename=\"Photosynthesis 101 - viewers.csv\""));
}

} // namespace
} // namespace ssr::test
