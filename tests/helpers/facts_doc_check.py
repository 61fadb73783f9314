#!/usr/bin/env python3
"""facts_doc_check.py - is every facts key that cyanprobe writes documented?

  facts_doc_check.py DIR     every *.json report in DIR (the copies that
                             CYANPROBE_REPORT_COPY=DIR makes; tests/run.sh)

For each report's facts.CHECK.KEY (two levels; facts.run holds one object
per check, documented as run.NAME), the docs must name `CHECK.KEY`,
`facts.CHECK.KEY` or a longer path below it (`CHECK.KEY[]`,
`CHECK.KEY.sub`) in backticks in docs/*.md.  Prints "FAIL key (first
report that has it)" per undocumented key and the tally "# N passed,
N failed" (one per distinct key).  A DIR with no report in it (every suite
that writes one was skipped) prints a SKIP line saying so, not a silent
pass.  Run by tests/run.sh after every suite, over the copies they made.
"""
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "..", "..", "docs")


def documented():
    names = set()
    for path in glob.glob(os.path.join(DOCS, "*.md")):
        with open(path, encoding="utf-8") as f:
            for n in re.findall(r"`([A-Za-z0-9_.\[\]]+)`", f.read()):
                names.add(n[len("facts."):] if n.startswith("facts.") else n)
    return names


def named(key, names):
    if key in names:
        return True
    return any(n.startswith(key + ".") or n.startswith(key + "[")
               for n in names)


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
        if not isinstance(facts, dict):
            continue
        for check, obj in facts.items():
            if check == "run" or not isinstance(obj, dict):
                continue
            for k in obj:
                keys.setdefault("%s.%s" % (check, k), os.path.basename(path))
    names = documented()
    passed = failed = 0
    for key in sorted(keys):
        if named(key, names):
            passed += 1
        else:
            failed += 1
            print("FAIL facts.%s is not named in docs/*.md (e.g. %s)"
                  % (key, keys[key]))
    print("# %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
