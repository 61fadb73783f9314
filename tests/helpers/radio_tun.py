#!/usr/bin/env python3
"""radio_tun.py - a radiotap network interface with no Wi-Fi hardware, so
`cyanprobe capture` runs its live path on 802.11 frames in a test.

A TUN device (with packet information) whose link type TUNSETLINK sets to
ARPHRD_IEEE80211_RADIOTAP (803): libpcap opens it as DLT_IEEE802_11_RADIO,
as it opens a monitor interface.  Every frame written to the device is
received on it, so the frames of a radiotap pcap file (tests/helpers/
framegen writes them) reach the capture exactly as from a radio.  The
device lives as long as this process: it goes when the process ends.

usage: radio_tun.py IFNAME PCAP GO_FILE
  creates IFNAME, up; prints "ready"; waits until GO_FILE exists (the test
  creates it once the capture listens); writes every frame of PCAP; prints
  "sent N"; then waits to be killed (at most 30 s).
"""
import fcntl
import os
import struct
import subprocess
import sys
import time

TUNSETIFF = 0x400454CA
TUNSETLINK = 0x400454CD
IFF_TUN = 0x0001
ARPHRD_IEEE80211_RADIOTAP = 803
DLT_IEEE802_11_RADIO = 127
# struct tun_pi: flags 0, protocol (any: a packet socket sees the frame
# before any protocol handler would).
PI = struct.pack("!HH", 0, 0x0004)


def frames(path):
    """The frames of a classic pcap file whose link type is radiotap."""
    with open(path, "rb") as f:
        hdr = f.read(24)
        magic = struct.unpack("<I", hdr[:4])[0]
        endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
        if struct.unpack(endian + "I", hdr[20:24])[0] != DLT_IEEE802_11_RADIO:
            sys.exit("radio_tun: %s is not a radiotap pcap" % path)
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            caplen = struct.unpack(endian + "IIII", rec)[2]
            yield f.read(caplen)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: radio_tun.py IFNAME PCAP GO_FILE")
    name, pcap, go = sys.argv[1:]
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH22x", name.encode(), IFF_TUN))
    # The link type can only change while the device is down.
    fcntl.ioctl(fd, TUNSETLINK, ARPHRD_IEEE80211_RADIOTAP)
    subprocess.run(["ip", "link", "set", name, "up"], check=True)
    print("ready", flush=True)
    deadline = time.monotonic() + 30
    while not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(0.01)
    n = 0
    for fr in frames(pcap):
        os.write(fd, PI + fr)
        n += 1
        # About a radio's pace: a capture on a loaded machine reads
        # slower than a tight loop writes, and would drop frames.
        time.sleep(0.001)
    print("sent %d" % n, flush=True)
    while time.monotonic() < deadline:
        time.sleep(0.1)


if __name__ == "__main__":
    main()
