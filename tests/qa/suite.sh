#!/bin/sh
# suite.sh - `cyanprobe qa` end to end, as a lab runs it.  The plan checks
# are data (tests/qa/CHECKS: a plan, the exit status, the message), run with
# the plain and the ASan+UBSan binaries; the plans that must pass are also
# checked against the published JSON Schema (docs/qa-plan.schema.json) with
# python3-jsonschema.  Prints FAIL/SKIP lines and the tally.
set -u
cd "$(dirname "$0")/../.." || exit 3
B=${B:-build}
case "$B" in /*) ;; *) B="$(pwd)/$B" ;; esac
SRC=$(pwd)
RULES=$SRC/rules
# py_with MODULES: a python3 that imports them, Debian's first (a python3
# earlier on PATH may lack Debian's python3-junitparser); "" when none does.
py_with() {
	for py in /usr/bin/python3 python3; do
		if "$py" -c "import $1" 2>/dev/null; then
			echo "$py"
			return
		fi
	done
}
PYJ=$(py_with junitparser)
PYS=$(py_with "jsonschema, yaml")

pass=0 fail=0
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/cyanqa-suite.XXXXXX") || exit 3
trap 'rm -rf "$TMPD"' EXIT
trap 'exit 130' INT TERM
trap 'exit 129' HUP
trap '' PIPE

ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $*"; }

# --- qa check: the lines of CHECKS -----------------------------------------
# check_plans BIN: each line "file status text" through `qa check`.
check_plans() {
	bin=$1
	grep -v '^#' tests/qa/CHECKS | grep -v '^[[:space:]]*$' |
	while read -r file want text; do
		(cd tests/qa && "$bin" qa check --rules "$RULES" "$file") \
		    >"$TMPD/out" 2>"$TMPD/err"
		rc=$?
		where=$TMPD/out
		[ "$want" -ne 0 ] && where=$TMPD/err
		if [ "$rc" -ne "$want" ]; then
			echo "FAIL check/$file ($bin): exit $rc, want $want:" \
			    "$(head -c 300 "$TMPD/err")"
		elif ! grep -qF -- "$text" "$where"; then
			echo "FAIL check/$file ($bin): no \"$text\" in:" \
			    "$(head -c 300 "$where")"
		elif [ "$want" -ne 0 ] &&
		    ! head -n 1 "$TMPD/err" | grep -q "^cyanprobe: $file"; then
			echo "FAIL check/$file ($bin): the error does not start" \
			    "with the file name: $(head -c 200 "$TMPD/err")"
		else
			echo "ok"
		fi
	done >"$TMPD/checks"
	grep '^FAIL' "$TMPD/checks"
	pass=$((pass + $(grep -c '^ok' "$TMPD/checks")))
	fail=$((fail + $(grep -c '^FAIL' "$TMPD/checks")))
}

for bin in "$B/cyanprobe" "$B/asan/cyanprobe"; do
	if [ -x "$bin" ]; then
		check_plans "$bin"
	else
		echo "SKIP check: no $bin (make B=$B tests)"
	fi
done

# The plans that pass `qa check` pass the published schema too, and a few
# that fail it fail the schema as well: the schema says what the code does.
if [ -n "$PYS" ]; then
	for f in tests/qa/plans/*.yaml; do
		if "$PYS" - "$f" <<'PY' 2>"$TMPD/err"; then ok; else no "schema/$f: $(head -c 300 "$TMPD/err")"; fi
import json, sys, yaml, jsonschema
s = json.load(open("docs/qa-plan.schema.json"))
jsonschema.Draft202012Validator.check_schema(s)
jsonschema.validate(yaml.safe_load(open(sys.argv[1])), s)
PY
	done
	for f in cred-value cred-env-name unknown-key no-firmware bad-id \
	    unknown-hook bad-schema no-routers bad-exclusive; do
		if "$PYS" - "tests/qa/bad/$f.yaml" <<'PY' 2>/dev/null; then no "schema/$f: the schema accepts a plan qa check refuses"; else ok; fi
import json, sys, yaml, jsonschema
s = json.load(open("docs/qa-plan.schema.json"))
jsonschema.validate(yaml.safe_load(open(sys.argv[1])), s)
PY
	done
else
	echo "SKIP schema: needs python3-jsonschema and python3-yaml"
fi


# --- the demo plan on the emulated routers ------------------------------
# expect_verdicts DB: each line of EXPECT is a verdict row of DB.
expect_verdicts() {
	grep -v '^#' tests/qa/EXPECT | grep -v '^[[:space:]]*$' |
	while read -r cell dev fw outcome finding led; do
		got=$(sqlite3 -separator ' | ' "$1" "SELECT outcome,
		    COALESCE(finding, '-'), led FROM verdicts
		    WHERE cell_id = '$cell' AND device = '$dev'
		    AND device_firmware = '$fw' AND test = 'diagnose'")
		if [ "$got" = "$outcome | $finding | $led" ]; then
			echo ok
		else
			echo "FAIL verdict/$cell/$dev/$fw: want" \
			    "'$outcome | $finding | $led', got '$got'"
		fi
	done >"$TMPD/verdicts"
	grep '^FAIL' "$TMPD/verdicts"
	pass=$((pass + $(grep -c '^ok' "$TMPD/verdicts")))
	fail=$((fail + $(grep -c '^FAIL' "$TMPD/verdicts")))
}

# sql DB QUERY: one value.
sql() { sqlite3 "$1" "$2" 2>&1; }

# is NAME GOT WANT
is() {
	if [ "$2" = "$3" ]; then ok; else no "$1: got '$2', want '$3'"; fi
}

# The JUnit XML through a real consumer: python3-junitparser.
check_junit() {
	if [ -z "$PYJ" ]; then
		no "junit: needs python3-junitparser (make deps)"
		return
	fi
	"$PYJ" - "$1" "$2" <<'PY' >"$TMPD/junit.out" 2>&1
import sys
from junitparser import JUnitXml, Failure, Error
xml = JUnitXml.fromfile(sys.argv[1])
plan_hash = sys.argv[2]
suites = {s.name: s for s in xml}
def check(cond, what):
    print(("ok " if cond else "FAIL junit: ") + what)
check(len(suites) == 4, "4 testsuites, one per cell: %s" % sorted(suites))
for name, s in suites.items():
    props = {p.name: p.value for p in s.properties()}
    for k in ("router", "firmware", "config", "station", "plan_hash"):
        check(k in props, "%s: property %s" % (name, k))
    check(props.get("plan_hash") == plan_hash, "%s: plan hash" % name)
    check(name == "%s/%s/%s" % (props.get("router"), props.get("firmware"),
          props.get("config")), "%s: router/firmware/config" % name)
    check(len(list(s)) == 4, "%s: 4 testcases (1 test x 4 firmware), got %d"
          % (name, len(list(s))))
s = suites["strictwall/2.1/strict"]
cases = {c.name: c for c in s}
c = cases.get("diagnose core 0.3.4")
res = [r for r in (c.result if c is not None else []) if isinstance(r, Failure)]
check(len(res) == 1, "strictwall core 0.3.4 fails")
if res:
    check("cloud.port_blocked" in res[0].message and "3 red blinks" in res[0].message,
          "failure message: finding and LED: %s" % res[0].message)
    check(res[0].type == "cloud.port_blocked", "failure type is the finding")
h = suites["homebox/1.0/default"]
check(all(not c.result for c in h), "homebox: every testcase passes")
check(xml.failures == 8, "8 failures in all, got %s" % xml.failures)
PY
	grep '^FAIL' "$TMPD/junit.out"
	grep -q '^Traceback' "$TMPD/junit.out" && no "junit: $(tail -n 3 "$TMPD/junit.out")"
	pass=$((pass + $(grep -c '^ok' "$TMPD/junit.out")))
	fail=$((fail + $(grep -c '^FAIL' "$TMPD/junit.out")))
}

run_demo() {
	. tests/qa/lab.sh
	trap 'qa_lab_down; rm -rf "$TMPD"' EXIT
	if ! qa_lab_up tests/qa/plans/demo.yaml "$TMPD/plan.yaml"; then
		no "lab: the emulated routers did not come up"
		return
	fi
	db=$TMPD/qa.db
	"$B/cyanprobe" qa run --quiet --rules "$RULES" --db "$db" \
	    --junit "$TMPD/junit.xml" "$TMPD/plan.yaml" >"$TMPD/run.out" \
	    2>"$TMPD/run.err"
	rc=$?
	is "run: exit status (fails found)" "$rc" 1
	grep -q 'run .*: 4 cells, 16 verdicts: 8 pass, 0 warn, 8 fail' \
	    "$TMPD/run.out" && ok || no "run: summary: $(cat "$TMPD/run.out" "$TMPD/run.err" | head -c 600)"
	is "store: schema version" "$(sql "$db" 'SELECT MAX(version) FROM qa_schema')" 1
	is "store: one run" "$(sql "$db" 'SELECT COUNT(*) FROM runs')" 1
	is "store: 4 cells measured" "$(sql "$db" "SELECT COUNT(*) FROM cells WHERE status = 'measured'")" 4
	is "store: both variants measured" "$(sql "$db" "SELECT COUNT(DISTINCT variant) FROM facts WHERE test = 'diagnose'")" 2
	is "store: facts of every check" "$(sql "$db" "SELECT COUNT(DISTINCT name) FROM facts WHERE kind = 'facts'")" 8
	is "store: a report artifact per test" "$(sql "$db" "SELECT COUNT(*) FROM artifacts WHERE name LIKE 'diagnose@%.report.json'")" 8
	is "store: hooks ran" "$(sql "$db" "SELECT COUNT(*) FROM facts WHERE test LIKE 'hook:%' AND name = 'ok'")" 2
	expect_verdicts "$db"
	hash=$("$B/cyanprobe" qa check --rules "$RULES" "$TMPD/plan.yaml" | sed 's/.*sha256 //')
	check_junit "$TMPD/junit.xml" "$hash"

	# Re-judge without lab time: a firmware the plan never named ...
	"$B/cyanprobe" qa judge --rules "$RULES" --db "$db" --device photon \
	    --firmware 1.5.2 >"$TMPD/judge.out" 2>&1
	is "judge: exit status" "$?" 0
	is "judge: new firmware judged on old facts" "$(sql "$db" "SELECT outcome || ' ' || finding FROM verdicts WHERE cell_id = 'strictwall/2.1/strict' AND device_firmware = '1.5.2'")" "fail cloud.port_blocked"
	# ... and new rules: the same facts, another verdict.
	cp -R "$RULES" "$TMPD/rules"
	python3 - "$TMPD/rules/findings.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    if f["id"] == "cloud.port_blocked":
        f["severity"] = "warning"
json.dump(d, open(sys.argv[1], "w"), indent=1)
PY
	"$B/cyanprobe" qa judge --rules "$TMPD/rules" --db "$db" >/dev/null 2>&1
	is "judge: new rules change the verdict" "$(sql "$db" "SELECT outcome FROM verdicts WHERE cell_id = 'strictwall/2.1/strict' AND device = 'photon' AND device_firmware = '0.7.0'")" warn
	"$B/cyanprobe" qa judge --rules "$RULES" --db "$db" >/dev/null 2>&1
	expect_verdicts "$db"
	cp "$db" "$TMPD/demo.db"
}

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP lab: needs root for network namespaces"
elif ! command -v sqlite3 >/dev/null 2>&1; then
	echo "SKIP lab: needs sqlite3"
else
	run_demo
fi

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
