#!/usr/bin/env python3
"""within.py - check a measured NAT lifetime against the figure the lab's
router was built with, one counted check each ("ok ..." or "FAIL ...").

usage: within.py NAME REPORT.json FLOW SECONDS MAX_RESOLUTION

The router's timeout SECONDS must lie in (alive_s, dead_s] of
facts.nat_lifetime.FLOW: alive at alive_s proves the mapping lived that long,
dead at dead_s that it was gone by then.  The resolution (dead_s - alive_s)
must be at most MAX_RESOLUTION.
"""
import json
import sys


def main():
    name, path, flow = sys.argv[1], sys.argv[2], sys.argv[3]
    conf, res = float(sys.argv[4]), float(sys.argv[5])
    try:
        with open(path) as f:
            f = json.load(f)["facts"]["nat_lifetime"][flow]
    except (OSError, ValueError, KeyError) as e:
        print("FAIL %s: %s: no facts.nat_lifetime.%s: %s" % (name, path,
              flow, e))
        return
    alive, dead = f.get("alive_s"), f.get("dead_s")
    if dead is not None and alive is not None and alive < conf <= dead:
        print("ok %s: %s timeout %g s within (%g, %g]" % (name, flow, conf,
              alive, dead))
    else:
        print("FAIL %s: %s timeout %g s not within (%s, %s]" % (name, flow,
              conf, alive, dead))
    if dead is not None and alive is not None and dead - alive <= res:
        print("ok %s: %s resolution %g s" % (name, flow, dead - alive))
    else:
        print("FAIL %s: %s resolution above %g s" % (name, flow, res))


main()
