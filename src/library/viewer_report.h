#pragma once
// The viewer report of a recording (R16): per viewer (a share link's e-mail address, or a
// logged-in user), when they first and last opened it, how often, and how much they watched.
// "How much", per part: the spans their player reported it played, merged (seconds watched
// twice count once), when it reported any; otherwise what ssr served: the byte ranges their
// watch URLs delivered, merged, turned into seconds with the part's duration/size ratio.

#include "library/watch_store.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ssr::library {

struct PartExtent {
  uint64_t size_bytes = 0;
  double duration_s = 0;
};

struct ViewerRow {
  std::string email;
  double first_view_s = 0;
  double last_view_s = 0;
  int views = 0;
  uint64_t bytes_watched = 0; // distinct bytes served, over all parts
  double watched_s = 0;       // seconds of recording watched
  std::string kind = "link";  // "link" or "user"
  std::string name;           // a user's name ("" for link viewers)
};

// Total length of the union of half-open intervals [first, end).
uint64_t MergedLength(std::vector<std::pair<uint64_t, uint64_t>> intervals);

// One row per viewer (kind and e-mail address), in order of first view. `parts` maps part
// numbers to extents.
std::vector<ViewerRow> BuildViewerReport(const std::vector<ShareView>& views,
                                         const std::vector<ServedRange>& served,
                                         const std::map<int, PartExtent>& parts,
                                         const std::vector<WatchedSpan>& played = {});

// One CSV field (RFC 4180 quoting). Text that a spreadsheet would run as a formula (starting
// with '=', '+', '-', '@', tab or carriage return) gets a leading apostrophe first.
std::string CsvField(const std::string& text);

// The report as CSV with a header row; times as RFC 3339 through `format_time`.
std::string ViewerReportCsv(const std::vector<ViewerRow>& rows,
                            std::string (*format_time)(double unix_s));

} // namespace ssr::library
