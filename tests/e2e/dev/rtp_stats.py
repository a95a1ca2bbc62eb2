#!/usr/bin/python3
"""DEVELOPMENT CHECK ONLY: raw RTP/RTCP statistics for validating rtp_send.sh.

  rtp_stats.py --port P --seconds S      (binds 127.0.0.1:P for RTP and P+1 for RTCP)

Prints JSON: RTP packets received, distinct sequence numbers, expected (from the seq
range), loss %, packets arriving out of order, RFC 3550 interarrival jitter (ms) and the
spread (5th to 95th percentile) of the relative transit time
(arrival minus RTP timestamp), i.e. the added delay variation, and the number of RTCP sender reports (PT 200) received, with the SSRCs seen.
"""
import argparse, json, select, socket, struct, time
import numpy as np

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--seconds", type=float, required=True)
p.add_argument("--host", default="127.0.0.1")
a = p.parse_args()
rtp, rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM), socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rtp.bind((a.host, a.port)); rtcp.bind((a.host, a.port + 1))
seqs, ssrcs, pts, srs, ooo = [], set(), set(), 0, 0
jitter, prev, transit = 0.0, None, []
ts0 = None
end = time.monotonic() + a.seconds
while (left := end - time.monotonic()) > 0:
    for s in select.select([rtp, rtcp], [], [], left)[0]:
        data, now = s.recv(65536), time.monotonic()
        if s is rtp:
            _, pt, seq, ts, ssrc = struct.unpack("!BBHII", data[:12])
            clock = 90000 if pt & 0x7F == 96 else 48000
            if seqs and ((seq - seqs[-1]) & 0xFFFF) > 0x8000:
                ooo += 1
            seqs.append(seq); ssrcs.add(ssrc); pts.add(pt & 0x7F)
            ts0 = ts if ts0 is None else ts0
            transit.append(now - ((ts - ts0) & 0xFFFFFFFF) / clock)
            if prev:  # RFC 3550 A.8, in seconds
                d = (now - prev[0]) - ((ts - prev[1]) & 0xFFFFFFFF if ts >= prev[1] else -((prev[1] - ts) & 0xFFFFFFFF)) / clock
                jitter += (abs(d) - jitter) / 16
            prev = (now, ts)
        else:
            off = 0
            while off + 4 <= len(data):
                _, ptype, length = struct.unpack("!BBH", data[off:off + 4])
                srs += ptype == 200
                off += 4 * (length + 1)
if seqs:  # unwrap
    base, last, out = seqs[0], seqs[0], []
    u = 0
    for s in seqs:
        u += ((s - last + 0x8000) & 0xFFFF) - 0x8000; last = s; out.append(u)
    expected = max(out) - min(out) + 1
else:
    out, expected = [], 0
print(json.dumps({"rtp_packets": len(seqs), "distinct_seq": len(set(out)), "expected": expected,
                  "loss_pct": round(100 * (1 - len(set(out)) / expected), 2) if expected else None,
                  "out_of_order": ooo, "jitter_ms": round(jitter * 1000, 2),
                  "transit_p5_p95_spread_ms": round(1000 * float(np.percentile(transit, 95) - np.percentile(transit, 5)), 1) if transit else None,
                  "payload_types": sorted(pts), "ssrcs": sorted(ssrcs), "rtcp_sr": srs}))
