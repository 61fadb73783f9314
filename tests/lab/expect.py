#!/usr/bin/env python3
"""expect.py - check one `cyanprobe diagnose --json` report against a list
of expectations, one counted check each, printing "ok ..." or "FAIL ...".

usage: expect.py NAME REPORT.json EXIT_STATUS EXPECTATION...

  rc=N               the exit status was N
  stage=NAME         verdict.stage
  state=NAME         verdict.state: ok, problem or inconclusive
  unseen=NAME,NAME   verdict.not_observed, exactly (none: unseen=)
  observed=NAME      verdict.not_observed does not hold NAME (its stage
                     was seen, whatever else was not)
  interrupted=BOOL   the top-level interrupted, true or false
  led=COLOR/PATTERN/COUNT   verdict.led, e.g. orange/blink/3
  has=ID             findings[] holds ID
  not=ID             findings[] does not hold ID
  only=ID,ID         the warning and error findings are exactly these ids
                     (none: only=); info findings (a slow DHCP server,
                     say) are checked with has= and not=
  fact=PATH=VALUE    facts.PATH (dots; [N] indexes a list) equals VALUE,
                     compared as text (true/false for booleans)
  ge=PATH=N          facts.PATH is a number >= N
  le=PATH=N          facts.PATH is a number <= N
  evidence=ID=TEXT   a finding ID whose evidence holds TEXT
  max_ms=N           facts.run.total_ms <= N
  after_offer_ms=N   the run ended at most N ms after the first DHCP offer
  contains=PATH=TEXT the report's PATH (from the top) holds TEXT

A `diagnose` report also gets one check of its own, whatever the list
says: each check's status agrees with its findings and with the verdict
(issue 10 section 4).  A check whose worst finding is a warning shows
"warn", one with an error "failed", one with only info or none "passed"
(skipped and interrupted checks aside); and a run that shows a failed
check is a problem, never "No problem found", nor ok or inconclusive.
"""
import json
import re
import sys


def get(obj, path):
    for name, idx in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        obj = obj[name] if name else obj[int(idx)]
    return obj


def text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def agreement(rep):
    """What is wrong between the checks' statuses and the verdict, or
    None when they agree (see the module's text)."""
    sev = {f["id"]: f.get("severity") for f in rep.get("findings", [])}
    rank = {None: "passed", "info": "passed", "warning": "warn",
            "error": "failed"}
    order = [None, "info", "warning", "error"]
    failed = []
    for name, c in rep["facts"]["run"].items():
        if not isinstance(c, dict) or "status" not in c:
            continue
        if c["status"] == "failed":
            failed.append(name)
        if c["status"] not in ("passed", "warn", "failed"):
            continue
        worst = None
        for fid in c.get("findings", []):
            if fid not in sev:
                return "%s: finding %s not in findings[]" % (name, fid)
            if order.index(sev[fid]) > order.index(worst):
                worst = sev[fid]
        if c["status"] != rank[worst]:
            return "%s shows %s, its worst finding is %s" % (
                name, c["status"], worst or "none")
    v = rep.get("verdict", {})
    if failed and (v.get("state") != "problem" or
                   "No problem found" in v.get("summary", "")):
        return "check(s) %s failed, yet the verdict is %s: %s" % (
            ",".join(failed), v.get("state"), v.get("summary"))
    return None


def main():
    name, path, rc = sys.argv[1], sys.argv[2], int(sys.argv[3])
    try:
        with open(path) as f:
            rep = json.load(f)
    except (OSError, ValueError) as e:
        print(f"FAIL {name}: no JSON report ({e}); exit status {rc}")
        return 1
    ids = [f["id"] for f in rep.get("findings", [])]
    faults = [f["id"] for f in rep.get("findings", [])
              if f.get("severity") != "info"]
    verdict = rep.get("verdict", {})
    bad = 0
    for exp in sys.argv[4:]:
        key, _, want = exp.partition("=")
        try:
            if key == "rc":
                got = str(rc)
            elif key == "stage":
                got = verdict.get("stage")
            elif key == "state":
                got = verdict.get("state")
            elif key == "unseen":
                got = ",".join(verdict.get("not_observed", ["missing"]))
            elif key == "observed":
                got = want if want not in verdict.get(
                    "not_observed", []) else "in %s" % verdict.get(
                    "not_observed")
            elif key == "interrupted":
                got = text(rep["interrupted"])
            elif key == "led":
                led = verdict.get("led", {})
                got = "%s/%s/%s" % (led.get("color"), led.get("pattern"),
                                    led.get("count"))
            elif key == "has":
                got = want if want in ids else "absent from %s" % ids
            elif key == "not":
                got = "absent" if want not in ids else "present in %s" % ids
                want = "absent"
            elif key == "only":
                want = ",".join(sorted(x for x in want.split(",") if x))
                got = ",".join(sorted(set(faults)))
            elif key == "fact":
                fpath, _, want = want.rpartition("=")
                got = text(get(rep["facts"], fpath))
            elif key == "ge":
                fpath, _, want = want.rpartition("=")
                v = get(rep["facts"], fpath)
                ok = isinstance(v, (int, float)) and not \
                    isinstance(v, bool) and v >= float(want)
                got = want if ok else "%s" % v
            elif key == "le":
                fpath, _, want = want.rpartition("=")
                v = get(rep["facts"], fpath)
                ok = isinstance(v, (int, float)) and not \
                    isinstance(v, bool) and v <= float(want)
                got = want if ok else "%s" % v
            elif key == "evidence":
                fid, _, want = want.partition("=")
                evs = [f.get("evidence", "") for f in rep.get("findings", [])
                       if f["id"] == fid]
                got = want if any(want in e for e in evs) else \
                    "not in %s" % (evs or "no %s finding" % fid)
            elif key == "contains":
                fpath, _, want = want.partition("=")
                got = text(get(rep, fpath))
                got = want if want in got else got
            elif key == "after_offer_ms":
                run = rep["facts"]["run"]
                offer = run["dhcp"]["start_ms"] + \
                    rep["facts"]["dhcp"]["first_offer_ms"]
                after = run["total_ms"] - offer
                got = want if after <= float(want) else "%s ms" % after
            elif key == "max_ms":
                total = rep["facts"]["run"]["total_ms"]
                got = want if total <= float(want) else "%s ms" % total
            else:
                got = "unknown expectation"
        except (KeyError, IndexError, TypeError, ValueError) as e:
            got = "missing (%s)" % e
        if got == want:
            print(f"ok {name}: {exp}")
        else:
            bad += 1
            print(f"FAIL {name}: {exp}: got {got}")
    if rep.get("source", {}).get("command") == "diagnose":
        try:
            why = agreement(rep)
        except (KeyError, TypeError, ValueError) as e:
            why = "no facts.run (%s)" % e
        if why is None:
            print(f"ok {name}: the checks' statuses agree with the verdict")
        else:
            print(f"FAIL {name}: the checks' statuses and the verdict "
                  f"disagree: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
