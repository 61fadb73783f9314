#!/usr/bin/env python3
"""pty_run.py - run a command on a pseudo-terminal, as a user's terminal
would: stdout and stderr are the pty, its size is COLS x 24 (PTY_COLS,
default 80).  Everything the command wrote goes to OUTFILE, bytes as they
came (escape codes included); the exit status is the command's, 128+N for a
signal.  Used by tests/cli/suite.sh for colour, width and live progress.

  pty_run.py OUTFILE CMD [ARG...]
"""
import fcntl
import os
import pty
import struct
import sys
import termios


def main(argv):
    out, cmd = argv[0], argv[1:]
    cols = int(os.environ.get("PTY_COLS", "80"))
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
        os.execvp(cmd[0], cmd)
    data = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the pty
            break
        if not chunk:
            break
        data += chunk
    _, status = os.waitpid(pid, 0)
    with open(out, "wb") as f:
        f.write(data)
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
