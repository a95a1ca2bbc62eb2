#include "notify/webhook_outbox.h"

#include "store/schemas.h"

namespace ssr::notify {
namespace {

// webhook_outbox.delivered: 0 pending, 1 delivered, 2 given up.
constexpr int64_t kAbandoned = 2;

constexpr const char* kColumns =
    "seq, event_id, url, body, attempts, next_try_at_ms, delivered, last_error";

OutboxEntry ReadEntry(const store::Statement& s) {
  OutboxEntry e;
  e.seq = s.Int(0);
  e.event_id = s.Text(1);
  e.url = s.Text(2);
  e.body = s.Text(3);
  e.attempts = static_cast<int>(s.Int(4));
  e.next_try_at_ms = s.Int(5);
  e.delivered = s.Int(6) != 0;
  e.abandoned = s.Int(6) == kAbandoned;
  e.last_error = s.Text(7);
  return e;
}

} // namespace

WebhookOutbox::WebhookOutbox(store::Database& db) : db_(db) {}

void WebhookOutbox::Enqueue(const std::string& event_id, const std::string& url,
                            const std::string& body, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  store::Statement(db_, "INSERT INTO webhook_outbox (event_id, url, body, next_try_at_ms) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING;")
      .Bind(1, event_id)
      .Bind(2, url)
      .Bind(3, body)
      .Bind(4, now_ms)
      .Run();
}

std::vector<OutboxEntry> WebhookOutbox::Due(int64_t now_ms, int limit) {
  std::lock_guard lock(mutex_);
  const std::string sql = std::string("SELECT ") + kColumns +
                          " FROM webhook_outbox WHERE delivered = 0 AND next_try_at_ms <= ? "
                          "ORDER BY seq LIMIT ?;";
  store::Statement select(db_, sql.c_str());
  select.Bind(1, now_ms).Bind(2, int64_t{limit});
  std::vector<OutboxEntry> rows;
  while (select.Step()) {
    rows.push_back(ReadEntry(select));
  }
  return rows;
}

void WebhookOutbox::MarkDelivered(int64_t seq, int attempts) {
  std::lock_guard lock(mutex_);
  store::Statement(
      db_, "UPDATE webhook_outbox SET delivered = 1, attempts = ?, last_error = '' WHERE seq = ?;")
      .Bind(1, int64_t{attempts})
      .Bind(2, seq)
      .Run();
}

void WebhookOutbox::MarkAbandoned(int64_t seq, int attempts, int64_t at_ms,
                                  const std::string& error) {
  std::lock_guard lock(mutex_);
  store::Statement(db_,
                   "UPDATE webhook_outbox SET delivered = ?, attempts = ?, next_try_at_ms = ?, "
                   "last_error = ? WHERE seq = ?;")
      .Bind(1, kAbandoned)
      .Bind(2, int64_t{attempts})
      .Bind(3, at_ms)
      .Bind(4, error)
      .Bind(5, seq)
      .Run();
}

void WebhookOutbox::MarkFailed(int64_t seq, int attempts, int64_t next_try_at_ms,
                               const std::string& error) {
  std::lock_guard lock(mutex_);
  store::Statement(db_,
                   "UPDATE webhook_outbox SET attempts = ?, next_try_at_ms = ?, last_error = ? "
                   "WHERE seq = ?;")
      .Bind(1, int64_t{attempts})
      .Bind(2, next_try_at_ms)
      .Bind(3, error)
      .Bind(4, seq)
      .Run();
}

std::optional<OutboxEntry> WebhookOutbox::Find(const std::string& event_id) {
  std::lock_guard lock(mutex_);
  const std::string sql =
      std::string("SELECT ") + kColumns + " FROM webhook_outbox WHERE event_id = ?;";
  store::Statement select(db_, sql.c_str());
  select.Bind(1, event_id);
  if (!select.Step()) {
    return std::nullopt;
  }
  return ReadEntry(select);
}

int64_t WebhookOutbox::PendingCount() {
  std::lock_guard lock(mutex_);
  store::Statement count(db_, "SELECT COUNT(*) FROM webhook_outbox WHERE delivered = 0;");
  count.Step();
  return count.Int(0);
}

void WebhookOutbox::DeleteRowsOf(const std::string& recording_id) {
  // Bodies are compact JSON (nlohmann dump): the id appears as "recording_id":"<id>". Ids
  // may hold '_', a LIKE wildcard, so it is escaped.
  std::string pattern = "%\"recording_id\":\"";
  for (const char c : recording_id) {
    if (c == '_' || c == '%' || c == '\\')
      pattern += '\\';
    pattern += c;
  }
  pattern += "\"%";
  store::Statement(db_, "DELETE FROM webhook_outbox WHERE body LIKE ? ESCAPE '\\';")
      .Bind(1, pattern)
      .Run();
}

int64_t WebhookOutbox::PurgeDelivered(int64_t before_ms) {
  std::lock_guard lock(mutex_);
  store::Statement s(db_, "DELETE FROM webhook_outbox WHERE delivered <> 0 AND next_try_at_ms < ? "
                          "RETURNING seq;");
  s.Bind(1, before_ms);
  int64_t deleted = 0;
  while (s.Step())
    ++deleted;
  return deleted;
}

} // namespace ssr::notify
