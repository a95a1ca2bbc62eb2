// Every id the server makes up must pass the check its routes apply (common/ids.h): a
// generated session id that starts with '-' was created and then refused (404) by every
// later route. 100,000 draws of each kind: a 1-in-64 defect shows up with certainty.

#include "auth/new_ids.h"
#include "auth/tokens.h"
#include "common/ids.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace ssr::auth {
namespace {

constexpr int kDraws = 100'000;

// The first generated id that `check` refuses, with the reason; "" when all pass.
std::string FirstRefused(const std::function<std::string()>& generate,
                         const std::function<std::string(std::string_view)>& check) {
  for (int i = 0; i < kDraws; ++i) {
    const std::string id = generate();
    if (std::string problem = check(id); !problem.empty())
      return "'" + id + "': " + problem;
  }
  return "";
}

TEST(NewIds, SessionIdsPassTheSessionRoutesCheck) {
  EXPECT_EQ(FirstRefused(NewSessionId, CheckSessionId), "");
}

TEST(NewIds, RecordingIdsPassTheRecordingRoutesCheck) {
  EXPECT_EQ(FirstRefused(NewRecordingId, CheckPlainId), "");
}

TEST(NewIds, ShareLinkIdsPassTheLinkRoutesCheck) {
  EXPECT_EQ(FirstRefused(NewShareLinkId, CheckPlainId), "");
}

TEST(NewIds, AccountAndWhipResourceIdsAreSafeUrlSegments) {
  // Both appear as URL segments (/api/v1/users/{id}, /whip/{sid}/{tracks}/{resource}).
  EXPECT_EQ(FirstRefused(NewAccountId, CheckSessionId), "");
  EXPECT_EQ(FirstRefused(NewWhipResourceId, CheckSessionId), "");
}

TEST(NewIds, TokensPassTheTokenRoutesCheck) {
  // Watch URLs and share links: 43 characters of CheckPlainId (api_routes.cpp).
  const std::string refused = FirstRefused([] { return RandomToken(32); },
                                           [](std::string_view token) -> std::string {
                                             if (token.size() != 43)
                                               return "not 43 characters";
                                             return CheckPlainId(token);
                                           });
  EXPECT_EQ(refused, "");
}

TEST(NewIds, RandomIdStartsWithALetterOrDigit) {
  for (int i = 0; i < kDraws; ++i) {
    const std::string id = RandomId(12);
    ASSERT_EQ(id.size(), 16u);
    ASSERT_NE(id.front(), '-') << id;
    ASSERT_NE(id.front(), '_') << id;
  }
}

} // namespace
} // namespace ssr::auth
