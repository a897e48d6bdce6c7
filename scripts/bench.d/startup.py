#!/usr/bin/env python3
"""Start-to-first-answer of the mock.

Measures the time from starting the binary to the first 200 from
GET /__admin/health, polling in a tight loop, RUNS times, and prints each time
and the median in milliseconds. The last line is "median_ms=N" for scripts.

    startup.py [--runs N] BINARY [EXTRA OPTIONS...]

The mock listens on 127.0.0.1 on a free port; EXTRA OPTIONS are passed on.
"""
import argparse
import http.client
import signal
import socket
import statistics
import subprocess
import sys
import time

POLL_S = 0.0002
LIMIT_S = 10.0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", "/__admin/health")
        resp = conn.getresponse()
        resp.read()
        return resp.status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def stop(proc):
    proc.terminate()
    try:
        rc = proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        print("warning: the mock did not stop within 5 s of SIGTERM", file=sys.stderr)
        return
    if rc != 0:
        print(f"warning: the mock exited {rc} on SIGTERM (expected 0)", file=sys.stderr)


def once(binary, extra):
    port = free_port()
    argv = [binary, "--listen", "127.0.0.1", "--port", str(port), *extra]
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        while True:
            if healthy(port):
                return (time.perf_counter() - t0) * 1000.0
            if proc.poll() is not None:
                raise SystemExit(f"the mock exited with {proc.returncode} before answering")
            if time.perf_counter() - t0 > LIMIT_S:
                raise SystemExit(f"no answer from the mock within {LIMIT_S:.0f} s")
            time.sleep(POLL_S)
    finally:
        if proc.poll() is None:
            stop(proc)


def main():
    # A SIGTERM (scripts/bench exiting early) still stops the mock started here.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("binary")
    ap.add_argument("extra", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    times = [once(args.binary, args.extra) for _ in range(args.runs)]
    print("runs_ms=" + " ".join(f"{t:.1f}" for t in times))
    print(f"median_ms={statistics.median(times):.1f}")


if __name__ == "__main__":
    main()
