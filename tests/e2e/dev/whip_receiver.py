#!/usr/bin/python3
"""DEVELOPMENT CHECK ONLY: a throwaway WHIP receiver (aiortc answerer + http.server).

It exists to validate the publisher clients in tests/e2e (whip_publish.py, chromium_whip)
without the ssr server. The product's end-to-end tests do not use it.

  whip_receiver.py --host ADDR --port N --token T [--report out.json] [--sessions 1]
                   [--timeout 60] [--snapshot frame.png]

POST /whip/<anything> (Bearer T, application/sdp) -> 201 + answer + Location/ETag;
wrong token -> 401. DELETE on the Location closes the peer connection and adds the
session's measurements to the report. After --sessions DELETEs (or --timeout s) it writes
the JSON report (stdout and --report) and exits 0 if every session received media.
Measured per session: decoded video frames, size, median colour of a 64x64 box at the
top-left (away from whip_publish's marker), luma per frame; audio seconds, RMS, dominant
frequency (FFT); for flash/beep: onset instants on each media clock (pts) and the
arrival-time skew between each white frame and its beep.
"""

import argparse
import logging, os
if os.environ.get("WHIP_DEBUG"): logging.basicConfig(level=logging.DEBUG)
import asyncio
import json
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import av
import numpy as np
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError


class Session:
    def __init__(self):
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.video = []   # (arrival, pts, time_base, w, h, box_rgb, luma)
        self.audio = []   # (arrival, pts, samples mono float)
        self.tasks = []
        self.connection_states = []
        self.snapshot = None  # the 60th decoded frame (av.VideoFrame), for --snapshot

    async def consume(self, track):
        try:
            while True:
                frame = await track.recv()
                now = time.monotonic()
                if track.kind == "video":
                    if len(self.video) == 60:
                        self.snapshot = frame
                    img = frame.to_ndarray(format="rgb24")
                    box = img[8:72, 8:72].reshape(-1, 3)
                    self.video.append((now, frame.pts, frame.time_base, frame.width,
                                       frame.height, np.median(box, axis=0).tolist(),
                                       float(img.mean())))
                else:
                    pcm = frame.to_ndarray()  # packed s16: shape (1, samples*channels)
                    ch = len(frame.layout.channels)
                    mono = pcm.reshape(-1, ch)[:, 0].astype(np.float64) / 32768.0
                    self.audio.append((now, frame.pts, frame.sample_rate, mono))
        except MediaStreamError:
            pass
        except Exception as e:  # a bug here must not be silent
            print(f"whip_receiver: {track.kind} consumer failed: {e!r}", file=sys.stderr, flush=True)
            raise

    def report(self):
        r = {"connection_states": self.connection_states}
        if self.video:
            colours = np.array([v[5] for v in self.video])
            luma = np.array([v[6] for v in self.video])
            tb = self.video[0][2]
            r["video"] = {
                "frames": len(self.video),
                "size": [self.video[-1][3], self.video[-1][4]],
                "fps": round((len(self.video) - 1) /
                             max(1e-6, self.video[-1][0] - self.video[0][0]), 1),
                "median_box_rgb": np.median(colours, axis=0).round().astype(int).tolist(),
                "white_frames": int((luma > 200).sum()),
                "black_frames": int((luma < 30).sum()),
            }
            # flash onsets: first white frame after a dark one
            onsets = [i for i in range(len(luma)) if luma[i] > 128 and (i == 0 or luma[i - 1] <= 128)]
            if onsets:
                pts = [float(self.video[i][1] * tb) for i in onsets]
                r["video"]["flash_onset_pts_s"] = [round(p - pts[0], 4) for p in pts]
                r["video"]["flash_onset_arrival"] = [self.video[i][0] for i in onsets]
        if self.audio:
            rate = self.audio[0][2]
            samples = np.concatenate([a[3] for a in self.audio])
            r["audio"] = {"frames": len(self.audio), "seconds": round(len(samples) / rate, 2),
                          "rms": round(float(np.sqrt(np.mean(samples ** 2))), 4)}
            loud = samples[rate:] if len(samples) > 2 * rate else samples
            spec = np.abs(np.fft.rfft(loud * np.hanning(len(loud))))
            r["audio"]["dominant_hz"] = round(float(np.argmax(spec[1:]) + 1) * rate / len(loud), 1)
            # beep onsets: 5 ms windows whose RMS crosses 0.1 after a quiet one
            win = rate // 200
            rms = np.sqrt(np.mean(samples[:len(samples) // win * win].reshape(-1, win) ** 2, axis=1))
            on = [i for i in range(1, len(rms)) if rms[i] > 0.1 and rms[i - 1] <= 0.1]
            if on:
                # map each onset to its frame's pts and arrival time
                starts = np.cumsum([0] + [len(a[3]) for a in self.audio])
                pts_s, arrivals = [], []
                for i in on:
                    s = i * win
                    k = int(np.searchsorted(starts, s, side="right") - 1)
                    off = s - starts[k]
                    pts_s.append((self.audio[k][1] + off) / rate)
                    arrivals.append(self.audio[k][0] + off / rate)
                r["audio"]["beep_onset_pts_s"] = [round(p - pts_s[0], 4) for p in pts_s]
                r["audio"]["beep_onset_arrival"] = arrivals
        v, a = r.get("video", {}), r.get("audio", {})
        if v.get("flash_onset_arrival") and a.get("beep_onset_arrival"):
            skews = []
            for t in v["flash_onset_arrival"]:
                nearest = min(a["beep_onset_arrival"], key=lambda b: abs(b - t))
                if abs(nearest - t) < 0.5:
                    skews.append(round((t - nearest) * 1000, 1))
            r["flash_minus_beep_arrival_ms"] = skews
        for k in ("flash_onset_arrival",):
            v.pop(k, None)
        a.pop("beep_onset_arrival", None)
        return r


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--report")
    p.add_argument("--sessions", type=int, default=1)
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--snapshot", help="save the 60th video frame of the last session (PNG)")
    args = p.parse_args()

    loop = asyncio.new_event_loop()
    sessions, reports = {}, []
    done = threading.Event()

    async def answer(sdp):
        s = Session()

        @s.pc.on("track")
        def on_track(track):
            s.tasks.append(asyncio.ensure_future(s.consume(track)))

        @s.pc.on("connectionstatechange")
        def on_state():
            s.connection_states.append(s.pc.connectionState)

        await s.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
        await s.pc.setLocalDescription(await s.pc.createAnswer())
        return s, s.pc.localDescription.sdp

    async def close(s):
        await s.pc.close()
        await asyncio.gather(*s.tasks, return_exceptions=True)
        if args.snapshot and s.snapshot is not None:
            png = av.CodecContext.create("png", "w")
            png.width, png.height, png.pix_fmt = s.snapshot.width, s.snapshot.height, "rgb24"
            with open(args.snapshot, "wb") as f:
                for pkt in png.encode(s.snapshot.reformat(format="rgb24")):
                    f.write(bytes(pkt))
        return s.report()

    class Handler(BaseHTTPRequestHandler):
        def reply(self, status, body=b"", headers=()):
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def authorized(self):
            if self.headers.get("Authorization") != f"Bearer {args.token}":
                self.reply(401, b"bad token\n", [("Content-Type", "text/plain")])
                return False
            return True

        def do_POST(self):
            if not self.path.startswith("/whip/"):
                return self.reply(404)
            if not self.authorized():
                return
            if self.headers.get("Content-Type") != "application/sdp":
                return self.reply(415)
            offer = self.rfile.read(int(self.headers["Content-Length"])).decode()
            s, sdp = asyncio.run_coroutine_threadsafe(answer(offer), loop).result(30)
            rid = uuid.uuid4().hex
            sessions[rid] = s
            self.reply(201, sdp.encode(), [("Content-Type", "application/sdp"),
                                           ("Location", f"/whip/resource/{rid}"),
                                           ("ETag", f'"{rid}"')])

        def do_DELETE(self):
            if not self.authorized():
                return
            s = sessions.pop(self.path.rsplit("/", 1)[-1], None)
            if s is None:
                return self.reply(404)
            reports.append(asyncio.run_coroutine_threadsafe(close(s), loop).result(30))
            self.reply(200)
            if len(reports) >= args.sessions:
                done.set()

        def log_message(self, fmt, *a):
            print("whip_receiver: " + fmt % a, file=sys.stderr, flush=True)

    server = ThreadingHTTPServer((args.host, args.port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Thread(target=loop.run_forever, daemon=True).start()
    print(f"whip_receiver: listening on http://{args.host}:{args.port}/whip/", file=sys.stderr,
          flush=True)
    ok = done.wait(args.timeout)
    server.shutdown()
    out = json.dumps({"sessions": reports, "timed_out": not ok}, indent=1)
    print(out)
    if args.report:
        with open(args.report, "w") as f:
            f.write(out)
    got_media = reports and all(r.get("video", {}).get("frames") or r.get("audio", {}).get("frames")
                                for r in reports)
    sys.exit(0 if ok and got_media else 1)


if __name__ == "__main__":
    main()
