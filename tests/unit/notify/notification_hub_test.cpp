#include "notify/notification_hub.h"

#include "../../support/temp_dir.h"
#include "../../support/test_database.h"

#include <gtest/gtest.h>

namespace ssr::notify {
namespace {

namespace fs = std::filesystem;

Notification Note(const std::string& id, const std::string& session) {
  Notification n;
  n.id = id;
  n.type = "recording.started";
  n.session_id = session;
  n.recording_id = "r1";
  n.room = "main";
  n.title = "Bio";
  n.at = "2026-01-01T00:00:00.000Z";
  return n;
}

TEST(NotificationHub, FansOutPerSessionUntilUnsubscribed) {
  NotificationHub hub(nullptr);
  std::vector<std::string> a, b;
  const uint64_t ta = hub.Subscribe("s1", [&](const Notification& n) { a.push_back(n.id); });
  hub.Subscribe("s2", [&](const Notification& n) { b.push_back(n.id); });
  hub.Subscribe("s1", [](const Notification&) { throw std::runtime_error("a broken SSE stream"); });
  hub.Publish(Note("n1", "s1"), "", 0);
  hub.Publish(Note("n2", "s2"), "", 0);
  hub.Unsubscribe(ta);
  hub.Publish(Note("n3", "s1"), "", 0);
  EXPECT_EQ(a, (std::vector<std::string>{"n1"}));
  EXPECT_EQ(b, (std::vector<std::string>{"n2"}));
}

TEST(NotificationHub, AReconnectingSubscriberGetsWhatItMissedOnce) {
  NotificationHub hub(nullptr);
  hub.Publish(Note("n1", "s1"), "", 0);
  hub.Publish(Note("n2", "s2"), "", 0);
  hub.Publish(Note("n3", "s1"), "", 0);
  hub.Publish(Note("n4", "s1"), "", 0);
  std::vector<std::string> seen;
  hub.Subscribe(
      "s1", [&](const Notification& n) { seen.push_back(n.id); }, std::string("n1"));
  hub.Publish(Note("n5", "s1"), "", 0);
  EXPECT_EQ(seen, (std::vector<std::string>{"n3", "n4", "n5"}));

  std::vector<std::string> fresh; // no Last-Event-ID: only what comes next
  hub.Subscribe("s1", [&](const Notification& n) { fresh.push_back(n.id); });
  EXPECT_TRUE(fresh.empty());

  // An id the hub does not hold (say, from before a restart): everything held for the session.
  std::vector<std::string> unknown;
  hub.Subscribe(
      "s1", [&](const Notification& n) { unknown.push_back(n.id); }, std::string("gone"));
  EXPECT_EQ(unknown, (std::vector<std::string>{"n1", "n3", "n4", "n5"}));

  // The last one seen: nothing to replay.
  std::vector<std::string> up_to_date;
  hub.Subscribe(
      "s1", [&](const Notification& n) { up_to_date.push_back(n.id); }, std::string("n5"));
  EXPECT_TRUE(up_to_date.empty());
}

TEST(NotificationHub, HoldsABoundedNumberForReplay) {
  NotificationHub hub(nullptr);
  for (int i = 0; i < 3000; ++i)
    hub.Publish(Note("n" + std::to_string(i), "s1"), "", 0);
  std::vector<std::string> replayed;
  hub.Subscribe(
      "s1", [&](const Notification& n) { replayed.push_back(n.id); }, std::string("gone"));
  ASSERT_FALSE(replayed.empty());
  EXPECT_LE(replayed.size(), 1024u);
  EXPECT_EQ(replayed.back(), "n2999");
  // A subscriber that fails while catching up is still subscribed for what comes next.
  std::vector<std::string> later;
  bool fail = true;
  hub.Subscribe(
      "s1",
      [&](const Notification& n) {
        if (fail)
          throw std::runtime_error("a broken SSE stream");
        later.push_back(n.id);
      },
      std::string("n2990"));
  fail = false;
  hub.Publish(Note("n3000", "s1"), "", 0);
  EXPECT_EQ(later, (std::vector<std::string>{"n3000"}));
}

TEST(NotificationHub, QueuesWebhooksOncePerNotification) {
  const test::TempDir dir;
  const fs::path db = dir / "ssr.db";
  store::Database outbox_db(ssr::test::TestDatabase(db));
  WebhookOutbox outbox(outbox_db);
  NotificationHub hub(&outbox);
  Notification n = Note("n1", "s1");
  n.attempt = 2;
  hub.Publish(n, "http://127.0.0.1:1/hook", 1234);
  hub.Publish(n, "http://127.0.0.1:1/hook", 5678); // the same id again: not queued twice
  hub.Publish(Note("n2", "s1"), "", 1234);         // no webhook configured
  EXPECT_EQ(outbox.PendingCount(), 1);
  const auto entry = outbox.Find("n1");
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->next_try_at_ms, 1234);
  EXPECT_EQ(entry->body,
            R"({"at":"2026-01-01T00:00:00.000Z","attempt":2,"id":"n1","recording_id":"r1",)"
            R"("room":"main","session_id":"s1","title":"Bio","type":"recording.started"})");
  fs::remove(db);
}

} // namespace
} // namespace ssr::notify
