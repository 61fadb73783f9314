#!/usr/bin/env python3
"""golden.py - the checking half of the golden tests (one Python start per
suite run, since starting Python costs more than running cyanprobe).

  golden.py filter < report.json
      print the part of an analyze report that golden files hold: source
      counters, networks, findings (id, stage, severity, evidence), facts,
      verdict and forum fields.  Left out: the timestamp and version, and the
      rules' prose (summary, advice, seed), which rules/findings.json owns.

  golden.py codes DIR
      print "reason N: name" / "status N: name" for the reports
      DIR/reason-N.json and DIR/status-N.json (the tcpdump captures with one
      deauthentication or authentication each), checking that the code
      decoded is N, the number in the capture's name.

  golden.py verify RUNDIR GOLDENDIR
      RUNDIR/cases lists "name expected tag" per run; RUNDIR/NAME.TAG.json
      and NAME.TAG.rc hold what the run wrote and its exit status.  Each is
      compared with GOLDENDIR/expected/EXPECTED and checked against the
      hand-written assertions of GOLDENDIR/ASSERTS; RUNDIR/codes/, when
      present, against expected/codes.txt.  Prints "FAIL ..." lines and,
      last, "verify P F" (passed, failed).

ASSERTS keys, each key=value, written from the captures' documentation and
the standards, never from cyanprobe's output:
  findings=a,b     the set of finding ids, exactly ("-" for none)
  has=a,b          these ids are among the findings
  stage=wifi       verdict.stage
  verdict=inconclusive  verdict.state (ok, problem, inconclusive)
  unseen=dhcp,cloud  verdict.not_observed, exactly ("-" for none)
  led=green/blink/0  verdict.led color/pattern/count ("-" for none)
  join=SSID:yes    a network's verdict.can_join ("(hidden)" for no SSID;
                   "unknown" for null)
  undecided=SSID:a,b  a network's verdict.undecided, exactly ("-" for none)
  networks=N       number of networks
  bss=BSSID:path:value  a BSS fact by dotted path (list index allowed)
  fact=path:value  a facts value by dotted path
  problem=name:N   source.problems.NAME (a capture's problem counter)
  exit=N           the exit status
"""
import difflib
import json
import os
import sys


def filtered(r):
    return {
        "schema": r.get("schema"),
        "source": r.get("source"),
        "device": r.get("device"),
        "networks": r.get("networks"),
        "findings": [
            {k: f.get(k) for k in ("id", "stage", "severity", "evidence")}
            for f in r.get("findings", [])
        ],
        "findings_dropped": r.get("findings_dropped"),
        "facts": r.get("facts"),
        "verdict": {k: r.get("verdict", {}).get(k)
                    for k in ("state", "stage", "fail", "led", "evidence",
                              "not_observed")},
        "forum": {k: r.get("forum", {}).get(k)
                  for k in ("router", "security", "topology")},
    }


def dumps(obj):
    return json.dumps(obj, indent=1, sort_keys=True) + "\n"


def dig(obj, path):
    for part in path.split("."):
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    return obj


def text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def check(r, rc, spec):
    """One assertion: (ok, what was found)."""
    key, _, want = spec.partition("=")
    ids = [f["id"] for f in r["findings"]]
    if key == "findings":
        exp = set() if want == "-" else set(want.split(","))
        return set(ids) == exp, ",".join(sorted(set(ids))) or "-"
    if key == "has":
        return set(want.split(",")) <= set(ids), ",".join(ids) or "-"
    if key == "stage":
        got = r["verdict"]["stage"]
        return got == want, got
    if key == "verdict":
        got = r["verdict"]["state"]
        return got == want, got
    if key == "unseen":
        got = ",".join(r["verdict"]["not_observed"]) or "-"
        return got == want, got
    if key == "led":
        led = r["verdict"]["led"]
        got = ("%s/%s/%s" % (led["color"], led["pattern"], led["count"])
               if led is not None else "-")
        return got == want, got
    if key == "join":
        ssid, _, yn = want.rpartition(":")
        nets = [n for n in r["networks"] if (n["ssid"] or "(hidden)") == ssid]
        got = ",".join("unknown" if n["verdict"]["can_join"] is None else
                       "yes" if n["verdict"]["can_join"] else "no"
                       for n in nets) or "missing"
        return got == yn, got
    if key == "undecided":
        ssid, _, ids = want.rpartition(":")
        nets = [n for n in r["networks"] if (n["ssid"] or "(hidden)") == ssid]
        got = ";".join(",".join(n["verdict"].get("undecided", [])) or "-"
                       for n in nets) or "missing"
        return got == ids, got
    if key == "problem":
        name, _, val = want.partition(":")
        got = text(r["source"].get("problems", {}).get(name))
        return got == val, got
    if key == "networks":
        got = str(len(r["networks"]))
        return got == want, got
    if key == "bss":
        bssid = want[:17]
        path, _, val = want[18:].partition(":")
        found = [b for n in r["networks"] for b in n["bss"]
                 if b["bssid"] == bssid]
        got = text(dig(found[0], path)) if found else "missing"
        return got == val, got
    if key == "fact":
        path, _, val = want.partition(":")
        got = text(dig(r["facts"], path))
        return got == val, got
    if key == "exit":
        return str(rc) == want, str(rc)
    raise ValueError("unknown assertion " + spec)


def load_asserts(path):
    table = {}
    with open(path) as f:
        for line in f:
            words = line.split()
            if words and not words[0].startswith("#"):
                table[words[0]] = words[1:]
    return table


def codes_text(cdir):
    lines = []
    for kind in ("reason", "status"):
        n = 0
        while os.path.exists(os.path.join(cdir, "%s-%d.json" % (kind, n))):
            try:
                with open(os.path.join(cdir, "%s-%d.json" % (kind, n))) as f:
                    ev = json.load(f)["facts"]["wifi"]["events"]
                got = [e for e in ev if kind in e]
                name = got[0][kind] if got and got[0]["code"] == n \
                    else "MISSING"
            except (OSError, ValueError, KeyError) as e:
                name = "MISSING (%r)" % (e,)
            lines.append("%s %d: %s\n" % (kind, n, name))
            n += 1
    return "".join(lines)


def verify(rundir, gdir):
    asserts = load_asserts(os.path.join(gdir, "ASSERTS"))
    passed = failed = 0
    with open(os.path.join(rundir, "cases")) as f:
        cases = [line.split() for line in f if line.strip()]
    for name, expected, tag in cases:
        label = "%s (%s)" % (name, tag)
        base = os.path.join(rundir, "%s.%s" % (name, tag))
        try:
            with open(base + ".rc") as f:
                rc = int(f.read().strip())
            with open(base + ".json") as f:
                r = json.load(f)
        except (OSError, ValueError) as e:
            print("FAIL %s: no report: %s" % (label, e))
            failed += 1
            continue
        got = dumps(filtered(r))
        try:
            with open(os.path.join(gdir, "expected", expected)) as f:
                want = f.read()
        except OSError:
            print("FAIL %s: no expected/%s (run tests/golden/update.sh)"
                  % (label, expected))
            failed += 1
            continue
        ok = True
        if got != want:
            diff = list(difflib.unified_diff(
                want.splitlines(True), got.splitlines(True),
                "expected/" + expected, "got"))
            print("FAIL %s: differs from expected/%s:" % (label, expected))
            sys.stdout.writelines(diff[:30])
            ok = False
        for spec in asserts.get(name, []):
            try:
                good, found = check(r, rc, spec)
            except (KeyError, IndexError, ValueError, TypeError) as e:
                good, found = False, "error: %r" % (e,)
            if not good:
                print("FAIL %s: %s (got %s)" % (label, spec, found))
                ok = False
        if ok:
            passed += 1
        else:
            failed += 1
    cdir = os.path.join(rundir, "codes")
    if os.path.isdir(cdir):
        got = codes_text(cdir)
        with open(os.path.join(gdir, "expected", "codes.txt")) as f:
            want = f.read()
        if got != want or got.count("\n") != 175:
            print("FAIL codes: reason/status names differ from "
                  "expected/codes.txt (67 + 108 expected):")
            sys.stdout.writelines(list(difflib.unified_diff(
                want.splitlines(True), got.splitlines(True),
                "expected/codes.txt", "got"))[:30])
            failed += 1
        else:
            passed += 1
    print("verify %d %d" % (passed, failed))
    return 0


def main(argv):
    if len(argv) == 2 and argv[1] == "filter":
        try:
            r = json.load(sys.stdin)
        except ValueError as e:
            print("not JSON: %s" % e)
            return 1
        sys.stdout.write(dumps(filtered(r)))
        return 0
    if len(argv) == 3 and argv[1] == "codes":
        sys.stdout.write(codes_text(argv[2]))
        return 0
    if len(argv) == 4 and argv[1] == "verify":
        return verify(argv[2], argv[3])
    print("usage: golden.py filter | codes DIR | verify RUNDIR GOLDENDIR",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
