#pragma once
// The Range request header for one resource of known size (RFC 9110, section 14): which
// bytes to send. Only single `bytes=` ranges are served as 206; anything else a client may
// send (other units, several ranges, bad syntax) is ignored and the whole resource is sent
// (200), as RFC 9110 allows. Ranges that all start past the end are unsatisfiable (416).

#include <cstdint>
#include <string_view>

namespace ssr::http {

struct ByteRange {
  enum class Kind {
    kWhole,         // no Range, or one to ignore: 200 with everything
    kPartial,       // 206 with bytes [first, last]
    kUnsatisfiable, // 416 with Content-Range: bytes */size
  };
  Kind kind = Kind::kWhole;
  uint64_t first = 0;
  uint64_t last = 0; // inclusive
  uint64_t length() const { return last - first + 1; }
};

// `header` is the Range value ("" when absent); `size` the resource's length in bytes.
ByteRange ParseByteRange(std::string_view header, uint64_t size);

} // namespace ssr::http
