#include "http/web_app.h"

#include "http/share_page.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <map>

namespace ssr::http {
namespace {

using beast_http::status;

constexpr size_t kMaxAssetNameBytes = 200;

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
    "style-src 'self' 'unsafe-inline'; frame-ancestors 'self'";

bool PlainFileName(const std::string& name) {
  if (name.empty() || name.size() > kMaxAssetNameBytes || name.front() == '.')
    return false;
  if (name.find("..") != std::string::npos)
    return false;
  return std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return c > 0x20 && c < 0x7f && c != '/' && c != '\\'; });
}

} // namespace

void SetPageHeaders(Response& res) {
  res.set(beast_http::field::server, "ssr");
  res.set("Content-Security-Policy", kContentSecurityPolicy);
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set(beast_http::field::cache_control, "no-cache");
}

Response PersonPage(status code, const std::string& heading, const std::string& text,
                    unsigned version, bool keep_alive) {
  Response res{code, version};
  SetPageHeaders(res);
  res.set(beast_http::field::content_type, "text/html; charset=utf-8");
  res.keep_alive(keep_alive);
  const std::string h = HtmlEscape(heading);
  res.body() = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<title>" +
               h +
               "</title>\n"
               "<style>body{font-family:sans-serif;margin:3em auto;max-width:40em;padding:0 1em;"
               "color:#1a1a1a;background:#fff}h1{font-size:1.5em}</style>\n"
               "</head>\n<body>\n<main>\n<h1>" +
               h + "</h1>\n<p>" + HtmlEscape(text) + "</p>\n</main>\n</body>\n</html>\n";
  res.prepare_payload();
  return res;
}

std::string ContentTypeOf(const std::filesystem::path& file) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".webmanifest", "application/manifest+json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/vnd.microsoft.icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".vtt", "text/vtt; charset=utf-8"},
  };
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

WebApp::WebApp(std::filesystem::path dir) : dir_(std::move(dir)) {}

bool WebApp::Built() const {
  std::error_code ec;
  return std::filesystem::is_regular_file(dir_ / "index.html", ec);
}

Response WebApp::Index(unsigned version, bool keep_alive) const {
  std::ifstream in(dir_ / "index.html", std::ios::binary);
  if (!in) {
    return PersonPage(status::service_unavailable, "The web app is not built",
                      "This server has no web app to show yet. Build it with `make build`, or "
                      "set web_dir (SSR_WEB_DIR) to the directory of a build. The API works "
                      "without it.",
                      version, keep_alive);
  }
  Response res{status::ok, version};
  SetPageHeaders(res);
  res.set(beast_http::field::content_type, "text/html; charset=utf-8");
  res.keep_alive(keep_alive);
  res.body().assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  res.prepare_payload();
  return res;
}

std::optional<std::filesystem::path> WebApp::Asset(const std::string& name) const {
  if (!PlainFileName(name))
    return std::nullopt;
  const std::filesystem::path path = dir_ / "assets" / name;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return std::nullopt;
  return path;
}

} // namespace ssr::http
