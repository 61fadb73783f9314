#!/usr/bin/env python3
"""facts_doc_check.py - is every facts key that cyanprobe writes documented?

  facts_doc_check.py DIR     every *.json report in DIR (the copies that
                             CYANPROBE_REPORT_COPY=DIR makes; tests/run.sh)

Every key at every level of each report's facts counts, objects inside
arrays included: `wifi.stations[].steps[].kind` is the key `kind` of the
objects in the array `steps` of the objects in `wifi.stations`.  facts.run
holds one object per check under the check's name, so its keys are named
`run.KEY` (`run.link.status` is `run.status`); facts.wifi.link, .regdom and
.scan are scan's link, regdom and scan; facts.wifi.networks is the
report's networks[] (checked against the JSON Schema, not here).

A key is documented when docs/*.md name it in backticks, with or without
`facts.`, whole (`CHECK.KEY`, `wifi.stations[].state`, or a longer path
below it: `CHECK.KEY[]`, `CHECK.KEY.sub`), or when one table row or
paragraph names one of its ancestors whole (`wifi.stations[]`) and, in
backticks, each name below that ancestor (`steps[]` and `alg` for
`wifi.stations[].steps[].alg`; a span such as `{t, step, alg}` names each
word in it): that is how a row lists the members of an object.  Prints
"FAIL key (first report that has it)" per undocumented key, at any level,
and the tally "# N passed, N failed" (one per distinct key).  A DIR with
no report in it (every suite that writes one was skipped) prints a SKIP
line saying so, not a silent pass.  Run by tests/run.sh after
every suite, over the copies they made.
"""
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "..", "..", "docs")
NAME = re.compile(r"`([A-Za-z0-9_.\[\]]+)`")


def strip(n):
    n = n[len("facts."):] if n.startswith("facts.") else n
    return n[:-2] if n.endswith("[]") else n


def row(text):
    """(whole names, words) in the backticks of one row or paragraph."""
    spans = re.findall(r"`([^`]+)`", text)
    whole = {strip(x) for x in spans if NAME.fullmatch("`%s`" % x)}
    words = {w for x in spans for w in re.findall(r"[A-Za-z0-9_]+", x)}
    return whole, words


def blocks():
    """(whole names, words) of each table row and each paragraph."""
    out = []
    for path in glob.glob(os.path.join(DOCS, "*.md")):
        with open(path, encoding="utf-8") as f:
            para = []
            for line in f:
                if line.lstrip().startswith("|"):
                    out.append(row(line))
                elif line.strip() == "":
                    out.append(row("".join(para)))
                    para = []
                else:
                    para.append(line)
            out.append(row("".join(para)))
    return out


# The wifi check of diagnose writes scan's link, regdom and scan objects
# inside facts.wifi, documented once as link.*, regdom.* and scan.*; its
# wifi.networks is the report's networks[], whose keys the JSON Schema
# (docs/report-schema.json) checks, not this.
ALIAS = {"wifi.link": "link", "wifi.regdom": "regdom", "wifi.scan": "scan"}
NOT_FACTS = {"wifi.networks"}


def walk(obj, path, keys, report):
    """Every key path below obj (a dict) into keys."""
    for k, v in obj.items():
        p = "%s.%s" % (path, k) if path else k
        p = ALIAS.get(p, p)
        keys.setdefault(p, report)
        if p not in NOT_FACTS:
            walk_value(v, p, keys, report)


def walk_value(v, p, keys, report):
    if isinstance(v, dict):
        walk(v, p, keys, report)
    elif isinstance(v, list):
        for x in v:
            walk_value(x, p + "[]", keys, report)


def facts_keys(facts, keys, report):
    for check, obj in facts.items():
        if not isinstance(obj, dict):
            continue
        if check != "run":
            keys.setdefault(check, report)
            walk(obj, check, keys, report)
            continue
        # facts.run.CHECK.KEY, named run.KEY; its totals are run.KEY too.
        for name, sub in obj.items():
            if isinstance(sub, dict):
                walk(sub, "run", keys, report)
            else:
                keys.setdefault("run." + name, report)


def named(key, names, rows):
    if key in names or any(n.startswith(key + ".") or n.startswith(key + "[")
                           for n in names):
        return True
    parts = key.split(".")
    for i in range(len(parts) - 1, 0, -1):
        ancestor = strip(".".join(parts[:i]))
        below = [strip(p) for p in parts[i:]]
        for whole, words in rows:
            if ancestor in whole and all(b in words for b in below):
                return True
    return False


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    keys = {}
    paths = sorted(glob.glob(os.path.join(sys.argv[1], "*.json")))
    if not paths:
        print("SKIP no JSON report in %s: every suite that writes one was "
              "skipped, so no facts key was checked" % sys.argv[1])
        print("# 0 passed, 0 failed")
        return 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                facts = json.load(f).get("facts")
        except (OSError, ValueError, AttributeError):
            continue    # schema_check.py reports broken files
        if isinstance(facts, dict):
            facts_keys(facts, keys, os.path.basename(path))
    rows = blocks()
    names = set()
    for whole, _ in rows:
        names |= whole
    names |= {n + "[]" for n in names}
    passed = failed = 0
    for key in sorted(keys):
        if named(key, names, rows):
            passed += 1
        else:
            failed += 1
            print("FAIL facts.%s is not named in docs/*.md (e.g. %s)"
                  % (key, keys[key]))
    print("# %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
