// The share-link and watch-URL rules of server::SharingLinks on a real database and a real
// recording controller: who is let in, and why not.

#include "server/sharing_links.h"

#include "../control/controller_fixture.h"
#include "library/watch_store.h"

#include <gtest/gtest.h>

namespace ssr::server {
namespace {

class SharingLinksTest : public control::ControllerTest {
 protected:
  // A ready recording of session s1, a watch store and the rules on the same database.
  control::Recording ReadyRecording() {
    Boot();
    Join(0, "h1", "host");
    const control::Recording r = Start(2);
    Tick(3);
    Stop(12, r.id);
    Tick(12);
    watch_ = std::make_unique<library::WatchStore>(*database_);
    links_ = std::make_unique<SharingLinks>(*watch_, *controller_);
    return r;
  }

  std::unique_ptr<library::WatchStore> watch_;
  std::unique_ptr<SharingLinks> links_;
};

TEST_F(SharingLinksTest, ALiveLinkAdmitsWithItsRecording) {
  const control::Recording r = ReadyRecording();
  const auto [link, token] = watch_->CreateLink(r.id, "h1", W(1000), W(20));
  const LinkAdmission admitted = links_->AdmitLink(token, W(30));
  ASSERT_EQ(admitted.admission, Admission::kAdmitted);
  ASSERT_TRUE(admitted.recording);
  EXPECT_EQ(admitted.recording->id, r.id);
  EXPECT_EQ(admitted.link->id, link.id);
  EXPECT_STREQ(LinkStateName(link, W(30)), "active");
}

TEST_F(SharingLinksTest, UnknownRevokedExpiredAndDeletedAreToldApart) {
  const control::Recording r = ReadyRecording();
  EXPECT_EQ(links_->AdmitLink("no-such-token", W(30)).admission, Admission::kUnknown);

  const auto [expiring, expiring_token] = watch_->CreateLink(r.id, "h1", W(100), W(20));
  EXPECT_EQ(links_->AdmitLink(expiring_token, W(99)).admission, Admission::kAdmitted);
  EXPECT_EQ(links_->AdmitLink(expiring_token, W(100)).admission, Admission::kExpired);
  EXPECT_STREQ(LinkStateName(expiring, W(100)), "expired");

  const auto [revoked, revoked_token] = watch_->CreateLink(r.id, "h1", std::nullopt, W(20));
  ASSERT_TRUE(watch_->RevokeLink(r.id, revoked.id, W(25)));
  EXPECT_EQ(links_->AdmitLink(revoked_token, W(30)).admission, Admission::kRevoked);

  const auto [kept, kept_token] = watch_->CreateLink(r.id, "h1", std::nullopt, W(20));
  controller_->Delete(r.id);
  EXPECT_EQ(links_->AdmitLink(kept_token, W(30)).admission, Admission::kRecordingGone);
}

TEST_F(SharingLinksTest, AWatchUrlEndsWithItsTimeItsLinkOrItsRecording) {
  const control::Recording r = ReadyRecording();
  EXPECT_EQ(links_->AdmitWatchUrl("no-such-token", W(30)).admission, Admission::kUnknown);

  const std::string own = watch_->IssueWatchToken(r.id, 1, W(200), "h1", std::nullopt);
  const WatchAdmission admitted = links_->AdmitWatchUrl(own, W(30));
  ASSERT_EQ(admitted.admission, Admission::kAdmitted);
  EXPECT_EQ(admitted.grant->part, 1);
  EXPECT_EQ(links_->AdmitWatchUrl(own, W(200)).admission, Admission::kExpired);

  // A viewer's watch URL dies with the share link it came from.
  const auto [link, token] = watch_->CreateLink(r.id, "h1", std::nullopt, W(20));
  const int64_t view = watch_->AddView(link, "viewer@example.org", W(21));
  const std::string viewer = watch_->IssueWatchToken(r.id, 1, W(200), "", view);
  EXPECT_EQ(links_->AdmitWatchUrl(viewer, W(30)).admission, Admission::kAdmitted);
  ASSERT_TRUE(watch_->RevokeLink(r.id, link.id, W(40)));
  EXPECT_EQ(links_->AdmitWatchUrl(viewer, W(41)).admission, Admission::kRevoked);

  controller_->Delete(r.id);
  EXPECT_EQ(links_->AdmitWatchUrl(own, W(50)).admission, Admission::kRecordingGone);
}

} // namespace
} // namespace ssr::server
