#!/bin/sh
# run.sh - run every test suite and add up their tallies.
#
# A suite is a unit-test program (plain and ASan+UBSan builds), a fuzz target
# replayed over its seeds, or a script tests/*/suite.sh.  Each prints "FAIL"
# lines for failures, "SKIP" lines for what it could not run, and ends with
# "# N passed, N failed".  The last line of this script is the grand total,
# "N passed, N failed, N skipped" (skipped: the SKIP lines, each a part of a
# suite that could not run here and says why), and its exit status is 0 only
# when nothing failed.
#
# The golden, fuzz-replay, wifi, agent and bench tests read real captures
# from $CYANPROBE_CAPTURES, by default ../shared/captures beside this
# checkout; point it at another copy with
#	CYANPROBE_CAPTURES=/path/to/captures make check
set -u
cd "$(dirname "$0")/.." || exit 3

: "${CYANPROBE_CAPTURES:=$(cd .. && pwd)/shared/captures}"
export CYANPROBE_CAPTURES
if [ -f "$CYANPROBE_CAPTURES/MANIFEST.md" ]; then
	echo "captures: $CYANPROBE_CAPTURES (set CYANPROBE_CAPTURES for another copy)"
else
	echo "captures: $CYANPROBE_CAPTURES is missing: tests on real captures" \
	    "are skipped; set CYANPROBE_CAPTURES=/path/to/shared/captures"
fi
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export NO_COLOR=1

total_pass=0
total_fail=0
total_skip=0
log=$(mktemp)
# Every report any suite makes is copied here (cli.c), and validated last
# against docs/report-schema.json.  Open to all: some runs drop root.
reports=$(mktemp -d)
chmod 1777 "$reports"
export CYANPROBE_REPORT_COPY="$reports"
trap 'rm -f "$log"; rm -rf "$reports"' EXIT INT TERM

# run_suite NAME TIMEOUT CMD...: run one suite and fold in its tally.
run_suite() {
	name=$1 limit=$2
	shift 2
	start=$(date +%s)
	timeout "$limit" "$@" >"$log" 2>&1
	rc=$?
	grep -E '^(FAIL|SKIP)' "$log" | sed "s|^|  [$name] |"
	tally=$(grep -E '^# [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	p=$(echo "$tally" | sed -n 's/^# \([0-9]*\) passed.*/\1/p')
	f=$(echo "$tally" | sed -n 's/^# [0-9]* passed, \([0-9]*\) failed.*/\1/p')
	if [ -z "$tally" ]; then
		p=0 f=1
		echo "  [$name] FAIL: no tally (exit $rc); last lines:"
		tail -n 15 "$log" | sed 's/^/      /'
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "  [$name] FAIL: exit status $rc with no failed check; last lines:"
		tail -n 15 "$log" | sed 's/^/      /'
	fi
	s=$(grep -c '^SKIP' "$log")
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
	printf '%-40s %5s passed %3s failed %3s skipped  %3ss\n' "$name" \
	    "$p" "$f" "$s" "$(( $(date +%s) - start ))"
}

for t in ${B:-build}/tests/test_*; do
	[ -x "$t" ] && run_suite "unit/$(basename "$t")" 120 "$t"
done
for t in ${B:-build}/asan/tests/test_*; do
	[ -x "$t" ] && run_suite "asan/$(basename "$t")" 300 "$t"
done
for t in ${B:-build}/asan/fuzz/fuzz_*; do
	[ -x "$t" ] && run_suite "fuzz-replay/$(basename "$t")" 300 \
	    tests/fuzz/replay.sh "$t"
done
for s in tests/*/suite.sh; do
	[ -x "$s" ] && run_suite "$(basename "$(dirname "$s")")" 900 "$s"
done

run_suite "schema (every report above)" 600 \
    tests/helpers/schema_check.py --dir "$reports"
# After every suite: each facts key the reports above hold is named in docs/.
run_suite "facts documented (every report above)" 120 \
    tests/helpers/facts_doc_check.py "$reports"

echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
