// What users' tokens must carry beyond the signature, through the real `ssr serve`
// (docs/security.md, "Users' tokens"; review finding M7): the operator's jwt_issuer and
// jwt_audience, a maximum lifetime, and e-mail identity only when the platform vouches for
// it; and "platform", the API key's name in audit fields, is no user's `sub` (L13).

#include "../support/serve_fixture.h"
#include "../support/test_jwt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ssr::test {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

const std::string kJwtSecret = "scenario-jwt-secret-0123456789abcdef";
const json kHs256 = {{"alg", "HS256"}, {"typ", "JWT"}};

json Claims(const std::string& sub, double expires_in_s = 600) {
  return {{"sub", sub},
          {"name", "User " + sub},
          {"iss", "https://platform.example.org"},
          {"aud", "ssr"},
          {"exp", static_cast<int64_t>(UnixNow() + expires_in_s)}};
}

class JwtPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServeProcess>(
        std::map<std::string, std::string>{{"SSR_JWT_SECRET", kJwtSecret},
                                           {"SSR_JWT_ISSUER", "https://platform.example.org"},
                                           {"SSR_JWT_AUDIENCE", "ssr"},
                                           {"SSR_JWT_MAX_LIFETIME_S", "3600"},
                                           {"SSR_JWT_EMAILS_VERIFIED", "false"}});
    // Dan is invited as co-host by e-mail only.
    ASSERT_EQ(
        server_
            ->CreateSession(
                {{"id", "chem"},
                 {"title", "Chemistry"},
                 {"invitees", json::array({{{"user", "dan@example.org"}, {"role", "cohost"}}})}})
            ->status,
        201);
  }
  void TearDown() override {
    if (HasFailure())
      std::cerr << "--- server log ---\n" << server_->Log();
  }
  httplib::Result Get(const std::string& path, const json& claims) {
    return server_->Client().Get(path, server_->Auth(MakeJwt(kHs256, claims, kJwtSecret)));
  }
  static std::string Message(const httplib::Result& res) {
    return json::parse(res->body)["error"]["message"].get<std::string>();
  }
  std::unique_ptr<ServeProcess> server_;
};

TEST_F(JwtPolicyTest, TokensForAnotherAudienceIssuerOrYearsAheadAreRefused) {
  auto good = Get("/api/v1/me", Claims("ann"));
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 200) << good->body;

  json billing = Claims("ann");
  billing["aud"] = "billing";
  json elsewhere = Claims("ann");
  elsewhere["iss"] = "https://elsewhere.example.org";
  json unnamed = Claims("ann");
  unnamed.erase("aud");
  const std::vector<std::pair<json, std::string>> refused = {
      {billing, "audience ('aud') does not name 'ssr'"},
      {unnamed, "audience ('aud') does not name 'ssr'"},
      {elsewhere, "issuer ('iss') is not 'https://platform.example.org'"},
      {Claims("ann", 10 * 365 * 86400.0), "more than jwt_max_lifetime_s (3600 s)"},
      {Claims("platform"), "'platform' is reserved"},
  };
  for (const auto& [claims, problem] : refused) {
    auto res = Get("/api/v1/me", claims);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << claims.dump();
    EXPECT_THAT(Message(res), HasSubstr(problem)) << claims.dump();
  }
}

TEST_F(JwtPolicyTest, AnEmailInvitationCountsOnlyForAVerifiedEmail) {
  // Mallory signs in with Dan's address, and the platform does not say it is verified.
  json mallory = Claims("mallory");
  mallory["email"] = "dan@example.org";
  auto refused = Get("/api/v1/sessions/chem", mallory);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 404) << refused->body;
  mallory["email_verified"] = false;
  EXPECT_EQ(Get("/api/v1/sessions/chem", mallory)->status, 404);

  json dan = Claims("dan-17");
  dan["email"] = "dan@example.org";
  dan["email_verified"] = true;
  auto seen = Get("/api/v1/sessions/chem", dan);
  ASSERT_TRUE(seen);
  ASSERT_EQ(seen->status, 200) << seen->body;
  EXPECT_EQ(json::parse(seen->body)["your_role"], "cohost");
}

} // namespace
} // namespace ssr::test
