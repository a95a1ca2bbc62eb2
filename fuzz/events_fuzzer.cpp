// Fuzzes the event parser and the reducer together: each input line is parsed, and every
// event that parses is folded into one session state. Neither may crash, hang or trip a
// sanitizer, whatever the bytes; rejected lines must be EventError, nothing else.

#include "events/event_parser.h"
#include "events/room_state.h"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ssr::events::SessionState state;
  std::vector<std::string> warnings;
  double last_t = 0;
  int line = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    ++line;
    try {
      ssr::events::Event e = ssr::events::ParseEventLine(text.substr(start, end - start), line);
      if (e.t >= last_t) { // the bundle loader rejects time going backwards
        last_t = e.t;
        state.Apply(e, &warnings);
      }
    } catch (const ssr::events::EventError&) {
      // expected for malformed lines
    }
    start = end + 1;
  }
  return 0;
}
