"""demo_api.py: the HTTP calls of the live demo (scripts/demo), with the standard library only.

Api talks to one `ssr serve` as the platform (its API key), as a session's media ingest (the
ingest token) or as a logged-in user (the ssr_session cookie of POST /api/v1/login).
Every failure raises ApiError naming the request, the status and the server's error message.
"""

import http.client
import json
import time
import urllib.parse


class ApiError(Exception):
    def __init__(self, message, status=None, body=None):
        super().__init__(message)
        self.status = status
        self.body = body


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8")) if self.body else None

    def header(self, name):
        return self.headers.get(name.lower())


class Api:
    def __init__(self, host, port, api_key, timeout_s=30):
        self.host = host
        self.port = port
        self.api_key = api_key
        self.timeout_s = timeout_s

    @property
    def base_url(self):
        return f"http://{self.host}:{self.port}"

    def request(self, method, path, body=None, headers=None, token="platform", cookie=None,
                content_type=None, expect=None):
        """Sends one request. token: "platform" (the API key), None, or a Bearer token.
        body: a dict/list (sent as JSON) or bytes. expect: the statuses that are not an error
        (default: any 2xx)."""
        all_headers = dict(headers or {})
        if token == "platform":
            all_headers["Authorization"] = "Bearer " + self.api_key
        elif token:
            all_headers["Authorization"] = "Bearer " + token
        if cookie:
            all_headers["Cookie"] = cookie
        data = None
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode("utf-8")
            all_headers["Content-Type"] = "application/json"
        elif body is not None:
            data = body
            all_headers["Content-Type"] = content_type or "application/octet-stream"
        elif method in ("POST", "PUT", "PATCH"):
            data = b"{}"
            all_headers["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout_s)
        try:
            conn.request(method, path, body=data, headers=all_headers)
            res = conn.getresponse()
            reply = Reply(res.status, {k.lower(): v for k, v in res.getheaders()}, res.read())
        except OSError as e:
            raise ApiError(f"{method} {path}: no answer from {self.base_url} ({e})") from e
        finally:
            conn.close()
        ok = reply.status in expect if expect else 200 <= reply.status < 300
        if not ok:
            raise ApiError(f"{method} {path}: HTTP {reply.status}: {error_message(reply)}",
                           reply.status, reply.body)
        return reply

    def get(self, path, **kw):
        return self.request("GET", path, **kw).json()

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw).json()

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body, **kw).json()

    def login(self, email, password):
        """Logs a built-in account in; returns its cookie ("ssr_session=...")."""
        reply = self.request("POST", "/api/v1/login", {"email": email, "password": password},
                             token=None)
        set_cookie = reply.header("set-cookie") or ""
        cookie = set_cookie.split(";", 1)[0]
        if not cookie.startswith("ssr_session="):
            raise ApiError(f"POST /api/v1/login as {email}: no ssr_session cookie in the answer "
                           f"(Set-Cookie: {set_cookie!r})")
        return cookie

    def wait_ready(self, timeout_s, alive):
        """Waits until GET /readyz answers 200; alive() says whether the server still runs."""
        deadline = time.monotonic() + timeout_s
        last = "no answer"
        while time.monotonic() < deadline:
            if not alive():
                raise ApiError("ssr serve exited while starting")
            try:
                reply = self.request("GET", "/readyz", token=None, expect=range(100, 600))
                if reply.status == 200:
                    return
                last = f"HTTP {reply.status}"
            except ApiError as e:
                last = str(e)
            time.sleep(0.1)
        raise ApiError(f"ssr serve did not become ready within {timeout_s} s ({last})")


def error_message(reply):
    try:
        body = json.loads(reply.body.decode("utf-8"))
        return body["error"]["message"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        text = reply.body[:300].decode("utf-8", "replace").strip()
        return text or "(empty body)"


def quote(segment):
    return urllib.parse.quote(segment, safe="")
