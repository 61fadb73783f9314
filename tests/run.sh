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
# The suites that mostly wait (the labs of real DHCP servers in network
# namespaces, with their ping checks, leases and conntrack timeouts) run in
# lanes of their own beside the main lane of the CPU-bound rest, so the run
# takes about as long as its longest lane, not as all suites one after the
# other.  Each suite's output goes to a file of its own, and its results
# are printed whole once it ends, in a fixed order: the main lane's suites,
# then the other lanes', then the schema and facts checks over every report
# (these wait for all lanes).  A suite that fails in any lane fails the run.
# Before the total, a table says how long each suite took (wall and CPU).
# Ctrl-C or a TERM stops every suite (each cleans up its labs) and exits.
# CYANPROBE_SERIAL=1 runs everything in one lane, one suite at a time.
# CYANPROBE_SUITE_LIMIT=S stops each suite after S seconds instead of its
# own limit (tests/runner tests this script with it).
#
# Every failure is named twice: where its suite reports, and again in a
# list just before the total, one line each, "[SUITE] FAIL ..." (a check
# that failed), "[SUITE] FAIL: no tally (exit N)", "[SUITE] FAIL: timed
# out after S s", "[SUITE] FAIL: exit status N", or "[SUITE] FAIL: N
# failed checks, no FAIL line", so that a log cut to its tail (as CI
# shows it) still says which check failed.
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

# The lanes beside the main one: one word each, its suites (tests/NAME)
# joined by "+", run in turn; NAME:PART runs tests/NAME/suite.sh PART, a
# part of a suite that splits itself (tests/lab: dhcp, net); @unit, @asan
# and @fuzz are the unit tests, their ASan+UBSan builds and the fuzz
# replays (else in the main lane).  Chosen by
# measurement (the time table at the end): lab and qatests mostly sleep on
# DHCP servers' ping checks, leases and conntrack timeouts; qa mostly waits
# on its labs (and renders one page in chromium).  The lab was the longest
# lane beside the main one whole.  The suites whose checks race with
# background processes (handshake's staller, wifi's captures, agent's pty)
# stay in the main lane, one at a time.
# CYANPROBE_LANES overrides the plan (tests/runner uses it).
LANES=${CYANPROBE_LANES-"lab:dhcp lab:net qatests+qa"}
[ -n "${CYANPROBE_SERIAL:-}" ] && LANES=""

total_pass=0
total_fail=0
total_skip=0
run_start=$(date +%s)
# One folder for the suites' logs and results: ID.name, ID.log, ID.res
# ("rc wall_s cpu_s", written last: the suite is done).
runs=$(mktemp -d "${TMPDIR:-/tmp}/cyanprobe-run.XXXXXX") || exit 3
# Every report any suite makes is copied here (cli.c), and validated last
# against docs/report-schema.json.  Open to all: some runs drop root.
reports=$(mktemp -d)
chmod 1777 "$reports"
export CYANPROBE_REPORT_COPY="$reports"

want=0		# the lane this shell runs (0: the main one)
lane_pids=""	# the other lanes' shells
tpid=""		# the `timeout` of this shell's running suite
stopping=""

# stop_suite: end this shell's running suite (its own traps clean up its
# labs; `timeout` passes the TERM on to the suite's process group) and
# wait until it is gone.
stop_suite() {
	stopping=1
	[ -n "$tpid" ] || return 0
	kill -TERM "$tpid" 2>/dev/null
	while kill -0 "$tpid" 2>/dev/null; do
		wait "$tpid"
	done
}

# stop_all: on Ctrl-C or TERM, stop every lane and wait for their clean-up.
stop_all() {
	trap '' INT TERM HUP
	echo "run.sh: stopping every suite" >&2
	for p in $lane_pids; do
		kill -TERM "$p" 2>/dev/null
	done
	stop_suite
	wait
}
trap 'rm -rf "$runs" "$reports"' EXIT
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all; exit 129' HUP
# A reader that goes away (| head) must not stop the clean-up.
trap '' PIPE

# cpu_now: set cpu to this shell's children's CPU seconds so far (user +
# system), from `times` into a file: in a pipe or $(...) it would run in a
# child of its own, which has no children yet.
cpu_now() {
	times >"$runs/times.$want"
	cpu=$(awk 'NR == 2 {
		n = split($0, t, /[ms ]+/); s = 0
		for (i = 1; i + 1 <= n; i += 2) s += t[i] * 60 + t[i + 1]
		printf "%d\n", s + 0.5 }' "$runs/times.$want")
}

# run_one ID LIMIT CMD...: run one suite into ID.log, then write ID.res.
run_one() {
	f=$runs/$1 limit=${CYANPROBE_SUITE_LIMIT:-$2}
	shift 2
	echo "$limit" >"$f.limit"
	start=$(date +%s)
	cpu_now
	cpu0=$cpu
	# -k: a suite that does not end within a minute of its TERM is killed.
	# The suite gets the default SIGPIPE back (this shell ignores it).
	(trap - PIPE; exec timeout -k 60 "$limit" "$@") >"$f.log" 2>&1 \
	    </dev/null &
	tpid=$!
	wait "$tpid"
	rc=$?
	# A trap ran (wait returns early then): wait for the real status.
	while kill -0 "$tpid" 2>/dev/null; do
		wait "$tpid"
		rc=$?
	done
	tpid=""
	cpu_now
	echo "$rc $(( $(date +%s) - start )) $((cpu - cpu0))" >"$f.res.tmp"
	mv "$f.res.tmp" "$f.res"
}

# plan: every suite in report order, through `suite LANE NAME LIMIT CMD...`
# (LANE 0 is the main one).  Called once per lane to run that lane's part,
# and once to report; the numbering is the same each time.
plan() {
	n=0
	# @unit, @asan, @fuzz in LANES: those groups in that lane.
	lu=$(lane_of @unit) la=$(lane_of @asan) lf=$(lane_of @fuzz)
	# The limits catch a hang, not a slow machine: test_dhcp (real
	# sockets, 18 s at rest) took over 120 s at a load average of 60.
	for t in ${B:-build}/tests/test_*; do
		[ -x "$t" ] && suite "${lu:-0}" "unit/$(basename "$t")" 300 "$t"
	done
	for t in ${B:-build}/asan/tests/test_*; do
		[ -x "$t" ] && suite "${la:-0}" "asan/$(basename "$t")" 300 "$t"
	done
	for t in ${B:-build}/asan/fuzz/fuzz_*; do
		[ -x "$t" ] && suite "${lf:-0}" "fuzz-replay/$(basename "$t")" \
		    300 tests/fuzz/replay.sh "$t"
	done
	for s in tests/*/suite.sh; do
		name=$(basename "$(dirname "$s")")
		[ -x "$s" ] && [ -z "$(lane_of "$name")" ] &&
		    suite 0 "$name" 900 "$s"
	done
	l=0
	for lane in $LANES; do
		l=$((l + 1))
		for name in $(echo "$lane" | tr + ' '); do
			s=tests/${name%%:*}/suite.sh
			# shellcheck disable=SC2046
			[ -x "$s" ] && suite "$l" "$name" 900 "$s" \
			    $(echo "$name" | sed -n 's/^[^:]*://p')
		done
	done
}

# lane_of NAME: the number of the (first) lane beside the main one that
# runs tests/NAME or a part of it, or nothing.
lane_of() {
	echo "$LANES" | tr ' ' '\n' | awk -v n="$1" '
	    { k = split($0, s, "+"); for (i = 1; i <= k; i++) {
		sub(/:.*/, "", s[i]); if (s[i] == n) { print NR; exit } } }'
}

# In a lane's shell: run the suites of lane $want.
suite_run() {
	n=$((n + 1))
	lane=$1 name=$2
	shift 2
	[ "$lane" = "$want" ] || return 0
	[ -n "$stopping" ] && return 0
	id=$(printf '%03d' "$n")
	echo "$name" >"$runs/$id.name"
	echo "$lane" >"$runs/$id.lane"
	run_one "$id" "$@"
}

# report ID: print one finished suite's FAIL and SKIP lines and its tally,
# and fold them into the totals.
report() {
	name=$(cat "$runs/$1.name") log=$runs/$1.log
	read -r rc secs cpu <"$runs/$1.res"
	grep -E '^(FAIL|SKIP)' "$log" | sed "s|^|  [$name] |"
	grep -E '^FAIL' "$log" | sed "s|^|  [$name] |" >>"$runs/failures"
	tally=$(grep -E '^# [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	p=$(echo "$tally" | sed -n 's/^# \([0-9]*\) passed.*/\1/p')
	f=$(echo "$tally" | sed -n 's/^# [0-9]* passed, \([0-9]*\) failed.*/\1/p')
	# timeout(1) exits 124 when it sent its TERM, 137 when it had to
	# KILL as well.
	why=""
	case $rc in
	124|137) why="timed out after $(cat "$runs/$1.limit" 2>/dev/null) s" ;;
	esac
	if [ -z "$tally" ]; then
		p=0 f=1
		why=${why:-"no tally (exit $rc)"}
		echo "  [$name] FAIL: $why; last lines:"
		echo "  [$name] FAIL: $why" >>"$runs/failures"
		tail -n 15 "$log" | sed 's/^/      /'
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		why=${why:-"exit status $rc"}
		echo "  [$name] FAIL: $why with no failed check; last lines:"
		echo "  [$name] FAIL: $why" >>"$runs/failures"
		tail -n 15 "$log" | sed 's/^/      /'
	elif [ "$f" -gt 0 ] && ! grep -q '^FAIL' "$log"; then
		echo "  [$name] FAIL: $f failed checks, no FAIL line; last lines:"
		echo "  [$name] FAIL: $f failed checks, no FAIL line" \
		    >>"$runs/failures"
		tail -n 15 "$log" | sed 's/^/      /'
	elif [ -n "$why" ]; then
		echo "  [$name] FAIL: $why" >>"$runs/failures"
	fi
	s=$(grep -c '^SKIP' "$log")
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
	printf '%-40s %5s passed %3s failed %3s skipped  %3ss\n' "$name" \
	    "$p" "$f" "$s" "$secs"
}

# flush: report every finished suite not reported yet, in plan order,
# up to the first one still running.
reported=0
flush() {
	while :; do
		id=$(printf '%03d' $((reported + 1)))
		[ -f "$runs/$id.res" ] || return 0
		report "$id"
		reported=$((reported + 1))
	done
}

# Every lane in a shell of its own, the main one (0) too, so that each
# lane's CPU seconds are its own suites' (`times` in a shell counts every
# child it reaped).  A lane stops its running suite when told to (TERM from
# stop_all), and says when it is done.
l=0
for lane in main $LANES; do
	(
		trap 'stop_suite; exit 143' TERM
		trap '' INT HUP
		want=$l
		suite() { suite_run "$@"; }
		plan
		: >"$runs/lane.$want.done"
	) &
	lane_pids="$lane_pids $!"
	l=$((l + 1))
done

# Report the suites as they end, in plan order, until every lane is done.
while :; do
	flush
	left=0
	for i in $(seq 0 $((l - 1))); do
		[ -f "$runs/lane.$i.done" ] || left=$((left + 1))
	done
	[ "$left" -eq 0 ] && break
	sleep 1
done
for p in $lane_pids; do
	while kill -0 "$p" 2>/dev/null; do
		wait "$p"
	done
done
lane_pids=""
flush
# plan's count, for the numbers of the checks below.
n=0
suite() { n=$((n + 1)); }
plan

# After every suite of every lane: the reports they made.
for check in schema facts; do
	n=$((n + 1))
	id=$(printf '%03d' "$n")
	case $check in
	schema)	echo "schema (every report above)" >"$runs/$id.name"
		run_one "$id" 600 tests/helpers/schema_check.py --dir "$reports"
		;;
	facts)	# Each facts key the reports hold is named in docs/.
		echo "facts documented (every report above)" >"$runs/$id.name"
		run_one "$id" 120 tests/helpers/facts_doc_check.py "$reports"
		;;
	esac
	echo 0 >"$runs/$id.lane"
	flush
done

# Where the time went: the slowest suites first, and each lane's sum.
echo "time per suite (wall and CPU seconds, lane 0 the main one), slowest first:"
for f in "$runs"/*.res; do
	id=${f%.res}
	read -r rc secs cpu <"$f"
	printf '%5ss %5ss  %s  %s\n' "$secs" "$cpu" "$(cat "$id.lane")" \
	    "$(cat "$id.name")"
done | sort -rn | head -n 12
for f in "$runs"/*.res; do
	read -r rc secs cpu <"$f"
	echo "$(cat "${f%.res}.lane") $secs $cpu"
done | awk '{ w[$1] += $2; c[$1] += $3; tw += $2; tc += $3 }
    END { for (l in w) printf "lane %s: %ds of suites (%ds CPU)\n", l, w[l], c[l]
	printf "all suites: %ds one after the other, %ds CPU\n", tw, tc }' |
    sort
echo "run.sh: $(( $(date +%s) - run_start ))s wall"

# The failures again, last, where a log cut to its tail still shows them.
if [ -s "$runs/failures" ]; then
	echo "failed, as reported above:"
	head -n 40 "$runs/failures"
fi
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
