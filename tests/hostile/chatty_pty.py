#!/usr/bin/env python3
"""chatty_pty.py - a serial device that never stops talking, on a pty.

    chatty_pty.py LINKFILE

Opens a pseudo-terminal, writes the path of its device end to LINKFILE,
then prints a line of application chatter every 20 ms, for ever, and
ignores whatever it is sent (no firmware agent answers 'e').  A probe that
resets its time-out on every line never stops against it.
"""
import os
import sys
import time


def main():
    master, slave = os.openpty()
    path = os.ttyname(slave)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(path + "\n")
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    n = 0
    while True:
        n += 1
        try:
            os.write(master, b"app: sensor reading %d\r\n" % n)
            # Drain what the probe sent, so its writes never block.
            os.set_blocking(master, False)
            try:
                os.read(master, 1024)
            except BlockingIOError:
                pass
        except OSError:
            time.sleep(0.02)
        time.sleep(0.02)


if __name__ == "__main__":
    main()
