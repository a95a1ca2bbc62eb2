// H2: login attempts are rate-limited per account and per client address (429 with a
// Retry-After that is true), on the real `ssr serve`; the right password works again once
// the bucket has refilled.

#include "../support/serve_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace ssr::test {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class LoginLimits : public ::testing::Test {
 protected:
  void TearDown() override {
    if (HasFailure() && server_) {
      std::cerr << "--- server log ---\n" << server_->Log();
    }
  }
  httplib::Result Login(const std::string& email, const std::string& password) {
    return server_->Client().Post(
        "/api/v1/login", json{{"email", email}, {"password", password}}.dump(), "application/json");
  }
  void CreateAccount(const std::string& email, const std::string& password) {
    auto res = server_->Client().Post(
        "/api/v1/users", server_->Auth(),
        json{{"email", email}, {"name", "Ann"}, {"password", password}}.dump(), "application/json");
    ASSERT_TRUE(res && res->status == 201) << (res ? res->body : "no answer");
  }

  std::unique_ptr<ServeProcess> server_;
};

TEST_F(LoginLimits, WrongPasswordsGet429AndTheRightOneWorksAfterRetryAfter) {
  // 3 attempts per account, refilled over 6 s: one every 2 s.
  server_ = std::make_unique<ServeProcess>(std::map<std::string, std::string>{
      {"SSR_LOGIN_ACCOUNT_ATTEMPTS", "3"}, {"SSR_LOGIN_WINDOW_S", "6"}});
  CreateAccount("ann@example.org", "right-password");

  for (int i = 0; i < 3; ++i) {
    auto wrong = Login("ann@example.org", "wrong-password");
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 401) << "attempt " << i + 1;
  }
  auto limited = Login("ANN@example.org", "wrong-password"); // the same account, any case
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(json::parse(limited->body)["error"]["code"], "rate_limited");
  EXPECT_THAT(limited->body, HasSubstr("this account"));
  ASSERT_TRUE(limited->has_header("Retry-After"));
  const int retry_after_s = std::stoi(limited->get_header_value("Retry-After"));
  EXPECT_GE(retry_after_s, 1);
  EXPECT_LE(retry_after_s, 2);

  // Limited means limited: the right password too, until a token is back.
  auto right_too_soon = Login("ann@example.org", "right-password");
  ASSERT_TRUE(right_too_soon);
  EXPECT_EQ(right_too_soon->status, 429);
  // Another account is not limited by Ann's bucket.
  auto other = Login("bob@example.org", "whatever");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 401);

  std::this_thread::sleep_for(std::chrono::seconds(retry_after_s) + std::chrono::milliseconds(300));
  auto right = Login("ann@example.org", "right-password");
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 200) << right->body;
}

TEST_F(LoginLimits, OneAddressIsLimitedAcrossAccounts) {
  server_ = std::make_unique<ServeProcess>(std::map<std::string, std::string>{
      {"SSR_LOGIN_ADDRESS_ATTEMPTS", "4"}, {"SSR_LOGIN_WINDOW_S", "600"}});
  for (int i = 0; i < 4; ++i) {
    auto res = Login("user" + std::to_string(i) + "@example.org", "wrong-password");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
  }
  auto limited = Login("user9@example.org", "wrong-password");
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  EXPECT_THAT(limited->body, HasSubstr("this address"));
  // One attempt back every 150 s, less what has refilled since the first attempt.
  const int retry_after_s = std::stoi(limited->get_header_value("Retry-After"));
  EXPECT_GE(retry_after_s, 140);
  EXPECT_LE(retry_after_s, 150);
}

// H2's memory half: each password check takes 64 MiB (argon2id), so 50 logins at once would
// take over 3 GiB. With one check at a time the rest are told 503 login_busy (or 429 once the
// account's attempts are spent), never queued, and the peak stays near one check's memory.
TEST_F(LoginLimits, FiftyParallelLoginsGetBusyOr429AndMemoryStaysBounded) {
  server_ = std::make_unique<ServeProcess>(std::map<std::string, std::string>{
      {"SSR_LOGIN_MAX_CONCURRENT_HASHES", "1"},
      {"SSR_LOGIN_ACCOUNT_ATTEMPTS", "30"},
      {"SSR_LOGIN_WINDOW_S", "86400"}, // no refill during the test
      {"SSR_LOGIN_ADDRESS_ATTEMPTS", "1000"},
      {"SSR_MAX_CONNECTIONS_PER_ADDRESS", "100"}});
  CreateAccount("ann@example.org", "right-password");
  const long before_kib = server_->PeakRssKiB();

  std::mutex mutex;
  std::map<int, int> by_status;
  std::vector<json> busy_bodies;
  std::vector<std::string> busy_retry_after;
  std::vector<std::thread> clients;
  for (int i = 0; i < 50; ++i) {
    clients.emplace_back([&] {
      auto res = Login("ann@example.org", "wrong-password");
      std::lock_guard lock(mutex);
      ++by_status[res ? res->status : -1];
      if (res && res->status == 503) {
        busy_bodies.push_back(json::parse(res->body));
        busy_retry_after.push_back(res->get_header_value("Retry-After"));
      }
    });
  }
  for (std::thread& t : clients)
    t.join();

  const long growth_kib = server_->PeakRssKiB() - before_kib;
  std::cout << "[ measured ] 50 parallel logins: " << by_status[401] << " x 401, " << by_status[429]
            << " x 429, " << by_status[503] << " x 503; VmHWM growth " << growth_kib / 1024
            << " MiB\n";
  EXPECT_EQ(by_status[401] + by_status[429] + by_status[503], 50);
  EXPECT_EQ(by_status[429], 20); // 30 attempts admitted of 50; busy ones spent theirs too
  EXPECT_GE(by_status[503], 1);
  for (size_t i = 0; i < busy_bodies.size(); ++i) {
    EXPECT_EQ(busy_bodies[i]["error"]["code"], "login_busy");
    EXPECT_EQ(busy_retry_after[i], "1");
  }
  // One 64 MiB check at a time, and the server's own buffers: far from 50 x 64 MiB.
  EXPECT_LT(growth_kib, 200 * 1024);
  EXPECT_EQ(server_->Client().Get("/livez")->status, 200);
}

} // namespace
} // namespace ssr::test
