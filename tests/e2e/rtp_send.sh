#!/bin/bash
# rtp_send.sh: send one live RTP stream (VP8/VP9 video or Opus audio) with GStreamer, for the
# RTP ingest (POST /api/v1/sessions/{sid}/tracks/{track}/rtp).
#
#   rtp_send.sh --kind video|audio --print-sdp [--host H] [--ssrc N] [--codec vp8|vp9]
#   rtp_send.sh --kind video|audio --host H --port P [--seconds 10] [--color RRGGBB] [--codec vp8|vp9]
#               [--tone-hz 440] [--drop-probability 0.05] [--jitter-ms 50] [--ssrc N]
#               [--bind-address A] [--size 640x360] [--fps 30]
#
# --print-sdp prints the SDP describing the stream (to POST as {"sdp": ...}) and exits.
# Video: 640x360@30 (--size, --fps: smaller and slower where many senders share a small
#   machine), a solid --color fill with a small ball of the inverted colour moving over it
#   (videotestsrc pattern=ball), VP8 or VP9 (--codec; a keyframe every second), RTP pt 96 /
#   90 kHz.
# Audio: --tone-hz sine at half full scale, 48 kHz mono, Opus 20 ms, RTP pt 111
#   (opus/48000/2 as RFC 7587 requires).
# RTP goes to H:P, RTCP (rtpbin sender reports, NTP<->RTP mapping) to H:P+1; no rtcp-mux.
# udpsink sync=false: the live sources pace the stream, and netsim's delays are kept.
# Nothing is received back (no RTCP feedback: keyframes are periodic instead).
# --bind-address sends from that local address (another sender, as the receiver sees it).
# --drop-probability / --jitter-ms act on RTP only, through GStreamer's netsim element
# (sch_netem is not available): each packet is dropped with the given probability and
# delayed by a uniform random 0..jitter-ms (reordering allowed).
# Exits 0 after --seconds of media; non-zero, with a message, on any error.
set -euo pipefail

die() { echo "rtp_send.sh: $*" >&2; exit 2; }

kind="" host="127.0.0.1" port="" seconds=10 color="3366CC" tone=440 drop=0 jitter=0
ssrc="" print_sdp=0 codec=vp8 size=640x360 fps=30 bind=
while [[ $# -gt 0 ]]; do
  [[ $1 == --print-sdp ]] && { print_sdp=1; shift; continue; }
  [[ $# -ge 2 ]] || die "option $1 needs a value"
  case "$1" in
    --kind) kind=$2 ;;
    --host) host=$2 ;;
    --port) port=$2 ;;
    --seconds) seconds=$2 ;;
    --color) color=$2 ;;
    --tone-hz) tone=$2 ;;
    --drop-probability) drop=$2 ;;
    --jitter-ms) jitter=$2 ;;
    --ssrc) ssrc=$2 ;;
    --codec) codec=$2 ;;
    --bind-address) bind=$2 ;;
    --size) size=$2 ;;
    --fps) fps=$2 ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done

[[ $kind == video || $kind == audio ]] || die "--kind video|audio is required"
[[ $codec == vp8 || $codec == vp9 ]] || die "--codec must be vp8 or vp9"
[[ $color =~ ^[0-9A-Fa-f]{6}$ ]] || die "--color must be RRGGBB, got '$color'"
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || die "--seconds must be a positive integer"
[[ $size =~ ^([0-9]+)x([0-9]+)$ ]] || die "--size must be WIDTHxHEIGHT, got '$size'"
width=${BASH_REMATCH[1]} height=${BASH_REMATCH[2]}
[[ $fps =~ ^[0-9]+$ && $fps -gt 0 ]] || die "--fps must be a positive integer"
[[ $tone =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--tone-hz must be a number"
[[ $drop =~ ^(0(\.[0-9]+)?|1(\.0*)?)$ ]] || die "--drop-probability must be in [0,1]"
[[ $jitter =~ ^[0-9]+$ ]] || die "--jitter-ms must be a non-negative integer"
# Fixed default SSRCs so that --print-sdp and the sending run agree.
if [[ -z $ssrc ]]; then [[ $kind == video ]] && ssrc=286331153 || ssrc=572662306; fi
[[ $ssrc =~ ^[0-9]+$ && $ssrc -lt 4294967296 ]] || die "--ssrc must be a 32-bit number"

if [[ $kind == video ]]; then pt=96; rtpmap="${codec^^}/90000"; else pt=111; rtpmap="opus/48000/2"; fi

sdp() {
  printf 'v=0\r\no=- 0 0 IN IP4 %s\r\ns=ssr rtp_send\r\nc=IN IP4 %s\r\nt=0 0\r\n' "$host" "$host"
  printf 'm=%s 9 RTP/AVP %s\r\na=rtpmap:%s %s\r\n' "$kind" "$pt" "$pt" "$rtpmap"
  [[ $kind == audio ]] && printf 'a=fmtp:%s minptime=10;useinbandfec=1\r\n' "$pt"
  printf 'a=ssrc:%s cname:ssr-rtp-send\r\na=sendonly\r\n' "$ssrc"
}
if [[ $print_sdp -eq 1 ]]; then sdp; exit 0; fi

getent ahostsv4 "$host" >/dev/null || die "--host $host does not resolve to an IPv4 address"
[[ $port =~ ^[0-9]+$ && $port -gt 0 && $port -lt 65535 ]] || die "--port is required (1..65534)"
for e in rtpbin udpsink netsim ${codec}enc rtp${codec}pay opusenc rtpopuspay videotestsrc audiotestsrc; do
  gst-inspect-1.0 "$e" >/dev/null 2>&1 || die "GStreamer element '$e' is missing"
done

if [[ $kind == video ]]; then
  inv=$(printf '%06X' $(( 0xFFFFFF ^ 0x$color )))
  src="videotestsrc is-live=true pattern=ball
       background-color=0xFF$color foreground-color=0xFF$inv
       ! video/x-raw,format=I420,width=$width,height=$height,framerate=$fps/1
       ! ${codec}enc deadline=1 cpu-used=8 keyframe-max-dist=$fps target-bitrate=800000
       ! rtp${codec}pay pt=$pt ssrc=$ssrc picture-id-mode=15-bit"
else
  src="audiotestsrc is-live=true samplesperbuffer=960
       wave=sine freq=$tone volume=0.5
       ! audio/x-raw,rate=48000,channels=1 ! opusenc frame-size=20 inband-fec=true
       ! rtpopuspay pt=$pt ssrc=$ssrc"
fi
netsim="netsim drop-probability=$drop"
from=""
if [[ -n $bind ]]; then
  [[ $bind =~ ^[0-9.]+$ ]] || die "--bind-address must be an IPv4 address, got '$bind'"
  from="bind-address=$bind"
fi
if [[ $jitter -gt 0 ]]; then
  netsim+=" delay-probability=1 delay-distribution=uniform min-delay=0 max-delay=$jitter"
fi

echo "rtp_send.sh: $kind to $host:$port (RTCP to $((port + 1))) for ${seconds}s, ssrc $ssrc," \
  "drop $drop, jitter ${jitter}ms; SDP:" >&2
sdp | sed 's/\r$//; s/^/  /' >&2
# Stop: SIGINT after --seconds, which gst-launch -e turns into EOS (BYE, encoder flush).
# (num-buffers is not used: with rtpbin the natural EOS hangs in about 1 run in 4 here.)
# timeout exits 124 when it had to stop the sender, i.e. it ran the full time; anything
# else is an early exit, i.e. an error.
# --foreground: timeout stays in our process group, so whoever kills the group (a test's
# BackgroundCommand) stops the sender too; without it, timeout makes a group of its own and
# the sender outlives its test, sending to ports another server may have opened since.
rc=0
# shellcheck disable=SC2086  # $src, $netsim and $from are pipeline fragments
timeout --foreground -s INT --kill-after=2 "$seconds" gst-launch-1.0 -q -e \
  rtpbin name=rb \
  $src ! rb.send_rtp_sink_0 \
  rb.send_rtp_src_0 ! $netsim ! udpsink host="$host" port="$port" sync=false $from \
  rb.send_rtcp_src_0 ! udpsink host="$host" port=$(( port + 1 )) sync=false async=false $from \
  || rc=$?
case $rc in
  124) exit 0 ;;
  137) echo "rtp_send.sh: warning: sender did not stop on EOS and was killed (media was sent)" >&2
       exit 0 ;;
  *) echo "rtp_send.sh: FAILED: gst-launch-1.0 exited $rc before ${seconds}s were sent" >&2
     exit 1 ;;
esac
