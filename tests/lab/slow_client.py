#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""slow_client.py SOCKET HEADER N: a cgwctl that asks and does not read.

Connects to cgwd's read-only control socket, sends N "show bgp" requests
without reading a byte, prints "sent" and waits for a line on stdin (the
test times another client meanwhile: cgwd must not wait on this one).
Then reads everything: prints the number of END messages, which must be
N.  Message numbers come from cgw_msg.h (HEADER): they never move.
"""
import re
import socket
import struct
import sys

path, header, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(header).read()
body = text[text.index("enum cgw_msg_type {"):]
body = body[:body.index("};")]
num, types = 0, {}
for m in re.finditer(r"^\s*(CGW_MSG_\w+)\s*(?:=\s*(\d+))?\s*,", body, re.M):
    num = int(m.group(2)) if m.group(2) else num + 1
    types[m.group(1)] = num
HDR = struct.Struct("=IIII")   # type, len, seq, pad

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(path)
s.sendall(b"".join(HDR.pack(types["CGW_MSG_SHOW_BGP"], 0, i + 1, 0)
                   for i in range(n)))
print("sent", flush=True)
sys.stdin.readline()
buf, ends = b"", 0
s.settimeout(30)
while ends < n:
    data = s.recv(1 << 16)
    if not data:
        break
    buf += data
    while len(buf) >= HDR.size:
        t, ln, _, _ = HDR.unpack_from(buf)
        if len(buf) < HDR.size + ln:
            break
        ends += t == types["CGW_MSG_END"]
        buf = buf[HDR.size + ln:]
print(ends, flush=True)
