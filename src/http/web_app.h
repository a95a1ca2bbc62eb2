#pragma once
// The web app (docs/web.md) as `ssr serve` hands it out, from the directory of its build
// (setting web_dir): index.html for every page of the app (the app reads location.pathname
// to know which page it is), the files of assets/, and small pages for people when the app is
// not built or a share link cannot be opened. Nothing here knows about recordings.

#include "http/api_error.h"

#include <filesystem>
#include <optional>
#include <string>

namespace ssr::http {

// The headers of an HTML page of ours: Content-Security-Policy (same origin only; media may
// also come from blob:), X-Content-Type-Options, Referrer-Policy, Cache-Control: no-cache.
void SetPageHeaders(Response& res);

// A small HTML page for people: a heading and one paragraph (both HTML-escaped here).
Response PersonPage(beast_http::status status, const std::string& heading, const std::string& text,
                    unsigned version, bool keep_alive);

// The Content-Type of a file of the app, from its extension (application/octet-stream when
// unknown).
std::string ContentTypeOf(const std::filesystem::path& file);

class WebApp {
 public:
  explicit WebApp(std::filesystem::path dir);

  // True when index.html is there (`make build` has run).
  bool Built() const;

  // index.html with the page headers; 503 with a page saying to run `make build` when the
  // app is not built.
  Response Index(unsigned version, bool keep_alive) const;

  // The file web_dir/assets/{name}: nullopt when `name` is not a plain file name (no '/',
  // no "..", no leading '.') or there is no such regular file.
  std::optional<std::filesystem::path> Asset(const std::string& name) const;

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

} // namespace ssr::http
