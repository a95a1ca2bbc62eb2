// GET and HEAD of a watch URL: the part's WebM with byte ranges (RFC 9110), so that a player
// can seek. A local file (the directory backend) is read from the asked offset; a remote
// backend is asked for the range itself (StorageBackend::OpenRange). What was written to the
// client is counted for the viewer report.

#include "http/byte_range.h"
#include "http/connection.h"

#include "common/log.h"

#include <boost/beast/http.hpp>

#include <fstream>

namespace ssr::http {
namespace {

namespace beast = boost::beast;
using beast_http::status;

template <typename Res> void SetMediaHeaders(Res& res, const WatchMedia& media) {
  res.set(beast_http::field::server, "ssr");
  res.set(beast_http::field::content_type, "video/webm");
  res.set(beast_http::field::accept_ranges, "bytes");
  res.set(beast_http::field::etag, media.etag);
  res.set(beast_http::field::cache_control, "private, no-store");
  res.set("X-Content-Type-Options", "nosniff");
}

} // namespace

bool Connection::SendWatch(const Route& route, const StringRequest& request) {
  const unsigned version = request.version();
  const bool head = request.method() == beast_http::verb::head;
  WatchMedia media;
  try {
    media = api_.WatchMediaFor(route);
  } catch (const std::exception& e) {
    bool keep_alive = request.keep_alive();
    const ApiError answer = AnswerFor(e, RequestLine(request, route.label), keep_alive);
    return SendError(answer, route.label, version, keep_alive);
  }
  ByteRange range = ParseByteRange(request[beast_http::field::range], media.size_bytes);
  // If-Range: a range only while the client's copy is the one we have (entity tag).
  if (const auto it = request.find(beast_http::field::if_range);
      it != request.end() && it->value() != media.etag) {
    range = ByteRange{};
  }
  const bool keep_alive = request.keep_alive() && !registry_.Stopping();
  if (range.kind == ByteRange::Kind::kUnsatisfiable) {
    Response res =
        ErrorResponse(ApiError(status::range_not_satisfiable, "range_not_satisfiable",
                               "Range '" + std::string(request[beast_http::field::range]) +
                                   "' asks for no byte of this part (" +
                                   std::to_string(media.size_bytes) + " bytes)"),
                      version, keep_alive);
    res.set(beast_http::field::content_range, "bytes */" + std::to_string(media.size_bytes));
    res.set(beast_http::field::accept_ranges, "bytes");
    return Send(res, route.label);
  }
  uint64_t first = 0;
  uint64_t length = media.size_bytes;
  beast_http::response<beast_http::buffer_body> res{status::ok, version};
  SetMediaHeaders(res, media);
  ApplyCommonHeaders(res);
  if (range.kind == ByteRange::Kind::kPartial) {
    first = range.first;
    length = range.length();
    res.result(status::partial_content);
    res.set(beast_http::field::content_range, "bytes " + std::to_string(range.first) + "-" +
                                                  std::to_string(range.last) + "/" +
                                                  std::to_string(media.size_bytes));
  }
  res.content_length(length);
  res.keep_alive(keep_alive);
  if (head) {
    beast_http::response<beast_http::empty_body> head_res{res.result(), version};
    for (const auto& field : res)
      head_res.set(field.name_string(), field.value());
    head_res.keep_alive(keep_alive);
    Answered(route.label, head_res.result_int());
    beast_http::response_serializer<beast_http::empty_body> serializer{head_res};
    beast::error_code ec;
    {
      const Deadline deadline(*this);
      exchange_.bytes += beast_http::write_header(socket_, serializer, ec);
    }
    return !ec && keep_alive;
  }
  std::unique_ptr<std::istream> in;
  try {
    if (!media.path.empty()) {
      auto file = std::make_unique<std::ifstream>(media.path, std::ios::binary);
      file->seekg(static_cast<std::streamoff>(first));
      if (!*file)
        throw ApiError::NotFound("the file of this part is missing");
      in = std::move(file);
    } else {
      in = api_.OpenWatchMedia(media, first, length);
    }
  } catch (const ApiError& e) {
    return SendError(e, route.label, version, request.keep_alive());
  }
  Answered(route.label, res.result_int());
  uint64_t sent = 0;
  const BodyEnd end = WriteStreamed(res, *in, length, size_t{64} * 1024, sent);
  api_.CountWatched(media, first, first + sent);
  if (end == BodyEnd::kSourceBrokeOff) {
    Logger("http")->error("{}: the part broke off after {} of {} bytes", route.label, sent, length);
  }
  return end == BodyEnd::kComplete && keep_alive;
}

} // namespace ssr::http
