#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""dnsloop.py: an on-prem client that keeps asking, as a stub resolver does.

  dnsloop.py SERVER ZONE SECONDS [EVERY_S]

Asks a new name under ZONE (no cache helps) every EVERY_S seconds (default
0.05) for SECONDS; each query waits 1 s, then is sent once more and waits
1 s again (one retry, like a stub resolver's first).  Prints one JSON
object: how many were asked, answered at once, answered only after the
retry, failed after the retry, the slowest answer, the median and 99th
percentile of the answered ones, how many took over 0.2 s, and the times
(unix seconds) of the failures and retries.  Test code: the packet is built
here with struct, nothing else is needed in the lab.
"""
import json
import random
import socket
import struct
import sys
import time


def query(name, qid):
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.split("."))
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + labels + b"\0" + struct.pack(">HH", 1, 1)


def ask(sock, server, name):
    """0: answered at once, 1: after the retry, 2: not at all; and seconds."""
    t0 = time.monotonic()
    qid = random.randrange(65536)
    for attempt in (0, 1):
        sock.sendto(query(name, qid), (server, 53))
        deadline = time.monotonic() + 1.0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            sock.settimeout(left)
            try:
                data, _ = sock.recvfrom(4096)
            except socket.timeout:
                break
            if len(data) >= 4 and struct.unpack(">H", data[:2])[0] == qid and data[3] & 0x0F == 0:
                return attempt, time.monotonic() - t0
    return 2, time.monotonic() - t0


def main():
    server, zone, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    every = float(sys.argv[4]) if len(sys.argv) > 4 else 0.05
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    out = {"asked": 0, "at_once": 0, "after_retry": 0, "failed": 0, "slowest_s": 0.0,
           "p50_s": 0.0, "p99_s": 0.0, "over_200ms": 0, "retried_at": [], "failed_at": []}
    took_all = []
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
        how, took = ask(sock, server, "q%d-%d.%s" % (n, random.randrange(10**6), zone))
        out["asked"] += 1
        out["slowest_s"] = max(out["slowest_s"], round(took, 3))
        if how < 2:
            took_all.append(took)
        out["over_200ms"] += took > 0.2
        key = ("at_once", "after_retry", "failed")[how]
        out[key] += 1
        if how == 1:
            out["retried_at"].append(round(time.time(), 3))
        if how == 2:
            out["failed_at"].append(round(time.time(), 3))
        time.sleep(every)
    took_all.sort()
    if took_all:
        out["p50_s"] = round(took_all[len(took_all) // 2], 4)
        out["p99_s"] = round(took_all[min(len(took_all) - 1, len(took_all) * 99 // 100)], 4)
    print(json.dumps(out))


main()
