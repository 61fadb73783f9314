#!/usr/bin/env python3
"""schema_check.py - validate cyanprobe reports against the JSON Schema of
cyanprobe-report/1 (docs/report-schema.json) with python3-jsonschema.

  schema_check.py FILE...     each FILE is one report (--json) or JSON lines
                              (--json-lines: one report a line)
  schema_check.py --dir DIR   every *.json file in DIR: the copies that
                              CYANPROBE_REPORT_COPY=DIR makes of every report
                              the binary writes (tests/run.sh sets it)

Prints "FAIL file: where: why" per invalid report and ends with the tally
"# N passed, N failed" (one per report).  Without python3-jsonschema it says
SKIP and passes nothing.
"""
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "..", "docs", "report-schema.json")


def reports(path):
    """(label, parsed report or exception) for each report in path."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        yield path, json.loads(text)
        return
    except ValueError:
        pass
    # Not one document: JSON lines, each a compact report.
    for n, line in enumerate(text.splitlines(), 1):
        label = "%s:%d" % (path, n)
        if "\n" in line or not line.strip():
            yield label, ValueError("empty line")
            continue
        try:
            yield label, json.loads(line)
        except ValueError as e:
            yield label, e


def main(argv):
    try:
        import jsonschema
    except ImportError:
        print("SKIP schema: python3-jsonschema is not installed (make deps)")
        print("# 0 passed, 0 failed")
        return 0
    if len(argv) == 2 and argv[0] == "--dir":
        files = sorted(glob.glob(os.path.join(argv[1], "*.json")))
    else:
        files = argv
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema)
    passed = failed = 0
    for path in files:
        for label, doc in reports(path):
            if isinstance(doc, Exception):
                print("FAIL %s: not JSON: %s" % (label, doc))
                failed += 1
                continue
            errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
            if errs:
                failed += 1
                for e in errs[:3]:
                    where = "/".join(str(p) for p in e.absolute_path)
                    print("FAIL %s: /%s: %s" % (label, where, e.message[:300]))
            else:
                passed += 1
    print("# %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
