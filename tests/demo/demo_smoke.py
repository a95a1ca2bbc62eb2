#!/usr/bin/python3
"""demo_smoke.py: scripts/demo (what `make demo` runs) end to end, as ctest `demo_smoke`.

  demo_smoke.py                 runs the checks below; exit 0 when all pass
  demo_smoke.py --check OUT     the SSR_DEMO_CHECK hook: checks the ready demo through its API
                                and writes what passed to OUT (one JSON object)

1. Bad settings are refused before anything starts, naming what is wrong: SSR_DEMO_PORT=0,
   SSR_DEMO_CLASS_SECONDS=5, a port already taken. Ctrl-C (SIGINT) while the class plays
   stops the server and the four publishers (exit 130, nothing left running).
2. A 25 s class on a free port in a temporary data directory with SSR_DEMO_EXIT_WHEN_READY=1
   and this file as SSR_DEMO_CHECK, which asserts through the API while the server runs: the
   host logs in (and a wrong password does not), the main recording is ready with 2 parts,
   the breakout recording is ready, student1 (logged in) has the main recording in
   GET /api/v1/recordings and may watch it but not download it (shared for streaming), the
   share link page answers 200, each main part has a video and an audio stream (ffprobe).
   The demo must exit 0, print the logins and URLs, and leave no process behind (no server,
   no publisher).

Environment: SSR_BINARY (the ssr to run), SSR_SOURCE_DIR (the repository; default: ../..).
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.environ.get("SSR_SOURCE_DIR") or os.path.dirname(os.path.dirname(HERE))
DEMO = os.path.join(REPO, "scripts", "demo")
CLASS_S = 25
TIME_LIMIT_S = 150


def fail(message):
    print(f"FAIL: {message}", flush=True)
    sys.exit(1)


def expect(cond, message):
    if not cond:
        fail(message)
    print(f"ok: {message}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_demo(env_extra, timeout_s):
    env = dict(os.environ, **env_extra)
    proc = subprocess.run([DEMO], env=env, capture_output=True, text=True, timeout=timeout_s)
    return proc.returncode, proc.stdout + proc.stderr


# --- the SSR_DEMO_CHECK hook ------------------------------------------------------------------

class Client:
    def __init__(self, url, api_key):
        host_port = url.split("//", 1)[1]
        self.host, port = host_port.rsplit(":", 1)
        self.port = int(port)
        self.api_key = api_key

    def call(self, method, path, body=None, cookie=None, platform=False):
        headers = {}
        if platform:
            headers["Authorization"] = "Bearer " + self.api_key
        if cookie:
            headers["Cookie"] = cookie
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        conn.request(method, path, body=data, headers=headers)
        res = conn.getresponse()
        payload = res.read()
        conn.close()
        return res.status, dict((k.lower(), v) for k, v in res.getheaders()), payload

    def login(self, email, password):
        status, headers, body = self.call("POST", "/api/v1/login", {"email": email, "password": password})
        return status, headers.get("set-cookie", "").split(";", 1)[0], body


def check(out_path):
    summary = json.load(open(os.environ["SSR_DEMO_SUMMARY"]))
    c = Client(os.environ["SSR_DEMO_URL"], os.environ["SSR_DEMO_API_KEY"])
    password = os.environ["SSR_DEMO_PASSWORD"]
    passed = []

    def ok(cond, what):
        if not cond:
            json.dump({"passed": passed, "failed": what}, open(out_path, "w"))
            fail(what)
        passed.append(what)

    status, cookie, body = c.login("host@example.org", password)
    ok(status == 200 and cookie.startswith("ssr_session="),
       f"host logs in (HTTP {status}{'' if status == 200 else ' ' + repr(body[:200])})")
    status, _, body = c.call("GET", "/api/v1/me", cookie=cookie)
    ok(status == 200 and json.loads(body)["user"]["email"] == "host@example.org",
       "GET /api/v1/me is the host")
    status, _, _ = c.login("host@example.org", password + "x")
    ok(status == 401, f"a wrong password is refused (HTTP {status})")

    status, _, body = c.call("GET", f"/api/v1/recordings/{summary['main_recording']}", platform=True)
    main = json.loads(body)
    ok(status == 200 and main["status"] == "ready", f"the main recording is ready ({main.get('status')})")
    ok(len(main["parts"]) == 2 and all(p["status"] == "ready" for p in main["parts"]),
       f"the main recording has 2 ready parts (host left and came back): {main['parts']}")
    ok(main["title"] == "Photosynthesis 101", f"the main recording's title ({main['title']!r})")

    status, _, body = c.call("GET", f"/api/v1/recordings/{summary['breakout_recording']}", platform=True)
    breakout = json.loads(body)
    ok(status == 200 and breakout["status"] == "ready" and breakout["room"] == "leaf-lab"
       and breakout["automatic"] and len(breakout["parts"]) >= 1,
       f"the breakout recording (auto-record) is ready: {breakout.get('status')}, {breakout.get('room')}")

    status, student, _ = c.login("student1@example.org", password)
    ok(status == 200, f"student1 logs in (HTTP {status})")
    status, _, body = c.call("GET", "/api/v1/recordings", cookie=student)
    ids = [r["id"] for r in json.loads(body)["recordings"]] if status == 200 else []
    ok(summary["main_recording"] in ids, f"student1 sees the shared main recording ({ids})")
    status, _, body = c.call("POST", f"/api/v1/recordings/{summary['main_recording']}/parts/1/watch",
                             {}, cookie=student)
    ok(status == 201 and json.loads(body)["url"].startswith("/watch/"),
       f"student1 may watch part 1 (HTTP {status} {body[:120]!r})")
    status, _, _ = c.call("GET", f"/api/v1/recordings/{summary['main_recording']}/parts/1/download",
                          cookie=student)
    ok(status == 403, f"student1 may not download it: shared for streaming only (HTTP {status})")

    link_path = summary["share_url"].split(summary["url"].rstrip("/"), 1)[1]
    status, headers, _ = c.call("GET", link_path)
    hint = " (the web app is not built: make web)" if status == 503 else ""
    ok(status == 200 and headers.get("content-type", "").startswith("text/html"),
       f"the share link page {link_path[:12]}... answers 200 HTML (HTTP {status}){hint}")

    with tempfile.TemporaryDirectory() as tmp:
        for part in main["parts"]:
            status, _, body = c.call("GET", f"/api/v1/recordings/{main['id']}/parts/{part['n']}/download",
                                     platform=True)
            ok(status == 200, f"part {part['n']} downloads (HTTP {status})")
            path = os.path.join(tmp, f"part-{part['n']}.webm")
            open(path, "wb").write(body)
            probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type",
                                    "-of", "csv=p=0", path], capture_output=True, text=True)
            kinds = sorted(probe.stdout.split())
            ok(probe.returncode == 0 and "video" in kinds and "audio" in kinds,
               f"part {part['n']} has video and audio ({kinds}, {part['duration_s']:.1f} s)")
    json.dump({"passed": passed}, open(out_path, "w"))
    return 0


# --- the runner -------------------------------------------------------------------------------

def leftovers(marker):
    """Processes whose command line names marker (the data directory)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmd and int(pid) != os.getpid():
            found.append(f"{pid}: {cmd[:160]}")
    return found


def interrupted_demo(data):
    """Ctrl-C (SIGINT) while the class plays: the demo stops the server and the publishers."""
    env = dict(os.environ, SSR_DEMO_PORT=str(free_port()), SSR_DEMO_DATA=data,
               SSR_DEMO_CLASS_SECONDS="60")
    proc = subprocess.Popen([DEMO], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    lines = []
    deadline = time.monotonic() + 60
    for line in proc.stdout:
        lines.append(line)
        if "Alex joined the main room" in line or time.monotonic() > deadline:
            break
    publishers = [p for p in leftovers(data) if "gst-launch-1.0" in p]
    proc.send_signal(signal.SIGINT)
    out = "".join(lines) + proc.communicate(timeout=60)[0]
    expect(len(publishers) == 4, f"four publishers run while the class plays ({len(publishers)})")
    expect(proc.returncode == 130 and "demo: interrupted" in out and "ssr serve stopped" in out,
           f"Ctrl-C while the class plays stops it (exit {proc.returncode}): {out.strip()[-300:]}")
    expect(not leftovers(data), f"no process is left behind after Ctrl-C: {leftovers(data)}")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        return check(sys.argv[2])
    if len(sys.argv) != 1:
        fail("usage: demo_smoke.py [--check OUT]")
    if not os.environ.get("SSR_BINARY"):
        fail("SSR_BINARY is not set (ctest sets it to the built ssr)")

    with tempfile.TemporaryDirectory(prefix="ssr-demo-smoke-") as tmp:
        data = os.path.join(tmp, "data")
        rc, out = run_demo({"SSR_DEMO_PORT": "0", "SSR_DEMO_DATA": data}, 30)
        expect(rc == 2 and "SSR_DEMO_PORT must be a whole number from 1 to 65535" in out,
               f"SSR_DEMO_PORT=0 is refused (exit {rc}: {out.strip()})")
        rc, out = run_demo({"SSR_DEMO_CLASS_SECONDS": "5", "SSR_DEMO_DATA": data}, 30)
        expect(rc == 2 and "SSR_DEMO_CLASS_SECONDS must be a whole number from 20" in out,
               f"SSR_DEMO_CLASS_SECONDS=5 is refused (exit {rc}: {out.strip()})")
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            rc, out = run_demo({"SSR_DEMO_PORT": str(port), "SSR_DEMO_DATA": data}, 30)
        expect(rc == 1 and f"port {port} on 127.0.0.1 is taken" in out,
               f"a port in use is refused (exit {rc}: {out.strip()})")
        expect(not os.path.exists(data), "nothing was created for refused settings")

        interrupted_demo(data)

        result = os.path.join(tmp, "check.json")
        port = free_port()
        started = time.monotonic()
        rc, out = run_demo({
            "SSR_DEMO_PORT": str(port), "SSR_DEMO_DATA": data, "SSR_DEMO_CLASS_SECONDS": str(CLASS_S),
            "SSR_DEMO_EXIT_WHEN_READY": "1",
            "SSR_DEMO_CHECK": f"/usr/bin/python3 {os.path.abspath(__file__)} --check {result}",
        }, TIME_LIMIT_S)
        took = time.monotonic() - started
        print(out, flush=True)
        expect(rc == 0, f"the demo exits 0 (exit {rc}, {took:.0f} s)")
        passed = json.load(open(result)) if os.path.exists(result) else {}
        expect("failed" not in passed and len(passed.get("passed", [])) >= 16,
               f"SSR_DEMO_CHECK ran and passed {len(passed.get('passed', []))} checks: {passed}")
        for text in ("host@example.org", "cohost@example.org", "student1@example.org",
                     "student2@example.org", "classroom-demo", f"http://127.0.0.1:{port}/recordings/",
                     f"http://127.0.0.1:{port}/s/"):
            expect(text in out, f"the demo prints {text}")
        expect(not leftovers(data), f"no process is left behind: {leftovers(data)}")
        expect(took < TIME_LIMIT_S, f"the run took {took:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
