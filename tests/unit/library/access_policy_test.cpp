#include "library/access_policy.h"

#include <gtest/gtest.h>

namespace ssr::library {
namespace {

using events::Role;
using events::Roles;

const Action kAll[] = {Action::kSee,    Action::kStream, Action::kDownload,
                       Action::kRename, Action::kDelete, Action::kManageSharing};

Caller Ann() { return Caller::User("ann", "Ann", "Ann@Example.org"); }

TEST(AccessPolicy, PlatformMayDoEverything) {
  for (Action a : kAll)
    EXPECT_TRUE(Allows(Caller::Platform(), AccessFacts{}, a));
}

TEST(AccessPolicy, HostsAndCohostsMayDoEverything) {
  for (Role role : {Role::kHost, Role::kCohost}) {
    for (Action a : kAll)
      EXPECT_TRUE(Allows(Ann(), AccessFacts{{role}, {}, 0, role}, a));
  }
  // A co-host who was also an attendee at some point still runs the session.
  EXPECT_TRUE(Allows(Ann(), AccessFacts{{Role::kAttendee, Role::kCohost}, {}, 0, Role::kCohost},
                     Action::kDelete));
}

// M2: managing follows the role now; seeing and watching follow any role held.
TEST(AccessPolicy, ACohostDemotedToAttendeeStillWatchesButNoLongerManages) {
  const AccessFacts demoted{{Role::kCohost, Role::kAttendee}, {}, 0, Role::kAttendee};
  for (Action a : {Action::kSee, Action::kStream, Action::kDownload})
    EXPECT_TRUE(Allows(Ann(), demoted, a));
  for (Action a : {Action::kRename, Action::kDelete, Action::kManageSharing})
    EXPECT_FALSE(Allows(Ann(), demoted, a));
  // Promoted again: manages again.
  const AccessFacts promoted{{Role::kCohost, Role::kAttendee}, {}, 0, Role::kCohost};
  EXPECT_TRUE(Allows(Ann(), promoted, Action::kDelete));
}

TEST(AccessPolicy, AttendeesPresentersStrangersAndAnonymousGetNothingByDefault) {
  for (const Roles& roles : {Roles{Role::kAttendee}, Roles{Role::kPresenter}, Roles{}}) {
    for (Action a : kAll)
      EXPECT_FALSE(Allows(Ann(), AccessFacts{roles, {}, 0}, a));
  }
  for (Action a : kAll)
    EXPECT_FALSE(Allows(Caller{}, AccessFacts{{Role::kHost}, {}, 0}, a));
}

// The R15 inputs: shaped now, set by sharing later.
TEST(AccessPolicy, SharingLetsAudiencesAndGranteesWatchOrDownloadOnceReleased) {
  SharingSettings sharing;
  sharing.stream_by = {Audience::kAttendees};
  sharing.download_by = {Audience::kPresenters};
  const AccessFacts attendee{{Role::kAttendee}, sharing, 100};
  EXPECT_TRUE(Allows(Ann(), attendee, Action::kSee));
  EXPECT_TRUE(Allows(Ann(), attendee, Action::kStream));
  EXPECT_FALSE(Allows(Ann(), attendee, Action::kDownload));
  EXPECT_FALSE(Allows(Ann(), attendee, Action::kRename));
  EXPECT_FALSE(Allows(Ann(), attendee, Action::kDelete));
  const AccessFacts presenter{{Role::kPresenter}, sharing, 100};
  EXPECT_FALSE(Allows(Ann(), presenter, Action::kStream));
  EXPECT_TRUE(Allows(Ann(), presenter, Action::kDownload));

  SharingSettings granted;
  granted.grants = {{"ann@example.org", true, false}};
  EXPECT_TRUE(Allows(Ann(), AccessFacts{{}, granted, 0}, Action::kStream));
  EXPECT_FALSE(Allows(Ann(), AccessFacts{{}, granted, 0}, Action::kDownload));
  EXPECT_FALSE(Allows(Caller::User("bob", "Bob", ""), AccessFacts{{}, granted, 0}, Action::kSee));

  sharing.release_at_s = 200;
  EXPECT_FALSE(Allows(Ann(), AccessFacts{{Role::kAttendee}, sharing, 199}, Action::kSee));
  EXPECT_TRUE(Allows(Ann(), AccessFacts{{Role::kAttendee}, sharing, 200}, Action::kStream));
  // Before the release, hosts still see it.
  EXPECT_TRUE(Allows(Ann(), AccessFacts{{Role::kHost}, sharing, 0}, Action::kStream));
}

} // namespace
} // namespace ssr::library
