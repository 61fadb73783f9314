#!/usr/bin/python3
"""expect.py - what the demo plan must give, from the plan and EXPECT.

  expect.py PLAN EXPECT OUT.json

Reads the plan (YAML, as `qa check` reads it) for its cells, the tests
each cell's router runs (the router's `tests`, else all of the plan's),
its stations and its devices' firmware; and EXPECT (tests/qa/EXPECT) for
the verdicts, where "*" is every device, or every firmware of a device,
that the plan names.  Every verdict the plan calls for must be given
exactly once, and nothing else (exit 1, saying which, when not): so a
router added to the plan without its expected verdicts, or a line for a
test its router does not run, is an error here, not a smaller check.

Writes OUT.json for tests/qa/suite.sh: the verdict rows; the report's
columns (device, then firmware by version, as `qa report` sorts them);
each cell's station, tests, and per column its worst verdict (ranked as
`qa report` does: pass < warn < inconclusive < fail) with the text of the
crossing, and its first bad firmware; and the counts the suite checks
(cells, verdicts by outcome, cell x test groups, cells that run diagnose).
"""
import json
import sys

import yaml

RANK = {"pass": 0, "warn": 1, "inconclusive": 2, "fail": 3}


def plan_shape(plan):
    """Cells in plan order: (id, station, tests); the (device, fw) columns."""
    tests = [t if isinstance(t, str) else t["name"] for t in plan["tests"]]
    cells = []
    for r in plan["routers"]:
        mine = r.get("tests", tests)
        configs = [c if isinstance(c, str) else c["id"]
                   for c in r.get("configs", ["default"])]
        for fw in r["firmware"]:
            for c in configs:
                cells.append(("%s/%s/%s" % (r["id"], fw, c), r["station"],
                              [t for t in tests if t in mine]))
    cols = [(d["device"], fw) for d in plan["devices"] for fw in d["firmware"]]
    return cells, cols


def version(fw):
    """A firmware version as a sort key: 0.7.0-rc.1 before 0.7.0."""
    main, _, pre = fw.partition("-")
    return [int(x) for x in main.split(".")], pre == "", pre


def crossing(w):
    """A crossing's text, as qa report prints it."""
    outcome, finding, led = w
    if outcome == "pass":
        return "pass"
    if outcome == "inconclusive":
        return "inconclusive" + ("" if finding == "-" else " " + finding)
    return "%s %s, %s" % ("FAIL" if outcome == "fail" else "warn", finding,
                          led)


def expect_lines(path):
    """EXPECT's lines: (cell, test, device, fw, outcome, finding, led)."""
    out = []
    for n, line in enumerate(open(path), 1):
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split()
        if len(f) < 7 or f[4] not in RANK:
            sys.exit("%s:%d: want cell test device fw outcome finding LED"
                     % (path, n))
        out.append((n, f[0], f[1], f[2], f[3], f[4], f[5], " ".join(f[6:])))
    return out


def main():
    plan = yaml.safe_load(open(sys.argv[1]))
    cells, cols = plan_shape(plan)
    want = {}
    for n, cell, test, dev, fw, outcome, finding, led in expect_lines(
            sys.argv[2]):
        hits = [(d, v) for d, v in cols
                if dev in ("*", d) and fw in ("*", v)]
        if not hits:
            sys.exit("EXPECT:%d: no device firmware of the plan is %s %s"
                     % (n, dev, fw))
        for d, v in hits:
            key = (cell, test, d, v)
            if key in want:
                sys.exit("EXPECT:%d: %s given twice" % (n, " ".join(key)))
            want[key] = (outcome, finding, led)
    needed = {(c, t, d, v) for c, _, ts in cells for t in ts for d, v in cols}
    for k in sorted(needed - set(want)):
        sys.exit("EXPECT: no verdict for %s (the plan calls for it)"
                 % " ".join(k))
    for k in sorted(set(want) - needed):
        sys.exit("EXPECT: %s is not a verdict of the plan" % " ".join(k))
    shown = sorted(cols, key=lambda c: (c[0], version(c[1])))
    out = {"cells": [], "columns": ["%s %s" % c for c in cols],
           "report_columns": ["%s %s" % c for c in shown], "rows": []}
    for c, station, ts in cells:
        worst, bad = [], []
        for d, v in shown:
            w = None
            for t in ts:
                x = want[(c, t, d, v)]
                if w is None or RANK[x[0]] > RANK[w[0]]:
                    w = x
            worst.append(list(w) + [crossing(w)])
            # The oldest firmware of each device that fails.
            if w[0] == "fail" and not any(b[0] == d for b in bad):
                bad.append((d, v))
        out["cells"].append({"cell": c, "station": station, "tests": ts,
                             "worst": worst, "first_bad": "; ".join(
                                 "%s %s" % b for b in bad) or "-"})
        for t in ts:
            for d, v in cols:
                out["rows"].append([c, t, d, v] + list(want[(c, t, d, v)]))
    counts = {k: 0 for k in RANK}
    for r in out["rows"]:
        counts[r[4]] += 1
    counts.update(cells=len(cells), verdicts=len(out["rows"]),
                  firmware=len(cols),
                  groups=sum(len(ts) for _, _, ts in cells),
                  diagnose_cells=sum("diagnose" in ts for _, _, ts in cells))
    out["counts"] = counts
    json.dump(out, open(sys.argv[3], "w"), indent=1)


main()
