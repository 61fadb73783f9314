#!/usr/bin/env python3
"""coap_post.py - send firmware-agent event POSTs to a collector on loopback.

    coap_post.py ADDR:PORT DEVICEHEX EPOCH SEQ [SEQ...]

Each SEQ goes out as one CON POST /e holding one event (the agent's payload
format 1, docs/firmware-agent.md), and the reply's code is printed as
"SEQ 2.04" (or "SEQ none" after 2 s without one).  Built by hand here so a
test can send what no real agent sends, such as a sequence number far
ahead.
"""
import random
import socket
import struct
import sys


def post(seq_no, device, epoch, mid):
    payload = bytes([1]) + device + struct.pack(">IB", epoch, 1)
    # seq, ms, code, kind 0 (enter), stage 0, fail 0, detail "x"
    payload += struct.pack(">IIiBBBB", seq_no, 10, 0, 0, 0, 0, 1) + b"x"
    header = bytes([0x40, 0x02]) + struct.pack(">H", mid)
    return header + bytes([0xB1]) + b"e" + b"\xff" + payload


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    device = bytes.fromhex(sys.argv[2])
    epoch = int(sys.argv[3], 0)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2.0)
    mid = random.randrange(0, 0xFFFF)
    for seq_text in sys.argv[4:]:
        seq_no = int(seq_text, 0)
        mid = (mid + 1) & 0xFFFF
        s.sendto(post(seq_no, device, epoch, mid), (host, int(port)))
        try:
            data, _ = s.recvfrom(64)
            code = "%d.%02d" % (data[1] >> 5, data[1] & 31)
        except socket.timeout:
            code = "none"
        print(seq_text, code, flush=True)


if __name__ == "__main__":
    main()
