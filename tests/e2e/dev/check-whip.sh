#!/bin/bash
# DEVELOPMENT CHECK: run inside netns-run. Starts dev/whip_receiver.py on SSR_NETNS_ADDR_A
# and runs the publisher command given as arguments ("{URL}" is replaced by the WHIP URL),
# then prints the receiver's report.  Example:
#   tests/e2e/netns-run tests/e2e/dev/check-whip.sh \
#     /usr/bin/python3 tests/e2e/whip_publish.py --url {URL} --token t --seconds 5
set -euo pipefail
here=$(dirname "$0")
: "${SSR_NETNS_ADDR_A:?run me inside netns-run}"
port=${WHIP_PORT:-8089}
/usr/bin/python3 "$here/whip_receiver.py" --host "$SSR_NETNS_ADDR_A" --port "$port" \
  --token t --timeout "${WHIP_TIMEOUT:-90}" ${WHIP_SNAPSHOT:+--snapshot "$WHIP_SNAPSHOT"} &
recv=$!
for _ in $(seq 50); do (echo >/dev/tcp/$SSR_NETNS_ADDR_A/$port) 2>/dev/null && break; sleep 0.1; done
url="http://$SSR_NETNS_ADDR_A:$port/whip/s1/cam-h1+mic-h1"
cmd=("${@//\{URL\}/$url}")
# publisher stdout (the Location) goes to stderr so that stdout is only the JSON report
if ! "${cmd[@]}" >&2; then echo "check-whip: publisher failed" >&2; kill $recv; exit 1; fi
wait $recv
