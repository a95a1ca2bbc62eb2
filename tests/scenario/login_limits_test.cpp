// H2: login attempts are rate-limited per account and per client address (429 with a
// Retry-After that is true), on the real `ssr serve`; the right password works again once
// the bucket has refilled.

#include "../support/serve_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

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

} // namespace
} // namespace ssr::test
