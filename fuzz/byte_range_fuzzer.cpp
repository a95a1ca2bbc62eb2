// Fuzzes the Range header of GET /watch/{token} (http::ParseByteRange): the first 8 input
// bytes are the resource's size (little-endian; also tried as 0 and 1 byte), the rest the
// header value. It has no error to throw: whatever the header, the answer is the whole
// resource, a range that lies within it (first <= last < size), or 416 — and never a range
// of an empty resource. (If-Range is a plain comparison with the ETag in connection_watch.cpp,
// not parsed: nothing to fuzz there.)

#include "http/byte_range.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

void Check(std::string_view header, uint64_t size) {
  using Kind = ssr::http::ByteRange::Kind;
  const ssr::http::ByteRange range = ssr::http::ParseByteRange(header, size);
  switch (range.kind) {
  case Kind::kWhole:
    break;
  case Kind::kPartial:
    if (size == 0 || range.first > range.last || range.last >= size ||
        range.length() != range.last - range.first + 1 || range.length() > size)
      std::abort();
    break;
  case Kind::kUnsatisfiable:
    break;
  default:
    std::abort();
  }
  // Surrounding spaces and tabs are not part of the value (RFC 9110 field values).
  std::string padded = " \t";
  padded.append(header);
  padded += "\t ";
  const ssr::http::ByteRange again = ssr::http::ParseByteRange(padded, size);
  if (again.kind != range.kind || again.first != range.first || again.last != range.last)
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 8)
    return 0;
  uint64_t resource_size = 0;
  std::memcpy(&resource_size, data, 8);
  const std::string_view header(reinterpret_cast<const char*>(data) + 8, size - 8);
  Check(header, resource_size);
  Check(header, resource_size % 4096); // small sizes, where ranges often fit
  Check(header, 0);
  Check(header, 1);
  return 0;
}
