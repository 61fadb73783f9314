#!/bin/sh
# suite.sh - the QA store itself (probe/qa/qa_store*.c), without a lab:
# real SQLite files and a real PostgreSQL server (tests/qa/pg.sh, a private
# cluster on a unix socket), written by `qa run` of a small plan whose
# stations are the loopback interface of a network namespace of this
# suite's own, with nothing else in it (diagnose runs there and reports at
# once; every target is its 127.0.0.1, and what it sends elsewhere, the
# host's resolver, has no route: nothing leaves the namespace).  Checked:
#   - a store whose schema version is newer than this cyanprobe's (a newer
#     one wrote or upgraded it) is refused by qa judge, report, push (from
#     and to) and run: exit status 3, the error naming both versions, and
#     the store left exactly as it was (SQLite: the file's bytes, no journal
#     left; PostgreSQL: pg_dump of the database); their --help says so;
#   - qa run into PostgreSQL writes each job's facts in one INSERT of many
#     rows, and its cells in one (the server's statement log);
#   - qa push into PostgreSQL writes 64 rows an INSERT (the log: INSERTs of
#     64 and the rest), the rows there are the source's, every column, and
#     a second push adds nothing and changes nothing (idempotent by run id).
# Prints FAIL/SKIP lines and the tally.
set -u
cd "$(dirname "$0")/../.." || exit 3
B=${B:-build}
case "$B" in /*) ;; *) B="$(pwd)/$B" ;; esac
BIN=$B/cyanprobe
RULES=$(pwd)/rules
pass=0 fail=0
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/cyanqa-store.XXXXXX") || exit 3
NS=""
cleanup() {
	command -v qa_pg_down >/dev/null 2>&1 && qa_pg_down
	[ -n "$NS" ] && ip netns del "$NS" 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'exit 129' HUP

ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $*"; }
is() {
	if [ "$2" = "$3" ]; then ok; else no "$1: got '$2', want '$3'"; fi
}
sql() { sqlite3 "$1" "$2" 2>&1; }

if [ ! -x "$BIN" ]; then
	echo "SKIP qastore: no $BIN (make B=$B)"
	echo "# 0 passed, 0 failed"
	exit 0
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "SKIP qastore: needs sqlite3"
	echo "# 0 passed, 0 failed"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP qastore: needs root for its network namespace and the private PostgreSQL"
	echo "# 0 passed, 0 failed"
	exit 0
fi
NS=cyqastore-$$
if ! ip netns add "$NS" || ! ip -n "$NS" link set lo up; then
	echo "FAIL qastore: cannot make the network namespace $NS"
	echo "# 0 passed, 1 failed"
	exit 1
fi

# Two routers on two stations, both the namespace's loopback interface,
# so the two cells run at once; diagnose there is quick (one-second
# deadlines) and reports: each job stores its status, findings and
# per-check facts.
plan() {
	cat <<EOF
schema: cyanprobe-qa-plan/1
name: store
stations:
  - { id: s1, iface: lo, netns: $NS }
  - { id: s2, iface: lo, netns: $NS }
routers:
  - { id: r1, station: s1, firmware: [ "1.0" ] }
  - { id: r2, station: s2, firmware: [ "1.0" ] }
devices:
  - { device: photon, firmware: [ "2.3.1" ] }
tests: [ diagnose ]
targets:
  cloud: 127.0.0.1:5683
  internet_test: 127.0.0.1:53
  ntp: 127.0.0.1
  portal_url: http://127.0.0.1:9/generate_204
  timeout: 1
  dhcp_window: 1
  dhcp_grace: 1s
EOF
}
plan >"$TMPD/plan.yaml"

# every DB: each table's rows, every column, in key order ("-" for NULL),
# as sqlite3 or psql prints them.
TABLES="runs:run_id cells:run_id,cell_id facts:run_id,cell_id,test,variant,seq verdicts:run_id,cell_id,test,device,device_firmware artifacts:run_id,cell_id,name"
every() {
	for t in $TABLES; do
		echo "== ${t%%:*}"
		q="SELECT * FROM ${t%%:*} ORDER BY ${t#*:}"
		case "$1" in
		postgres*) psql -X -A -t -F '|' -P null=- "$1" -c "$q" 2>&1 ;;
		*) sqlite3 -nullvalue - "$1" "$q" 2>&1 ;;
		esac
	done
}

"$BIN" qa run --quiet --rules "$RULES" --db "$TMPD/src.db" \
    "$TMPD/plan.yaml" >"$TMPD/run.out" 2>"$TMPD/run.err"
is "run: exit status (diagnose on lo fails)" "$?" 1
is "run: two cells measured" "$(sql "$TMPD/src.db" "SELECT COUNT(*) FROM
    cells WHERE status = 'measured'")" 2
njobs=$(sql "$TMPD/src.db" "SELECT COUNT(*) FROM facts WHERE kind = 'status'")
nfacts=$(sql "$TMPD/src.db" "SELECT COUNT(*) FROM facts")
[ "$njobs" -ge 2 ] && [ "$nfacts" -gt "$njobs" ] && ok ||
    no "run: jobs with facts: $njobs jobs, $nfacts facts: $(head -c 300 "$TMPD/run.err")"

# --- a newer cyanprobe's store ------------------------------------------
# refused NAME RC ERRFILE: exit status 3 and the error that says why.
refused() {
	is "$1: exit status" "$2" 3
	grep -q "the store's schema is version 99, newer than this cyanprobe's [0-9]*: a newer cyanprobe wrote it" "$3" &&
	    ok || no "$1: the error: $(head -c 300 "$3")"
}
# too_new TARGET: every command that opens TARGET refuses it.
too_new() {
	"$BIN" qa judge --rules "$RULES" --db "$1" >/dev/null 2>"$TMPD/e"
	refused "$2 judge" "$?" "$TMPD/e"
	"$BIN" qa report --db "$1" --matrix >/dev/null 2>"$TMPD/e"
	refused "$2 report" "$?" "$TMPD/e"
	"$BIN" qa push --db "$TMPD/src.db" --to "$1" >/dev/null 2>"$TMPD/e"
	refused "$2 push into it" "$?" "$TMPD/e"
	"$BIN" qa push --db "$1" --to "$TMPD/other.db" >/dev/null 2>"$TMPD/e"
	refused "$2 push from it" "$?" "$TMPD/e"
	"$BIN" qa run --quiet --rules "$RULES" --db "$1" "$TMPD/plan.yaml" \
	    >"$TMPD/o" 2>"$TMPD/e"
	refused "$2 run" "$?" "$TMPD/e"
	is "$2 run: nothing measured" "$(cat "$TMPD/o")" ""
}
for c in run judge report push; do
	"$BIN" qa "$c" --help 2>&1 | tr '\n' ' ' | grep -q "newer than this  *cyanprobe's: refused" &&
	    ok || no "qa $c --help: no word of a newer store"
done
cp "$TMPD/src.db" "$TMPD/new.db"
sql "$TMPD/new.db" "INSERT INTO qa_schema (version, applied) VALUES (99,
    'by a cyanprobe from the future')" >/dev/null
sum=$(cksum <"$TMPD/new.db")
too_new "$TMPD/new.db" "newer sqlite"
is "newer sqlite: the file unchanged" "$(cksum <"$TMPD/new.db")" "$sum"
is "newer sqlite: no journal left" \
    "$(ls "$TMPD" | grep -c '^new\.db-')" 0

# --- PostgreSQL ----------------------------------------------------------
. tests/qa/pg.sh
if ! why=$(qa_pg_can_run); then
	echo "SKIP qastore pg: $why"
elif ! qa_pg_up; then
	no "pg: the server did not start"
else
	db() { echo "postgresql://postgres@/$1?host=$QA_PG_DIR"; }
	mkdb() { psql -X -q "$QA_PG_URL" -c "CREATE DATABASE $1" >/dev/null 2>&1; }

	# qa run straight into the server: a job's rows in one INSERT each
	# table (before: one INSERT a row).
	mkdb runpg
	"$BIN" qa judge --db "$(db runpg)" >/dev/null 2>&1	# the schema
	pg_log_on
	"$BIN" qa run --quiet --rules "$RULES" --db "$(db runpg)" \
	    "$TMPD/plan.yaml" >/dev/null 2>"$TMPD/runpg.err"
	is "pg run: exit status" "$?" 1
	pg_log_off
	pgq() { psql -X -A -t "$(db runpg)" -c "$1" 2>&1; }
	j=$(pgq "SELECT COUNT(*) FROM facts WHERE kind = 'status'")
	f=$(pgq "SELECT COUNT(*) FROM facts")
	is "pg run: facts, one INSERT a job (statements, rows)" \
	    "$(pg_inserts facts | awk '{ print $1 + $2, $3 }')" "$j $f"
	is "pg run: artifacts, one INSERT a job" \
	    "$(pg_inserts artifacts | awk '{ print $1 + $2, $3 }')" \
	    "$j $(pgq "SELECT COUNT(*) FROM artifacts")"
	is "pg run: the cells in one INSERT" \
	    "$(pg_inserts cells | awk '{ print $1 + $2, $3 }')" "1 2"
	is "pg run: both cells measured there" "$(pgq "SELECT COUNT(*) FROM
	    cells WHERE status = 'measured'")" 2

	# qa push: rows 64 an INSERT.  The source's facts copied 6 times
	# over (other cells) so that a table has more than a batch.
	cp "$TMPD/src.db" "$TMPD/big.db"
	sql "$TMPD/big.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL
	    SELECT i + 1 FROM n WHERE i < 6) INSERT INTO facts SELECT
	    f.run_id, f.cell_id || '-' || i, f.test, f.variant, f.seq, f.kind,
	    f.name, f.value FROM facts f, n" >/dev/null
	nf=$(sql "$TMPD/big.db" "SELECT COUNT(*) FROM facts")
	mkdb pushpg
	"$BIN" qa judge --db "$(db pushpg)" >/dev/null 2>&1	# the schema
	pg_log_on
	"$BIN" qa push --db "$TMPD/big.db" --to "$(db pushpg)" \
	    >"$TMPD/push1" 2>&1
	is "pg push: exit status" "$?" 0
	pg_log_off
	want=$(awk -v n="$nf" 'BEGIN { printf "%d %d", int((n + 63) / 64), n }')
	is "pg push: facts 64 rows an INSERT (statements, rows)" \
	    "$(pg_inserts facts | awk '{ print $1 + $2, $3 }')" "$want"
	[ "$nf" -gt 128 ] && ok || no "pg push: only $nf facts"
	is "pg push: the full batches' statement prepared" \
	    "$(pg_inserts facts | awk '{ print ($2 > 0) }')" 1
	is "pg push: verdicts in one INSERT" \
	    "$(pg_inserts verdicts | awk '{ print $1 + $2, $3 }')" \
	    "1 $(sql "$TMPD/big.db" "SELECT COUNT(*) FROM verdicts")"
	grep -q '1 new, 0 there already' "$TMPD/push1" && ok ||
	    no "pg push: $(cat "$TMPD/push1")"
	every "$TMPD/big.db" >"$TMPD/rows.sqlite"
	every "$(db pushpg)" >"$TMPD/rows.pg"
	cmp -s "$TMPD/rows.sqlite" "$TMPD/rows.pg" && ok ||
	    no "pg push: rows differ from the source's: $(diff "$TMPD/rows.sqlite" "$TMPD/rows.pg" | head -c 400)"
	"$BIN" qa push --db "$TMPD/big.db" --to "$(db pushpg)" \
	    >"$TMPD/push2" 2>&1
	is "pg push again: exit status" "$?" 0
	grep -q '0 new, 1 there already' "$TMPD/push2" && ok ||
	    no "pg push again: $(cat "$TMPD/push2")"
	every "$(db pushpg)" >"$TMPD/rows2.pg"
	cmp -s "$TMPD/rows.pg" "$TMPD/rows2.pg" && ok ||
	    no "pg push again: rows changed: $(diff "$TMPD/rows.pg" "$TMPD/rows2.pg" | head -c 400)"

	# A newer cyanprobe's shared database: refused, not changed.
	psql -X -q "$(db pushpg)" -c "INSERT INTO qa_schema (version,
	    applied) VALUES (99, 'by a cyanprobe from the future')" \
	    >/dev/null 2>&1
	dump() {
		runuser -u postgres -- "$QA_PG_BIN/pg_dump" -h "$QA_PG_DIR" \
		    -U postgres pushpg 2>&1 | grep -v -e '^--' -e '^.restrict' -e '^.unrestrict' | cksum
	}
	sum=$(dump)
	too_new "$(db pushpg)" "newer pg"
	is "newer pg: the database unchanged (pg_dump)" "$(dump)" "$sum"
	qa_pg_down
fi

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
