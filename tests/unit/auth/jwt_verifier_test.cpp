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

// Found by jwt_fuzzer under UBSan: an empty part was decoded from a vector of no bytes, whose
// data() is null, into libsodium's base64 decoder, which declares it never null.
TEST(JwtVerifier, EmptyPartsAreMalformed) {
  const JwtVerifier verifier(kSecret, 0);
  for (const char* token : {"", ".", "..", ".b.c", "a..c", "a.b."}) {
    EXPECT_THAT(Refusal(verifier, token), HasSubstr("malformed")) << token;
  }
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

// M7: a token signed with the secret for another purpose, or one meant to last for years, is
// refused when the operator says what tokens must carry.
TEST(JwtVerifier, IssuerAudienceAndLifetimeFollowThePolicy) {
  JwtPolicy policy;
  policy.issuer = "https://platform.example.org";
  policy.audience = "ssr";
  policy.max_lifetime_s = 3600;
  const JwtVerifier verifier(kSecret, 0, policy);
  json good = Claims(600);
  good["iss"] = policy.issuer;
  good["aud"] = "ssr";
  EXPECT_EQ(Refusal(verifier, MakeJwt(kHs256, good, kSecret)), "accepted");
  json listed = good;
  listed["aud"] = json::array({"billing", "ssr"});
  EXPECT_EQ(Refusal(verifier, MakeJwt(kHs256, listed, kSecret)), "accepted");

  json other_audience = good;
  other_audience["aud"] = "billing";
  EXPECT_THAT(Refusal(verifier, MakeJwt(kHs256, other_audience, kSecret)),
              HasSubstr("audience ('aud') does not name 'ssr'"));
  json no_audience = good;
  no_audience.erase("aud");
  EXPECT_THAT(Refusal(verifier, MakeJwt(kHs256, no_audience, kSecret)), HasSubstr("'aud'"));
  json other_issuer = good;
  other_issuer["iss"] = "https://elsewhere.example.org";
  EXPECT_THAT(Refusal(verifier, MakeJwt(kHs256, other_issuer, kSecret)),
              HasSubstr("issuer ('iss') is not 'https://platform.example.org'"));
  json ten_years = good;
  ten_years["exp"] = static_cast<int64_t>(test::UnixNow() + 10 * 365 * 86400.0);
  EXPECT_THAT(Refusal(verifier, MakeJwt(kHs256, ten_years, kSecret)),
              HasSubstr("more than jwt_max_lifetime_s (3600 s) from now"));

  // The default policy checks neither iss nor aud, and bounds the lifetime at a day.
  const JwtVerifier by_default(kSecret, 0);
  EXPECT_EQ(Refusal(by_default, MakeJwt(kHs256, other_audience, kSecret)), "accepted");
  EXPECT_EQ(Refusal(by_default, MakeJwt(kHs256, Claims(23 * 3600), kSecret)), "accepted");
  EXPECT_THAT(Refusal(by_default, MakeJwt(kHs256, Claims(25 * 3600), kSecret)),
              HasSubstr("jwt_max_lifetime_s (86400 s)"));
}

TEST(JwtVerifier, AnEmailCountsOnlyWhenThePlatformVouchesForIt) {
  json unverified = Claims();
  unverified["email_verified"] = false;
  json verified = Claims();
  verified["email_verified"] = true;
  json malformed = Claims();
  malformed["email_verified"] = "yes";

  const JwtVerifier trusting(kSecret); // jwt_emails_verified: true (the default)
  const double now = test::UnixNow();
  EXPECT_EQ(trusting.Verify(MakeJwt(kHs256, Claims(), kSecret), now).email, "ada@example.org");
  EXPECT_EQ(trusting.Verify(MakeJwt(kHs256, unverified, kSecret), now).email, "");
  EXPECT_THAT(Refusal(trusting, MakeJwt(kHs256, malformed, kSecret)),
              HasSubstr("'email_verified' must be true or false"));

  JwtPolicy strict;
  strict.emails_verified = false;
  const JwtVerifier careful(kSecret, 30, strict);
  EXPECT_EQ(careful.Verify(MakeJwt(kHs256, Claims(), kSecret), now).email, "");
  EXPECT_EQ(careful.Verify(MakeJwt(kHs256, verified, kSecret), now).email, "ada@example.org");
  EXPECT_EQ(careful.Verify(MakeJwt(kHs256, verified, kSecret), now).sub, "u-42");
}

// L13: "platform" is what audit fields (created_by, issued_to, updated_by) call the API key.
TEST(JwtVerifier, TheSubThatNamesTheApiKeyIsRefused) {
  const JwtVerifier verifier(kSecret);
  json platform = Claims();
  platform["sub"] = "platform";
  EXPECT_THAT(Refusal(verifier, MakeJwt(kHs256, platform, kSecret)),
              HasSubstr("'platform' is reserved"));
}

} // namespace
} // namespace ssr::auth
