#!/usr/bin/python3
"""WHIP publisher (RFC 9725) built on aiortc, for ssr end-to-end tests.

Run with Debian's /usr/bin/python3 (python3-aiortc 1.4.0). WebRTC needs non-loopback
addresses (aioice skips 127.0.0.1), so run it inside tests/e2e/netns-run.

  whip_publish.py --url URL --token TOKEN [--seconds 10]
                  [--video pattern|flash|none] [--audio tone|beep|none]
                  [--color RRGGBB] [--tone-hz 440] [--codec vp8|h264]
                  [--width 640 --height 360 --fps 30] [--expect-status N]
                  [--drop-probability 0.05] [--jitter-ms 50]

Media (generated in real time, 640x360@30 by default, audio 48 kHz mono, 20 ms frames):
  pattern  solid --color fill, a 32x32 marker (inverted colour) moving left to right
  flash    black; white for the first 100 ms of every second of the media clock
  tone     continuous sine at --tone-hz, amplitude 0.5 full scale
  beep     silence; a 1 kHz sine (0.5 full scale) for the first 100 ms of every second
Both tracks count pts from the same start instant (video 1/90000, audio 1/48000), so with
flash+beep the white frames and the beeps describe the same instants: a flash starts at
video pts k*90000 and its beep at audio pts k*48000.

Non-trickle: the offer is POSTed after ICE gathering is complete. On 201 the Location
(made absolute) is printed on stdout; after --seconds the resource is DELETEd and the
exit code is 0. Any error (HTTP status other than 201, ICE/DTLS failure, a failed
DELETE) exits non-zero with a message on stderr.
--drop-probability/--jitter-ms impair the path from the publisher (every outgoing packet,
after SRTP): dropped with that probability, delayed by a uniform 0..N ms; at the end the
counts (sent, dropped, PLI keyframe requests received) are printed on stderr.
--offer-only: print a complete offer on stdout and exit (for tests that POST it themselves).
--answer-out FILE: write the answer SDP there (tests check its candidates).
--expect-status N: only POST the offer and exit 0 if the answer status is N (body
printed), 1 otherwise; no media is expected to flow.
"""

import argparse
import asyncio
import fractions
import math
import random
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import av
import numpy as np
from aiortc import (MediaStreamTrack, RTCConfiguration, RTCPeerConnection,
                    RTCRtpSender, RTCSessionDescription)
from aiortc.codecs import HEADER_EXTENSIONS

# aiortc 1.4.0 offers extmap id 2 for abs-send-time (video) AND ssrc-audio-level (audio) in
# one BUNDLE group, which RFC 8843 9.2 forbids; a receiver demuxing the bundle by one map
# (aiortc itself does) then misparses audio packets and drops the transport. Give audio
# level its own id.
for _ext in HEADER_EXTENSIONS["audio"]:
    if _ext.uri == "urn:ietf:params:rtp-hdrext:ssrc-audio-level":
        _ext.id = 3

VIDEO_CLOCK = 90000
AUDIO_RATE = 48000
AUDIO_SAMPLES = 960  # 20 ms, what aiortc's Opus encoder takes per frame
FLASH_S = 0.1


def fail(msg, code=1):
    print(f"whip_publish: {msg}", file=sys.stderr, flush=True)
    sys.exit(code)


class MediaClock:
    """Shared start instant for both tracks, so their pts describe the same instants."""

    def __init__(self):
        self.start = None

    def begin(self):
        if self.start is None:
            self.start = time.monotonic()
        return self.start

    async def wait_until(self, t):
        delay = self.begin() + t - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)


class VideoSource(MediaStreamTrack):
    kind = "video"

    def __init__(self, clock, mode, rgb, width, height, fps):
        super().__init__()
        self.clock, self.mode, self.fps = clock, mode, fps
        self.w, self.h = width, height
        self.n = 0
        self.fill = np.empty((height, width, 3), np.uint8)
        self.fill[:] = rgb
        self.marker = tuple(255 - c for c in rgb)

    async def recv(self):
        t = self.n / self.fps
        await self.clock.wait_until(t)
        if self.mode == "flash":
            value = 255 if (t % 1.0) < FLASH_S - 1e-9 else 0
            img = np.full((self.h, self.w, 3), value, np.uint8)
        else:
            img = self.fill.copy()
            x = (self.n * 4) % (self.w - 32)
            img[self.h // 2 - 16:self.h // 2 + 16, x:x + 32] = self.marker
        frame = av.VideoFrame.from_ndarray(img, format="rgb24").reformat(format="yuv420p")
        frame.pts = round(t * VIDEO_CLOCK)
        frame.time_base = fractions.Fraction(1, VIDEO_CLOCK)
        self.n += 1
        return frame


class AudioSource(MediaStreamTrack):
    kind = "audio"

    def __init__(self, clock, mode, tone_hz):
        super().__init__()
        self.clock, self.mode, self.tone_hz = clock, mode, tone_hz
        self.sample = 0

    async def recv(self):
        s0 = self.sample
        await self.clock.wait_until(s0 / AUDIO_RATE)
        idx = np.arange(s0, s0 + AUDIO_SAMPLES)
        if self.mode == "beep":
            on = (idx % AUDIO_RATE) < int(FLASH_S * AUDIO_RATE)
            wave = np.where(on, 0.5 * np.sin(2 * math.pi * 1000 * idx / AUDIO_RATE), 0.0)
        else:
            wave = 0.5 * np.sin(2 * math.pi * self.tone_hz * idx / AUDIO_RATE)
        pcm = (wave * 32767).astype("<i2").reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = AUDIO_RATE
        frame.pts = s0
        frame.time_base = fractions.Fraction(1, AUDIO_RATE)
        self.sample += AUDIO_SAMPLES
        return frame


def http(method, url, token, body=None, content_type=None):
    """Returns (status, headers, body text); HTTP error statuses are returned, not raised."""
    req = urllib.request.Request(url, data=body, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    if content_type:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=15) as resp:
            return resp.status, resp.headers, resp.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode(errors="replace")
    except (urllib.error.URLError, OSError) as e:
        fail(f"{method} {url} failed: {e}", 2)


def install_lossy_path(drop, jitter_ms, stats):
    """Impairs the path from this publisher: every outgoing packet (RTP and RTCP, after SRTP)
    is dropped with probability `drop` and delayed by a uniform 0..jitter_ms (reordering
    allowed), like GStreamer's netsim on the RTP sender (sch_netem is not available here).
    Counts the keyframe requests (PLI) the receiver sends back."""
    from aiortc import rtcdtlstransport, rtcrtpsender
    from aiortc.rtp import RTCP_PSFB_PLI, RtcpPsfbPacket

    send = rtcdtlstransport.RTCDtlsTransport._send_rtp

    async def impaired_send(self, data):
        if random.random() < drop:
            stats["dropped"] += 1
            return
        stats["sent"] += 1
        if jitter_ms > 0:
            async def later():
                await asyncio.sleep(random.uniform(0, jitter_ms / 1000))
                try:
                    await send(self, data)
                except Exception:  # transport closed meanwhile
                    pass
            asyncio.ensure_future(later())
            return
        await send(self, data)

    rtcdtlstransport.RTCDtlsTransport._send_rtp = impaired_send
    handle = rtcrtpsender.RTCRtpSender._handle_rtcp_packet

    async def counting_handle(self, packet):
        if isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_PLI:
            stats["pli"] += 1
        await handle(self, packet)

    rtcrtpsender.RTCRtpSender._handle_rtcp_packet = counting_handle


async def publish(args):
    stats = {"sent": 0, "dropped": 0, "pli": 0}
    if args.drop_probability > 0 or args.jitter_ms > 0:
        install_lossy_path(args.drop_probability, args.jitter_ms, stats)
    try:
        await publish_media(args)
    finally:
        if args.drop_probability > 0 or args.jitter_ms > 0:
            print(f"whip_publish: path: sent={stats['sent']} dropped={stats['dropped']} "
                  f"pli_received={stats['pli']}", file=sys.stderr, flush=True)


async def publish_media(args):
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))  # no STUN: stay off the net
    clock = MediaClock()
    failed = asyncio.Event()

    @pc.on("connectionstatechange")
    def on_state():
        print(f"whip_publish: connection {pc.connectionState}", file=sys.stderr, flush=True)
        if pc.connectionState == "failed":
            failed.set()

    rgb = tuple(int(args.color[i:i + 2], 16) for i in (0, 2, 4))
    if args.video != "none":
        tr = pc.addTransceiver(VideoSource(clock, args.video, rgb, args.width, args.height,
                                           args.fps), direction="sendonly")
        want = "video/" + ("VP8" if args.codec == "vp8" else "H264")
        codecs = [c for c in RTCRtpSender.getCapabilities("video").codecs
                  if c.mimeType.lower() in (want.lower(), "video/rtx")]
        tr.setCodecPreferences(codecs)
    if args.audio != "none":
        pc.addTransceiver(AudioSource(clock, args.audio, args.tone_hz), direction="sendonly")
    if args.video == "none" and args.audio == "none":
        fail("nothing to publish (--video none --audio none)", 2)

    try:
        await pc.setLocalDescription(await pc.createOffer())  # aiortc gathers here
        if pc.iceGatheringState != "complete":
            fail(f"ICE gathering not complete: {pc.iceGatheringState}")
        offer = pc.localDescription.sdp
        if "a=candidate" not in offer:
            fail("offer has no ICE candidates (loopback only? run inside netns-run)")

        if args.offer_only:
            print(offer, end="")
            return
        status, headers, body = http("POST", args.url, args.token, offer.encode(),
                                     "application/sdp")
        if args.expect_status is not None:
            print(body)
            if status != args.expect_status:
                fail(f"POST {args.url}: expected HTTP {args.expect_status}, got {status}: {body}")
            print(f"whip_publish: POST answered {status} as expected", file=sys.stderr)
            return
        if status != 201:
            fail(f"POST {args.url}: HTTP {status}: {body}")
        location = headers.get("Location")
        if not location:
            fail("201 without a Location header")
        location = urllib.parse.urljoin(args.url, location)
        ctype = (headers.get("Content-Type") or "").split(";")[0].strip()
        if ctype != "application/sdp":
            fail(f"answer Content-Type is {ctype!r}, expected application/sdp")
        print(location, flush=True)
        if args.answer_out:
            with open(args.answer_out, "w") as out:
                out.write(body)

        await pc.setRemoteDescription(RTCSessionDescription(sdp=body, type="answer"))
        deadline = time.monotonic() + 10
        while pc.connectionState != "connected":
            if failed.is_set() or time.monotonic() > deadline:
                http("DELETE", location, args.token)
                fail(f"WebRTC connection not established: {pc.connectionState}")
            await asyncio.sleep(0.05)
        print(f"whip_publish: publishing for {args.seconds} s", file=sys.stderr, flush=True)
        try:
            await asyncio.wait_for(failed.wait(), args.seconds)
            http("DELETE", location, args.token)
            fail("WebRTC connection failed while publishing")
        except asyncio.TimeoutError:
            pass
        status, _, body = http("DELETE", location, args.token)
        if status not in (200, 204):
            fail(f"DELETE {location}: HTTP {status}: {body}")
        print("whip_publish: done, resource deleted", file=sys.stderr, flush=True)
    finally:
        await pc.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--url", required=True, help="WHIP endpoint, http://HOST:PORT/whip/SID/TRACKS")
    p.add_argument("--token", required=True, help="ingest token (Authorization: Bearer)")
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--video", choices=["pattern", "flash", "none"], default="pattern")
    p.add_argument("--audio", choices=["tone", "beep", "none"], default="tone")
    p.add_argument("--color", default="3366CC", help="RRGGBB fill for --video pattern")
    p.add_argument("--tone-hz", type=float, default=440)
    p.add_argument("--codec", choices=["vp8", "h264"], default="vp8")
    p.add_argument("--width", type=int, default=640)
    p.add_argument("--height", type=int, default=360)
    p.add_argument("--fps", type=int, default=30)
    p.add_argument("--expect-status", type=int, help="only check the POST's HTTP status")
    p.add_argument("--offer-only", action="store_true",
                   help="print the SDP offer (with candidates) on stdout and exit")
    p.add_argument("--answer-out", help="write the answer SDP to this file")
    p.add_argument("--drop-probability", type=float, default=0,
                   help="drop each outgoing packet with this probability (lossy path)")
    p.add_argument("--jitter-ms", type=float, default=0,
                   help="delay each outgoing packet by uniform 0..N ms (jitter, reordering)")
    args = p.parse_args()
    if len(args.color) != 6 or any(c not in "0123456789abcdefABCDEF" for c in args.color):
        fail(f"--color must be RRGGBB, got {args.color!r}", 2)
    if args.video == "flash" and args.audio not in ("beep", "none") or \
            args.audio == "beep" and args.video not in ("flash", "none"):
        print("whip_publish: note: flash and beep are meant to be used together", file=sys.stderr)
    asyncio.run(publish(args))


if __name__ == "__main__":
    main()
