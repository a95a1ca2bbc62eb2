#pragma once
// The page behind a share link (GET /s/{token}): asks for an e-mail address, then plays the
// recording's parts one after the other (a <video> with previous/next and the chat as a
// <track>). Nothing that plays is in the page itself: the watch URLs come from
// POST /s/{token}/views once an address is given.

#include <string>

namespace ssr::http {

// The page for a recording titled `title` (HTML-escaped here).
std::string SharePageHtml(const std::string& title);

// Its Content-Security-Policy: its own style and script only (by hash: no 'unsafe-inline'),
// requests to this origin only, no <base> (it would re-point the page's relative URLs), no
// forms sent anywhere, no framing.
const std::string& SharePageCsp();

// `text` with &, <, >, " and ' as character references.
std::string HtmlEscape(const std::string& text);

} // namespace ssr::http
