#include "auth/jwt_verifier.h"

#include "../../support/test_jwt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ssr::auth {
namespace {

using nlohmann::json;
using test::MakeJwt;
using ::testing::HasSubstr;

const std::string kSecret = "unit-test-secret-0123456789-abcdefgh";
const json kHs256 = {{"alg", "HS256"}, {"typ", "JWT"}};

json Claims(double exp_offset_s = 3600) {
  return {{"sub", "u-42"},
          {"name", "Ada"},
          {"email", "ada@example.org"},
          {"exp", static_cast<int64_t>(test::UnixNow() + exp_offset_s)}};
}

std::string Refusal(const JwtVerifier& verifier, const std::string& token) {
  try {
    verifier.Verify(token, test::UnixNow());
  } catch (const JwtError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(JwtVerifier, AcceptsAValidHs256TokenAndReadsItsClaims) {
  const JwtVerifier verifier(kSecret);
  const JwtClaims claims = verifier.Verify(MakeJwt(kHs256, Claims(), kSecret), test::UnixNow());
  EXPECT_EQ(claims.sub, "u-42");
  EXPECT_EQ(claims.name, "Ada");
  EXPECT_EQ(claims.email, "ada@example.org");
}

TEST(JwtVerifier, RefusesEachBadTokenNamingTheProblem) {
  const JwtVerifier verifier(kSecret, 0);
  EXPECT_THAT(Refusal(verifier, MakeJwt(kHs256, Claims(-60), kSecret)), HasSubstr("expired"));
  EXPECT_THAT(Refusal(verifier, MakeJwt(kHs256, Claims(), "another-secret-0123456789-abcdefgh")),
              HasSubstr("signature does not verify"));
  EXPECT_THAT(Refusal(verifier, MakeJwt({{"alg", "none"}}, Claims(), kSecret, nullptr)),
              HasSubstr("'none' is not accepted"));
  EXPECT_THAT(Refusal(verifier, MakeJwt({{"alg", "HS512"}}, Claims(), kSecret, EVP_sha512())),
              HasSubstr("'HS512' is not accepted"));
  EXPECT_THAT(Refusal(verifier, MakeJwt({{"alg", "RS256"}}, Claims(), kSecret)),
              HasSubstr("'RS256' is not accepted"));
  json no_sub = Claims();
  no_sub.erase("sub");
  EXPECT_THAT(Refusal(verifier, MakeJwt(kHs256, no_sub, kSecret)), HasSubstr("no 'sub'"));
  json no_exp = Claims();
  no_exp.erase("exp");
  EXPECT_THAT(Refusal(verifier, MakeJwt(kHs256, no_exp, kSecret)), HasSubstr("no 'exp'"));
  EXPECT_THAT(Refusal(verifier, "garbage"), HasSubstr("malformed"));
  EXPECT_THAT(Refusal(verifier, "a.b.c"), HasSubstr("malformed"));
  EXPECT_THAT(Refusal(verifier, MakeJwt(kHs256, Claims(), kSecret, nullptr)),
              HasSubstr("signature is missing"));
  // A token altered after signing: the claims say another user.
  std::string token = MakeJwt(kHs256, Claims(), kSecret);
  const std::string other =
      MakeJwt(kHs256, json{{"sub", "admin"}, {"exp", Claims()["exp"]}}, kSecret);
  const std::string forged = other.substr(0, other.rfind('.')) + token.substr(token.rfind('.'));
  EXPECT_THAT(Refusal(verifier, forged), HasSubstr("signature does not verify"));
}

TEST(JwtVerifier, WithoutASecretEveryTokenIsRefusedSayingSo) {
  const JwtVerifier verifier("");
  EXPECT_THAT(Refusal(verifier, MakeJwt(kHs256, Claims(), "")), HasSubstr("no jwt_secret"));
}

TEST(JwtVerifier, LeewayCoversSmallClockDifferences) {
  const JwtVerifier verifier(kSecret, 30);
  EXPECT_EQ(Refusal(verifier, MakeJwt(kHs256, Claims(-10), kSecret)), "accepted");
  EXPECT_THAT(Refusal(verifier, MakeJwt(kHs256, Claims(-60), kSecret)), HasSubstr("expired"));
}

} // namespace
} // namespace ssr::auth
