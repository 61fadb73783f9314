#!/usr/bin/env python3
"""widths.py - check what a terminal would show from a pty transcript
(tests/cli/pty_run.py): every line, escape codes taken out, fits WIDTH
columns; with --no-escapes, there is no escape code at all.  Lines are
split at newlines and carriage returns, as a terminal draws them.  Prints
the offending lines and exits 1 when a check fails.

  widths.py FILE WIDTH [--no-escapes]
"""
import re
import sys

ESC = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def main(argv):
    data = open(argv[0], "rb").read()
    width = int(argv[1])
    bad = 0
    if "--no-escapes" in argv and b"\x1b" in data:
        print("escape code found: %r" % data[data.index(b"\x1b"):][:20])
        bad = 1
    for line in re.split(rb"[\r\n]", ESC.sub(b"", data)):
        text = line.decode("utf-8", "replace")
        if len(text) > width:
            print("%d columns: %s" % (len(text), text))
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
