#!/usr/bin/env python3
"""coap_post.py - send firmware-agent event POSTs to a collector on loopback.

    coap_post.py ADDR:PORT DEVICEHEX EPOCH SEQ [SEQ...]
    coap_post.py --payload DEVICEHEX EPOCH SEQ [SEQ...] > FILE

Each SEQ goes out as one CON POST /e holding one event (the agent's payload
format 1, docs/firmware-agent.md), and the reply's code is printed as
"SEQ 2.04" (or "SEQ none" after 2 s without one).  Built by hand here so a
test can send what no real agent sends, such as a sequence number far
ahead.  With --payload, one payload holding every SEQ (1 to 255 of them;
FIRST-LAST is a range) goes to standard output, for a real CoAP client
(libcoap's coap-client -f FILE) to send.
"""
import random
import socket
import struct
import sys


def payload(seqs, device, epoch):
    out = bytes([1]) + device + struct.pack(">IB", epoch, len(seqs))
    for seq_no in seqs:
        # seq, ms, code, kind 0 (enter), stage 0, fail 0, detail "x"
        out += struct.pack(">IIiBBBB", seq_no, 10, 0, 0, 0, 0, 1) + b"x"
    return out


def seq_list(texts):
    seqs = []
    for t in texts:
        first, _, last = t.partition("-")
        seqs += range(int(first, 0), int(last or first, 0) + 1)
    return seqs


def post(seq_no, device, epoch, mid):
    header = bytes([0x40, 0x02]) + struct.pack(">H", mid)
    return (header + bytes([0xB1]) + b"e" + b"\xff" +
            payload([seq_no], device, epoch))


def main():
    if sys.argv[1] == "--payload":
        seqs = seq_list(sys.argv[4:])
        sys.stdout.buffer.write(payload(seqs, bytes.fromhex(sys.argv[2]),
                                        int(sys.argv[3], 0)))
        return
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
