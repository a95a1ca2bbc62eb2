#!/usr/bin/python3
"""bench/live-serve-bench, interrupted, leaves nothing running.

Starts the bench (one class: a real `ssr serve` and four ffmpeg RTP senders), waits until all
of them run, then stops the bench: with SIGTERM (it must stop its server and senders and
remove its temporary directory), then, in a second run, with SIGKILL (its children must die
with it: PR_SET_PDEATHSIG). Fails naming any process or directory left behind.
"""

import glob
import os
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.environ.get("SSR_SOURCE_DIR",
                      os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BENCH = os.path.join(ROOT, "bench", "live-serve-bench")
EXPECTED_CHILDREN = 5  # the server and four senders


def children_of(pid):
    found = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.split("/")[2]))
    return found


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def work_dirs():
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "ssr-live-serve-bench-[!m]*")))


def run_and_stop(how):
    before = work_dirs()
    bench = subprocess.Popen([sys.executable, BENCH, "--n", "1", "--seconds", "600"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300  # the first run encodes the senders' media
    kids = []
    while time.monotonic() < deadline and bench.poll() is None:
        kids = [k for k in children_of(bench.pid) if alive(k)]
        if len(kids) >= EXPECTED_CHILDREN:
            break
        time.sleep(0.5)
    if len(kids) < EXPECTED_CHILDREN:
        bench.kill()
        return [f"{how.name}: the bench did not start its {EXPECTED_CHILDREN} processes "
                f"(saw {len(kids)}): {bench.stderr.read().decode()[-2000:]}"]
    time.sleep(2)  # the recording runs
    bench.send_signal(how)
    try:
        bench.wait(timeout=60)
    except subprocess.TimeoutExpired:
        bench.kill()
        return [f"{how.name}: the bench did not exit within 60 s"]
    time.sleep(1)  # SIGKILL: the kernel delivers the children's death signal
    problems = [f"{how.name}: process {k} ({open(f'/proc/{k}/comm').read().strip()}) still runs"
                for k in kids if alive(k)]
    for k in kids:
        if alive(k):
            os.kill(k, signal.SIGKILL)
    if how == signal.SIGTERM:
        left = work_dirs() - before
        problems += [f"SIGTERM: {d} left behind" for d in sorted(left)]
    return problems


def main():
    problems = run_and_stop(signal.SIGTERM) + run_and_stop(signal.SIGKILL)
    for p in problems:
        print("FAIL:", p)
    if problems:
        return 1
    print("ok: interrupted by SIGTERM and by SIGKILL, the bench left no process behind")
    return 0


if __name__ == "__main__":
    sys.exit(main())
