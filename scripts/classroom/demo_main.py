"""demo_main.py: scripts/demo — the whole product on this machine (see scripts/demo --help)."""

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import demo_class
from demo_api import Api, ApiError
from demo_class import BREAKOUT, PEOPLE, SESSION_ID, SPEECH, TIMELINE, TITLE, ClassRunner
from demo_media import Voices, start_child, stop_child

PASSWORD = "classroom-demo"
HOST = "127.0.0.1"
MARKER = ".ssr-demo"  # a data directory the demo may wipe


class DemoError(Exception):
    pass


class CheckFailed(DemoError):
    pass


class Interrupted(Exception):
    pass


def say(message):
    print(f"demo: {message}", flush=True)


def env_int(name, default, low, high):
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise DemoError(f"{name} must be a whole number from {low} to {high} (got {raw!r})")
    return value


def env_flag(name):
    raw = os.environ.get(name, "")
    if raw not in ("", "0", "1"):
        raise DemoError(f"{name} must be 1 or 0 (got {raw!r})")
    return raw == "1"


class Settings:
    def __init__(self, repo):
        self.repo = repo
        self.port = env_int("SSR_DEMO_PORT", 8080, 1, 65535)
        self.class_s = env_int("SSR_DEMO_CLASS_SECONDS", 120, 20, 900)
        self.exit_when_ready = env_flag("SSR_DEMO_EXIT_WHEN_READY")
        self.check = os.environ.get("SSR_DEMO_CHECK", "")
        self.binary = os.path.abspath(os.environ.get("SSR_BINARY") or os.path.join(repo, "build", "ssr"))
        self.data = os.path.abspath(os.environ.get("SSR_DEMO_DATA") or os.path.join(repo, "var", "demo"))
        self.web_dir = os.path.join(repo, "web", "dist")
        self.media = os.path.join(self.data, "demo-media")
        self.server_log = os.path.join(self.data, "server.log")


def preflight(s):
    if not (os.path.isfile(s.binary) and os.access(s.binary, os.X_OK)):
        raise DemoError(f"{s.binary} is not an executable: build it first (make demo builds it; "
                        "or cmake --preset release && cmake --build --preset release --target ssr), "
                        "or set SSR_BINARY")
    for tool in ("gst-launch-1.0",):
        if not shutil.which(tool):
            raise DemoError(f"{tool} is missing (scripts/install-deps installs GStreamer)")
    if importlib.util.find_spec("cairo") is None:
        raise DemoError("python3-cairo is missing (scripts/install-deps installs it)")
    probe = socket.socket()
    try:
        probe.bind((HOST, s.port))
    except OSError as e:
        raise DemoError(f"port {s.port} on {HOST} is taken ({e.strerror}): stop what uses it or "
                        "choose another with SSR_DEMO_PORT") from e
    finally:
        probe.close()


def fresh_data_dir(s):
    if os.path.exists(s.data):
        if not os.path.isdir(s.data):
            raise DemoError(f"SSR_DEMO_DATA {s.data} is not a directory")
        if os.listdir(s.data) and not os.path.exists(os.path.join(s.data, MARKER)):
            raise DemoError(f"{s.data} is not empty and was not made by the demo: not wiping it "
                            "(choose another SSR_DEMO_DATA or remove it yourself)")
        shutil.rmtree(s.data)
    os.makedirs(s.media)
    open(os.path.join(s.data, MARKER), "w").close()


def make_media(s):
    """Slides, image, name bands, and each person's speech on the class timeline."""
    import demo_assets
    demo_assets.slides(os.path.join(s.media, demo_class.SLIDES))
    demo_assets.leaf_cell(os.path.join(s.media, demo_class.IMAGE))
    roles = demo_class.ROLE_LABEL
    for who, p in PEOPLE.items():
        demo_assets.badge(os.path.join(s.media, f"badge-{who}.png"), p["name"], roles[p["role"]])
    voices = Voices(s.media, s.class_s)
    if shutil.which("espeak-ng"):
        for frac, who, text in SPEECH:
            voices.say(who, frac * s.class_s, text, PEOPLE[who]["voice"])
        voices.finish()
    else:
        say("espeak-ng not found: the microphones send silence (scripts/install-deps installs it)")
    return voices


def add_accounts(s):
    for p in PEOPLE.values():
        proc = subprocess.run([s.binary, "user", "add", "--data", s.data, "--email", p["email"],
                               "--name", p["name"], "--password-stdin"],
                              input=PASSWORD + "\n", capture_output=True, text=True)
        if proc.returncode != 0:
            raise DemoError(f"ssr user add {p['email']} failed ({proc.returncode}): "
                            f"{(proc.stderr or proc.stdout).strip()}")


def start_server(s, api_key):
    env = dict(os.environ, SSR_API_KEY=api_key, SSR_WEB_DIR=s.web_dir)
    argv = [s.binary, "serve", "--listen", f"{HOST}:{s.port}", "--data", s.data]
    return start_child(argv, s.server_log, env)


def create_session(api, s):
    api.put("/api/v1/settings", {"autostart": True})
    session = api.post("/api/v1/sessions", {
        "id": SESSION_ID, "title": TITLE, "timezone": "America/New_York",
        "invitees": [{"user": p["email"], "role": p["role"]} for p in PEOPLE.values()]})
    for name, ctype in ((demo_class.SLIDES, "application/pdf"), (demo_class.IMAGE, "image/png")):
        with open(os.path.join(s.media, name), "rb") as f:
            api.request("PUT", f"/api/v1/sessions/{SESSION_ID}/assets/{name}", f.read(),
                        content_type=ctype)
    return session["ingest_token"]


def session_recordings(api):
    return api.get(f"/api/v1/recordings?session_id={SESSION_ID}")["recordings"]


def wait_ready(api, timeout_s):
    deadline = time.monotonic() + timeout_s
    while True:
        recs = session_recordings(api)
        failed = [r for r in recs if r["status"] == "failed"]
        if failed:
            raise DemoError("recording failed: " + "; ".join(
                f"{r['title']} ({r['room']}): {r.get('error')}" for r in failed))
        if recs and all(r["status"] == "ready" for r in recs):
            return recs
        if time.monotonic() > deadline:
            raise DemoError(f"recordings not ready after {timeout_s} s: " + ", ".join(
                f"{r['title']} is {r['status']}" for r in recs))
        time.sleep(0.25)


def share(api, rid):
    """Attendees may stream the recording; Save-like: GET for the ETag, PUT with If-Match."""
    reply = api.request("GET", f"/api/v1/recordings/{rid}/sharing")
    settings = reply.json()
    settings.update(stream_by=["attendees"], download_by=[], grants=[], release_at=None)
    for key in ("release_at_utc", "version", "updated_at", "updated_by"):
        settings.pop(key, None)
    api.request("PUT", f"/api/v1/recordings/{rid}/sharing", settings,
                headers={"If-Match": reply.header("etag")})


def play_class(api, s, ingest_token, voices):
    runner = ClassRunner(api, ingest_token, s.class_s, voices, s.media, say)
    say(f"playing the class ({s.class_s} s, {len(TIMELINE)} steps; webcams and microphones as RTP "
        "from gst-launch-1.0 on loopback)")
    try:
        runner.run()
        main = next((r for r in session_recordings(api) if r["room"] == "main"), None)
        if not main:
            raise DemoError("the main room was not recorded (AutoStart did not start it)")
        if main["status"] in ("initializing", "recording", "paused"):
            api.post(f"/api/v1/recordings/{main['id']}/stop")
        runner.finish()
    finally:
        runner.stop_publishers()


def duration(seconds):
    m, sec = divmod(int(round(seconds)), 60)
    return f"{m} min {sec:02d} s" if m else f"{sec} s"


def report(s, api, api_key, main, breakout, share_url):
    base = api.base_url
    summary = {
        "url": base + "/", "api_key": api_key, "data_dir": s.data, "session_id": SESSION_ID,
        "main_recording": main["id"], "breakout_recording": breakout["id"] if breakout else None,
        "player_url": f"{base}/recordings/{main['id']}", "share_url": base + share_url,
        "password": PASSWORD, "logins": [p["email"] for p in PEOPLE.values()],
    }
    with open(os.path.join(s.data, "demo.json"), "w") as f:
        json.dump(summary, f, indent=2)
    lines = ["", f"The class \"{TITLE}\" is recorded and shared. ssr serves it at {base}/", "",
             f"  Open                 {base}/",
             f"  Main room (player)   {summary['player_url']}  "
             f"({len(main['parts'])} parts, {duration(main['duration_s'])}, attendees may watch)"]
    if breakout:
        lines.append(f"  Breakout (player)    {base}/recordings/{breakout['id']}  "
                     f"({breakout['title']}, {duration(breakout['duration_s'])})")
    lines += [f"  Share link           {summary['share_url']}  (anyone, after an e-mail address)", "",
              f"  Log in with password {PASSWORD}:"]
    for p in PEOPLE.values():
        lines.append(f"    {p['email']:<22} {p['name']:<11} {demo_class.ROLE_LABEL[p['role']].lower()}")
    lines += ["", f"  Platform API key     {api_key}",
              f"  Data                 {s.data} (server log: {s.server_log})"]
    if not os.path.isfile(os.path.join(s.web_dir, "index.html")):
        lines += ["", f"  Note: the web app is not built ({s.web_dir}/index.html is missing; "
                      "make web builds it): until then its pages answer 503; the API works."]
    print("\n".join(lines) + "\n", flush=True)
    return summary


def run_check(s, summary):
    env = dict(os.environ, SSR_DEMO_URL=summary["url"].rstrip("/"), SSR_DEMO_API_KEY=summary["api_key"],
               SSR_DEMO_SUMMARY=os.path.join(s.data, "demo.json"), SSR_DEMO_PASSWORD=PASSWORD)
    say(f"running SSR_DEMO_CHECK: {s.check}")
    rc = subprocess.run(["/bin/bash", "-c", s.check], env=env).returncode
    if rc != 0:
        raise CheckFailed(f"SSR_DEMO_CHECK exited with {rc}")


def tail(path, n=40):
    try:
        with open(path, "rb") as f:
            return b"".join(f.readlines()[-n:]).decode("utf-8", "replace")
    except OSError:
        return "(no log)"


def main(repo):
    interrupted = []

    def on_signal(signum, _frame):
        if not interrupted:
            interrupted.append(signum)
            raise Interrupted()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)

    server = None
    ready = False
    s = None
    try:
        s = Settings(repo)
        preflight(s)
        fresh_data_dir(s)
        say(f"data in {s.data}; drawing the slides and recording the voices")
        voices = make_media(s)
        add_accounts(s)
        api_key = os.urandom(24).hex()
        server = start_server(s, api_key)
        api = Api(HOST, s.port, api_key)
        try:
            api.wait_ready(20, lambda: server.poll() is None)
        except ApiError as e:
            raise DemoError(str(e)) from e
        say(f"ssr serve runs at {api.base_url}/ (pid {server.pid}); accounts: "
            + ", ".join(p["email"] for p in PEOPLE.values()))
        ingest_token = create_session(api, s)
        play_class(api, s, ingest_token, voices)
        say("class over: recordings stopped; waiting until they are stored")
        recs = wait_ready(api, 120)
        main_rec = next(r for r in recs if r["room"] == "main")
        breakout = next((r for r in recs if r["room"] == BREAKOUT), None)
        for rec in (main_rec, breakout):
            if rec:
                share(api, rec["id"])
        link = api.post(f"/api/v1/recordings/{main_rec['id']}/links", {})
        summary = report(s, api, api_key, main_rec, breakout, link["url"])
        ready = True
        if s.check:
            run_check(s, summary)
        if s.exit_when_ready:
            return 0
        say("serving until Ctrl-C")
        while server.poll() is None:
            time.sleep(0.5)
        raise DemoError(f"ssr serve exited unexpectedly with {server.returncode}")
    except Interrupted:
        print(flush=True)
        say("stopping" if ready else "interrupted")
        return 0 if ready else 130
    except (DemoError, ApiError, RuntimeError, OSError) as e:
        say(f"error: {e}")
        if server is not None and not isinstance(e, CheckFailed):
            sys.stdout.write(f"--- last lines of {s.server_log} ---\n{tail(s.server_log)}")
        return 2 if s is None else 1
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)  # the stop below must run to its end
        if server is not None:
            rc = stop_child(server, signal.SIGTERM, 30)
            if rc not in (0, -signal.SIGTERM):
                say(f"ssr serve exited with {rc}")
            else:
                say("ssr serve stopped")
