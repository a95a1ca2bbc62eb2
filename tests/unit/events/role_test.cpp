// A participant's role (events/role.h): one name per role, parsed back exactly; hosts and
// co-hosts run a session.

#include "events/role.h"
#include "events/track_source.h"

#include <gtest/gtest.h>

namespace ssr::events {
namespace {

const Role kAllRoles[] = {Role::kHost, Role::kCohost, Role::kPresenter, Role::kAttendee};

TEST(Role, NamesAreTheContractsAndParseBack) {
  EXPECT_EQ(RoleName(Role::kHost), "host");
  EXPECT_EQ(RoleName(Role::kCohost), "cohost");
  EXPECT_EQ(RoleName(Role::kPresenter), "presenter");
  EXPECT_EQ(RoleName(Role::kAttendee), "attendee");
  for (Role role : kAllRoles) {
    EXPECT_EQ(ParseRole(RoleName(role)), role);
  }
}

TEST(Role, ParsesNothingElse) {
  for (const char* other : {"", "Host", "co-host", "king", "attendee "}) {
    EXPECT_EQ(ParseRole(other), std::nullopt) << other;
  }
}

TEST(Role, HostsAndCohostsRunTheSession) {
  EXPECT_TRUE(RunsSession(Role::kHost));
  EXPECT_TRUE(RunsSession(Role::kCohost));
  EXPECT_FALSE(RunsSession(Role::kPresenter));
  EXPECT_FALSE(RunsSession(Role::kAttendee));
  EXPECT_TRUE(RunsSession(Roles{Role::kAttendee, Role::kCohost}));
  EXPECT_FALSE(RunsSession(Roles{Role::kAttendee, Role::kPresenter}));
  EXPECT_FALSE(RunsSession(Roles{}));
}

TEST(TrackSource, NamesAreTheContractsAndParseBack) {
  EXPECT_EQ(TrackSourceName(TrackSource::kCamera), "camera");
  EXPECT_EQ(TrackSourceName(TrackSource::kMicrophone), "microphone");
  EXPECT_EQ(TrackSourceName(TrackSource::kScreen), "screen");
  for (TrackSource source :
       {TrackSource::kCamera, TrackSource::kMicrophone, TrackSource::kScreen}) {
    EXPECT_EQ(ParseTrackSource(TrackSourceName(source)), source);
  }
  EXPECT_EQ(ParseTrackSource("webcam"), std::nullopt);
}

} // namespace
} // namespace ssr::events
