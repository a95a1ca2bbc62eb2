#include "control_fixture.h"

#include "../support/test_database.h"
#include "store/database.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <stdexcept>

namespace ssr::test {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::map<std::string, std::string> ControlEnv() {
  return {{"SSR_TEST_FAULTS", "1"},
          {"SSR_CONTROL_TICK_MS", "100"},
          {"SSR_WEBHOOK_BACKOFF_BASE_MS", "200"},
          {"SSR_WEBHOOK_BACKOFF_MAX_MS", "1000"}};
}

httplib::Result PutSettings(ServeProcess& server, const json& settings) {
  return server.Client().Put("/api/v1/settings", server.Auth(), settings.dump(),
                             "application/json");
}

Classroom::Classroom(ServeProcess& server, std::string sid, const std::string& title, json extra)
    : server_(server), sid_(std::move(sid)) {
  extra["id"] = sid_;
  extra["title"] = title;
  auto res = server_.CreateSession(extra);
  if (!res || res->status != 201) {
    throw std::runtime_error("cannot create session " + sid_ + ": " +
                             (res ? res->body : "no answer"));
  }
}

Classroom::~Classroom() { StopHeartbeat(); }

double Classroom::Now() const {
  std::lock_guard lock(mutex_);
  return t0_ ? std::chrono::duration<double>(Clock::now() - *t0_).count() : 0;
}

double Classroom::Post(json event) {
  std::lock_guard lock(mutex_); // t never decreases, even with the heartbeat posting too
  if (!t0_)
    t0_ = Clock::now();
  const double t =
      std::round(std::chrono::duration<double>(Clock::now() - *t0_).count() * 1000) / 1000;
  event["t"] = t;
  auto res = server_.PostEvents(sid_, event);
  if (!res || res->status != 202) {
    throw std::runtime_error("event " + event.dump() +
                             " refused: " + (res ? res->body : "no answer"));
  }
  return t;
}

void Classroom::StartHeartbeat() {
  heartbeat_on_ = true;
  heartbeat_ = std::thread([this] {
    while (heartbeat_on_) {
      for (int i = 0; i < 10 && heartbeat_on_; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (!heartbeat_on_)
        break;
      try {
        Post({{"type", "layout"}, {"sidebar", "open"}});
      } catch (const std::exception&) {
        // The server may be gone (a restart test): the next beat tries again.
      }
    }
  });
}

void Classroom::StopHeartbeat() {
  heartbeat_on_ = false;
  if (heartbeat_.joinable())
    heartbeat_.join();
}

double Classroom::Join(const std::string& id, const std::string& role, const std::string& room) {
  return Post({{"type", "participant.join"},
               {"id", id},
               {"name", "Name " + id},
               {"role", role},
               {"room", room}});
}
double Classroom::Move(const std::string& id, const std::string& to) {
  return Post({{"type", "participant.move"}, {"id", id}, {"to", to}});
}
double Classroom::Leave(const std::string& id, const std::string& reason) {
  return Post({{"type", "participant.leave"}, {"id", id}, {"reason", reason}});
}
double Classroom::OpenRoom(const std::string& id, const std::string& name, bool auto_record) {
  return Post({{"type", "room.open"}, {"id", id}, {"name", name}, {"auto_record", auto_record}});
}
double Classroom::CloseRoom(const std::string& id) {
  return Post({{"type", "room.close"}, {"id", id}});
}

json Classroom::Start(const json& body) {
  auto res = server_.Client().Post("/api/v1/sessions/" + sid_ + "/recordings", server_.Auth(),
                                   body.dump(), "application/json");
  if (!res || res->status != 202) {
    throw std::runtime_error(
        "start refused: " +
        (res ? std::to_string(res->status) + " " + res->body : std::string("no answer")));
  }
  return json::parse(res->body);
}

httplib::Result StopRecording(ServeProcess& server, const std::string& rid) {
  return server.Client().Post("/api/v1/recordings/" + rid + "/stop", server.Auth(), "",
                              "application/json");
}

json GetRecording(ServeProcess& server, const std::string& rid) {
  auto res = server.Client().Get("/api/v1/recordings/" + rid, server.Auth());
  if (!res || res->status != 200) {
    throw std::runtime_error("GET recording " + rid + ": " + (res ? res->body : "no answer"));
  }
  return json::parse(res->body);
}

json WaitStatus(ServeProcess& server, const std::string& rid, const std::string& status,
                double timeout_s) {
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(static_cast<int>(timeout_s * 1000));
  json r;
  do {
    r = GetRecording(server, rid);
    if (r["status"] == status)
      return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (Clock::now() < deadline);
  return r;
}

int DownloadPart(ServeProcess& server, const std::string& rid, int n,
                 const std::filesystem::path& path) {
  auto res = server.Client().Get(
      "/api/v1/recordings/" + rid + "/parts/" + std::to_string(n) + "/download", server.Auth());
  if (!res)
    return -1;
  if (res->status == 200) {
    std::ofstream(path, std::ios::binary) << res->body;
  }
  return res->status;
}

std::map<std::string, std::string>
S3ControlEnv(const std::string& endpoint, const std::string& bucket, const std::string& prefix) {
  auto env = ControlEnv();
  env.insert({{"SSR_STORAGE_KIND", "s3"},
              {"SSR_S3_ENDPOINT", endpoint},
              {"SSR_S3_BUCKET", bucket},
              {"SSR_S3_REGION", "us-east-1"},
              {"SSR_S3_ACCESS_KEY", "S3RVER"},
              {"SSR_S3_SECRET_KEY", "S3RVER"},
              {"SSR_S3_PREFIX", prefix}});
  return env;
}

void Exec(const std::filesystem::path& db, const std::string& sql) {
  store::Database database(TestDatabase(db));
  database.Exec(sql);
}

int64_t CountRows(const std::filesystem::path& db, const std::string& sql, const std::string& arg) {
  store::Database database(TestDatabase(db));
  store::Statement count(database, sql);
  count.Bind(1, arg);
  return count.Step() ? count.Int(0) : -1;
}

NotificationStream::NotificationStream(const ServeProcess& server, const std::string& sid,
                                       const std::string& participant,
                                       const std::string& last_event_id) {
  const std::string request =
      "GET /api/v1/sessions/" + sid + "/notifications" +
      (participant.empty() ? "" : "?participant=" + participant) +
      " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kApiKey +
      "\r\nAccept: text/event-stream\r\n" +
      (last_event_id.empty() ? "" : "Last-Event-ID: " + last_event_id + "\r\n") + "\r\n";
  Open(server.port(), request);
}

NotificationStream::NotificationStream(const ServeProcess& server, const std::string& target,
                                       const std::vector<std::string>& headers) {
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n";
  for (const std::string& h : headers)
    request += h + "\r\n";
  Open(server.port(), request + "\r\n");
}

void NotificationStream::Open(int port, const std::string& request) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  ::inet_pton(AF_INET, ServeHost().c_str(), &addr.sin_addr);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    throw std::runtime_error("cannot connect for notifications");
  }
  ::send(fd_, request.data(), request.size(), MSG_NOSIGNAL);
  thread_ = std::thread([this] { Read(); });
  bool open = false;
  {
    std::unique_lock lock(mutex_);
    open = changed_.wait_for(lock, std::chrono::seconds(10), [this] {
      return header_done_ || closed_;
    }) && header_done_;
  }
  if (!open) { // the destructor does not run for a constructor that throws
    stop_ = true;
    thread_.join();
    ::close(fd_);
    throw std::runtime_error("notification stream did not open: " + raw_);
  }
}

NotificationStream::~NotificationStream() {
  stop_ = true;
  if (thread_.joinable())
    thread_.join();
  ::close(fd_);
}

void NotificationStream::Read() {
  char buf[4096];
  while (!stop_) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0)
      continue;
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    std::lock_guard lock(mutex_);
    if (n <= 0) {
      closed_ = true;
      changed_.notify_all();
      return;
    }
    raw_.append(buf, static_cast<size_t>(n));
    Parse();
    changed_.notify_all();
  }
}

void NotificationStream::Parse() {
  if (!header_done_) {
    const size_t end = raw_.find("\r\n\r\n");
    if (end == std::string::npos)
      return;
    if (raw_.rfind("HTTP/1.1 200", 0) != 0) {
      closed_ = true;
      return;
    }
    parsed_ = end + 4;
    header_done_ = true;
  }
  for (size_t end; (end = raw_.find("\n\n", parsed_)) != std::string::npos; parsed_ = end + 2) {
    const std::string frame = raw_.substr(parsed_, end - parsed_);
    Note note;
    size_t start = 0;
    while (start <= frame.size()) {
      size_t nl = frame.find('\n', start);
      if (nl == std::string::npos)
        nl = frame.size();
      const std::string line = frame.substr(start, nl - start);
      if (line.rfind("id: ", 0) == 0)
        note.id = line.substr(4);
      if (line.rfind("event: ", 0) == 0)
        note.event = line.substr(7);
      if (line.rfind("data: ", 0) == 0)
        note.data = json::parse(line.substr(6));
      start = nl + 1;
    }
    if (!note.event.empty())
      notes_.push_back(std::move(note));
  }
}

std::vector<Note> NotificationStream::Notes() const {
  std::lock_guard lock(mutex_);
  return notes_;
}

std::vector<std::string> NotificationStream::Types(const std::string& recording_id) const {
  std::vector<std::string> types;
  for (const Note& n : Notes()) {
    if (!recording_id.empty() && n.data.value("recording_id", "") != recording_id)
      continue;
    std::string type = n.event;
    if (n.data.contains("attempt"))
      type += "#" + std::to_string(n.data["attempt"].get<int>());
    types.push_back(type);
  }
  return types;
}

bool NotificationStream::WaitFor(const std::function<bool(const Note&)>& match,
                                 double timeout_s) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, std::chrono::milliseconds(static_cast<int>(timeout_s * 1000)),
                           [&] {
                             for (const Note& n : notes_) {
                               if (match(n))
                                 return true;
                             }
                             return false;
                           });
}

bool NotificationStream::WaitForType(const std::string& recording_id, const std::string& event,
                                     double timeout_s) const {
  return WaitFor(
      [&](const Note& n) {
        return n.event == event && n.data.value("recording_id", "") == recording_id;
      },
      timeout_s);
}

bool NotificationStream::WaitClosed(double timeout_s) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, std::chrono::milliseconds(static_cast<int>(timeout_s * 1000)),
                           [&] { return closed_; });
}

std::string NotificationStream::Raw() const {
  std::lock_guard lock(mutex_);
  return raw_;
}

} // namespace ssr::test
