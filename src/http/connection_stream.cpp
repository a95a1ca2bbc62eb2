// The body of a response read from a stream (a remote storage backend, or a byte range of a
// part), written as it is read so that memory stays at one block per connection.

#include "http/connection.h"

#include <boost/beast/http.hpp>

#include <algorithm>
#include <vector>

namespace ssr::http {

Connection::BodyEnd Connection::WriteStreamed(StreamedResponse& res, std::istream& in,
                                              std::optional<uint64_t> length, size_t block_size,
                                              uint64_t& sent) {
  sent = 0;
  res.body().data = nullptr;
  res.body().more = true;
  beast_http::response_serializer<beast_http::buffer_body> serializer{res};
  boost::beast::error_code ec;
  // Each write (headers, a block, the end) must be taken within the request timeout.
  Deadline deadline(*this);
  exchange_.bytes += beast_http::write_header(socket_, serializer, ec);
  if (ec) {
    return BodyEnd::kClientGone;
  }
  std::vector<char> block(block_size);
  while (in && (!length || sent < *length)) {
    uint64_t want = block.size();
    if (length)
      want = std::min<uint64_t>(want, *length - sent);
    in.read(block.data(), static_cast<std::streamsize>(want));
    const auto got = static_cast<size_t>(in.gcount());
    if (got == 0)
      break;
    res.body().data = block.data();
    res.body().size = got;
    res.body().more = true;
    deadline.Restart();
    exchange_.bytes += beast_http::write(socket_, serializer, ec);
    if (ec == beast_http::error::need_buffer)
      ec = {};
    if (ec) {
      return BodyEnd::kClientGone; // a player that seeks does this often
    }
    sent += got;
  }
  if (in.bad() || (length && sent != *length)) {
    return BodyEnd::kSourceBrokeOff;
  }
  res.body().data = nullptr;
  res.body().size = 0;
  res.body().more = false;
  deadline.Restart();
  exchange_.bytes += beast_http::write(socket_, serializer, ec);
  return ec ? BodyEnd::kClientGone : BodyEnd::kComplete;
}

} // namespace ssr::http
