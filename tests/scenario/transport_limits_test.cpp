// The transport's limits against hostile clients (docs/security.md, "Limits"), on the real
// `ssr serve` over loopback sockets: JSON nested too deep is refused while it is parsed
// (memory stays flat, the process lives), small routes refuse large bodies from their
// Content-Length, silent bodies and readers that stop reading are dropped after the request
// timeout, one address cannot hold more than its share of connections, and every response
// says nosniff.

#include "../support/serve_fixture.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <thread>

namespace ssr::test {
namespace {

namespace fs = std::filesystem;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using boost::asio::ip::tcp;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using Env = std::map<std::string, std::string>;

// A TCP connection to the server, opened at once; `receive_buffer_bytes` > 0 shrinks the
// socket's receive buffer before connecting (a client that reads slowly).
int Connect(int port, int receive_buffer_bytes = 0) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (receive_buffer_bytes > 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer_bytes, sizeof receive_buffer_bytes);
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  return fd;
}

void SendAll(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    ASSERT_GT(n, 0);
    sent += static_cast<size_t>(n);
  }
}

// Reads until the server closes the connection (true) or nothing comes for `quiet_ms`
// (false); `received` counts the bytes.
bool ReadUntilClosed(int fd, int quiet_ms, uint64_t& received) {
  char buf[64 * 1024];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, quiet_ms) <= 0) {
      return false;
    }
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      return true; // end of stream, or reset
    }
    received += static_cast<uint64_t>(n);
  }
}

std::string ErrorCode(const httplib::Result& res) {
  return json::parse(res->body)["error"]["code"].get<std::string>();
}

std::string ErrorMessage(const httplib::Result& res) {
  return json::parse(res->body)["error"]["message"].get<std::string>();
}

class TransportLimits : public ::testing::Test {
 protected:
  void TearDown() override {
    if (HasFailure() && server_) {
      std::cerr << "--- server log ---\n" << server_->Log();
    }
  }
  void Start(Env env = {}) { server_ = std::make_unique<ServeProcess>(std::move(env)); }

  std::unique_ptr<ServeProcess> server_;
};

// H3 and M1: 16 MiB of '[' would build 16 million arrays (about 1 GB) before failing; an event
// nested 200,000 deep used to overflow the stack of later recursive code (SIGSEGV).
TEST_F(TransportLimits, DeepJsonIsRefusedWhileParsingAndMemoryStaysFlat) {
  Start();
  auto cli = server_->Client();
  cli.set_read_timeout(60, 0);
  ASSERT_EQ(server_->CreateSession({{"id", "deep"}, {"title", "Deep"}})->status, 201);
  const long peak_before_kib = server_->PeakRssKiB();
  ASSERT_GT(peak_before_kib, 0);

  const std::string brackets((16u << 20) - 1, '[');
  auto flood =
      cli.Post("/api/v1/sessions/deep/events", server_->Auth(), brackets, "application/json");
  ASSERT_TRUE(flood);
  EXPECT_EQ(flood->status, 400);
  EXPECT_EQ(ErrorCode(flood), "invalid_json");
  EXPECT_THAT(ErrorMessage(flood), HasSubstr("nesting is too deep"));

  const std::string deep_event = R"({"t":0,"type":"chat.message","from":"a","text":"x","a":)" +
                                 std::string(200000, '[') + std::string(200000, ']') + "}";
  auto deep =
      cli.Post("/api/v1/sessions/deep/events", server_->Auth(), deep_event, "application/json");
  ASSERT_TRUE(deep) << "the server did not answer (crashed?)";
  EXPECT_EQ(deep->status, 400);
  EXPECT_EQ(ErrorCode(deep), "invalid_json");

  // Login parses before it checks anything: the same limit, within its small body limit.
  auto login = cli.Post("/api/v1/login", std::string(3000, '['), "application/json");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 400);
  EXPECT_THAT(ErrorMessage(login), HasSubstr("nesting is too deep"));

  // The events WebSocket takes the same parser.
  {
    boost::asio::io_context io;
    websocket::stream<tcp::socket> ws(io);
    ws.next_layer().connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                          static_cast<uint16_t>(server_->port())));
    ws.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
      req.set(beast::http::field::authorization, std::string("Bearer ") + kApiKey);
    }));
    ws.handshake("127.0.0.1", "/api/v1/sessions/deep/events/ws");
    ws.text(true);
    ws.write(boost::asio::buffer(deep_event));
    beast::flat_buffer buffer;
    ws.read(buffer);
    const json reply = json::parse(beast::buffers_to_string(buffer.data()));
    EXPECT_EQ(reply["error"]["code"], "invalid_json") << reply.dump();
  }

  auto live = cli.Get("/livez");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200);
  const long growth_kib = server_->PeakRssKiB() - peak_before_kib;
  EXPECT_LT(growth_kib, 100 * 1024) << "peak memory grew by " << growth_kib << " KiB";
  std::cout << "[ measured ] VmHWM growth over the deep-JSON requests: " << growth_kib << " KiB\n";
}

// Login, share-link views and the other small routes refuse a large body from its
// Content-Length, before reading it; the events route keeps the server's max_body_bytes.
TEST_F(TransportLimits, SmallRoutesRefuseLargeBodiesFromTheirContentLength) {
  Start();
  const std::string login =
      RawExchange(server_->port(), "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                   "application/json\r\nContent-Length: 1000000\r\n\r\n");
  EXPECT_THAT(login, StartsWith("HTTP/1.1 413"));
  EXPECT_THAT(login, HasSubstr("payload_too_large"));
  EXPECT_THAT(login, HasSubstr("16384 bytes"));

  const std::string views = RawExchange(
      server_->port(),
      "POST /s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/views HTTP/1.1\r\nHost: x\r\n"
      "Content-Type: application/json\r\nContent-Length: 65536\r\n\r\n");
  EXPECT_THAT(views, StartsWith("HTTP/1.1 413"));

  ASSERT_EQ(server_->CreateSession({{"id", "big"}, {"title", "Big"}})->status, 201);
  json batch = json::array();
  for (int i = 0; i < 2000; ++i) {
    batch.push_back({{"t", 1}, {"type", "chat.message"}, {"from", "a"}, {"text", "hello"}});
  }
  ASSERT_GT(batch.dump().size(), 64u * 1024);
  auto events = server_->PostEvents("big", batch);
  ASSERT_TRUE(events);
  EXPECT_NE(events->status, 413) << events->body;
}

// H1: with a small per-address cap and request timeout, sockets that send a header with
// Content-Length: 100 and then nothing fill the cap (one more gets 503 too_many_connections
// with Retry-After), and are closed once the timeout passes; then the server answers again.
TEST_F(TransportLimits, SilentBodiesAreClosedAfterTheRequestTimeoutAndTheCapHolds) {
  Start({{"SSR_MAX_CONNECTIONS", "16"},
         {"SSR_MAX_CONNECTIONS_PER_ADDRESS", "4"},
         {"SSR_REQUEST_TIMEOUT_S", "2"},
         {"SSR_IDLE_TIMEOUT_S", "60"}});
  // Four held sockets. The fixture's own connection (its /livez) may still be counted for a
  // moment: a socket answered at once (503) is retried.
  std::vector<int> silent;
  for (int tries = 0; silent.size() < 4 && tries < 20; ++tries) {
    const int fd = Connect(server_->port());
    SendAll(fd, "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                "application/json\r\nContent-Length: 100\r\n\r\n");
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 200) > 0) {
      ::close(fd); // refused: not held
      continue;
    }
    silent.push_back(fd);
  }
  ASSERT_EQ(silent.size(), 4u);
  const std::string refused =
      RawExchange(server_->port(), "GET /livez HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_THAT(refused, StartsWith("HTTP/1.1 503"));
  EXPECT_THAT(refused, HasSubstr("too_many_connections"));
  EXPECT_THAT(refused, HasSubstr("Retry-After: 1"));

  std::this_thread::sleep_for(std::chrono::seconds(4)); // past the 2 s timeout and a reap
  for (const int fd : silent) {
    uint64_t received = 0;
    EXPECT_TRUE(ReadUntilClosed(fd, 1000, received)) << "a silent body is still open";
    ::close(fd);
  }
  auto live = server_->Client().Get("/livez");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200);
}

// H1, the write side: a client that asks for a large file and never reads is dropped once a
// piece of the response waits longer than the request timeout; it never gets the whole file.
TEST_F(TransportLimits, AReaderThatStopsReadingIsDropped) {
  const TempDir web;
  fs::create_directories(web.path() / "assets");
  constexpr uint64_t kFileBytes = 64ull << 20; // far more than the sockets' buffers
  {
    std::ofstream out(web.path() / "assets" / "big.bin", std::ios::binary);
    const std::string block(1 << 20, 'x');
    for (uint64_t i = 0; i < kFileBytes / block.size(); ++i) {
      out << block;
    }
  }
  Start({{"SSR_WEB_DIR", web.string()}, {"SSR_REQUEST_TIMEOUT_S", "2"}});
  const int fd = Connect(server_->port(), /*receive_buffer_bytes=*/4096);
  SendAll(fd, "GET /assets/big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
  std::this_thread::sleep_for(std::chrono::seconds(5)); // never reading, past the timeout
  uint64_t received = 0;
  const bool closed = ReadUntilClosed(fd, 3000, received);
  ::close(fd);
  EXPECT_TRUE(closed) << "the connection was not closed";
  EXPECT_LT(received, kFileBytes) << "the whole file was sent to a reader that stopped";
  std::cout << "[ measured ] a stalled reader got " << received << " of " << kFileBytes
            << " bytes before it was dropped\n";
  auto live = server_->Client().Get("/livez");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200);
}

// L12: every response, success or error, JSON or not, says nosniff.
TEST_F(TransportLimits, EveryResponseSaysNosniff) {
  Start();
  auto cli = server_->Client();
  for (const char* path :
       {"/livez", "/metrics", "/api/v1/openapi.json", "/no/such/path", "/api/v1/recordings", "/"}) {
    auto res = cli.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff")
        << path << " answered " << res->status;
  }
}

} // namespace
} // namespace ssr::test
