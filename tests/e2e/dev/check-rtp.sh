#!/bin/bash
# DEVELOPMENT CHECK: receive rtp_send.sh's stream with a GStreamer rtpbin receiver on
# 127.0.0.1 (RTP on PORT, RTCP on PORT+1), decode it and measure it with numpy.
#   dev/check-rtp.sh video|audio PORT SECONDS [extra rtp_send.sh args...]
set -euo pipefail
here=$(dirname "$0"); kind=$1 port=$2 secs=$3; shift 3
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
if [[ $kind == video ]]; then
  caps="application/x-rtp,media=video,clock-rate=90000,encoding-name=VP8,payload=96"
  tail="rtpvp8depay ! vp8dec ! videoconvert ! video/x-raw,format=RGB,width=640,height=360"
else
  caps="application/x-rtp,media=audio,clock-rate=48000,encoding-name=OPUS,payload=111"
  tail="rtpopusdepay ! opusdec ! audioconvert ! audioresample ! audio/x-raw,format=S16LE,channels=1,rate=48000"
fi
timeout -s INT --kill-after=2 $(( secs + 3 )) gst-launch-1.0 -q -e rtpbin name=rb latency=200 \
  udpsrc address=127.0.0.1 port=$port caps="$caps" ! rb.recv_rtp_sink_0 \
  udpsrc address=127.0.0.1 port=$(( port + 1 )) caps=application/x-rtcp ! rb.recv_rtcp_sink_0 \
  rb. ! $tail ! filesink buffer-mode=unbuffered location="$out/media.raw" &
recv=$!
sleep 1
"$here/../rtp_send.sh" --kind "$kind" --host 127.0.0.1 --port "$port" --seconds "$secs" "$@" 2>/dev/null
wait $recv || true   # 124/137: stopped by timeout, as intended
/usr/bin/python3 - "$kind" "$out/media.raw" <<'PY'
import json, sys, numpy as np
kind, path = sys.argv[1], sys.argv[2]
raw = np.fromfile(path, np.uint8)
if kind == "video":
    f = raw[: raw.size // (640*360*3) * 640*360*3].reshape(-1, 360, 640, 3)
    box = f[:, 8:72, 8:72].reshape(len(f), -1, 3)
    distinct = len({hash(x.tobytes()) for x in f[:, ::8, ::8]})
    r = {"frames": len(f), "distinct_frames": distinct,
         "median_box_rgb": np.median(np.median(box, axis=1), axis=0).astype(int).tolist()}
else:
    s = raw[: raw.size // 2 * 2].view("<i2").astype(float) / 32768
    spec = np.abs(np.fft.rfft(s[48000:] * np.hanning(len(s) - 48000)))
    r = {"seconds": round(len(s) / 48000, 2), "rms": round(float(np.sqrt(np.mean(s[48000:] ** 2))), 4),
         "dominant_hz": round(float(np.argmax(spec[1:]) + 1) * 48000 / (len(s) - 48000), 1)}
print(json.dumps(r))
ok = r.get("frames", 0) > 0 or r.get("seconds", 0) > 0
sys.exit(0 if ok else 1)
PY
