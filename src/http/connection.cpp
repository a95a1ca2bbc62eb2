#include "http/connection.h"

#include "common/log.h"
#include "http/body_limits.h"
#include "http/download_name.h"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/file_base.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <poll.h>
#include <sys/socket.h>

#include <condition_variable>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>

namespace ssr::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using beast_http::status;

constexpr uint32_t kMaxHeaderBytes = 16 * 1024;

bool IsParseError(const beast::error_code& ec) {
  return ec.category() == beast_http::make_error_code(beast_http::error::bad_target).category();
}

ApiError TooLarge(uint64_t limit) {
  return ApiError(status::payload_too_large, "payload_too_large",
                  "body is larger than the limit of " + std::to_string(limit) + " bytes");
}

} // namespace

void RefuseConnection(asio::ip::tcp::socket& socket, Metrics& metrics, const AccessLog& access_log,
                      const std::string& why) {
  AccessRecord record{"-", AccessLog::kRefused, 503, 0, std::chrono::steady_clock::now(), ""};
  beast::error_code ignored;
  record.client = socket.remote_endpoint(ignored).address().to_string();
  Response res = ErrorResponse(
      ApiError(status::service_unavailable, "too_many_connections", why + "; retry later"), 11,
      false);
  res.set(beast_http::field::retry_after, "1");
  res.set("X-Content-Type-Options", "nosniff");
  metrics.CountRequest("other", res.result_int());
  // What the socket's send buffer takes, and no more: a client that does not read must not
  // hold up the accepting thread.
  socket.non_blocking(true, ignored);
  record.bytes = beast_http::write(socket, res, ignored);
  access_log.Write(record);
  socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

Connection::Connection(asio::ip::tcp::socket socket, uint64_t id, Api& api,
                       ConnectionRegistry& registry, Metrics& metrics, const AccessLog& access_log,
                       std::chrono::steady_clock::duration request_timeout)
    : socket_(std::move(socket)), id_(id), api_(api), registry_(registry), metrics_(metrics),
      access_log_(access_log), request_timeout_(request_timeout) {
  beast::error_code ec;
  const auto peer = socket_.remote_endpoint(ec);
  if (!ec) {
    client_address_ = peer.address().to_string();
  }
}

void Connection::Run() {
  metrics_.ConnectionOpened();
  for (;;) {
    if (!registry_.EnterIdle(id_, /*reapable=*/true)) {
      break;
    }
    cors_headers_.clear();
    HeaderParser parser;
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(std::numeric_limits<uint64_t>::max()); // checked per route
    beast::error_code ec;
    beast_http::read_header(socket_, buffer_, parser, ec);
    registry_.LeaveIdle(id_);
    exchange_ = {"-", AccessLog::kNoRoute, 0, 0, std::chrono::steady_clock::now(), client_address_};
    if (!ec) {
      const auto& header = parser.get();
      exchange_.method = AccessLog::MethodName(header.method_string(),
                                               header.method() != beast_http::verb::unknown);
    }
    if (ec) {
      if (ec == beast_http::error::header_limit) {
        SendError(
            ApiError(status::request_header_fields_too_large, "header_too_large",
                     "request header is larger than " + std::to_string(kMaxHeaderBytes) + " bytes"),
            "other", 11, false);
      } else if (IsParseError(ec) && ec != beast_http::error::end_of_stream &&
                 ec != beast_http::error::partial_message) {
        SendError(ApiError::BadRequest("malformed HTTP request: " + ec.message()), "other", 11,
                  false);
      }
      access_log_.Write(exchange_);
      break;
    }
    bool keep_open = false;
    try {
      keep_open = ServeRequest(parser);
    } catch (const std::exception& e) {
      Logger("http")->error("connection {}: {}", id_, e.what());
      SendError(ApiError::Internal(), "other", parser.get().version(), false);
    }
    access_log_.Write(exchange_);
    if (!keep_open || registry_.Stopping()) {
      break;
    }
  }
  beast::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  socket_.close(ignored);
  metrics_.ConnectionClosed();
}

bool Connection::ServeRequest(HeaderParser& parser) {
  const auto& header = parser.get();
  // Cross-origin calls: preflights are answered before routing and authentication.
  const std::string_view origin = header[beast_http::field::origin];
  cors_headers_ = api_.cors().ResponseHeaders(header.target(), origin);
  if (auto preflight =
          api_.cors().Preflight(header.method(), header.target(), origin, header.version(),
                                header.keep_alive() && parser.is_done())) {
    return Send(*preflight, "preflight");
  }
  std::string label;
  Route route;
  try {
    route = api_.Match(header, label);
    route.client_address = client_address_;
  } catch (const std::exception& e) { // e.g. the database, while checking a login cookie
    // The body, if any, is not read: close unless there was none.
    bool keep_alive = header.keep_alive() && parser.is_done();
    const ApiError answer = AnswerFor(e, RequestLine(header, label), keep_alive);
    return SendError(answer, label, header.version(), keep_alive);
  }
  if (route.kind == RouteKind::kEventsWebSocket && websocket::is_upgrade(header)) {
    RunWebSocket(route, parser);
    return false;
  }
  if (route.kind == RouteKind::kPutAsset) {
    return ReceiveAsset(route, parser);
  }
  return ReceiveBody(route, parser);
}

bool Connection::SendContinueIfExpected(const RequestHeader& header) {
  const auto it = header.find(beast_http::field::expect);
  if (it == header.end() || !beast::iequals(it->value(), "100-continue")) {
    return true;
  }
  beast_http::response<beast_http::empty_body> cont{status::continue_, header.version()};
  beast::error_code ec;
  const Deadline deadline(*this);
  exchange_.bytes += beast_http::write(socket_, cont, ec);
  return !ec;
}

bool Connection::ReceiveBody(const Route& route, HeaderParser& parser) {
  const unsigned version = parser.get().version();
  const uint64_t limit = BodyLimitFor(route.kind, api_.max_body_bytes());
  if (parser.content_length() && *parser.content_length() > limit) {
    return SendError(TooLarge(limit), route.label, version, false);
  }
  if (!SendContinueIfExpected(parser.get())) {
    return false;
  }
  beast_http::request_parser<beast_http::string_body> body_parser{std::move(parser)};
  body_parser.body_limit(limit);
  beast::error_code ec;
  {
    // The whole body (at most `limit` bytes) must arrive within the request timeout.
    const Deadline deadline(*this);
    beast_http::read(socket_, buffer_, body_parser, ec);
  }
  if (ec == beast_http::error::body_limit) {
    return SendError(TooLarge(limit), route.label, version, false);
  }
  if (ec) {
    if (IsParseError(ec) && ec != beast_http::error::partial_message) {
      SendError(ApiError::BadRequest("malformed HTTP body: " + ec.message()), route.label, version,
                false);
    }
    return false;
  }
  const StringRequest& request = body_parser.get();
  if (route.kind == RouteKind::kDownloadPart || route.kind == RouteKind::kPartChat ||
      route.kind == RouteKind::kWatchChat || route.kind == RouteKind::kWebAsset ||
      route.kind == RouteKind::kPartChapters || route.kind == RouteKind::kWatchChapters) {
    return SendFile(route, request);
  }
  if (route.kind == RouteKind::kWatch) {
    return SendWatch(route, request);
  }
  if (route.kind == RouteKind::kNotifications) {
    RunEventStream(route, request);
    return false;
  }
  Response res;
  try {
    res = api_.Handle(route, request);
  } catch (const std::exception& e) {
    bool keep_alive = request.keep_alive();
    const ApiError answer = AnswerFor(e, RequestLine(request, route.label), keep_alive);
    return SendError(answer, route.label, version, keep_alive);
  }
  return Send(res, route.label);
}

bool Connection::ReceiveAsset(const Route& route, HeaderParser& parser) {
  const unsigned version = parser.get().version();
  const uint64_t limit = api_.max_asset_bytes();
  if (parser.content_length() && *parser.content_length() > limit) {
    return SendError(TooLarge(limit), route.label, version, false);
  }
  if (!SendContinueIfExpected(parser.get())) {
    return false;
  }
  const std::filesystem::path temp = api_.AssetTempPath(route);
  beast_http::request_parser<beast_http::file_body> file_parser{std::move(parser)};
  file_parser.body_limit(limit);
  beast::error_code ec;
  file_parser.get().body().open(temp.c_str(), beast::file_mode::write, ec);
  if (ec) {
    Logger("http")->error("cannot create {}: {}", temp.string(), ec.message());
    return SendError(ApiError::Internal(), route.label, version, false);
  }
  {
    // An upload may be large: each piece, not the whole, must arrive within the request timeout.
    Deadline deadline(*this);
    while (!ec && !file_parser.is_done()) {
      deadline.Restart();
      beast_http::read_some(socket_, buffer_, file_parser, ec);
    }
  }
  file_parser.get().body().close();
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    if (ec == beast_http::error::body_limit) {
      return SendError(TooLarge(limit), route.label, version, false);
    }
    if (IsParseError(ec) && ec != beast_http::error::partial_message) {
      SendError(ApiError::BadRequest("malformed HTTP body: " + ec.message()), route.label, version,
                false);
    }
    return false;
  }
  const bool keep_alive = file_parser.get().keep_alive();
  Response res;
  try {
    res = api_.FinishAsset(route, version, keep_alive, temp);
  } catch (const std::exception& e) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    Logger("http")->error("asset {}: {}", route.param("name"), e.what());
    return SendError(ApiError::Internal(), route.label, version, false);
  }
  return Send(res, route.label);
}

void Connection::RunWebSocket(const Route& route, HeaderParser& parser) {
  websocket::stream<asio::ip::tcp::socket> ws(std::move(socket_));
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(beast_http::field::server, "ssr"); }));
  ws.read_message_max(api_.max_body_bytes());
  beast::error_code ec;
  ws.accept(parser.release(), ec);
  if (ec) {
    Answered(route.label, 400);
    return;
  }
  Answered(route.label, 101);
  metrics_.WebSocketOpened();
  Logger("http")->info("session {}: events WebSocket opened", route.session_id);
  for (;;) {
    if (!registry_.EnterIdle(id_, /*reapable=*/false)) {
      // Stopping. No close handshake: ws.close() would wait for the peer's answer.
      break;
    }
    beast::flat_buffer message;
    ws.read(message, ec);
    registry_.LeaveIdle(id_);
    if (ec) {
      break;
    }
    nlohmann::json reply;
    if (!ws.got_text()) {
      reply = ErrorJson(ApiError::BadRequest("binary messages are not events: send text"));
    } else {
      try {
        reply = api_.HandleWebSocketMessage(route, beast::buffers_to_string(message.data()));
      } catch (const std::exception& e) {
        Logger("http")->error("session {}: WebSocket: {}", route.session_id, e.what());
        reply = ErrorJson(ApiError::Internal());
      }
    }
    ws.text(true);
    {
      const Deadline deadline(*this);
      exchange_.bytes += ws.write(asio::buffer(reply.dump()), ec);
    }
    if (ec) {
      break;
    }
  }
  metrics_.WebSocketClosed();
  beast::error_code ignored;
  ws.next_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  ws.next_layer().close(ignored);
}

void Connection::RunEventStream(const Route& route, const StringRequest& request) {
  struct Queue {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<std::string> frames;
  };
  auto queue = std::make_shared<Queue>();
  const uint64_t token = api_.SubscribeNotifications(
      route, request.target(), request["Last-Event-ID"], [queue](std::string frame) {
        std::lock_guard lock(queue->mutex);
        queue->frames.push_back(std::move(frame));
        queue->ready.notify_one();
      });
  // The body has no length: it ends when the connection closes.
  std::string cors;
  for (const auto& [name, value] : cors_headers_)
    cors += name + ": " + value + "\r\n";
  std::string head = "HTTP/1.1 200 OK\r\nServer: ssr\r\nContent-Type: text/event-stream\r\n"
                     "Cache-Control: no-cache\r\nX-Accel-Buffering: no\r\nConnection: close\r\n"
                     "X-Content-Type-Options: nosniff\r\n" +
                     cors + "\r\n: notifications of session " + route.session_id + "\n\n";
  Answered(route.label, 200);
  Logger("http")->info("session {}: notification stream opened", route.session_id);
  beast::error_code ec;
  {
    const Deadline deadline(*this);
    exchange_.bytes += asio::write(socket_, asio::buffer(head), ec);
  }
  auto last_write = std::chrono::steady_clock::now();
  while (!ec) {
    if (!registry_.EnterIdle(id_, /*reapable=*/false)) {
      break; // stopping
    }
    std::deque<std::string> frames;
    {
      std::unique_lock lock(queue->mutex);
      queue->ready.wait_for(lock, std::chrono::milliseconds(250),
                            [&] { return !queue->frames.empty(); });
      frames.swap(queue->frames);
    }
    registry_.LeaveIdle(id_);
    if (registry_.Stopping()) {
      break;
    }
    // A client that closed its end: the socket reads as end of stream.
    pollfd p{socket_.native_handle(), POLLIN, 0};
    if (::poll(&p, 1, 0) > 0) {
      char byte = 0;
      if (::recv(socket_.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT) <= 0) {
        break;
      }
    }
    const auto now = std::chrono::steady_clock::now();
    if (frames.empty() && now - last_write > std::chrono::seconds(15)) {
      frames.push_back(": keep-alive\n\n");
    }
    for (const std::string& frame : frames) {
      {
        const Deadline deadline(*this);
        exchange_.bytes += asio::write(socket_, asio::buffer(frame), ec);
      }
      if (ec)
        break;
      last_write = now;
    }
  }
  api_.UnsubscribeNotifications(token);
  Logger("http")->info("session {}: notification stream closed", route.session_id);
}

void Connection::Answered(const std::string& label, unsigned status) {
  metrics_.CountRequest(label, status);
  exchange_.route = AccessLog::RouteName(label);
  exchange_.status = status;
}

bool Connection::Send(Response& res, const std::string& label) {
  ApplyCommonHeaders(res);
  if (registry_.Stopping()) {
    res.keep_alive(false);
  }
  Answered(label, res.result_int());
  beast::error_code ec;
  beast_http::response_serializer<beast_http::string_body> serializer{res};
  WriteWithDeadline(serializer, ec);
  return !ec && res.keep_alive();
}

bool Connection::SendFile(const Route& route, const StringRequest& request) {
  FileReply reply;
  beast_http::response<beast_http::file_body> res{status::ok, request.version()};
  try {
    reply = api_.FileFor(route);
    if (reply.stream) {
      return SendStream(route, request, reply);
    }
    beast::error_code ec;
    res.body().open(reply.path.c_str(), beast::file_mode::scan, ec);
    if (ec)
      throw ApiError::NotFound("the file of this part is missing");
  } catch (const std::exception& e) {
    bool keep_alive = request.keep_alive();
    const ApiError answer = AnswerFor(e, RequestLine(request, route.label), keep_alive);
    return SendError(answer, route.label, request.version(), keep_alive);
  }
  res.set(beast_http::field::server, "ssr");
  res.set(beast_http::field::content_type, reply.content_type);
  if (!reply.download_name.empty()) {
    res.set(beast_http::field::content_disposition, ContentDisposition(reply.download_name));
  }
  for (const auto& [name, value] : reply.headers)
    res.set(name, value);
  ApplyCommonHeaders(res);
  res.keep_alive(request.keep_alive() && !registry_.Stopping());
  res.prepare_payload();
  Answered(route.label, res.result_int());
  beast::error_code ec;
  beast_http::response_serializer<beast_http::file_body> serializer{res};
  WriteWithDeadline(serializer, ec);
  return !ec && res.keep_alive();
}

bool Connection::SendStream(const Route& route, const StringRequest& request, FileReply& reply) {
  beast_http::response<beast_http::buffer_body> res{status::ok, request.version()};
  res.set(beast_http::field::server, "ssr");
  res.set(beast_http::field::content_type, reply.content_type);
  if (!reply.download_name.empty()) {
    res.set(beast_http::field::content_disposition, ContentDisposition(reply.download_name));
  }
  for (const auto& [name, value] : reply.headers)
    res.set(name, value);
  ApplyCommonHeaders(res);
  if (reply.size_bytes) {
    res.content_length(*reply.size_bytes);
  } else {
    res.chunked(true);
  }
  res.keep_alive(request.keep_alive() && !registry_.Stopping());
  Answered(route.label, res.result_int());
  uint64_t sent = 0;
  const BodyEnd end = WriteStreamed(res, *reply.stream, reply.size_bytes, size_t{256} * 1024, sent);
  if (end == BodyEnd::kSourceBrokeOff) {
    Logger("http")->error("{}: the stored object broke off after {} bytes", route.label, sent);
  }
  return end == BodyEnd::kComplete && res.keep_alive();
}

bool Connection::SendError(const ApiError& error, const std::string& label, unsigned version,
                           bool keep_alive) {
  Response res = ErrorResponse(error, version, keep_alive);
  if (error.status() == status::method_not_allowed && error.details().contains("allow")) {
    res.set(beast_http::field::allow, error.details()["allow"].get<std::string>());
  }
  return Send(res, label);
}

} // namespace ssr::http
