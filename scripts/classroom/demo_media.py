"""demo_media.py: the processes of the live demo (scripts/demo) and its synthetic media.

- start_child: a child process in its own process group (Ctrl-C reaches the demo only, which
  then stops its children in order) that the kernel ends with SIGTERM if the demo dies.
- Voices: each participant's speech (espeak-ng), laid out on one timeline per person; a
  publisher plays its slice from the moment it starts.
- Publisher: one gst-launch-1.0 per participant and room stint, sending a webcam (VP8,
  320x180@15: a ball moving over the person's colour, a band with their name at the top,
  the renderer's own label being at the bottom) and a microphone (Opus)
  as RTP to the ports that POST /api/v1/sessions/{sid}/tracks/{track}/rtp returned.
"""

import array
import ctypes
import os
import signal
import subprocess
import tempfile
import time
import wave

PR_SET_PDEATHSIG = 1
VOICE_RATE = 22050  # espeak-ng's own rate; the publisher resamples to 48 kHz for Opus
WIDTH, HEIGHT, FPS = 320, 180, 15  # 16:9 like the tiles; small, so 2 cores keep up


def _die_with_parent(parent_pid):
    def hook():
        os.setsid()
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent_pid:  # the demo died before prctl
            os._exit(1)
    return hook


def start_child(argv, log_path=None, env=None, stdin=None):
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL
    try:
        return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT if log_path else log,
                                stdin=stdin if stdin is not None else subprocess.DEVNULL,
                                env=env, preexec_fn=_die_with_parent(os.getpid()))
    finally:
        if log_path:
            log.close()


def stop_child(proc, sig, grace_s):
    """Sends sig, waits grace_s, then SIGKILL. Returns the exit code."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(grace_s)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
    return proc.returncode


class Voices:
    """Speech per person on a timeline of session seconds (16-bit mono at VOICE_RATE)."""

    def __init__(self, work_dir, length_s):
        self.work_dir = work_dir
        self.length = int((length_s + 10) * VOICE_RATE)  # a stint plays to the class's end
        self.lines = {}  # who -> [(first sample, array of samples)]
        self.pending = []

    def say(self, who, at_s, text, voice):
        """Starts espeak-ng; the speech lands at at_s once finish() has run."""
        path = os.path.join(self.work_dir, f"say-{len(self.pending)}.wav")
        proc = subprocess.Popen(["espeak-ng", "-v", voice, "-s", "150", "-w", path, text],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.pending.append((who, at_s, path, proc))

    def finish(self):
        for who, at_s, path, proc in self.pending:
            _, err = proc.communicate()
            if proc.returncode != 0:
                raise RuntimeError(f"espeak-ng failed ({proc.returncode}): {err.decode().strip()}")
            with wave.open(path) as w:
                if (w.getframerate(), w.getnchannels(), w.getsampwidth()) != (VOICE_RATE, 1, 2):
                    raise RuntimeError(f"espeak-ng wrote {path} in an unexpected format")
                speech = array.array("h", w.readframes(w.getnframes()))
            self.lines.setdefault(who, []).append((int(at_s * VOICE_RATE), speech))
            os.unlink(path)
        self.pending = []

    def slice_wav(self, who, from_s):
        """Writes who's voice from from_s to the end of the class into a WAV; returns its path."""
        start = min(self.length - VOICE_RATE, int(from_s * VOICE_RATE))
        out = array.array("h", bytes(2 * (self.length - start)))
        for first, speech in self.lines.get(who, []):
            lo, hi = max(first, start), min(first + len(speech), self.length)
            if lo >= hi:
                continue
            if not any(out[lo - start:hi - start]):  # the usual case: nobody spoke there yet
                out[lo - start:hi - start] = speech[lo - first:hi - first]
                continue
            for i in range(lo, hi):  # two lines overlap (a short class): mix them
                out[i - start] = max(-32768, min(32767, out[i - start] + speech[i - first]))
        fd, path = tempfile.mkstemp(prefix=f"voice-{who}-", suffix=".wav", dir=self.work_dir)
        with os.fdopen(fd, "wb") as f, wave.open(f, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(VOICE_RATE)
            w.writeframes(out.tobytes())
        return path


def rtp_sdp(kind, ssrc):
    """The SDP of one RTP stream for POST .../tracks/{track}/rtp (port 9: we receive nothing)."""
    pt, rtpmap = (96, "VP8/90000") if kind == "video" else (111, "opus/48000/2")
    lines = ["v=0", "o=- 0 0 IN IP4 127.0.0.1", "s=ssr demo", "c=IN IP4 127.0.0.1", "t=0 0",
             f"m={kind} 9 RTP/AVP {pt}", f"a=rtpmap:{pt} {rtpmap}"]
    if kind == "audio":
        lines.append(f"a=fmtp:{pt} minptime=10;useinbandfec=1")
    lines += [f"a=ssrc:{ssrc} cname:ssr-demo", "a=sendonly"]
    return "\r\n".join(lines) + "\r\n"


class Publisher:
    """One webcam + microphone sender (a gst-launch-1.0 process) for one stint in a room."""

    def __init__(self, person, video_port, audio_port, video_ssrc, audio_ssrc, voice_wav,
                 badge_png, log_path):
        bg = person["colour"]
        fg = "%06X" % (0xFFFFFF ^ int(bg, 16))
        video = (f"videotestsrc is-live=true pattern=ball motion={person['motion']} "
                 f"background-color=0xFF{bg} foreground-color=0xFF{fg} "
                 f"! video/x-raw,width={WIDTH},height={HEIGHT},framerate={FPS}/1 "
                 f"! gdkpixbufoverlay location={badge_png} offset-x=0 offset-y=0 "
                 "! videoconvert ! video/x-raw,format=I420 "
                 f"! vp8enc deadline=1 cpu-used=8 keyframe-max-dist={FPS} target-bitrate=300000 "
                 "threads=1 "
                 f"! rtpvp8pay pt=96 ssrc={video_ssrc} picture-id-mode=15-bit ! rb.send_rtp_sink_0")
        audio = (f"filesrc location={voice_wav} ! wavparse ! audioconvert ! audioresample "
                 "! audio/x-raw,rate=48000,channels=1 ! opusenc frame-size=20 bitrate=32000 "
                 f"! rtpopuspay pt=111 ssrc={audio_ssrc} ! rb.send_rtp_sink_1")
        sinks = (f"rb.send_rtp_src_0 ! udpsink host=127.0.0.1 port={video_port} sync=false "
                 f"rb.send_rtcp_src_0 ! udpsink host=127.0.0.1 port={video_port + 1} "
                 "sync=false async=false "
                 # The file is not a live source: the sink paces it at the real rate.
                 f"rb.send_rtp_src_1 ! udpsink host=127.0.0.1 port={audio_port} sync=true "
                 f"rb.send_rtcp_src_1 ! udpsink host=127.0.0.1 port={audio_port + 1} "
                 "sync=false async=false")
        argv = ["gst-launch-1.0", "-q", "-e", "rtpbin", "name=rb"]
        argv += video.split() + audio.split() + sinks.split()
        self.voice_wav = voice_wav
        self.log_path = log_path
        self.started = time.monotonic()
        self.interrupted = 0.0
        self.proc = start_child(argv, log_path)

    def failed(self):
        """Why the sender stopped early, or None while it runs."""
        rc = self.proc.poll()
        return None if rc is None else f"gst-launch-1.0 exited with {rc}"

    def interrupt(self):
        """Asks the sender to stop (SIGINT: gst-launch -e sends EOS, RTCP BYE) without waiting;
        reap() finishes the job."""
        self.interrupted = self.interrupted or time.monotonic()
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGINT)
            except ProcessLookupError:
                pass

    def reap(self, grace_s=2.0):
        """True once the sender is gone (killed when EOS hangs longer than grace_s: rtpbin
        sometimes does)."""
        if self.proc.poll() is None:
            if time.monotonic() - self.interrupted < grace_s:
                return False
            stop_child(self.proc, signal.SIGKILL, 5)
        try:
            os.unlink(self.voice_wav)
        except OSError:
            pass
        return True

    def stop(self):
        self.interrupt()
        while not self.reap():
            time.sleep(0.05)
