#include "notify/webhook_sender.h"

#include "../../support/temp_dir.h"
#include "../../support/test_database.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace ssr::notify {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A port nobody listens on (an httplib::Server that never listened keeps its socket open).
int UnusedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("no free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

// A receiver that checks the signature the way a customer would.
bool SignatureValid(const std::string& header, const std::string& secret, const std::string& body) {
  const auto comma = header.find(',');
  if (header.rfind("t=", 0) != 0 || comma == std::string::npos ||
      header.compare(comma + 1, 3, "v1=") != 0) {
    return false;
  }
  const std::string t = header.substr(2, comma - 2);
  return header.substr(comma + 4) == WebhookSender::HmacSha256Hex(secret, t + "." + body);
}

TEST(WebhookSender, HmacMatchesRfc4231AndTheSignatureFormat) {
  EXPECT_EQ(WebhookSender::HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(WebhookSender::Signature("whsec_test", 1700000000, R"({"id":"n1"})"),
            "t=1700000000,v1=177d5152af96b8954bde97dff8530d28a679f8f60c5bdd46d77cf9e28de6b46e");
}

TEST(WebhookSender, BackoffDoublesUpToTheMax) {
  const test::TempDir dir;
  const fs::path db = dir / "backoff.db";
  store::Database outbox_db(ssr::test::TestDatabase(db));
  WebhookOutbox outbox(outbox_db);
  WebhookSender sender(outbox, [] { return ""; }, {.backoff_base_ms = 100, .backoff_max_ms = 1000});
  EXPECT_EQ(sender.BackoffMs(1), 100);
  EXPECT_EQ(sender.BackoffMs(2), 200);
  EXPECT_EQ(sender.BackoffMs(4), 800);
  EXPECT_EQ(sender.BackoffMs(5), 1000);
  EXPECT_EQ(sender.BackoffMs(60), 1000);
}

TEST(WebhookSender, RetriesWithBackoffUntilAcceptedAndSignsEveryTry) {
  const std::string secret = "whsec_3f9a";
  struct Received {
    Clock::time_point at;
    std::string body;
    std::string event_id;
    bool signature_ok = false;
  };
  std::mutex mutex;
  std::vector<Received> received;
  httplib::Server server;
  server.Post("/hooks/ssr", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    received.push_back({Clock::now(), req.body, req.get_header_value("X-SSR-Event-Id"),
                        SignatureValid(req.get_header_value("X-SSR-Signature"), secret, req.body)});
    res.status = received.size() <= 2 ? 503 : 204;
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread listener([&] { server.listen_after_bind(); });
  // bind_to_*port also listens: connections queue until the accept loop runs.

  const test::TempDir dir;
  const fs::path db = dir / "retry.db";
  store::Database outbox_db(ssr::test::TestDatabase(db));
  WebhookOutbox outbox(outbox_db);
  const std::string body = R"({"id":"n1","type":"recording.ready"})";
  outbox.Enqueue("n1", "http://127.0.0.1:" + std::to_string(port) + "/hooks/ssr", body, NowMs());
  WebhookSender sender(outbox, [&] { return secret; },
                       {.backoff_base_ms = 50, .backoff_max_ms = 400, .poll_interval_ms = 5});
  sender.Start();
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (outbox.PendingCount() > 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  sender.Stop();
  server.stop();
  listener.join();

  const auto entry = outbox.Find("n1");
  ASSERT_TRUE(entry);
  EXPECT_TRUE(entry->delivered);
  EXPECT_EQ(entry->attempts, 3);
  ASSERT_EQ(received.size(), 3u);
  for (const Received& r : received) {
    EXPECT_EQ(r.body, body);
    EXPECT_EQ(r.event_id, "n1");
    EXPECT_TRUE(r.signature_ok);
  }
  // Backoff 50 ms then 100 ms. The outbox schedules in whole milliseconds of wall time, so a
  // retry may come up to 1 ms early by the receiver's steady clock.
  using std::chrono::milliseconds;
  EXPECT_GE(received[1].at - received[0].at, milliseconds(49));
  EXPECT_GE(received[2].at - received[1].at, milliseconds(99));
  EXPECT_FALSE(SignatureValid("t=1,v1=00", secret, body));
  fs::remove(db);
}

TEST(WebhookSender, UndeliveredEntriesWaitInTheOutboxAcrossARestart) {
  const test::TempDir dir;
  const fs::path db = dir / "ssr.db";
  const int port = UnusedPort();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/h";
  {
    store::Database outbox_db(ssr::test::TestDatabase(db));
    WebhookOutbox outbox(outbox_db);
    outbox.Enqueue("n7", url, "{}", 0);
    WebhookSender sender(outbox, [] { return "s"; }, {.backoff_base_ms = 10, .timeout_ms = 500});
    EXPECT_EQ(sender.SendDue(NowMs()), 0);
    EXPECT_EQ(outbox.Find("n7")->attempts, 1);
    EXPECT_NE(outbox.Find("n7")->last_error, "");
  }
  int hits = 0;
  httplib::Server server;
  server.Post("/h", [&](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.status = 200;
  });
  ASSERT_TRUE(server.bind_to_port("127.0.0.1", port));
  std::thread listener([&] { server.listen_after_bind(); });
  // bind_to_*port also listens: connections queue until the accept loop runs.
  store::Database outbox_db(ssr::test::TestDatabase(db));
  WebhookOutbox outbox(outbox_db); // "after the restart"
  WebhookSender sender(outbox, [] { return "s"; }, {.backoff_base_ms = 10});
  EXPECT_EQ(sender.SendDue(NowMs() + 1000), 1);
  server.stop();
  listener.join();
  EXPECT_EQ(hits, 1);
  EXPECT_TRUE(outbox.Find("n7")->delivered);
  EXPECT_EQ(outbox.Find("n7")->attempts, 2);
  EXPECT_EQ(outbox.PendingCount(), 0);
  fs::remove(db);
}

TEST(WebhookSender, AnEntryIsGivenUpAfterItsLastAttemptAndPurgedLater) {
  const test::TempDir dir;
  const fs::path db = dir / "ssr.db";
  store::Database outbox_db(ssr::test::TestDatabase(db));
  WebhookOutbox outbox(outbox_db);
  outbox.Enqueue("n9", "http://127.0.0.1:" + std::to_string(UnusedPort()) + "/h", "{}", 0);
  outbox.Enqueue("n10", "http://127.0.0.1:" + std::to_string(UnusedPort()) + "/h", "{}", 0);
  WebhookSender sender(
      outbox, [] { return "s"; },
      {.backoff_base_ms = 1, .backoff_max_ms = 1, .timeout_ms = 500, .max_attempts = 3});
  for (int i = 1; i <= 5; ++i)
    EXPECT_EQ(sender.SendDue(NowMs() + i * 1000), 0);
  const auto given_up = outbox.Find("n9");
  ASSERT_TRUE(given_up);
  EXPECT_EQ(given_up->attempts, 3); // not tried again after the third
  EXPECT_TRUE(given_up->abandoned);
  EXPECT_NE(given_up->last_error, "");
  EXPECT_EQ(outbox.PendingCount(), 0);
  EXPECT_TRUE(outbox.Due(NowMs() + 100'000, 10).empty());
  // Purged with the delivered ones once past the retention.
  EXPECT_EQ(outbox.PurgeDelivered(NowMs() + 1000), 2);
  EXPECT_FALSE(outbox.Find("n9"));
}

TEST(WebhookSender, LogsNameTheReceiverWithoutCredentialsOrQuery) {
  EXPECT_EQ(WebhookSender::UrlForLog("https://user:pw@hooks.example.org:8443/ssr/in?token=abc#x"),
            "https://hooks.example.org:8443/ssr/in?...");
  EXPECT_EQ(WebhookSender::UrlForLog("http://hooks.example.org/in"), "http://hooks.example.org/in");
  EXPECT_EQ(WebhookSender::UrlForLog("http://h.example?k=v"), "http://h.example?...");
  EXPECT_EQ(WebhookSender::UrlForLog("http://a@b@h.example/p"), "http://h.example/p");
  EXPECT_EQ(WebhookSender::UrlForLog("http://h.example/p@q"), "http://h.example/p@q");
  EXPECT_EQ(WebhookSender::UrlForLog(""), "");
}

} // namespace
} // namespace ssr::notify
