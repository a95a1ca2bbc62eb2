#!/bin/bash
# DEVELOPMENT CHECK (inside netns-run): Janus + forward.py -> raw RTP statistics on
# 127.0.0.1:44000 (video) and :44002 (audio), via dev/rtp_stats.py.
set -euo pipefail
here=$(dirname "$0")
fifo=$(mktemp -u); mkfifo "$fifo"
"$here/../janus/run-janus.sh" >"$fifo" 2>"${JANUS_LOG:-/dev/null}" &
janus=$!
trap 'kill $janus 2>/dev/null || true; wait $janus 2>/dev/null || true; rm -f "$fifo"' EXIT
read -r ready url <"$fifo"; [[ $ready == READY ]] || { echo "janus did not start" >&2; exit 1; }
/usr/bin/python3 "$here/rtp_stats.py" --port 44000 --seconds 9 >"$fifo.v" &
/usr/bin/python3 "$here/rtp_stats.py" --port 44002 --seconds 9 >"$fifo.a" &
/usr/bin/python3 "$here/../janus/forward.py" --janus "$url" --host 127.0.0.1 \
  --video-port 44000 --audio-port 44002 --seconds 6 "$@"
wait %2 %3
echo "video: $(cat "$fifo.v")"; echo "audio: $(cat "$fifo.a")"; rm -f "$fifo.v" "$fifo.a"
