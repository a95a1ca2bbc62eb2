// The web app's pages and assets (http/web_app.h), and the page behind a share link: the
// app's index.html when the link is live (the built-in share page when the app is not
// built), a page for people when it is unknown (404), revoked or expired (410).

#include "http/api.h"

#include "http/share_page.h"

namespace ssr::http {
namespace {

using beast_http::status;
using nlohmann::json;

} // namespace

Response Api::WebPage(const Route&, const StringRequest& request) {
  return web_.Index(request.version(), request.keep_alive());
}

FileReply Api::WebAssetFile(const Route& route) {
  const auto path = web_.Asset(route.param("file"));
  if (!path)
    throw ApiError::NotFound("no asset '" + route.param("file") + "' in the web app");
  FileReply reply;
  reply.path = *path;
  reply.content_type = ContentTypeOf(*path);
  reply.headers = {{"Cache-Control", "no-cache"}, {"X-Content-Type-Options", "nosniff"}};
  return reply;
}

Response Api::SharePage(const Route& route, const StringRequest& request) {
  const unsigned version = request.version();
  const bool keep_alive = request.keep_alive();
  control::Recording recording;
  try {
    recording = LiveLink(route.param("token")).second;
  } catch (const ApiError& e) {
    // For people, not programs: what happened, in words.
    Response res =
        e.code() == "link_revoked"
            ? PersonPage(status::gone, "This link has been revoked",
                         "Whoever shared this recording has withdrawn the link. Ask them for "
                         "a new one if you still need it.",
                         version, keep_alive)
        : e.code() == "link_expired"
            ? PersonPage(status::gone, "This link has expired",
                         "This link to a recording was valid for a limited time only. Ask "
                         "whoever shared it for a new one.",
                         version, keep_alive)
        : e.status() == status::not_found && watch_->FindLink(route.param("token"))
            ? PersonPage(status::not_found, "This recording no longer exists",
                         "The recording this link pointed to has been deleted.", version,
                         keep_alive)
            : PersonPage(e.status() == status::gone ? status::gone : status::not_found,
                         "This link does not exist",
                         "Check that the address is complete, or ask whoever shared it for a "
                         "new link.",
                         version, keep_alive);
    res.set(beast_http::field::cache_control, "no-store");
    return res;
  }
  if (web_.Built()) {
    Response res = web_.Index(version, keep_alive);
    res.set(beast_http::field::cache_control, "no-store");
    return res;
  }
  // No web app: the built-in page asks for an e-mail address and plays the parts.
  Response res{status::ok, version};
  res.set(beast_http::field::server, "ssr");
  res.set(beast_http::field::content_type, "text/html; charset=utf-8");
  res.keep_alive(keep_alive);
  res.body() = SharePageHtml(recording.title);
  res.prepare_payload();
  res.set(beast_http::field::cache_control, "no-store");
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Content-Security-Policy", SharePageCsp());
  return res;
}

} // namespace ssr::http
