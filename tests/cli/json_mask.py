#!/usr/bin/env python3
"""json_mask.py - a diagnose JSON report with what changes from run to run
masked, for the JSON goldens of tests/cli/diag_golden.sh.

Masked: every duration or time offset (a key that is "ms" or ends in "_ms"),
to "N", and in text as the text golden masks it ("connected in N ms",
"N.N s"); the random name of the nonexistent-domain DNS probe
("cyanprobe-<12 hex>.com") wherever it appears; the cloud's random nonce
(facts.cloud.first_bytes); the DHCP check's random transaction id
(facts.dhcp.xid).  Nothing else is touched, so every other value is
compared exactly.

usage: json_mask.py IN OUT
"""
import json
import re
import sys

PROBE_NAME = re.compile(r"cyanprobe-[0-9a-f]{12}\.com")
MS = re.compile(r"\b[0-9]+ ms\b")
SECONDS = re.compile(r"[0-9]+\.[0-9]+( ?)s\b")


def mask(v, key=""):
    if isinstance(v, dict):
        return {k: mask(x, k) for k, x in v.items()}
    if isinstance(v, list):
        return [mask(x) for x in v]
    if (key == "ms" or key.endswith("_ms")) and isinstance(v, (int, float)):
        return "N"
    if isinstance(v, str):
        v = PROBE_NAME.sub("cyanprobe-HEX.com", v)
        return SECONDS.sub(r"N.N\1s", MS.sub("N ms", v))
    return v


def main():
    with open(sys.argv[1]) as f:
        r = json.load(f)
    r = mask(r)
    facts = r.get("facts", {})
    if isinstance(facts.get("cloud"), dict) and "first_bytes" in facts["cloud"]:
        facts["cloud"]["first_bytes"] = "NONCE"
    if isinstance(facts.get("dhcp"), dict) and "xid" in facts["dhcp"]:
        facts["dhcp"]["xid"] = "XID"
    with open(sys.argv[2], "w") as f:
        json.dump(r, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
