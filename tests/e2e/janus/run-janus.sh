#!/bin/bash
# run-janus.sh: run Debian's Janus 1.1.2 (VideoRoom plugin, plain HTTP API only) with a
# generated config in a temp dir, for tests that need a real SFU doing rtp_forward.
#
#   run-janus.sh [--http-port N] [--bind 127.0.0.1] [--rtp-ports 30000-30999]
#
# Janus ICE uses libnice, which ignores loopback: run it inside tests/e2e/netns-run (next to
# its WebRTC publisher). The HTTP API binds --bind (default 127.0.0.1; loopback is fine for
# HTTP). Prints "READY http://BIND:PORT/janus" on stdout once GET /janus/info answers, then
# stays in the foreground; SIGTERM/SIGINT stop Janus and remove the temp dir. The Janus log
# goes to stderr. Exits non-zero if Janus fails to start or dies.
set -euo pipefail
die() { echo "run-janus.sh: $*" >&2; exit 2; }

port=""; bind=127.0.0.1; rtp_ports=30000-30999
while [[ $# -gt 0 ]]; do
  [[ $# -ge 2 ]] || die "option $1 needs a value"
  case "$1" in
    --http-port) port=$2 ;; --bind) bind=$2 ;; --rtp-ports) rtp_ports=$2 ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done
command -v janus >/dev/null || die "janus not installed (Debian package janus)"
if [[ -z $port ]]; then  # a free TCP port on the bind address
  port=$(/usr/bin/python3 -c "import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])" "$bind")
fi

lib=/usr/lib/x86_64-linux-gnu/janus
dir=$(mktemp -d /tmp/ssr-janus.XXXXXX)
pid=""
cleanup() {
  if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

plugins_off=$(cd "$lib/plugins" && ls lib*.so | grep -v videoroom | paste -sd,)
transports_off=$(cd "$lib/transports" && ls lib*.so | grep -v janus_http | paste -sd,)
cat >"$dir/janus.jcfg" <<EOF
general: {
  configs_folder = "$dir"
  plugins_folder = "$lib/plugins"
  transports_folder = "$lib/transports"
  events_folder = "$lib/events"
  loggers_folder = "$lib/loggers"
  log_to_stdout = true
  debug_level = 4
  admin_secret = "unused-$$"
  protected_folders = []
}
certificates: {
}
media: {
  rtp_port_range = "$rtp_ports"
}
nat: {
  # no STUN/TURN: host candidates only, on the namespace's veth addresses
  nice_debug = false
  ignore_mdns = true
  ice_ignore_list = "vmnet"
}
plugins: {
  disable = "$plugins_off"
}
transports: {
  disable = "$transports_off"
}
loggers: {
  disable = "libjanus_jsonlog.so"
}
events: {
  broadcast = false
}
EOF
cat >"$dir/janus.plugin.videoroom.jcfg" <<EOF
general: {
}
EOF
cat >"$dir/janus.transport.http.jcfg" <<EOF
general: {
  json = "plain"
  base_path = "/janus"
  http = true
  port = $port
  ip = "$bind"
  https = false
}
admin: {
  admin_http = false
  admin_https = false
}
cors: {
}
EOF

janus --config="$dir/janus.jcfg" --configs-folder="$dir" >&2 &
pid=$!
url="http://$bind:$port/janus"
for _ in $(seq 100); do
  kill -0 "$pid" 2>/dev/null || { wait "$pid" || true; pid=""; die "janus exited during start-up"; }
  if curl -fsS "$url/info" >/dev/null 2>&1; then
    echo "READY $url"
    rc=0; wait "$pid" || rc=$?; pid=""
    die "janus exited (status $rc)"
  fi
  sleep 0.1
done
die "janus did not answer $url/info within 10 s"
