#include "library/viewer_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ssr::library {

uint64_t MergedLength(std::vector<std::pair<uint64_t, uint64_t>> intervals) {
  std::sort(intervals.begin(), intervals.end());
  uint64_t total = 0;
  bool open = false;
  uint64_t start = 0;
  uint64_t end = 0;
  for (const auto& [first, last] : intervals) {
    if (last <= first) continue;
    if (open && first <= end) {
      end = std::max(end, last);
      continue;
    }
    if (open) total += end - start;
    open = true;
    start = first;
    end = last;
  }
  if (open) total += end - start;
  return total;
}

std::vector<ViewerRow> BuildViewerReport(const std::vector<ShareView>& views,
                                         const std::vector<ServedRange>& served,
                                         const std::map<int, PartExtent>& parts) {
  std::vector<ViewerRow> rows;
  std::map<std::string, size_t> index;
  for (const ShareView& v : views) {
    auto [it, added] = index.try_emplace(v.email, rows.size());
    if (added) {
      rows.push_back({v.email, v.viewed_at_s, v.viewed_at_s, 0, 0, 0});
    }
    ViewerRow& row = rows[it->second];
    row.first_view_s = std::min(row.first_view_s, v.viewed_at_s);
    row.last_view_s = std::max(row.last_view_s, v.viewed_at_s);
    ++row.views;
  }
  std::map<std::pair<std::string, int>, std::vector<std::pair<uint64_t, uint64_t>>> by_part;
  for (const ServedRange& r : served) by_part[{r.email, r.part}].push_back({r.first, r.end});
  for (auto& [key, intervals] : by_part) {
    const auto row = index.find(key.first);
    const auto part = parts.find(key.second);
    if (row == index.end() || part == parts.end()) continue;  // a deleted part: not counted
    uint64_t bytes = std::min(MergedLength(std::move(intervals)), part->second.size_bytes);
    rows[row->second].bytes_watched += bytes;
    if (part->second.size_bytes > 0) {
      rows[row->second].watched_s += part->second.duration_s * static_cast<double>(bytes) /
                                     static_cast<double>(part->second.size_bytes);
    }
  }
  for (ViewerRow& row : rows) row.watched_s = std::round(row.watched_s * 100) / 100;
  return rows;
}

std::string CsvField(const std::string& text) {
  std::string value = text;
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' ||
                         value[0] == '@' || value[0] == '\t' || value[0] == '\r')) {
    value.insert(value.begin(), '\'');
  }
  if (value.find_first_of(",\"\r\n'") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string ViewerReportCsv(const std::vector<ViewerRow>& rows,
                            std::string (*format_time)(double unix_s)) {
  std::string csv = "email,first_view_at,last_view_at,views,watched_s,bytes_watched\r\n";
  for (const ViewerRow& row : rows) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", row.watched_s);
    csv += CsvField(row.email) + "," + CsvField(format_time(row.first_view_s)) + "," +
           CsvField(format_time(row.last_view_s)) + "," + std::to_string(row.views) + "," +
           seconds + "," + std::to_string(row.bytes_watched) + "\r\n";
  }
  return csv;
}

}  // namespace ssr::library
