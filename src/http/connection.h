#pragma once
// One client connection, served on its own thread with blocking Beast calls: read a header,
// route it (auth and limits before any body is read), read the body into memory or, for
// assets, into a temporary file, answer; or upgrade to the events WebSocket.

#include "http/access_log.h"
#include "http/api.h"
#include "http/connection_registry.h"
#include "http/metrics.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <string>

#include <cstdint>
#include <istream>
#include <optional>

namespace ssr::http {

// Answers 503 too_many_connections (with Retry-After) on a connection the server has no room
// for, and closes it; `why` ends the message. Never blocks: the accepting thread calls it.
void RefuseConnection(boost::asio::ip::tcp::socket& socket, Metrics& metrics,
                      const AccessLog& access_log, const std::string& why);

class Connection {
 public:
  // `request_timeout`: how long a request body may take to arrive, and a block of a response
  // to be taken by the client (the registry closes the connection past it).
  Connection(boost::asio::ip::tcp::socket socket, uint64_t id, Api& api,
             ConnectionRegistry& registry, Metrics& metrics, const AccessLog& access_log,
             std::chrono::steady_clock::duration request_timeout);
  void Run();

 private:
  using HeaderParser = beast_http::request_parser<beast_http::empty_body>;

  // Answers one request; false when the connection must close after it.
  bool ServeRequest(HeaderParser& parser);
  bool ReceiveBody(const Route& route, HeaderParser& parser);
  bool ReceiveAsset(const Route& route, HeaderParser& parser);
  void RunWebSocket(const Route& route, HeaderParser& parser);
  // Server-Sent Events of a session's notifications until the client goes or the server
  // stops (checked every 250 ms); a comment line every 15 s keeps proxies from timing out.
  void RunEventStream(const Route& route, const StringRequest& request);
  bool SendContinueIfExpected(const RequestHeader& header);
  // While it lives, the blocking read or write under way must end within the request
  // timeout, else the registry's reaper shuts the socket down; Restart() gives the next piece
  // of a long transfer its own timeout. Blocking socket calls happen only under one.
  class Deadline {
   public:
    explicit Deadline(Connection& connection) : connection_(connection) { Restart(); }
    ~Deadline() { connection_.registry_.ClearDeadline(connection_.id_); }
    Deadline(const Deadline&) = delete;
    Deadline& operator=(const Deadline&) = delete;
    void Restart() {
      connection_.registry_.SetDeadline(connection_.id_, std::chrono::steady_clock::now() +
                                                             connection_.request_timeout_);
    }

   private:
    Connection& connection_;
  };
  // Writes a whole response piece by piece (Beast write_some), each piece within the request
  // timeout: a client that stops reading is dropped, a slow but steady one is not.
  template <typename Serializer>
  void WriteWithDeadline(Serializer& serializer, boost::beast::error_code& ec) {
    Deadline deadline(*this);
    while (!ec && !serializer.is_done()) {
      deadline.Restart();
      exchange_.bytes += beast_http::write_some(socket_, serializer, ec);
    }
  }
  // The request being answered was answered `status` (metrics under `label`, access log).
  void Answered(const std::string& label, unsigned status);
  // Sends `res`, counts it under `label`; false when the connection must close.
  bool Send(Response& res, const std::string& label);
  // Sends the file of a download route (Api::FileFor).
  bool SendFile(const Route& route, const StringRequest& request);
  // Sends a download read from a stream (a remote storage backend), as the stream delivers,
  // with Content-Length when the size is known, chunked otherwise.
  bool SendStream(const Route& route, const StringRequest& request, FileReply& reply);
  // connection_watch.cpp: GET or HEAD of a watch URL, with Range (206, 416).
  bool SendWatch(const Route& route, const StringRequest& request);

  enum class BodyEnd { kComplete, kClientGone, kSourceBrokeOff };
  using StreamedResponse = beast_http::response<beast_http::buffer_body>;
  // connection_stream.cpp: writes the headers of `res`, then `in` in blocks of `block_size`:
  // `length` bytes, or (nullopt) until `in` ends, as chunks. `sent` counts the body bytes the
  // socket took. Once the headers are out a source that breaks off can only cut the response
  // short, which the client sees as a failed transfer (the caller then closes).
  BodyEnd WriteStreamed(StreamedResponse& res, std::istream& in, std::optional<uint64_t> length,
                        size_t block_size, uint64_t& sent);
  bool SendError(const ApiError& error, const std::string& label, unsigned version,
                 bool keep_alive);
  // Adds what every response carries: the CORS headers of the request being answered
  // (cors_policy.h), and `X-Content-Type-Options: nosniff` so that a browser never takes a
  // JSON answer, a download or chat text for HTML or script.
  template <typename Res> void ApplyCommonHeaders(Res& res) const {
    for (const auto& [name, value] : cors_headers_)
      res.set(name, value);
    res.set("X-Content-Type-Options", "nosniff");
  }

  boost::asio::ip::tcp::socket socket_;
  const uint64_t id_;
  Api& api_;
  ConnectionRegistry& registry_;
  Metrics& metrics_;
  const AccessLog& access_log_;
  AccessRecord exchange_; // the request being answered, for the access log
  const std::chrono::steady_clock::duration request_timeout_;
  std::string client_address_; // the peer's IP address (rate limits)
  boost::beast::flat_buffer buffer_;
  HeaderList cors_headers_; // for the request being answered
};

} // namespace ssr::http
