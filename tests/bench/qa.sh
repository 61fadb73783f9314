#!/bin/sh
# qa.sh - the three targets of `cyanprobe qa` (issue 13), on real
# measurements: the demo plan (tests/qa/plans/demo.yaml) run over the
# emulated routers of tests/lab, each reached from a station of its own,
# each running its own tests (diagnose, nat-lifetime, rebind, isolation).
# The number of cells is the plan's (`qa matrix`), never written here.
#
#   qa run: the plan's cells together take no longer than 1.2x the slowest
#     cell alone.  Each cell is first run alone (`qa run --cell`, one after
#     another: what a lab without cyanprobe's stations does), then all of
#     them in one `qa run`.  Printed: parallel / slowest (target <= 1.2) and
#     one-after-another / parallel.  One warm-up run first, so that every
#     timed run finds the routers' DHCP leases in the same state.
#   qa report --html: a 50 x 10 matrix (50 router x firmware x config rows,
#     10 device x firmware columns, the facts of the real cells copied
#     in turn to the 50 rows) is one file under 1 MB.  Printed beside it:
#     the size of sqlite3's own HTML table of the same verdicts (no facts,
#     no styling).
#   qa judge: re-judges 100,000 stored cells (the real cells' status,
#     finding and condition rows copied in turn to 100,000 cells, one
#     verdict a cell and test; diagnose's tcp variant only, and the
#     per-check JSON facts, which the judge does not read, are left out to
#     keep the file small) for a new firmware.  Targets: the judging
#     itself (its own clock) <= 0.25 s, "well under a second"; the whole
#     command, reading and storing included, <= 2.5x sqlite3 reading the
#     same rows and writing as many verdict rows in one SQL statement with
#     no rules (the store's own floor).  Reading and storing are the store's work, and
#     on this shared machine their seconds swing with its load: the whole
#     command's time is printed with the load average, not held to 1 s.
#   qa judge into PostgreSQL: the same 100,000 cells copied into a private
#     server (tests/qa/pg.sh: initdb in a temporary folder, a unix socket
#     only), judged there for the same firmware.  Printed against the
#     SQLite store's time, and against psql writing the same verdict rows
#     one INSERT ... ON CONFLICT a row, prepared once (PREPARE, then
#     EXECUTE per row) in one transaction; target: the whole command,
#     reading and judging included, no slower than that psql.  Skipped
#     when no server can be started (not root, no postgresql package).
#
# Exit 0 when every target is met, 1 when one is missed, 3 when it cannot
# run (not root, tools missing).  BENCH_KEEP=1 keeps the stores.
set -u
cd "$(dirname "$0")/../.." || exit 3
B=${B:-build}
RULES=$(pwd)/rules
CELLS=100000

if [ ! -x "$B/cyanprobe" ]; then
	echo "bench qa: $B/cyanprobe is not built (make B=$B)" >&2
	exit 3
fi
if ! why=$(. tests/lab/lib.sh && lab_can_run); then
	echo "bench qa: the lab $why" >&2
	exit 3
fi
for t in sqlite3 python3; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "bench qa: needs $t (tools/deps.sh)" >&2
		exit 3
	fi
done
. tests/qa/lab.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/cyanprobe-bench.XXXXXX") || exit 3
. tests/qa/pg.sh
trap 'qa_lab_down; qa_pg_down; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$T"' EXIT
trap 'exit 3' INT TERM

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
qa() { "$B/cyanprobe" qa "$@"; }

# --- qa run: parallel against the slowest cell -------------------------
if ! qa_lab_up tests/qa/plans/demo.yaml "$T/plan.yaml"; then
	echo "bench qa: the emulated routers did not come up" >&2
	exit 3
fi
qa matrix --rules "$RULES" "$T/plan.yaml" >"$T/matrix.json" || exit 3
cells=$(python3 -c '
import json, sys
print(" ".join(c["cell"] for c in json.load(open(sys.argv[1]))["cells"]))' \
    "$T/matrix.json")
nstations=$(python3 -c '
import json, sys
print(len({c["station"] for c in json.load(open(sys.argv[1]))["cells"]}))' \
    "$T/matrix.json")
ncells=$(echo $cells | wc -w)
if [ "$ncells" -lt 1 ]; then
	echo "bench qa: the plan has no cells" >&2
	exit 3
fi
qa run --quiet --rules "$RULES" --db "$T/warm.db" "$T/plan.yaml" \
    >/dev/null 2>&1
slowest=0 seq=0
for c in $cells; do
	t=$(now)
	qa run --quiet --rules "$RULES" --db "$T/seq.db" --cell "$c" \
	    "$T/plan.yaml" >/dev/null 2>&1
	s=$(since "$t")
	printf '%-28s alone %6.2fs\n' "$c" "$s"
	seq=$(awk -v a="$seq" -v b="$s" 'BEGIN { print a + b }')
	slowest=$(awk -v a="$slowest" -v b="$s" 'BEGIN { print (b > a ? b : a) }')
done
t=$(now)
qa run --quiet --rules "$RULES" --db "$T/qa.db" "$T/plan.yaml" \
    >"$T/run.out" 2>"$T/run.err"
par=$(since "$t")
qa_lab_down
measured=$(sqlite3 "$T/qa.db" "SELECT COUNT(*) FROM cells WHERE status = 'measured'")
if [ "$measured" != "$ncells" ]; then
	echo "bench qa: the run measured $measured cells of $ncells:" >&2
	head -c 600 "$T/run.err" >&2
	exit 3
fi

# --- the HTML page of a 50 x 10 matrix ---------------------------------
# 50 rows: 10 routers x 5 firmware, each with the facts of one of the
# real cells in turn; the 4 columns of the plan and 6 more firmware judged
# on them.
cp "$T/qa.db" "$T/html.db"
sqlite3 "$T/html.db" <<'SQL' || exit 3
CREATE TEMP TABLE src AS SELECT cell_id, ROW_NUMBER() OVER (ORDER BY cell_id) - 1
    AS k FROM cells;
CREATE TEMP TABLE n AS WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1
    FROM n WHERE i < 49) SELECT i, printf('rt%02d', i / 5) AS router,
    printf('1.%d', i % 5) AS fw, (SELECT cell_id FROM src
    WHERE k = i % (SELECT COUNT(*) FROM src)) AS from_cell FROM n;
INSERT INTO cells SELECT c.run_id, n.router || '/' || n.fw || '/' || c.config,
    n.router, c.vendor, c.model, c.hardware, n.fw, c.config, c.station,
    c.runner_tag, c.status, c.started, c.ended
    FROM n JOIN cells c ON c.cell_id = n.from_cell;
INSERT INTO facts SELECT f.run_id, n.router || '/' || n.fw || '/' || c.config,
    f.test, f.variant, f.seq, f.kind, f.name, f.value
    FROM n JOIN cells c ON c.cell_id = n.from_cell
    JOIN facts f ON f.cell_id = n.from_cell;
DELETE FROM facts WHERE cell_id IN (SELECT cell_id FROM src);
DELETE FROM cells WHERE cell_id IN (SELECT cell_id FROM src);
DELETE FROM verdicts;
DELETE FROM artifacts;
SQL
qa judge --rules "$RULES" --db "$T/html.db" >/dev/null || exit 3
for fw in 0.4.0 0.5.3 1.1.0 1.4.4 1.5.2 2.0.0; do
	qa judge --rules "$RULES" --db "$T/html.db" --device photon \
	    --firmware "$fw" >/dev/null || exit 3
done
t=$(now)
qa report --db "$T/html.db" --html "$T/qa.html" || exit 3
html_s=$(since "$t")
html=$(wc -c <"$T/qa.html")
shape=$(python3 - "$T/qa.html" <<'PY'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.on = False; self.rows = 0; self.heads = 0; self.tds = 0
    def handle_starttag(self, t, a):
        if t == "table" and dict(a).get("id") == "matrix": self.on = True
        if self.on and t == "tr": self.rows += 1
        if self.on and t == "th": self.heads += 1
        if self.on and t == "td": self.tds += 1
    def handle_endtag(self, t):
        if t == "table": self.on = False
p = P(); p.feed(open(sys.argv[1]).read())
# router, firmware, config, the columns, first bad firmware
print(p.rows - 1, p.heads - 4)
PY
)
peer_html=$(sqlite3 -html "$T/html.db" "SELECT cell_id, device,
    device_firmware, outcome, finding, led, summary FROM verdicts" | wc -c)

# --- qa judge over 100,000 stored cell observations --------------------
qa judge --db "$T/judge.db" >/dev/null || exit 3	# the schema
sqlite3 "$T/judge.db" <<SQL || exit 3
ATTACH '$T/qa.db' AS src;
INSERT INTO runs SELECT 'bench', plan_name, plan_hash, plan_json, station,
    started, ended, tool_version FROM src.runs;
CREATE TEMP TABLE k AS SELECT cell_id, ROW_NUMBER() OVER (ORDER BY cell_id) - 1
    AS k FROM src.cells;
CREATE TEMP TABLE n AS WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1
    FROM n WHERE i < $CELLS - 1) SELECT i, printf('rt%06d/1.0/default', i) AS cell,
    (SELECT cell_id FROM k WHERE k.k = i % (SELECT COUNT(*) FROM k))
    AS from_cell FROM n;
INSERT INTO cells SELECT 'bench', n.cell, c.router, c.vendor, c.model,
    c.hardware, '1.0', 'default', c.station, c.runner_tag, c.status,
    c.started, c.ended FROM n JOIN src.cells c ON c.cell_id = n.from_cell;
INSERT INTO facts SELECT 'bench', n.cell, f.test, f.variant, f.seq, f.kind,
    f.name, f.value FROM n JOIN src.facts f ON f.cell_id = n.from_cell
    WHERE f.kind IN ('status', 'finding', 'condition')
    AND f.test NOT LIKE 'hook:%' AND (f.test != 'diagnose' OR f.variant = 'tcp');
SQL
rows=$(sqlite3 "$T/judge.db" "SELECT COUNT(*) FROM facts")
# One verdict a cell and test (the judge picks the variant).
want=$(sqlite3 "$T/judge.db" "SELECT COUNT(*) FROM (SELECT DISTINCT cell_id,
    test FROM facts)")
t=$(now)
qa judge --rules "$RULES" --db "$T/judge.db" --run bench --device photon \
    --firmware 0.7.0 >"$T/judge.out" || exit 3
judge_wall=$(since "$t")
judge_own=$(sed -n 's/.*judging \([0-9.]*\) s,.*/\1/p' "$T/judge.out")
judged=$(sed -n 's/^judged \([0-9]*\) verdicts.*/\1/p' "$T/judge.out")
t=$(now)
sqlite3 "$T/judge.db" "BEGIN; INSERT INTO verdicts SELECT run_id, cell_id,
    test, 'photon', '0.7.1', CASE WHEN SUM(kind = 'finding') > 0 THEN 'fail'
    ELSE 'pass' END, NULL, MIN(CASE WHEN kind = 'finding' THEN name END),
    '', '', GROUP_CONCAT(CASE WHEN kind = 'finding' THEN name END), 'now'
    FROM facts WHERE run_id = 'bench' AND kind IN ('status', 'finding',
    'condition') AND test NOT LIKE 'hook:%' GROUP BY cell_id, test; COMMIT;" ||
    exit 3
peer_judge=$(since "$t")

# --- qa judge into PostgreSQL ------------------------------------------
pg_wall="" pg_peer="" pg_judged="" pg_why=""
if ! pg_why=$(qa_pg_can_run); then
	:
elif ! qa_pg_up; then
	pg_why="the server did not start"
else
	qa judge --db "$QA_PG_URL" >/dev/null || exit 3	# the schema
	for tb in runs cells facts; do
		sqlite3 -csv "$T/judge.db" "SELECT * FROM $tb" |
		    psql -X -q -v ON_ERROR_STOP=1 "$QA_PG_URL" \
		    -c "\\copy $tb FROM STDIN CSV" || exit 3
	done
	t=$(now)
	qa judge --rules "$RULES" --db "$QA_PG_URL" --run bench \
	    --device photon --firmware 0.7.0 >"$T/pgjudge.out" || exit 3
	pg_wall=$(since "$t")
	pg_judged=$(sed -n 's/^judged \([0-9]*\) verdicts.*/\1/p' "$T/pgjudge.out")
	# The peer: psql writing the verdict rows qa judge wrote (as another
	# firmware), one row a statement as the store does, the statement
	# prepared once (PREPARE, then EXECUTE per row) in one transaction.
	psql -X -A -t "$QA_PG_URL" -c "SELECT format('EXECUTE v(%L, %L, %L,
	    %L, %L, %L, %L, %L, %L, %L, %L, %L);', run_id, cell_id, test,
	    device, '0.7.1', outcome, stage, finding, summary, led, findings,
	    judged_at) FROM verdicts WHERE device_firmware = '0.7.0'" \
	    >"$T/peer.sql" || exit 3
	t=$(now)
	{
		echo "BEGIN; PREPARE v AS INSERT INTO verdicts (run_id, cell_id,
		    test, device, device_firmware, outcome, stage, finding,
		    summary, led, findings, judged_at) VALUES (\$1, \$2, \$3,
		    \$4, \$5, \$6, \$7, \$8, \$9, \$10, \$11, \$12)
		    ON CONFLICT (run_id, cell_id, test, device,
		    device_firmware) DO UPDATE SET outcome = excluded.outcome,
		    stage = excluded.stage, finding = excluded.finding,
		    summary = excluded.summary, led = excluded.led,
		    findings = excluded.findings,
		    judged_at = excluded.judged_at;"
		cat "$T/peer.sql"
		echo "COMMIT;"
	} | psql -X -q -v ON_ERROR_STOP=1 "$QA_PG_URL" >/dev/null || exit 3
	pg_peer=$(since "$t")
	qa_pg_down
fi

echo
echo "$(sed -n 's/^run [^:]*: //p' "$T/run.out") ($cells)"
echo "judge: $(cat "$T/judge.out")"
[ -n "$pg_wall" ] && echo "judge (PostgreSQL): $(cat "$T/pgjudge.out")"
awk -v par="$par" -v slow="$slowest" -v seq="$seq" -v html="$html" \
    -v hs="$html_s" -v shape="$shape" -v ph="$peer_html" \
    -v jw="$judge_wall" -v jo="$judge_own" -v n="$judged" -v want="$want" \
    -v ncells="$ncells" -v nst="$nstations" -v big="$CELLS" \
    -v rows="$rows" -v pj="$peer_judge" -v pgw="$pg_wall" \
    -v pgp="$pg_peer" -v pn="$pg_judged" -v pgwhy="$pg_why" \
    -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
	ok = 1
	m = par <= 1.2 * slow; ok = ok && m
	printf "qa run, %d cells on %d stations  %6.2fs = %.2fx the slowest" \
	    " cell (%.2fs)  <= 1.2x %s\n", ncells, nst, par, par / slow, slow,
	    m ? "met" : "MISSED"
	printf "  one cell after another       %6.2fs = %.2fx qa run\n", seq,
	    seq / par
	split(shape, s, " ")
	m = html < 1048576 && s[1] == 50 && s[2] == 10; ok = ok && m
	printf "qa report --html, %d x %d      %7d bytes in %.2fs  < 1 MB %s\n",
	    s[1], s[2], html, hs, m ? "met" : "MISSED"
	printf "  sqlite3 -html, verdicts only %7d bytes (the page, facts of" \
	    " every cell included: %.2fx)\n", ph, html / ph
	m = n == want && jo <= 0.25; ok = ok && m
	printf "qa judge, %d cells (%d verdicts): judging  %6.3fs  <= 0.25 s" \
	    " %s\n", big, n, jo, m ? "met" : "MISSED"
	m = jw <= 2.5 * pj; ok = ok && m
	printf "  the whole command (%d rows)  %5.2fs = %.2fx sqlite3, one" \
	    " INSERT, no rules (%.2fs)  <= 2.5x %s\n", rows, jw, jw / pj, pj,
	    m ? "met" : "MISSED"
	if (pgw != "") {
		m = pn == want && pgw <= pgp; ok = ok && m
		printf "qa judge into PostgreSQL       %6.2fs = %.2fx the" \
		    " SQLite store (%.2fs)\n", pgw, pgw / jw, jw
		printf "  psql, EXECUTE a verdict      %6.2fs: qa judge %.2fx" \
		    "  <= 1x %s\n", pgp, pgw / pgp, m ? "met" : "MISSED"
	} else
		printf "qa judge into PostgreSQL: SKIP (%s)\n", pgwhy
	printf "  load average %s\n", load
	exit ok ? 0 : 1
}'
