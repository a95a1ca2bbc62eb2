#include "library/viewer_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace ssr::library {

uint64_t MergedLength(std::vector<std::pair<uint64_t, uint64_t>> intervals) {
  std::sort(intervals.begin(), intervals.end());
  uint64_t total = 0;
  bool open = false;
  uint64_t start = 0;
  uint64_t end = 0;
  for (const auto& [first, last] : intervals) {
    if (last <= first)
      continue;
    if (open && first <= end) {
      end = std::max(end, last);
      continue;
    }
    if (open)
      total += end - start;
    open = true;
    start = first;
    end = last;
  }
  if (open)
    total += end - start;
  return total;
}

std::vector<ViewerRow> BuildViewerReport(const std::vector<ShareView>& views,
                                         const std::vector<ServedRange>& served,
                                         const std::map<int, PartExtent>& parts,
                                         const std::vector<WatchedSpan>& played) {
  using Viewer = std::pair<std::string, std::string>; // kind, e-mail
  std::vector<ViewerRow> rows;
  std::map<Viewer, size_t> index;
  for (const ShareView& v : views) {
    auto [it, added] = index.try_emplace({v.kind, v.email}, rows.size());
    if (added) {
      ViewerRow row;
      row.email = v.email;
      row.first_view_s = row.last_view_s = v.viewed_at_s;
      row.kind = v.kind;
      rows.push_back(row);
    }
    ViewerRow& row = rows[it->second];
    row.first_view_s = std::min(row.first_view_s, v.viewed_at_s);
    row.last_view_s = std::max(row.last_view_s, v.viewed_at_s);
    if (!v.name.empty())
      row.name = v.name;
    ++row.views;
  }
  using Key = std::pair<Viewer, int>; // and the part
  std::map<Key, std::vector<std::pair<uint64_t, uint64_t>>> bytes;
  for (const ServedRange& r : served)
    bytes[{{r.kind, r.email}, r.part}].push_back({r.first, r.end});
  std::map<Key, std::vector<std::pair<double, double>>> spans;
  for (const WatchedSpan& s : played)
    spans[{{s.kind, s.email}, s.part}].push_back({s.from_s, s.to_s});
  std::set<Key> keys;
  for (const auto& [key, _] : bytes)
    keys.insert(key);
  for (const auto& [key, _] : spans)
    keys.insert(key);
  for (const Key& key : keys) {
    const auto row = index.find(key.first);
    const auto part = parts.find(key.second);
    if (row == index.end() || part == parts.end())
      continue; // a deleted part: not counted
    const PartExtent& extent = part->second;
    ViewerRow& out = rows[row->second];
    uint64_t served_bytes = 0;
    if (const auto it = bytes.find(key); it != bytes.end()) {
      served_bytes = std::min(MergedLength(it->second), extent.size_bytes);
    }
    out.bytes_watched += served_bytes;
    if (const auto it = spans.find(key); it != spans.end()) {
      double seconds = 0;
      for (const auto& [from, to] : MergeSpans(it->second)) {
        seconds += std::max(0.0, std::min(to, extent.duration_s) - std::max(from, 0.0));
      }
      out.watched_s += seconds;
    } else if (extent.size_bytes > 0) {
      out.watched_s += extent.duration_s * static_cast<double>(served_bytes) /
                       static_cast<double>(extent.size_bytes);
    }
  }
  for (ViewerRow& row : rows)
    row.watched_s = std::round(row.watched_s * 100) / 100;
  return rows;
}

std::string CsvField(const std::string& text) {
  std::string value = text;
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' ||
                         value[0] == '\t' || value[0] == '\r')) {
    value.insert(value.begin(), '\'');
  }
  if (value.find_first_of(",\"\r\n'") == std::string::npos)
    return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"')
      quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string ViewerReportCsv(const std::vector<ViewerRow>& rows,
                            std::string (*format_time)(double unix_s)) {
  std::string csv = "email,first_view_at,last_view_at,views,watched_s,bytes_watched,kind,name\r\n";
  for (const ViewerRow& row : rows) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", row.watched_s);
    csv += CsvField(row.email) + "," + CsvField(format_time(row.first_view_s)) + "," +
           CsvField(format_time(row.last_view_s)) + "," + std::to_string(row.views) + "," +
           seconds + "," + std::to_string(row.bytes_watched) + "," + CsvField(row.kind) + "," +
           CsvField(row.name) + "\r\n";
  }
  return csv;
}

} // namespace ssr::library
