#!/usr/bin/python3
"""scraper.py: scrapers of cgwd's /metrics that a server must survive.

  scraper.py stuck ADDR:PORT N      N connections that send 32 GETs and never
                                    read an answer; held until killed
  scraper.py parallel ADDR:PORT N S N threads scraping in a loop for S
                                    seconds; prints "scrapes errors max_ms"
"""
import socket
import sys
import threading
import time
import urllib.request


def stuck(addr, n):
    host, port = addr.rsplit(":", 1)
    conns = []
    for _ in range(n):
        s = socket.socket()
        # a tiny receive window: the answer stays in cgwd's send buffer
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        s.connect((host, int(port)))
        # pipelined: more answers than any socket buffer holds
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n" * 32)
        conns.append(s)
    print("stuck: %d connections" % len(conns), flush=True)
    while True:
        time.sleep(3600)


def parallel(addr, n, secs):
    end = time.monotonic() + secs
    counts = {"ok": 0, "err": 0, "max": 0.0}
    lock = threading.Lock()

    def run():
        while time.monotonic() < end:
            t0 = time.monotonic()
            try:
                body = urllib.request.urlopen("http://%s/metrics" % addr, timeout=10).read()
                ok = b"cgw_tunnel_state" in body
            except OSError:
                ok = False
            dt = (time.monotonic() - t0) * 1000
            with lock:
                counts["ok" if ok else "err"] += 1
                counts["max"] = max(counts["max"], dt)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("%d %d %.0f" % (counts["ok"], counts["err"], counts["max"]), flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "stuck":
        stuck(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 5 and sys.argv[1] == "parallel":
        parallel(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    else:
        sys.exit(__doc__)
