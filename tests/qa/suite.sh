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
PYY=$(py_with yaml)

pass=0 fail=0
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/cyanqa-suite.XXXXXX") || exit 3
trap 'rm -rf "$TMPD"' EXIT
trap 'exit 130' INT TERM
trap 'exit 129' HUP
trap '' PIPE

ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $*"; }
# is NAME GOT WANT
is() {
	if [ "$2" = "$3" ]; then ok; else no "$1: got '$2', want '$3'"; fi
}

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
	    unknown-hook bad-schema no-routers bad-exclusive rt-no-responder \
	    rt-bad-responder rt-wrong-key rt-bad-mac rt-bad-step rt-bad-dur-mixed rt-bad-keepalive \
	    rt-dur-spaced rt-tests-dup rt-tests-empty rt-tests-object \
	    rt-tests-not-list; do
		if "$PYS" - "tests/qa/bad/$f.yaml" <<'PY' 2>/dev/null; then no "schema/$f: the schema accepts a plan qa check refuses"; else ok; fi
import json, sys, yaml, jsonschema
s = json.load(open("docs/qa-plan.schema.json"))
jsonschema.validate(yaml.safe_load(open(sys.argv[1])), s)
PY
	done
else
	echo "SKIP schema: needs python3-jsonschema and python3-yaml"
fi



# --- what the demo plan must give: tests/qa/expect.py -------------------
# From the plan and EXPECT, in $TMPD/expect.json: the verdict rows, each
# cell's station, tests and worst verdict per column, and the counts every
# check below holds the outputs to (none is written here by hand).
EXPECTED=""
if [ -z "$PYY" ]; then
	no "expect: needs python3-yaml (make deps)"
elif "$PYY" tests/qa/expect.py tests/qa/plans/demo.yaml tests/qa/EXPECT \
    "$TMPD/expect.json" 2>"$TMPD/err"; then
	ok
	EXPECTED=$TMPD/expect.json
else
	no "expect: $(head -c 300 "$TMPD/err")"
fi
# count NAME: one of the expected counts (cells, verdicts, pass, warn,
# fail, inconclusive, firmware, groups: cell x test, diagnose_cells).
count() {
	[ -n "$EXPECTED" ] || { echo "?"; return; }
	python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["counts"][sys.argv[2]])' "$EXPECTED" "$1"
}
# expect.py refuses EXPECT lines that do not fit the plan: a router's
# verdicts missing, a test its router does not run.
if [ -n "$PYY" ]; then
	grep -v 'guestap' tests/qa/EXPECT >"$TMPD/expect.less"
	"$PYY" tests/qa/expect.py tests/qa/plans/demo.yaml "$TMPD/expect.less" \
	    "$TMPD/x.json" 2>"$TMPD/err"
	is "expect: a router without its verdicts" "$?:$(grep -c \
	    'no verdict for guestap/7.3/default isolation' "$TMPD/err")" "1:1"
	{ cat tests/qa/EXPECT; printf 'cgnat/5.0/default\trebind\t*\t*\tpass\t-\tbreathing cyan\n'; } \
	    >"$TMPD/expect.more"
	"$PYY" tests/qa/expect.py tests/qa/plans/demo.yaml "$TMPD/expect.more" \
	    "$TMPD/x.json" 2>"$TMPD/err"
	is "expect: a test its router does not run" "$?:$(grep -c \
	    'cgnat/5.0/default rebind .* is not a verdict of the plan' \
	    "$TMPD/err")" "1:1"
fi

# --- qa matrix: one CI job per cell, pinned to its station's tag --------
"$B/cyanprobe" qa matrix --rules "$RULES" tests/qa/plans/demo.yaml >"$TMPD/m.json" 2>&1 &&
"$B/cyanprobe" qa matrix --rules "$RULES" --format gitlab tests/qa/plans/demo.yaml >"$TMPD/m.gitlab" 2>&1 &&
"$B/cyanprobe" qa matrix --rules "$RULES" --format github tests/qa/plans/demo.yaml >"$TMPD/m.github" 2>&1
is "matrix: exit status" "$?" 0
if [ -n "$PYS" ]; then
	"$PYS" - "$TMPD" "$EXPECTED" <<'PY' >"$TMPD/matrix.out" 2>&1
import json, sys, yaml
d = sys.argv[1]
j = json.load(open(d + "/m.json"))
g = yaml.safe_load(open(d + "/m.gitlab"))
h = json.load(open(d + "/m.github"))
e = json.load(open(sys.argv[2]))["cells"]
want = {c["cell"]: c["station"] for c in e}
def check(c, what): print(("ok " if c else "FAIL matrix: ") + what)
check({c["cell"]: c["station"] for c in j["cells"]} == want, "json: one job per cell, with its station")
check({c["cell"]: c["tests"] for c in j["cells"]} == {c["cell"]: c["tests"] for c in e},
      "json: each cell's tests, its router's: %s" % [(c["cell"], c.get("tests")) for c in j["cells"]])
check(all(c["runner_tag"] == "cyanlab" and "--cell '%s'" % c["cell"] in c["command"] for c in j["cells"]), "json: tag and command")
jobs = {k: v for k, v in g.items() if k.startswith("qa ")}
check(sorted(k[3:] for k in jobs) == sorted(want), "gitlab: one job per cell: %s" % sorted(jobs))
check(all(v["tags"] == ["cyanlab"] and v["artifacts"]["reports"]["junit"] == "junit.xml" for v in jobs.values()), "gitlab: tags, JUnit report")
check({i["cell"]: i["station"] for i in h["include"]} == want, "github: include per cell")
check(all(i["runs-on"] == ["self-hosted", "cyanlab"] for i in h["include"]), "github: runs-on the station's tag")
PY
	grep '^FAIL' "$TMPD/matrix.out"
	grep -q Traceback "$TMPD/matrix.out" && no "matrix: $(tail -n 2 "$TMPD/matrix.out")"
	pass=$((pass + $(grep -c '^ok' "$TMPD/matrix.out")))
	fail=$((fail + $(grep -c '^FAIL' "$TMPD/matrix.out")))
fi
"$B/cyanprobe" qa matrix --format yaml tests/qa/plans/demo.yaml >/dev/null 2>"$TMPD/err"
is "matrix: bad format is a usage error" "$?" 2

# --- the demo plan on the emulated routers ------------------------------
# expect_verdicts DB: the verdicts of DB for the plan's device firmware
# are those of EXPECT (expect.py), each once, and no other.
expect_verdicts() {
	if [ -z "$EXPECTED" ]; then
		no "verdicts: nothing expected (see expect: above)"
		return
	fi
	python3 - "$1" "$EXPECTED" <<'PY' >"$TMPD/verdicts" 2>&1
import json, sqlite3, sys
e = json.load(open(sys.argv[2]))
cols = set(e["columns"])
want = {tuple(r[:4]): tuple(r[4:]) for r in e["rows"]}
got = {}
for r in sqlite3.connect(sys.argv[1]).execute(
        "SELECT cell_id, test, device, device_firmware, outcome,"
        " COALESCE(finding, '-'), led FROM verdicts"):
    if "%s %s" % (r[2], r[3]) in cols:
        got.setdefault(tuple(r[:4]), []).append(tuple(r[4:]))
for k, w in want.items():
    g = got.get(k, [])
    print("ok" if g == [w] else "FAIL verdict/%s: want '%s', got %s"
          % ("/".join(k), " | ".join(w), [" | ".join(x) for x in g]))
for k in sorted(set(got) - set(want)):
    print("FAIL verdict/%s: not one the plan calls for: %s"
          % ("/".join(k), got[k]))
PY
	grep '^FAIL' "$TMPD/verdicts"
	grep -q Traceback "$TMPD/verdicts" && no "verdicts: $(tail -n 2 "$TMPD/verdicts")"
	pass=$((pass + $(grep -c '^ok' "$TMPD/verdicts")))
	fail=$((fail + $(grep -c '^FAIL' "$TMPD/verdicts")))
}

# sql DB QUERY: one value.
sql() { sqlite3 "$1" "$2" 2>&1; }


# The JUnit XML through a real consumer: python3-junitparser.
check_junit() {
	if [ -z "$PYJ" ]; then
		no "junit: needs python3-junitparser (make deps)"
		return
	fi
	"$PYJ" - "$1" "$2" "$RULES" "$EXPECTED" <<'PY' >"$TMPD/junit.out" 2>&1
import json, sys
from junitparser import JUnitXml, Failure, Error
xml = JUnitXml.fromfile(sys.argv[1])
plan_hash = sys.argv[2]
rules = sys.argv[3]
e = json.load(open(sys.argv[4]))
summary = {f["id"]: f["summary"] for f in
           json.load(open(rules + "/findings.json"))["findings"]}
suites = {s.name: s for s in xml}
def check(cond, what):
    print(("ok " if cond else "FAIL junit: ") + what)
cells = [c["cell"] for c in e["cells"]]
check(sorted(suites) == sorted(cells), "%d testsuites, one per cell: %s"
      % (len(cells), sorted(suites)))
for c in e["cells"]:
    name, s = c["cell"], suites.get(c["cell"])
    if s is None:
        continue
    props = {p.name: p.value for p in s.properties()}
    for k in ("router", "firmware", "config", "station", "plan_hash"):
        check(k in props, "%s: property %s" % (name, k))
    check(props.get("plan_hash") == plan_hash, "%s: plan hash" % name)
    check(props.get("station") == c["station"], "%s: station" % name)
    check(name == "%s/%s/%s" % (props.get("router"), props.get("firmware"),
          props.get("config")), "%s: router/firmware/config" % name)
    # One testcase per test its router runs x device firmware.
    want = {"%s %s %s" % (r[1], r[2], r[3]): r[4:] for r in e["rows"]
            if r[0] == name}
    cases = {x.name: x for x in s}
    check(sorted(cases) == sorted(want), "%s: testcases %s, want %s"
          % (name, sorted(cases), sorted(want)))
    for case, (outcome, finding, led) in want.items():
        x = cases.get(case)
        if x is None:
            continue
        res = [r for r in x.result if isinstance(r, (Failure, Error))]
        if outcome in ("pass", "warn"):
            check(not res, "%s %s: passes (%s)" % (name, case, outcome))
        elif outcome == "inconclusive":
            check(len(res) == 1 and isinstance(res[0], Error) and
                  res[0].type == "inconclusive", "%s %s: an error" % (name, case))
        else:
            m = res[0].message if len(res) == 1 else ""
            check(len(res) == 1 and isinstance(res[0], Failure) and
                  res[0].type == finding, "%s %s: a failure of type %s"
                  % (name, case, finding))
            # The finding, its summary as rules/findings.json words it,
            # and the LED.
            check(finding in m and summary.get(finding, "?") in m and
                  led in m, "%s %s: failure message: %s" % (name, case, m))
n = e["counts"]
check(xml.failures == n["fail"], "%d failures in all, got %s" % (n["fail"], xml.failures))
check(xml.errors == n["inconclusive"], "%d errors in all, got %s" % (n["inconclusive"], xml.errors))
check(xml.tests == n["verdicts"], "%d testcases in all, got %s" % (n["verdicts"], xml.tests))
PY
	grep '^FAIL' "$TMPD/junit.out"
	grep -q '^Traceback' "$TMPD/junit.out" && no "junit: $(tail -n 3 "$TMPD/junit.out")"
	pass=$((pass + $(grep -c '^ok' "$TMPD/junit.out")))
	fail=$((fail + $(grep -c '^FAIL' "$TMPD/junit.out")))
}


# check_html DB: the HTML page, offline (a network namespace with no
# network), loaded by headless Chromium; the DOM it built is checked: the
# matrix's rows and crossings, the links to the cells, nothing external.
check_html() {
	"$B/cyanprobe" qa report --db "$1" --html "$TMPD/qa.html"
	is "html: exit status" "$?" 0
	size=$(wc -c <"$TMPD/qa.html")
	[ "$size" -lt 1048576 ] && ok || no "html: $size bytes"
	if grep -Eqi '<script|<link|<img|@import|@font-face|url\(|src=' "$TMPD/qa.html" ||
	    grep -Eo 'href="[^"]*"' "$TMPD/qa.html" | grep -qv 'href="#'; then
		no "html: refers to something outside the file"
	else ok; fi
	chromium=$(command -v chromium || command -v chromium-browser)
	if [ -z "$chromium" ]; then
		no "html: no chromium (make deps)"
		return
	fi
	# --no-sandbox: Chromium's sandbox refuses to run as root.
	unshare -n timeout 120 "$chromium" --headless --no-sandbox \
	    --disable-gpu --user-data-dir="$TMPD/chromium" \
	    --dump-dom "file://$TMPD/qa.html" >"$TMPD/dom.html" \
	    2>"$TMPD/chromium.err"
	unshare -n timeout 120 "$chromium" --headless --no-sandbox \
	    --disable-gpu --user-data-dir="$TMPD/chromium" \
	    --window-size=1400,900 --screenshot="$TMPD/qa.png" \
	    "file://$TMPD/qa.html" >/dev/null 2>>"$TMPD/chromium.err"
	[ -s "$TMPD/qa.png" ] && ok || no "html: no screenshot: $(tail -n 2 "$TMPD/chromium.err")"
	python3 - "$TMPD/dom.html" "$EXPECTED" <<'PY' >"$TMPD/html.out" 2>&1
import json, sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.rows = []; self.row = None; self.cell = None
        self.ids = set(); self.hrefs = []; self.in_matrix = False; self.heads = []; self.th = None
    def handle_starttag(self, t, a):
        a = dict(a)
        if "id" in a: self.ids.add(a["id"])
        if t == "table" and a.get("id") == "matrix": self.in_matrix = True
        if not self.in_matrix: return
        if t == "tr": self.row = []
        if t == "th": self.th = ""
        if t == "td": self.cell = [a, ""]
        if t == "a": self.hrefs.append(a.get("href"))
    def handle_endtag(self, t):
        if t == "table" and self.in_matrix: self.in_matrix = False
        if not self.in_matrix: return
        if t == "th" and self.th is not None: self.heads.append(self.th.strip()); self.th = None
        if t == "td" and self.cell is not None: self.row.append(self.cell); self.cell = None
        if t == "tr" and self.row: self.rows.append(self.row); self.row = None
    def handle_data(self, d):
        if self.cell is not None: self.cell[1] += d
        if self.th is not None: self.th += d
p = P(); p.feed(open(sys.argv[1]).read())
e = json.load(open(sys.argv[2]))
def check(c, what): print(("ok " if c else "FAIL html: ") + what)
cols = e["report_columns"]
check(p.heads == ["router", "firmware", "config"] + cols + ["first bad firmware"], "columns: %s" % p.heads)
rows = {"/".join(x[1] for x in r[:3]): r for r in p.rows}
check(sorted(rows) == sorted(c["cell"] for c in e["cells"]), "%d rows, one per cell: %s" % (len(e["cells"]), sorted(rows)))
# Every crossing: the cell's worst verdict, its finding and LED.
for c in e["cells"]:
    r = rows.get(c["cell"])
    if r is None or len(r) != 4 + len(cols):
        continue
    for k, (outcome, finding, led, text) in enumerate(c["worst"]):
        x = r[3 + k]
        check(x[0].get("data-outcome") == outcome and
              x[0].get("data-finding") == ("" if finding == "-" else finding) and
              x[0].get("data-led") == led and x[1] == text,
              "%s x %s: %s %s, want %s" % (c["cell"], cols[k], x[0], x[1], text))
    check(r[-1][1] == c["first_bad"], "%s: first bad firmware: %s, want %s" % (c["cell"], r[-1][1], c["first_bad"]))
check(p.hrefs and all(x.startswith("#") and x[1:] in p.ids for x in p.hrefs), "every crossing links to its cell's facts")
PY
	grep '^FAIL' "$TMPD/html.out"
	grep -q Traceback "$TMPD/html.out" && no "html: $(tail -n 2 "$TMPD/html.out")"
	pass=$((pass + $(grep -c '^ok' "$TMPD/html.out")))
	fail=$((fail + $(grep -c '^FAIL' "$TMPD/html.out")))
}

# check_matrix_text TXT MD: the terminal matrix and the Markdown one: a
# row per cell, each crossing its worst verdict as EXPECT has it (finding
# and LED), and its first bad firmware.
check_matrix_text() {
	python3 - "$1" "$2" "$EXPECTED" <<'PY' >"$TMPD/mtext.out" 2>&1
import json, sys
e = json.load(open(sys.argv[3]))
def check(c, what): print(("ok " if c else "FAIL report: ") + what)
want = {tuple(c["cell"].split("/")): [w[3] for w in c["worst"]] + [c["first_bad"]]
        for c in e["cells"]}
def rows(path, md):
    out = {}
    for line in open(path):
        f = [x.strip() for x in line.strip().strip("|" if md else "").split("|")]
        key = tuple(f[:3]) if md else tuple(f[0].split())
        if len(key) == 3 and key in want:
            out[key] = f[3:] if md else f[1:]
    return out
for path, md in ((sys.argv[1], False), (sys.argv[2], True)):
    got = rows(path, md)
    what = "markdown" if md else "matrix"
    check(sorted(got) == sorted(want), "%s: a row per cell: %s" % (what, sorted(got)))
    for k, w in want.items():
        if k in got:
            check(got[k] == w, "%s: %s: %s, want %s" % (what, "/".join(k), got[k], w))
PY
	grep '^FAIL' "$TMPD/mtext.out"
	grep -q Traceback "$TMPD/mtext.out" && no "report: $(tail -n 2 "$TMPD/mtext.out")"
	pass=$((pass + $(grep -c '^ok' "$TMPD/mtext.out")))
	fail=$((fail + $(grep -c '^FAIL' "$TMPD/mtext.out")))
}

# check_reports DB: the terminal matrix, Markdown, JUnit from the report.
check_reports() {
	"$B/cyanprobe" qa report --db "$1" --matrix >"$TMPD/matrix.txt" 2>&1
	is "report: matrix exit status" "$?" 0
	"$B/cyanprobe" qa report --db "$1" --markdown >"$TMPD/matrix.md"
	check_matrix_text "$TMPD/matrix.txt" "$TMPD/matrix.md"
	"$B/cyanprobe" qa report --db "$1" --junit "$TMPD/junit2.xml"
	check_junit "$TMPD/junit2.xml" "$hash"
	"$B/cyanprobe" qa report --db "$1" --facts strictwall/2.1/strict >"$TMPD/facts.txt"
	grep -q '^diagnose@tcp finding cloud.port_blocked: ' "$TMPD/facts.txt" && ok || no "report: --facts"
	"$B/cyanprobe" qa report --db "$1" --facts nosuch/1/x >/dev/null 2>&1
	is "report: --facts unknown cell" "$?" 2
	check_html "$1"
}


# check_migrate_race pg|sqlite: two stations open the same empty store at
# the same moment, eight times over (without the migration's lock, about
# half of the PostgreSQL tries failed with a duplicate pg_type key): both
# must succeed, and the schema must be made once.
race_sql() {
	if [ "$1" = pg ]; then
		psql -X -A -t "$2" -c "$3" 2>&1
	else
		sqlite3 "$2" "$3" 2>&1
	fi
}
check_migrate_race() {
	i=0
	while [ "$i" -lt 8 ]; do
		i=$((i + 1))
		if [ "$1" = pg ]; then
			psql -X -q "$QA_PG_URL" -c "CREATE DATABASE race$i" \
			    >/dev/null 2>&1
			url="postgresql://postgres@/race$i?host=$QA_PG_DIR"
		else
			url=$TMPD/race$i.db
		fi
		"$B/cyanprobe" qa judge --db "$url" >"$TMPD/race.a" 2>&1 &
		pa=$!
		"$B/cyanprobe" qa judge --db "$url" >"$TMPD/race.b" 2>&1 &
		pb=$!
		wait "$pa"; ra=$?
		wait "$pb"; rb=$?
		if [ "$ra $rb" = "0 0" ]; then ok; else
			no "$1: concurrent migrations $i: exit $ra $rb:" \
			    "$(grep -hv '^judged' "$TMPD/race.a" "$TMPD/race.b" |
			    head -c 300)"
		fi
		# One row per migration (1 so far), never two.
		is "$1: concurrent migrations $i: schema made once" \
		    "$(race_sql "$1" "$url" 'SELECT COUNT(*), MAX(version) FROM qa_schema')" \
		    "1|1"
	done
}

# check_pg DB: the same store in a real PostgreSQL (pg.sh): pushed twice,
# stored once; judged and reported there as in SQLite.  The server is
# left up for check_pg_run (QA_PG_DIR set), which needs the lab to itself.
check_pg() {
	. tests/qa/pg.sh
	if ! why=$(qa_pg_can_run); then
		echo "SKIP pg: $why"
		return
	fi
	trap 'qa_pg_down; asan_run_stop; qa_lab_down; rm -rf "$TMPD"' EXIT
	if ! qa_pg_up; then
		no "pg: the server did not start"
		return
	fi
	check_migrate_race pg
	"$B/cyanprobe" qa push --db "$1" --to "$QA_PG_URL" >"$TMPD/push1" 2>&1
	is "pg: push exit status" "$?" 0
	"$B/cyanprobe" qa push --db "$1" --to "$QA_PG_URL" >"$TMPD/push2" 2>&1
	is "pg: push again" "$?" 0
	grep -q '1 new, 0 there already' "$TMPD/push1" && ok || no "pg: first push: $(cat "$TMPD/push1")"
	grep -q '0 new, 1 there already' "$TMPD/push2" && ok || no "pg: second push: $(cat "$TMPD/push2")"
	for t in runs cells facts verdicts artifacts; do
		is "pg: $t copied once" \
		    "$(psql -X -A -t "$QA_PG_URL" -c "SELECT COUNT(*) FROM $t" 2>&1)" \
		    "$(sql "$1" "SELECT COUNT(*) FROM $t")"
	done
	"$B/cyanprobe" qa report --db "$1" --matrix >"$TMPD/m.sqlite"
	"$B/cyanprobe" qa report --db "$QA_PG_URL" --matrix >"$TMPD/m.pg"
	cmp -s "$TMPD/m.sqlite" "$TMPD/m.pg" && ok || no "pg: matrix differs from SQLite's: $(diff "$TMPD/m.sqlite" "$TMPD/m.pg" | head -5)"
	# The server logs every statement while judging: one verdict per
	# cell and test, in one INSERT (before: an INSERT each, the first
	# sent as it is, then the rest prepared).
	pg_log_on
	"$B/cyanprobe" qa judge --rules "$RULES" --db "$QA_PG_URL" \
	    --device photon --firmware 1.5.2 >/dev/null 2>&1
	is "pg: judge" "$?" 0
	pg_log_off
	is "pg: the verdicts of one firmware in INSERTs of 64 rows (unnamed, prepared, rows)" \
	    "$(pg_inserts)" "$(pg_batches "$(count groups)")"
	check_pg_batch "$1"
	is "pg: re-judged there" "$(psql -X -A -t "$QA_PG_URL" -c "SELECT outcome || ' ' || finding FROM verdicts WHERE cell_id = 'strictwall/2.1/strict' AND device_firmware = '1.5.2'" 2>&1)" "fail cloud.port_blocked"
	"$B/cyanprobe" qa report --db "$QA_PG_URL" --junit "$TMPD/pg.xml" >/dev/null 2>&1
	"$PYJ" -c 'import sys; from junitparser import JUnitXml; x = JUnitXml.fromfile(sys.argv[1]); sys.exit(0 if len(list(x)) == int(sys.argv[2]) else 1)' "$TMPD/pg.xml" "$(count cells)" && ok || no "pg: JUnit from PostgreSQL"
	"$B/cyanprobe" qa push --db "$1" --to "postgresql://postgres@/nosuchdb?host=$QA_PG_DIR" >/dev/null 2>"$TMPD/err"
	is "pg: a database that is not there" "$?" 3
}

# pg_log_on, pg_log_off, pg_inserts: tests/qa/pg.sh.
# pg_batches N: what pg_inserts must show for N verdicts: INSERTs of 64
# rows, the first full one sent as it is, the same statement executed
# prepared after that, and a last partial one sent as it is.
pg_batches() {
	full=$(($1 / 64)) part=$(($1 % 64))
	echo "$(( (full > 0) + (part > 0) )) $(( full > 1 ? full - 1 : 0 )) $1"
}

# check_pg_batch DB: the store pushed into a database of its own, its
# cells' facts copied 10 times over (11 times the cells), judged for the
# plan's firmware: 11 times the plan's verdicts, in INSERTs of 64 rows,
# the full ones after the first the first's statement executed prepared;
# every copy judged as its original.  Before the batches: an INSERT each.
check_pg_batch() {
	url="postgresql://postgres@/batch?host=$QA_PG_DIR"
	psql -X -q "$QA_PG_URL" -c "CREATE DATABASE batch" >/dev/null 2>&1
	"$B/cyanprobe" qa push --db "$1" --to "$url" >/dev/null 2>&1
	is "pg batch: push" "$?" 0
	psql -X -q "$url" -c "INSERT INTO facts SELECT f.run_id,
	    f.cell_id || '-' || i, f.test, f.variant, f.seq, f.kind, f.name,
	    f.value FROM facts f, generate_series(1, 10) AS i;
	    DELETE FROM verdicts" >/dev/null 2>&1
	pg_log_on
	"$B/cyanprobe" qa judge --rules "$RULES" --db "$url" \
	    >"$TMPD/batch.out" 2>&1
	is "pg batch: judge" "$?" 0
	pg_log_off
	n=$((11 * $(count verdicts)))
	grep -q "^judged $n verdicts" "$TMPD/batch.out" && ok ||
	    no "pg batch: want $n: $(head -c 300 "$TMPD/batch.out")"
	is "pg batch: INSERTs (unnamed, prepared, rows)" "$(pg_inserts)" \
	    "$(pg_batches "$n")"
	is "pg batch: every copy judged as its original" "$(psql -X -A -t \
	    "$url" -c "SELECT COUNT(*) FROM verdicts c JOIN verdicts o ON
	    c.cell_id LIKE o.cell_id || '-%' AND c.test = o.test AND
	    c.device = o.device AND c.device_firmware = o.device_firmware
	    AND c.outcome = o.outcome AND COALESCE(c.finding, '') =
	    COALESCE(o.finding, '') AND c.led = o.led AND c.summary =
	    o.summary" 2>&1)" "$((10 * $(count verdicts)))"
}

# check_sqlite_batch DB: the same copies in a copy of the SQLite store:
# 11 times the plan's verdicts, over full batches and a partial one, each
# copy judged as its original.
check_sqlite_batch() {
	cp "$1" "$TMPD/batch.db"
	sqlite3 "$TMPD/batch.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL
	    SELECT i + 1 FROM n WHERE i < 10) INSERT INTO facts SELECT
	    f.run_id, f.cell_id || '-' || i, f.test, f.variant, f.seq, f.kind,
	    f.name, f.value FROM facts f, n; DELETE FROM verdicts"
	"$B/cyanprobe" qa judge --rules "$RULES" --db "$TMPD/batch.db" \
	    >"$TMPD/batch.out" 2>&1
	is "sqlite batch: judge" "$?" 0
	grep -q "^judged $((11 * $(count verdicts))) verdicts" "$TMPD/batch.out" && ok ||
	    no "sqlite batch: $(head -c 300 "$TMPD/batch.out")"
	is "sqlite batch: every copy judged as its original" "$(sql \
	    "$TMPD/batch.db" "SELECT COUNT(*) FROM verdicts c JOIN verdicts o
	    ON c.cell_id LIKE o.cell_id || '-%' AND c.test = o.test AND
	    c.device = o.device AND c.device_firmware = o.device_firmware
	    AND c.outcome = o.outcome AND COALESCE(c.finding, '') =
	    COALESCE(o.finding, '') AND c.led = o.led AND c.summary =
	    o.summary")" "$((10 * $(count verdicts)))"
}

# check_pg_run DB: `qa run --db postgresql://...` writes to the server
# itself, no SQLite file in between: one cell, measured again on its
# emulated router into a database of its own, gives DB's verdicts there.
check_pg_run() {
	cell=strictwall/2.1/strict
	url="postgresql://postgres@/qarun?host=$QA_PG_DIR"
	psql -X -q "$QA_PG_URL" -c "CREATE DATABASE qarun" >/dev/null 2>&1
	"$B/cyanprobe" qa run --quiet \
	    --rules "$RULES" --db "$url" --cell "$cell" "$TMPD/plan.yaml" \
	    >"$TMPD/pgrun.out" 2>"$TMPD/pgrun.err"
	is "pg run: exit status (fails found)" "$?" 1
	tally=$(python3 -c 'import json, sys
r = [x[4] for x in json.load(open(sys.argv[1]))["rows"] if x[0] == sys.argv[2]]
print("1 cell, %d verdicts: %d pass, %d warn, %d fail" % (len(r),
      r.count("pass"), r.count("warn"), r.count("fail")))' "$EXPECTED" "$cell")
	grep -q "run .*: $tally" \
	    "$TMPD/pgrun.out" && ok || no "pg run: summary: want '$tally': $(head -c 400 "$TMPD/pgrun.out" "$TMPD/pgrun.err")"
	pgq() { psql -X -A -t "$url" -c "$1" 2>&1; }
	is "pg run: the cell measured there" \
	    "$(pgq "SELECT cell_id || ' ' || status FROM cells")" "$cell measured"
	q="SELECT test, device, device_firmware, outcome, COALESCE(finding, '-'),
	    led FROM verdicts WHERE cell_id = '$cell'
	    ORDER BY test, device, device_firmware"
	is "pg run: the verdicts SQLite got" "$(pgq "$q")" "$(sql "$1" "$q")"
	# The status of each test and its deciding finding (not every info
	# finding: a stock dnsmasq's OFFER is late or not by its ping cache).
	q="SELECT test, variant, name FROM facts WHERE cell_id = '$cell'
	    AND (kind = 'status' OR name = 'cloud.port_blocked')
	    ORDER BY test, variant, kind, name"
	is "pg run: the facts SQLite got" "$(pgq "$q")" "$(sql "$1" "$q")"
	is "pg run: report and log artifacts" \
	    "$(pgq "SELECT COUNT(*) FROM artifacts WHERE name LIKE 'diagnose@%'")" \
	    "$(sql "$1" "SELECT COUNT(*) FROM artifacts WHERE cell_id = '$cell' AND name LIKE 'diagnose@%'")"
	"$B/cyanprobe" qa report --db "$url" --matrix >"$TMPD/pgrun.matrix" 2>&1
	grep -q '^strictwall 2.1 strict *| FAIL cloud.port_blocked, 3 red blinks' \
	    "$TMPD/pgrun.matrix" && ok || no "pg run: matrix: $(cat "$TMPD/pgrun.matrix")"
}

# asan_run_start, check_asan_run: the same plan through the ASan+UBSan
# binary, on the same emulated routers: qa run (its jobs are forked
# children that run diagnose and the router tests, their output is stored
# as each job's log), then judge, report and push.  A sanitizer report on
# stderr, in a stored log, or a verdict that differs from EXPECT fails it.
# The run goes on in the background while the plain run's store is
# checked (reports, Chromium, PostgreSQL: none of it uses the lab).
ASAN_PID=""
asan_run_start() {
	abin=$B/asan/cyanprobe
	adb=$TMPD/asan.db
	[ -x "$abin" ] || return 0
	"$abin" qa run --quiet --rules "$RULES" --db "$adb" \
	    --junit "$TMPD/asan.xml" "$TMPD/plan.yaml" >"$TMPD/asan.out" \
	    2>"$TMPD/asan.err" &
	ASAN_PID=$!
}
# asan_run_stop: (in the EXIT trap) end a run still going, before the
# lab goes: it would wait out its jobs' limits on a lab that is gone.
asan_run_stop() {
	[ -n "$ASAN_PID" ] || return 0
	kill -INT "$ASAN_PID" 2>/dev/null
	wait "$ASAN_PID" 2>/dev/null
	ASAN_PID=""
}
check_asan_run() {
	if [ -z "$ASAN_PID" ]; then
		echo "SKIP asan run: no $abin (make B=$B tests)"
		return
	fi
	wait "$ASAN_PID"
	is "asan run: exit status (fails found)" "$?" 1
	ASAN_PID=""
	expect_verdicts "$adb"
	is "asan run: no sanitizer report in a job's log" \
	    "$(sql "$adb" "SELECT name FROM artifacts WHERE content LIKE '%Sanitizer%' OR content LIKE '%runtime error%'")" ""
	{
		"$abin" qa judge --rules "$RULES" --db "$adb" --device photon \
		    --firmware 1.5.2 &&
		"$abin" qa report --db "$adb" --matrix &&
		"$abin" qa report --db "$adb" --markdown &&
		"$abin" qa report --db "$adb" --html "$TMPD/asan.html" &&
		"$abin" qa report --db "$adb" --junit "$TMPD/asan2.xml" &&
		"$abin" qa report --db "$adb" --facts strictwall/2.1/strict &&
		"$abin" qa push --db "$adb" --to "$TMPD/asan-copy.db"
	} >"$TMPD/asan2.out" 2>>"$TMPD/asan.err"
	is "asan: judge, report, push" "$?" 0
	is "asan: pushed" "$(sql "$TMPD/asan-copy.db" 'SELECT COUNT(*) FROM verdicts')" \
	    "$(sql "$adb" 'SELECT COUNT(*) FROM verdicts')"
	if grep -q 'Sanitizer\|runtime error' "$TMPD/asan.err"; then
		no "asan: $(grep -m 3 'Sanitizer\|runtime error' "$TMPD/asan.err")"
	else
		ok
	fi
}

run_demo() {
	if [ -z "$EXPECTED" ]; then
		no "lab: nothing to check the demo against (see expect: above)"
		return
	fi
	. tests/qa/lab.sh
	. tests/qa/pg.sh
	trap 'asan_run_stop; qa_lab_down; rm -rf "$TMPD"' EXIT
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
	tally="$(count cells) cells, $(count verdicts) verdicts: $(count pass) pass, $(count warn) warn, $(count fail) fail, $(count inconclusive) inconclusive"
	grep -q "^run .*: $tally\$" \
	    "$TMPD/run.out" && ok || no "run: summary: want '$tally': $(cat "$TMPD/run.out" "$TMPD/run.err" | head -c 600)"
	is "store: schema version" "$(sql "$db" 'SELECT MAX(version) FROM qa_schema')" 1
	is "store: one run" "$(sql "$db" 'SELECT COUNT(*) FROM runs')" 1
	is "store: every cell measured" "$(sql "$db" "SELECT COUNT(*) FROM cells WHERE status = 'measured'")" "$(count cells)"
	is "store: both variants measured" "$(sql "$db" "SELECT COUNT(DISTINCT variant) FROM facts WHERE test = 'diagnose'")" 2
	is "store: facts of every check" "$(sql "$db" "SELECT COUNT(DISTINCT name) FROM facts WHERE kind = 'facts' AND test = 'diagnose'")" 8
	# A report per job: diagnose's two variants on each cell that runs
	# it, each other test once.
	is "store: a report artifact per job" "$(sql "$db" "SELECT COUNT(*) FROM artifacts WHERE name LIKE '%.report.json'")" \
	    "$(($(count groups) + $(count diagnose_cells)))"
	is "store: hooks ran" "$(sql "$db" "SELECT COUNT(*) FROM facts WHERE test LIKE 'hook:%' AND name = 'ok'")" 2
	expect_verdicts "$db"
	hash=$("$B/cyanprobe" qa check --rules "$RULES" "$TMPD/plan.yaml" | sed 's/.*sha256 //')
	check_junit "$TMPD/junit.xml" "$hash"
	asan_run_start
	check_reports "$db"
	check_sqlite_batch "$db"
	check_pg "$db"
	check_asan_run
	if [ -n "$QA_PG_DIR" ]; then
		check_pg_run "$db"
		qa_pg_down
	fi

	# Re-judge without lab time: a firmware the plan never named ...
	"$B/cyanprobe" qa judge --rules "$RULES" --db "$db" --device photon \
	    --firmware 1.5.2 >"$TMPD/judge.out" 2>&1
	is "judge: exit status" "$?" 0
	is "judge: new firmware judged on old facts" "$(sql "$db" "SELECT outcome || ' ' || finding FROM verdicts WHERE cell_id = 'strictwall/2.1/strict' AND device_firmware = '1.5.2'")" "fail cloud.port_blocked"
	# The router tests' stored facts too: the lifetimes (nat.lifetimes)
	# against 1.5.2's keep-alive, the isolation rounds.
	is "judge: new firmware, stored NAT lifetimes" "$(sql "$db" "SELECT outcome || ' ' || finding FROM verdicts WHERE cell_id = 'shortnat/6.1/default' AND test = 'nat-lifetime' AND device_firmware = '1.5.2'")" "fail nat.tcp_short"
	is "judge: new firmware, stored isolation" "$(sql "$db" "SELECT outcome || ' ' || finding FROM verdicts WHERE cell_id = 'guestap/7.3/default' AND device_firmware = '1.5.2'")" "warn lan.isolated"
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
}

if command -v sqlite3 >/dev/null 2>&1; then
	check_migrate_race sqlite
fi

# A store with no run in it yet (qa judge made the schema): every report
# is an empty one, exit 0.  Under UBSan the model's sort of its NULL
# arrays stopped qa report with "null pointer passed as argument 1".
if [ -x "$B/asan/cyanprobe" ]; then
	"$B/asan/cyanprobe" qa judge --db "$TMPD/empty.db" >/dev/null 2>&1
	for what in --matrix --markdown "--html $TMPD/empty.html" \
	    "--junit $TMPD/empty.xml"; do
		# shellcheck disable=SC2086
		"$B/asan/cyanprobe" qa report --db "$TMPD/empty.db" $what \
		    >/dev/null 2>"$TMPD/err"
		is "empty store: qa report $what" "$?:$(cat "$TMPD/err")" "0:"
	done
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP lab: needs root for network namespaces"
elif ! command -v sqlite3 >/dev/null 2>&1; then
	echo "SKIP lab: needs sqlite3"
else
	run_demo
fi

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
