#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""scraper.py: scrapers of cgwd's /metrics that a server must survive.

  scraper.py stuck ADDR:PORT N      N connections that send 32 GETs and never
                                    read an answer (one the server closes is
                                    replaced at once); until killed
  scraper.py serve ADDR:PORT FILE   a stand-in for cgwd's /metrics: serves
                                    FILE (threads), to load a box the same
                                    way without cgwd (a benchmark's control)
  scraper.py parallel ADDR:PORT N S [EVERY]
                                    N threads scraping for S seconds, each
                                    as fast as it can or once every EVERY
                                    seconds (all together, as N Prometheus
                                    servers would); prints
                                    "scrapes errors max_ms"
"""
import select
import socket
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def stuck(addr, n):
    host, port = addr.rsplit(":", 1)

    def connect():
        s = socket.socket()
        # a tiny receive window: the answers stay in cgwd's send buffer
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        s.connect((host, int(port)))
        # pipelined: more answers than any socket buffer holds
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n" * 32)
        return s

    conns = {}
    poller = select.poll()
    for _ in range(n):
        s = connect()
        conns[s.fileno()] = s
        poller.register(s, select.POLLRDHUP)
    print("stuck: %d connections" % len(conns), flush=True)
    # the server drops a connection that does not read after its timeout:
    # another takes its place at once, so N are always stuck
    while True:
        for fd, _ in poller.poll():
            poller.unregister(fd)
            conns.pop(fd).close()
            s = connect()
            conns[s.fileno()] = s
            poller.register(s, select.POLLRDHUP)


def parallel(addr, n, secs, every):
    start = time.monotonic()
    end = start + secs
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
            if every:
                # the next tick of the shared clock
                left = every - (time.monotonic() - start) % every
                time.sleep(left)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("%d %d %.0f" % (counts["ok"], counts["err"], counts["max"]), flush=True)


def serve(addr, path):
    body = open(path, "rb").read()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    host, port = addr.rsplit(":", 1)
    srv = ThreadingHTTPServer((host, int(port)), Handler)
    srv.daemon_threads = True
    print("serving", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "stuck":
        stuck(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3])
    elif len(sys.argv) in (5, 6) and sys.argv[1] == "parallel":
        parallel(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]),
                 float(sys.argv[5]) if len(sys.argv) == 6 else 0)
    else:
        sys.exit(__doc__)
