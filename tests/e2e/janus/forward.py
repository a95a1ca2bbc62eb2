#!/usr/bin/python3
"""Publish an aiortc stream to a Janus VideoRoom and rtp_forward it (Janus 1.1.2 HTTP API).

  forward.py --janus http://127.0.0.1:PORT/janus --host H --video-port VP --audio-port AP
             [--seconds 10] [--video pattern|flash] [--audio tone|beep] [--color RRGGBB]
             [--tone-hz 440]

Creates a room (VP8 + Opus), joins it as a publisher over WebRTC with the same generated
media as ../whip_publish.py, then asks Janus to rtp_forward the video (mid 0) to H:VP with
payload type 96 and the audio (mid 1) to H:AP with payload type 111, so the stream matches
the SDP printed by `../rtp_send.sh --print-sdp --kind video|audio`. Janus forwards plain RTP
only (no RTCP sender reports to the target). After --seconds the room is destroyed (which
stops the forwarders) and the exit code is 0; any error exits non-zero with a message.
Prints the forwarders (JSON from Janus) on stdout. Run inside ../netns-run with run-janus.sh.
"""
import argparse
import asyncio
import importlib.util
import json
import os
import random
import sys
import urllib.request

_spec = importlib.util.spec_from_file_location(
    "whip_publish", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "whip_publish.py"))
wp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(wp)  # also applies its aiortc extmap fix
from aiortc import RTCConfiguration, RTCPeerConnection, RTCRtpSender, RTCSessionDescription


def fail(msg):
    print(f"forward.py: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


class Janus:
    def __init__(self, url):
        self.url = url.rstrip("/")
        self.session = self.handle = None

    def _req(self, url, body=None, timeout=15):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.loads(r.read())
        except OSError as e:
            fail(f"Janus request to {url} failed: {e}")

    def post(self, body, path=""):
        body = dict(body, transaction=f"t{random.getrandbits(48)}")
        r = self._req(self.url + path, body)
        if r.get("janus") == "error":
            fail(f"Janus error for {body}: {r['error']}")
        return r

    def message(self, body, jsep=None):
        msg = {"janus": "message", "body": body}
        if jsep:
            msg["jsep"] = jsep
        r = self.post(msg, f"/{self.session}/{self.handle}")
        data = r.get("plugindata", {}).get("data", {})
        if data.get("error"):
            fail(f"VideoRoom error for {body['request']}: {data['error']}")
        return r

    def event(self, timeout=30):
        """Long-polls the session for the next plugin event."""
        while True:
            r = self._req(f"{self.url}/{self.session}?maxev=1", timeout=timeout + 5)
            if r.get("janus") == "event":
                data = r.get("plugindata", {}).get("data", {})
                if data.get("error"):
                    fail(f"VideoRoom error event: {data['error']}")
                return r
            if r.get("janus") == "hangup":
                fail(f"Janus hung up: {r.get('reason')}")


async def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--janus", required=True)
    p.add_argument("--host", required=True)
    p.add_argument("--video-port", type=int, required=True)
    p.add_argument("--audio-port", type=int, required=True)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--video", choices=["pattern", "flash"], default="pattern")
    p.add_argument("--audio", choices=["tone", "beep"], default="tone")
    p.add_argument("--color", default="3366CC")
    p.add_argument("--tone-hz", type=float, default=440)
    a = p.parse_args()

    loop = asyncio.get_running_loop()
    run = lambda f, *args: loop.run_in_executor(None, f, *args)  # noqa: E731 (blocking HTTP)
    j = Janus(a.janus)
    j.session = (await run(j.post, {"janus": "create"}))["data"]["id"]
    j.handle = (await run(j.post, {"janus": "attach", "plugin": "janus.plugin.videoroom"},
                          f"/{j.session}"))["data"]["id"]
    room = random.randint(1, 2**31)
    await run(j.message, {"request": "create", "room": room, "publishers": 1,
                          "videocodec": "vp8", "audiocodec": "opus", "fir_freq": 2,
                          "bitrate": 1000000})
    await run(j.message, {"request": "join", "ptype": "publisher", "room": room,
                          "display": "ssr-e2e"})
    joined = (await run(j.event))["plugindata"]["data"]
    if joined.get("videoroom") != "joined":
        fail(f"unexpected join answer: {joined}")
    publisher_id = joined["id"]

    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    clock = wp.MediaClock()
    rgb = tuple(int(a.color[i:i + 2], 16) for i in (0, 2, 4))
    vt = pc.addTransceiver(wp.VideoSource(clock, a.video, rgb, 640, 360, 30), direction="sendonly")
    vt.setCodecPreferences([c for c in RTCRtpSender.getCapabilities("video").codecs
                            if c.mimeType.lower() in ("video/vp8", "video/rtx")])
    pc.addTransceiver(wp.AudioSource(clock, a.audio, a.tone_hz), direction="sendonly")
    await pc.setLocalDescription(await pc.createOffer())
    await run(j.message, {"request": "publish", "audio": True, "video": True},
              {"type": "offer", "sdp": pc.localDescription.sdp})
    ev = await run(j.event)
    if "jsep" not in ev:
        fail(f"no answer from Janus: {ev}")
    await pc.setRemoteDescription(RTCSessionDescription(sdp=ev["jsep"]["sdp"], type="answer"))
    for _ in range(200):
        if pc.connectionState == "connected":
            break
        if pc.connectionState == "failed":
            fail("WebRTC connection to Janus failed")
        await asyncio.sleep(0.05)
    else:
        fail(f"WebRTC connection to Janus not established: {pc.connectionState}")

    fwd = await run(j.message, {
        "request": "rtp_forward", "room": room, "publisher_id": publisher_id,
        "host": a.host, "host_family": "ipv4",
        "streams": [{"mid": "0", "port": a.video_port, "pt": 96},
                    {"mid": "1", "port": a.audio_port, "pt": 111}]})
    data = fwd["plugindata"]["data"]
    if len(data.get("forwarders", [])) != 2:
        fail(f"rtp_forward did not create 2 forwarders: {data}")
    print(json.dumps(data["forwarders"]), flush=True)
    print(f"forward.py: forwarding to {a.host} video:{a.video_port} audio:{a.audio_port} "
          f"for {a.seconds} s", file=sys.stderr, flush=True)

    end = loop.time() + a.seconds
    while loop.time() < end:  # keep the Janus session alive (60 s idle timeout)
        await asyncio.sleep(min(15, max(0, end - loop.time())))
        if pc.connectionState != "connected":
            fail(f"WebRTC connection to Janus lost: {pc.connectionState}")
        await run(j.post, {"janus": "keepalive"}, f"/{j.session}")
    await run(j.message, {"request": "destroy", "room": room})
    await pc.close()
    await run(j.post, {"janus": "destroy"}, f"/{j.session}")
    print("forward.py: done", file=sys.stderr, flush=True)


if __name__ == "__main__":
    asyncio.run(main())
