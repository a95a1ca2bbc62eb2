#include "http/router.h"

#include <algorithm>
#include <stdexcept>

namespace ssr::http {
namespace {

std::vector<std::string> SplitPattern(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::logic_error("route pattern '" + std::string(pattern) + "' must start with '/'");
  }
  std::vector<std::string> segments;
  size_t start = 1;
  while (true) {
    const size_t end = pattern.find('/', start);
    segments.emplace_back(pattern.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos)
      break;
    start = end + 1;
  }
  return segments;
}

bool IsParam(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

} // namespace

std::vector<std::string> PatternParams(std::string_view pattern) {
  std::vector<std::string> names;
  for (const std::string& segment : SplitPattern(pattern)) {
    if (IsParam(segment)) {
      std::string name = segment.substr(1, segment.size() - 2);
      if (name.find_first_of("{}/") != std::string::npos ||
          std::find(names.begin(), names.end(), name) != names.end()) {
        throw std::logic_error("route pattern '" + std::string(pattern) +
                               "': bad or repeated param '" + name + "'");
      }
      names.push_back(std::move(name));
    } else if (segment.find_first_of("{}") != std::string::npos) {
      throw std::logic_error("route pattern '" + std::string(pattern) +
                             "': a param must be a whole segment");
    }
  }
  return names;
}

std::string JoinVerbs(const std::vector<beast_http::verb>& verbs) {
  std::string joined;
  std::vector<beast_http::verb> seen;
  for (const beast_http::verb v : verbs) {
    if (std::find(seen.begin(), seen.end(), v) != seen.end())
      continue;
    seen.push_back(v);
    if (!joined.empty())
      joined += ", ";
    joined += std::string(beast_http::to_string(v));
  }
  return joined;
}

RouteTable::RouteTable(const std::vector<RouteRow>& rows, bool with_test_only) {
  for (const RouteRow& row : rows) {
    if (!row.test_only || with_test_only)
      rows_.push_back(&row);
  }
  for (const RouteRow* row : rows_) {
    PatternParams(row->pattern); // throws when malformed
    if (row->verbs.empty()) {
      throw std::logic_error("route " + row->pattern + " takes no verb");
    }
    Compiled c;
    c.segments = SplitPattern(row->pattern);
    for (const std::string& s : c.segments)
      c.is_param.push_back(IsParam(s));
    compiled_.push_back(std::move(c));
  }
  // Two different patterns that one path could match would make the table's order matter.
  for (size_t i = 0; i < compiled_.size(); ++i) {
    for (size_t j = i + 1; j < compiled_.size(); ++j) {
      const Compiled& a = compiled_[i];
      const Compiled& b = compiled_[j];
      if (rows_[i]->pattern == rows_[j]->pattern || a.segments.size() != b.segments.size()) {
        continue;
      }
      bool overlap = true;
      for (size_t k = 0; k < a.segments.size() && overlap; ++k) {
        overlap = a.is_param[k] || b.is_param[k] || a.segments[k] == b.segments[k];
      }
      if (overlap) {
        throw std::logic_error("route patterns " + rows_[i]->pattern + " and " + rows_[j]->pattern +
                               " can match the same path");
      }
    }
  }
}

bool RouteTable::Matches(const Compiled& c, const std::vector<std::string>& segments) const {
  if (c.segments.size() != segments.size())
    return false;
  for (size_t k = 0; k < segments.size(); ++k) {
    if (!c.is_param[k] && c.segments[k] != segments[k])
      return false;
  }
  return true;
}

RouteTable::Found RouteTable::Find(beast_http::verb verb,
                                   const std::vector<std::string>& segments) const {
  Found found;
  std::vector<beast_http::verb> verbs;
  for (size_t i = 0; i < rows_.size(); ++i) {
    const RouteRow* row = rows_[i];
    if (!found.pattern.empty() ? row->pattern != found.pattern : !Matches(compiled_[i], segments)) {
      continue;
    }
    if (found.pattern.empty()) {
      found.pattern = row->pattern;
      found.first = row;
      const Compiled& c = compiled_[i];
      for (size_t k = 0; k < segments.size(); ++k) {
        if (c.is_param[k]) {
          found.params.push_back({c.segments[k].substr(1, c.segments[k].size() - 2), segments[k]});
        }
      }
    }
    verbs.insert(verbs.end(), row->verbs.begin(), row->verbs.end());
    if (!found.row && std::find(row->verbs.begin(), row->verbs.end(), verb) != row->verbs.end()) {
      found.row = row;
    }
  }
  found.allow = JoinVerbs(verbs);
  return found;
}

} // namespace ssr::http
