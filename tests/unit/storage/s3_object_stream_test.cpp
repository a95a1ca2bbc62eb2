// A GET that breaks off midway: a one-connection server on 127.0.0.1 announces more bytes
// than it sends, then closes (after a pause, so that Open has returned). The stream must go bad
// (never look like a short object), and say why.

#include "storage/s3_object_stream.h"
#include "storage/s3_storage.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace ssr::storage {
namespace {

class ShortAnswerServer {
 public:
  // Answers one request with 200, Content-Length `announced`, and `sent` bytes of 'x'.
  ShortAnswerServer(size_t announced, size_t sent) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len);
    ::listen(listen_fd_, 1);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, announced, sent] {
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) {
        return;
      }
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
          break;
        }
        request.append(buf, static_cast<size_t>(n));
      }
      const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(announced) +
                                 "\r\n\r\n" + std::string(sent, 'x');
      ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
      // The reader gets the first bytes before the connection ends.
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      ::close(fd);
    });
  }
  ~ShortAnswerServer() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    thread_.join();
    ::close(listen_fd_);
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

TEST(S3ObjectStream, ATransferThatBreaksOffMakesTheStreamBad) {
  ShortAnswerServer server(/*announced=*/100000, /*sent=*/1000);
  S3Storage storage(S3Config::FromJson({{"kind", "s3"},
                                        {"endpoint", server.endpoint()},
                                        {"bucket", "ssr-test"},
                                        {"access_key", "AK"},
                                        {"secret_key", "SK"},
                                        {"attempts", 1}}));
  auto in = storage.Open("recordings/r1/part-1.webm");
  std::string got(200000, '\0');
  in->read(got.data(), static_cast<std::streamsize>(got.size()));
  // (gcount() is not checked: libstdc++ leaves it at 0 when the buffer throws mid-read.)
  EXPECT_TRUE(in->bad()) << "a short object must not read as a complete one";
  const auto* stream = dynamic_cast<const S3ObjectStream*>(in.get());
  ASSERT_NE(stream, nullptr);
  EXPECT_NE(stream->failure().find("S3 GET 'recordings/r1/part-1.webm'"), std::string::npos)
      << stream->failure();
}

} // namespace
} // namespace ssr::storage
