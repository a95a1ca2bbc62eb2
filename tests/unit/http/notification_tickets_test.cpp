#include "http/notification_tickets.h"

#include <gtest/gtest.h>

#include <gmock/gmock.h>

namespace ssr::http {
namespace {

using ::testing::HasSubstr;

TEST(NotificationTickets, ATicketOpensItsSessionForFiveMinutesAsOftenAsNeeded) {
  NotificationTickets tickets;
  const auto ann = library::Caller::User("ann", "Ann", "ann@example.org");
  const auto issued = tickets.Issue("bio", ann, 1000);
  EXPECT_EQ(issued.expires_at_s, 1300);
  EXPECT_GE(issued.ticket.size(), 32u);
  std::string problem;
  for (double now : {1000.0, 1100.0, 1299.0}) { // an EventSource reconnects with it
    const auto caller = tickets.Redeem(issued.ticket, "bio", now, problem);
    ASSERT_TRUE(caller) << problem;
    EXPECT_EQ(caller->user_id, "ann");
    EXPECT_EQ(caller->email, "ann@example.org");
  }
  EXPECT_FALSE(tickets.Redeem(issued.ticket, "chem", 1001, problem));
  EXPECT_THAT(problem, HasSubstr("another session"));
  EXPECT_FALSE(tickets.Redeem(issued.ticket, "bio", 1300, problem));
  EXPECT_THAT(problem, HasSubstr("has expired"));
  EXPECT_FALSE(tickets.Redeem("made-up", "bio", 1000, problem));
  EXPECT_THAT(problem, HasSubstr("unknown notification ticket"));
}

TEST(NotificationTickets, TicketsAreRandomAndExpiredOnesAreForgotten) {
  NotificationTickets tickets;
  const auto a = tickets.Issue("bio", library::Caller::Platform(), 0);
  const auto b = tickets.Issue("bio", library::Caller::Platform(), 400); // a is expired by now
  EXPECT_NE(a.ticket, b.ticket);
  std::string problem;
  EXPECT_FALSE(tickets.Redeem(a.ticket, "bio", 400, problem));
  EXPECT_THAT(problem, HasSubstr("unknown")); // dropped when b was issued
  const auto caller = tickets.Redeem(b.ticket, "bio", 401, problem);
  ASSERT_TRUE(caller);
  EXPECT_TRUE(caller->platform());
}

} // namespace
} // namespace ssr::http
