// What the data directory keeps, through the real `ssr serve` (docs/security.md, "Data:
// deletion, retention, permissions"): deleting a recording leaves no row and no file about
// it (review finding M4) while another recording keeps all of its own; expired watch URLs
// and delivered webhook rows are purged after their retention (M3); the database, stored
// parts and events.jsonl are owner-only whatever the umask (L9).

#include "control_fixture.h"

#include "../support/test_database.h"
#include "../support/test_jwt.h"
#include "store/database.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kJwtSecret = "scenario-jwt-secret-0123456789abcdef";
const std::string kWebhookSecret = "lifecycle-webhook-secret";

void Sleep(double s) {
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(s * 1000)));
}

// Every row of every table of `db`'s database, as "table: col1|col2|..." (the server may keep
// writing).
std::vector<std::string> AllRows(const fs::path& db) {
  std::vector<std::string> rows;
  store::Database database(TestDatabase(db));
  for (const std::string& table : TestDatabaseTables(db)) {
    store::Statement select(database, "SELECT * FROM \"" + table + "\"");
    while (select.Step()) {
      std::string row = table + ":";
      for (int i = 0; i < select.Columns(); ++i) {
        row += select.IsNull(i) ? "NULL" : select.Text(i);
        row += '|';
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

// The rows that mention any of `needles`, and the set of their tables.
std::vector<std::string> RowsMentioning(const std::vector<std::string>& rows,
                                        const std::vector<std::string>& needles) {
  std::vector<std::string> found;
  for (const std::string& row : rows) {
    for (const std::string& needle : needles) {
      if (row.find(needle) != std::string::npos) {
        found.push_back(row);
        break;
      }
    }
  }
  return found;
}

std::set<std::string> TablesOf(const std::vector<std::string>& rows) {
  std::set<std::string> tables;
  for (const std::string& row : rows)
    tables.insert(row.substr(0, row.find(':')));
  return tables;
}

// The hashes of the watch tokens of `rid`: watch_served and watch_progress name only them.
std::vector<std::string> TokenHashesOf(const fs::path& db, const std::string& rid) {
  std::vector<std::string> hashes;
  for (const std::string& row : AllRows(db)) {
    if (row.rfind("watch_tokens:", 0) == 0 && row.find("|" + rid + "|") != std::string::npos) {
      const size_t start = row.find(':') + 1;
      hashes.push_back(row.substr(start, row.find('|') - start));
    }
  }
  return hashes;
}

// Files under `dir` whose path (relative to it) contains `needle`.
std::vector<std::string> FilesNaming(const fs::path& dir, const std::string& needle) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string relative = fs::relative(entry.path(), dir).string();
    if (relative.find(needle) != std::string::npos)
      found.push_back(relative);
  }
  return found;
}

// A webhook receiver that answers 200 to every POST.
class AcceptingReceiver {
 public:
  AcceptingReceiver() {
    server_.Post("/hook", [this](const httplib::Request&, httplib::Response& res) {
      ++received_;
      res.status = 200;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~AcceptingReceiver() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  int received() const { return received_; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> received_{0};
};

class DataLifecycle : public ::testing::Test {
 protected:
  void Start(std::map<std::string, std::string> extra = {}) {
    auto env = ControlEnv();
    env["SSR_JWT_SECRET"] = kJwtSecret;
    for (auto& [k, v] : extra)
      env[k] = v;
    server_ = std::make_unique<ServeProcess>(env);
    ASSERT_EQ(PutSettings(*server_, {{"countdown_s", 1}, {"max_part_duration_s", 0}})->status, 200);
  }
  void TearDown() override {
    if (HasFailure() && server_)
      std::cerr << "--- server log ---\n" << server_->Log();
  }
  // A recording of about two seconds hosted by "hana": its id once ready.
  std::string Record(const std::string& sid) {
    Classroom c(*server_, sid, "Class " + sid,
                {{"invitees", json::array({{{"user", "hana"}, {"role", "host"}}})}});
    c.StartHeartbeat();
    c.Join("h1", "host");
    const std::string rid = c.Start()["id"];
    EXPECT_EQ(WaitStatus(*server_, rid, "recording", 8)["status"], "recording");
    Sleep(0.8);
    c.Post({{"type", "chat.message"}, {"from", "h1"}, {"text", "hello"}});
    Sleep(1.2);
    EXPECT_EQ(StopRecording(*server_, rid)->status, 200);
    EXPECT_EQ(WaitStatus(*server_, rid, "ready", 10)["status"], "ready");
    return rid;
  }
  httplib::Headers Jwt(const std::string& user) {
    return server_->Auth(UserJwt(kJwtSecret, user, user + "@example.org"));
  }
  httplib::Result Post(const std::string& path, const httplib::Headers& who, const json& body) {
    return server_->Client().Post(path, who, body.dump(), "application/json");
  }
  // Everything that leaves rows about `rid`: sharing saved, a share link, a view by e-mail
  // with a watched range, a logged-in user's watch URL with a watched range.
  void UseEveryWay(const std::string& rid) {
    const std::string path = "/api/v1/recordings/" + rid;
    auto sharing = server_->Client().Get(path + "/sharing", Jwt("hana"));
    ASSERT_EQ(sharing->status, 200) << sharing->body;
    httplib::Headers if_match = Jwt("hana");
    if_match.emplace("If-Match", sharing->get_header_value("ETag"));
    const json settings = {
        {"stream_by", json::array({"attendees"})},
        {"download_by", json::array()},
        {"grants", json::array({{{"user", "zoe"}, {"stream", true}, {"download", false}}})},
        {"release_at", nullptr},
        {"release_timezone", "UTC"}};
    auto saved =
        server_->Client().Put(path + "/sharing", if_match, settings.dump(), "application/json");
    ASSERT_EQ(saved->status, 200) << saved->body;
    auto link = Post(path + "/links", Jwt("hana"), json::object());
    ASSERT_EQ(link->status, 201) << link->body;
    const std::string page = json::parse(link->body)["url"];
    auto view = Post(page + "/views", {}, {{"email", "viewer@example.org"}});
    ASSERT_EQ(view->status, 201) << view->body;
    const std::string shared_url = json::parse(view->body)["watch"][0]["url"];
    EXPECT_EQ(server_->Client().Get(shared_url, {{"Range", "bytes=0-99"}})->status, 206);
    auto own = Post(path + "/parts/1/watch", Jwt("hana"), json::object());
    ASSERT_EQ(own->status, 201) << own->body;
    const std::string own_url = json::parse(own->body)["url"];
    EXPECT_EQ(server_->Client().Get(own_url, {{"Range", "bytes=0-9"}})->status, 206);
    // The server records a served range once the response has gone: wait for both rows, so
    // that the test's listings see everything.
    const fs::path db = server_->data_dir() / "ssr.db";
    const std::string served = "SELECT COUNT(*) FROM watch_served WHERE token_hash IN "
                               "(SELECT token_hash FROM watch_tokens WHERE recording_id = ?)";
    for (int i = 0; i < 100 && CountRows(db, served, rid) < 2; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(CountRows(db, served, rid), 2);
  }

  std::unique_ptr<ServeProcess> server_;
};

TEST_F(DataLifecycle, DeletingARecordingLeavesNoRowAndNoFileAboutIt) {
  // Webhook rows stay pending: nothing listens on the port.
  Start();
  ASSERT_EQ(PutSettings(*server_, {{"webhook_url", "http://127.0.0.1:9/hook"},
                                   {"webhook_secret", kWebhookSecret}})
                ->status,
            200);
  const std::string doomed = Record("doomed");
  const std::string kept = Record("kept");
  UseEveryWay(doomed);
  UseEveryWay(kept);
  const fs::path db = server_->data_dir() / "ssr.db";
  const fs::path data = server_->data_dir();

  auto mentions = [&](const std::string& rid, const std::vector<std::string>& hashes) {
    std::vector<std::string> needles = hashes;
    needles.push_back(rid);
    return RowsMentioning(AllRows(db), needles);
  };
  const std::vector<std::string> doomed_hashes = TokenHashesOf(db, doomed);
  const std::vector<std::string> kept_hashes = TokenHashesOf(db, kept);
  ASSERT_EQ(doomed_hashes.size(), 2u); // the viewer's and hana's
  const std::set<std::string> expected_tables = {
      "recordings",       "recording_parts", "recording_transitions", "recording_sharing",
      "recording_grants", "share_links",     "share_views",           "watch_tokens",
      "watch_served",     "user_views",      "webhook_outbox"};
  const std::vector<std::string> before = mentions(doomed, doomed_hashes);
  EXPECT_EQ(TablesOf(before), expected_tables) << "the test no longer makes every kind of row";
  const std::vector<std::string> kept_rows = mentions(kept, kept_hashes);
  EXPECT_EQ(TablesOf(mentions(kept, kept_hashes)), expected_tables);
  ASSERT_FALSE(FilesNaming(data, doomed).empty()) << "no stored part named after the recording";
  const size_t kept_files = FilesNaming(data, kept).size();

  auto deleted = server_->Client().Delete("/api/v1/recordings/" + doomed, Jwt("hana"));
  ASSERT_EQ(deleted->status, 204) << deleted->body;

  const std::vector<std::string> left = mentions(doomed, doomed_hashes);
  std::string listing;
  for (const std::string& row : left)
    listing += row + "\n";
  EXPECT_TRUE(left.empty()) << "rows left about the deleted recording:\n" << listing;
  const std::vector<std::string> files_left = FilesNaming(data, doomed);
  EXPECT_TRUE(files_left.empty()) << "left: " << files_left.front();
  // The other recording keeps everything.
  // Rows compared by their first two columns: pending webhooks keep counting their attempts.
  auto identity = [](const std::vector<std::string>& rows) {
    std::vector<std::string> keys;
    for (const std::string& row : rows)
      keys.push_back(row.substr(0, row.find('|', row.find('|') + 1)));
    return keys;
  };
  const std::vector<std::string> kept_before = identity(kept_rows);
  const std::vector<std::string> kept_after = identity(mentions(kept, kept_hashes));
  std::string changed;
  for (const std::string& row : kept_before)
    if (std::find(kept_after.begin(), kept_after.end(), row) == kept_after.end())
      changed += "- " + row + "\n";
  for (const std::string& row : kept_after)
    if (std::find(kept_before.begin(), kept_before.end(), row) == kept_before.end())
      changed += "+ " + row + "\n";
  EXPECT_TRUE(changed.empty()) << "rows of the kept recording gone or added:\n" << changed;
  EXPECT_EQ(FilesNaming(data, kept).size(), kept_files);
  EXPECT_EQ(GetRecording(*server_, kept)["status"], "ready");
  // The session's raw tracks and events stay: they belong to the session, which other
  // recordings share (docs/security.md).
  EXPECT_TRUE(fs::exists(server_->SessionDir("doomed") / "events.jsonl"));
  EXPECT_EQ(server_->Client().Get("/api/v1/recordings/" + doomed, Jwt("hana"))->status, 404);
}

TEST_F(DataLifecycle, ExpiredWatchUrlsAndDeliveredWebhooksArePurged) {
  AcceptingReceiver receiver;
  Start({{"SSR_WATCH_URL_TTL_S", "2"},
         {"SSR_WATCH_TOKEN_RETENTION_S", "0"},
         {"SSR_WEBHOOK_RETENTION_S", "0"},
         {"SSR_PURGE_INTERVAL_S", "1"}});
  ASSERT_EQ(
      PutSettings(*server_,
                  {{"webhook_url", "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook"},
                   {"webhook_secret", kWebhookSecret}})
          ->status,
      200);
  const std::string rid = Record("purged");
  UseEveryWay(rid);
  const fs::path db = server_->data_dir() / "ssr.db";
  const std::string count = "SELECT COUNT(*) FROM watch_tokens WHERE recording_id = ?";
  EXPECT_EQ(CountRows(db, count, rid), 2) << "fresh watch URLs are kept";
  EXPECT_GT(CountRows(db, "SELECT COUNT(*) FROM watch_served WHERE token_hash <> ?", ""), 0);
  EXPECT_GT(receiver.received(), 0);

  // Within the 2 s lifetime, a second of purge interval and the 100 ms ticks: 5 s at most.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  while (std::chrono::steady_clock::now() < deadline &&
         (CountRows(db, count, rid) != 0 ||
          CountRows(db, "SELECT COUNT(*) FROM webhook_outbox WHERE delivered = 1 AND url <> ?",
                    "") != 0)) {
    Sleep(0.2);
  }
  EXPECT_EQ(CountRows(db, count, rid), 0);
  EXPECT_EQ(CountRows(db, "SELECT COUNT(*) FROM watch_served WHERE token_hash <> ?", ""), 0);
  EXPECT_EQ(
      CountRows(db, "SELECT COUNT(*) FROM webhook_outbox WHERE delivered = 1 AND url <> ?", ""), 0);
  // Who opened the recording stays in the viewer report.
  auto report = server_->Client().Get("/api/v1/recordings/" + rid + "/viewers", Jwt("hana"));
  ASSERT_EQ(report->status, 200) << report->body;
  EXPECT_EQ(json::parse(report->body)["viewers"].size(), 2u) << report->body;
  EXPECT_NE(server_->Log().find("retention: deleted"), std::string::npos);
}

TEST_F(DataLifecycle, DeletingASessionWithItsRecordingsLeavesNoRowAndNoFileAboutIt) {
  Start();
  ASSERT_EQ(PutSettings(*server_, {{"webhook_url", "http://127.0.0.1:9/hook"},
                                   {"webhook_secret", kWebhookSecret}})
                ->status,
            200);
  const std::string sid = "doomed-class";
  const std::string doomed = Record(sid);
  const std::string other = Record("other-class");
  UseEveryWay(doomed);
  UseEveryWay(other);
  auto forward =
      server_->Client().Post("/api/v1/sessions/" + sid + "/tracks/cam-h1/rtp", server_->Auth(),
                             json{{"sdp", kRtpVideoSdp}}.dump(), "application/json");
  ASSERT_EQ(forward->status, 201) << forward->body;
  EXPECT_EQ(MetricValue(*server_, "ssr_ingest_active"), 1);
  auto publisher = server_->Client().Post(
      "/api/v1/sessions/" + sid + "/publishers", server_->Auth(),
      json{{"participant", "h1"}, {"tracks", {"cam-h1"}}}.dump(), "application/json");
  ASSERT_EQ(publisher->status, 201) << publisher->body;
  auto joined = server_->PostEvents(sid, {{"t", 100},
                                          {"type", "participant.join"},
                                          {"id", "p-ann"},
                                          {"name", "Ann"},
                                          {"role", "attendee"},
                                          {"user", "ann"}});
  ASSERT_EQ(joined->status, 202) << joined->body;
  const fs::path db = server_->data_dir() / "ssr.db";
  const fs::path data = server_->data_dir();
  std::vector<std::string> needles = TokenHashesOf(db, doomed);
  needles.push_back(doomed);
  needles.push_back(sid);
  const std::set<std::string> before = TablesOf(RowsMentioning(AllRows(db), needles));
  for (const char* table :
       {"sessions", "session_roles", "session_members", "session_participants",
        "session_roles_indexed", "recordings", "share_links", "watch_tokens", "publisher_tokens"})
    EXPECT_EQ(before.count(table), 1u) << "the test no longer makes rows of " << table;
  ASSERT_FALSE(FilesNaming(data, sid).empty());
  const size_t other_rows = RowsMentioning(AllRows(db), {other, "other-class"}).size();
  const size_t other_files =
      FilesNaming(data, "other-class").size() + FilesNaming(data, other).size();

  auto deleted =
      server_->Client().Delete("/api/v1/sessions/" + sid + "?recordings=delete", server_->Auth());
  ASSERT_EQ(deleted->status, 200) << deleted->body;
  const json answer = json::parse(deleted->body);
  EXPECT_EQ(answer["recordings"], "deleted");
  EXPECT_EQ(answer["recordings_deleted"], json::array({doomed}));
  EXPECT_EQ(answer["recordings_kept"], json::array());

  std::string listing;
  for (const std::string& row : RowsMentioning(AllRows(db), needles))
    listing += row + "\n";
  EXPECT_TRUE(listing.empty()) << "rows left about the deleted session:\n" << listing;
  std::vector<std::string> files = FilesNaming(data, sid);
  for (const std::string& file : FilesNaming(data, doomed))
    files.push_back(file);
  EXPECT_TRUE(files.empty()) << "left: " << files.front();
  EXPECT_EQ(MetricValue(*server_, "ssr_ingest_active"), 0)
      << "the session's RTP forward is still open";
  EXPECT_EQ(server_->Client().Get("/api/v1/sessions/" + sid, server_->Auth())->status, 404);
  EXPECT_EQ(server_
                ->PostEvents(
                    sid, {{"t", 1}, {"type", "chat.message"}, {"from", "h1"}, {"text", "anyone?"}})
                ->status,
            404);
  EXPECT_EQ(server_->Client().Delete("/api/v1/sessions/" + sid, server_->Auth())->status, 404);
  // The other session keeps everything.
  EXPECT_EQ(RowsMentioning(AllRows(db), {other, "other-class"}).size(), other_rows);
  EXPECT_EQ(FilesNaming(data, "other-class").size() + FilesNaming(data, other).size(), other_files);
  EXPECT_EQ(GetRecording(*server_, other)["status"], "ready");
  // Nothing of it is left to haunt a new session of the same id.
  const std::string again = Record(sid);
  EXPECT_NE(again, doomed);
  auto mine = server_->Client().Get("/api/v1/recordings?session_id=" + sid, Jwt("hana"));
  ASSERT_EQ(mine->status, 200) << mine->body;
  EXPECT_EQ(json::parse(mine->body)["recordings"].size(), 1u) << mine->body;
}

TEST_F(DataLifecycle, ADeletedSessionsKeptRecordingsStayWatchable) {
  Start();
  const std::string sid = "kept-class";
  const std::string rid = Record(sid);
  auto deleted = server_->Client().Delete("/api/v1/sessions/" + sid, server_->Auth());
  ASSERT_EQ(deleted->status, 200) << deleted->body;
  const json answer = json::parse(deleted->body);
  EXPECT_EQ(answer["recordings"], "kept");
  EXPECT_EQ(answer["recordings_kept"], json::array({rid}));
  EXPECT_FALSE(fs::exists(server_->SessionDir(sid)));
  const fs::path db = server_->data_dir() / "ssr.db";
  EXPECT_EQ(CountRows(db, "SELECT COUNT(*) FROM sessions WHERE id = ?", sid), 0);
  EXPECT_EQ(server_->Client().Get("/api/v1/sessions/" + sid, server_->Auth())->status, 404);

  // Its host still finds, watches and downloads it.
  auto recording = server_->Client().Get("/api/v1/recordings/" + rid, Jwt("hana"));
  ASSERT_EQ(recording->status, 200) << recording->body;
  EXPECT_EQ(json::parse(recording->body)["status"], "ready");
  auto download =
      server_->Client().Get("/api/v1/recordings/" + rid + "/parts/1/download", Jwt("hana"));
  ASSERT_EQ(download->status, 200);
  EXPECT_GT(download->body.size(), 1000u);
  auto watch = Post("/api/v1/recordings/" + rid + "/parts/1/watch", Jwt("hana"), json::object());
  EXPECT_EQ(watch->status, 201) << watch->body;
  // A stranger does not.
  EXPECT_EQ(server_->Client().Get("/api/v1/recordings/" + rid, Jwt("mallory"))->status, 404);
  // Its id stays taken: a new session of that id would inherit who may see the recording.
  auto reuse = server_->CreateSession({{"id", sid}, {"title", "Someone else's class"}});
  ASSERT_EQ(reuse->status, 409) << reuse->body;
  EXPECT_NE(reuse->body.find("deleted session whose recordings were kept"), std::string::npos)
      << reuse->body;
}

TEST_F(DataLifecycle, ASessionIsNotDeletedWhileItRecordsAndBadDeletesAreRefused) {
  Start();
  Classroom c(*server_, "busy-class", "Busy class",
              {{"invitees", json::array({{{"user", "hana"}, {"role", "host"}}})}});
  c.StartHeartbeat();
  c.Join("h1", "host");
  const std::string rid = c.Start()["id"];
  ASSERT_EQ(WaitStatus(*server_, rid, "recording", 8)["status"], "recording");

  auto busy =
      server_->Client().Delete("/api/v1/sessions/busy-class?recordings=delete", server_->Auth());
  ASSERT_EQ(busy->status, 409) << busy->body;
  const json error = json::parse(busy->body)["error"];
  EXPECT_EQ(error["code"], "recording_in_progress");
  EXPECT_NE(error["message"].get<std::string>().find("recording '" + rid + "'"), std::string::npos)
      << busy->body;
  EXPECT_TRUE(fs::exists(server_->SessionDir("busy-class") / "events.jsonl"));
  EXPECT_EQ(GetRecording(*server_, rid)["status"], "recording");

  auto bad =
      server_->Client().Delete("/api/v1/sessions/busy-class?recordings=purge", server_->Auth());
  ASSERT_EQ(bad->status, 400) << bad->body;
  EXPECT_EQ(json::parse(bad->body)["error"]["field"], "recordings");
  EXPECT_EQ(server_->Client().Delete("/api/v1/sessions/no-such-class", server_->Auth())->status,
            404);
  // Only the platform deletes sessions, not even their host.
  auto host = server_->Client().Delete("/api/v1/sessions/busy-class", Jwt("hana"));
  EXPECT_EQ(host->status, 403) << host->body;
  EXPECT_EQ(server_->Client().Delete("/api/v1/sessions/busy-class")->status, 401);

  ASSERT_EQ(StopRecording(*server_, rid)->status, 200);
  ASSERT_EQ(WaitStatus(*server_, rid, "ready", 10)["status"], "ready");
  c.StopHeartbeat();
  auto done =
      server_->Client().Delete("/api/v1/sessions/busy-class?recordings=delete", server_->Auth());
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_EQ(server_->Client().Get("/api/v1/recordings/" + rid, server_->Auth())->status, 404);
}

TEST_F(DataLifecycle, TheDataDirectorysFilesAreOwnerOnly) {
  const mode_t old_mask = umask(022); // the usual default: files 0644 without the fix
  Start();
  umask(old_mask);
  const std::string rid = Record("private");
  const fs::path data = server_->data_dir();
  // On PostgreSQL the database is the server's, not a file here.
  ASSERT_EQ(fs::exists(data / "ssr.db"), !TestOnPostgres());
  ASSERT_TRUE(fs::exists(server_->SessionDir("private") / "events.jsonl"));
  ASSERT_FALSE(FilesNaming(data, rid + "/part-1.webm").empty());
  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(data)) {
    struct stat st {};
    ASSERT_EQ(::stat(entry.path().c_str(), &st), 0) << entry.path();
    EXPECT_EQ(st.st_mode & 077, 0u) << entry.path() << " is " << std::oct << (st.st_mode & 0777);
    ++checked;
  }
  EXPECT_GT(checked, 3);
}

} // namespace
} // namespace ssr::test
