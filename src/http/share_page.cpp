#include "http/share_page.h"

#include "auth/sodium_init.h"

#include <sodium.h>

#include <cstring>

namespace ssr::http {
namespace {

constexpr const char* kPageHead = R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>)html";

constexpr const char* kPageBody = R"html(</title>
<style>)html";

// The page's only style and script: the Content-Security-Policy allows exactly these two
// (by their SHA-256), so nothing injected into the page could run or restyle it.
constexpr const char* kStyle = R"css(
body { font-family: sans-serif; margin: 2em auto; max-width: 960px; padding: 0 1em; }
video { width: 100%; background: #000; }
#error { color: #b00020; }
[hidden] { display: none !important; }
)css";

constexpr const char* kAfterStyle = R"html(</style>
</head>
<body>
<h1 id="title">)html";

constexpr const char* kPageTail = R"html(</h1>
<form id="ask" novalidate>
  <p>Enter your e-mail address to watch this recording.</p>
  <label>E-mail <input id="email" name="email" type="email" autocomplete="email" required maxlength="254"></label>
  <button type="submit">Watch</button>
</form>
<p id="error" role="alert"></p>
<section id="player" hidden>
  <video id="video" controls preload="metadata" crossorigin="anonymous"></video>
  <p>
    <button id="prev" type="button">Previous part</button>
    <span id="which"></span>
    <button id="next" type="button">Next part</button>
  </p>
</section>
<script>)html";

constexpr const char* kScript = R"js(
"use strict";
(function () {
  const form = document.getElementById("ask");
  const error = document.getElementById("error");
  const video = document.getElementById("video");
  const which = document.getElementById("which");
  let parts = [];
  let current = 0;

  function show(i, autoplay) {
    current = i;
    const part = parts[i];
    video.textContent = "";
    video.src = part.url;
    if (part.chat_url) {
      const track = document.createElement("track");
      track.kind = "subtitles";
      track.label = "Chat";
      track.srclang = "en";
      track.src = part.chat_url;
      track.default = true;
      video.appendChild(track);
    }
    which.textContent = "Part " + part.n + " of " + parts.length;
    document.getElementById("prev").disabled = i === 0;
    document.getElementById("next").disabled = i === parts.length - 1;
    if (autoplay) video.play().catch(function () {});
  }

  document.getElementById("prev").addEventListener("click", function () { if (current > 0) show(current - 1, true); });
  document.getElementById("next").addEventListener("click", function () { if (current < parts.length - 1) show(current + 1, true); });
  video.addEventListener("ended", function () { if (current < parts.length - 1) show(current + 1, true); });

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    error.textContent = "";
    const email = document.getElementById("email").value;
    let res;
    try {
      res = await fetch(location.pathname.replace(/\/$/, "") + "/views", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: email }),
      });
    } catch (e) {
      error.textContent = "The server could not be reached.";
      return;
    }
    const body = await res.json().catch(function () { return {}; });
    if (!res.ok) {
      error.textContent = (body.error && body.error.message) || ("Error " + res.status);
      return;
    }
    parts = body.watch || [];
    if (parts.length === 0) {
      error.textContent = "This recording has no part to watch yet.";
      return;
    }
    form.hidden = true;
    document.getElementById("player").hidden = false;
    show(0, false);
  });
})();
)js";

constexpr const char* kPageEnd = R"html(</script>
</body>
</html>
)html";

// 'sha256-BASE64' of `text`, as a Content-Security-Policy source.
std::string CspHash(const char* text) {
  auth::InitSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text), std::strlen(text));
  char base64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(base64, sizeof base64, digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL);
  return "'sha256-" + std::string(base64) + "'";
}

} // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string SharePageHtml(const std::string& title) {
  const std::string escaped = HtmlEscape(title);
  return std::string(kPageHead) + escaped + kPageBody + kStyle + kAfterStyle + escaped + kPageTail +
         kScript + kPageEnd;
}

const std::string& SharePageCsp() {
  static const std::string kPolicy =
      "default-src 'none'; script-src " + CspHash(kScript) + "; style-src " + CspHash(kStyle) +
      "; connect-src 'self'; media-src 'self'; base-uri 'none'; form-action 'none'; "
      "frame-ancestors 'none'";
  return kPolicy;
}

} // namespace ssr::http
