#!/bin/sh
# suite.sh - tests/run.sh itself, on a tree of stand-in suites in a
# temporary folder: one that passes, one with a failed check, one with no
# tally, one that exits non-zero with no failed check, one that hangs past
# its time limit, one whose tally counts failures it never printed, and a
# failing one in a lane beside the main one (lab), with a unit test placed
# in that lane too (CYANPROBE_LANES="lab+@unit").  The run must fail, add
# the tallies up right, run the unit test in its lane, and name every
# failure in the list at the end of its output, so that a log cut to its
# last lines (as CI shows it) still says which suite and check failed.
set -u
cd "$(dirname "$0")/../.." || exit 3
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

T=$(mktemp -d "${TMPDIR:-/tmp}/cyanprobe-runner.XXXXXX") || exit 3
keep=${RUNNER_KEEP:-}
trap '[ -n "$keep" ] || rm -rf "$T"' EXIT
trap 'exit 3' INT TERM HUP

tree=$T/tree
mkdir -p "$tree/tests/helpers" "$tree/build"
cp tests/run.sh "$tree/tests/run.sh"
# stand NAME BODY: tests/NAME/suite.sh running BODY.
stand() {
	mkdir -p "$tree/tests/$1"
	printf '#!/bin/sh\n%s\n' "$2" >"$tree/tests/$1/suite.sh"
	chmod +x "$tree/tests/$1/suite.sh"
}
stand good 'echo "# 3 passed, 0 failed"'
stand badcheck 'echo "FAIL badcheck: the alpha check broke"
echo "# 2 passed, 1 failed"; exit 1'
stand notally 'echo "something went wrong before the end"'
stand crash 'echo "# 1 passed, 0 failed"; exit 3'
stand hang "echo '# 4 passed, 0 failed'; exec sleep 60.$$"
stand silentfail 'echo "# 1 passed, 2 failed"; exit 1'
stand lab 'echo "FAIL lab: the side lane check broke"
echo "# 5 passed, 1 failed"; exit 1'
stand skipper 'echo "SKIP skipper: no such thing here"
echo "SKIP skipper: nor that"; echo "# 1 passed, 0 failed"'
mkdir -p "$tree/build/tests"
printf '#!/bin/sh\necho "# 2 passed, 0 failed"\n' >"$tree/build/tests/test_fake"
chmod +x "$tree/build/tests/test_fake"
for h in schema_check facts_doc_check; do
	printf '#!/bin/sh\necho "# 1 passed, 0 failed"\n' \
	    >"$tree/tests/helpers/$h.py"
	chmod +x "$tree/tests/helpers/$h.py"
done

(cd "$tree" && B=build CYANPROBE_SUITE_LIMIT=3 CYANPROBE_LANES="lab+@unit" \
    CYANPROBE_CAPTURES="$T/none" sh tests/run.sh) >"$T/out" 2>&1
rc=$?
[ "$rc" -ne 0 ] && ok || bad "run.sh exit $rc with failing suites, want non-zero"

# The total: passed 3+2+1+4+1+5+1 (+2 for the unit test, +2 for the checks
# over the reports); failed: one each for badcheck, notally, crash, hang
# and lab, two for silentfail; skipped: skipper's two SKIP lines.
last=$(tail -n 1 "$T/out")
[ "$last" = "21 passed, 7 failed, 2 skipped" ] && ok ||
    bad "run.sh total '$last', want '21 passed, 7 failed, 2 skipped'"
# Without the captures it says so, and how to point it at them.
grep -qF "captures: $T/none is missing" "$T/out" &&
    grep -qF "set CYANPROBE_CAPTURES=/path/to/shared/captures" "$T/out" && ok ||
    bad "run.sh does not say how to point it at the captures: $(grep captures "$T/out" | head -n 2)"
# The time table: the unit test and lab in lane 1, the rest in lane 0.
grep -Eq '^ +[0-9]+s +[0-9]+s  1  unit/test_fake$' "$T/out" &&
    grep -Eq '^ +[0-9]+s +[0-9]+s  1  lab$' "$T/out" &&
    grep -Eq '^ +[0-9]+s +[0-9]+s  0  good$' "$T/out" && ok ||
    bad "run.sh lanes: unit/test_fake and lab not in lane 1: $(grep -A 12 '^time per suite' "$T/out" | tr '\n' '|')"

# Each failure named in the list at the end, and the list within the last
# 12 lines (after the time table).
sed -n '/^failed, as reported above:$/,$p' "$T/out" >"$T/recap"
tail -n 12 "$T/out" >"$T/tail"
for want in \
    '[badcheck] FAIL badcheck: the alpha check broke' \
    '[notally] FAIL: no tally (exit 0)' \
    '[crash] FAIL: exit status 3' \
    '[hang] FAIL: timed out after 3 s' \
    '[silentfail] FAIL: 2 failed checks, no FAIL line' \
    '[lab] FAIL lab: the side lane check broke'; do
	grep -qF -- "$want" "$T/recap" && grep -qF -- "$want" "$T/tail" && ok ||
	    bad "run.sh's closing list lacks '$want': $(tr '\n' '|' <"$T/recap")"
done
# Nothing that passed is in the list.
grep -q '\[good\]' "$T/recap" && bad "run.sh lists the passing suite as failed" || ok
# The hung suite's sleep (60.PID s, this run's) is gone with it.
left=$(pgrep -f "^sleep 60\.$$\$")
[ -z "$left" ] && ok || {
	bad "the hung suite's sleep outlived its time limit: $left"
	kill $left
}

# .ci/run, whose last line is all a CI log's reader may see: make prints its
# own error after run.sh's tally when a check fails, so .ci/run repeats the
# tally last, and keeps make's exit status.  Without a tally it says the run
# stopped before the tests.  A stand-in make plays both.
ci=$T/ci
mkdir -p "$ci/.ci" "$ci/bin"
cp .ci/run "$ci/.ci/run"
cat >"$ci/bin/make" <<'MAKE'
#!/bin/sh
[ -n "${FAKE_TALLY:-}" ] && { echo "FAIL x: broke"; echo "$FAKE_TALLY"; }
echo "make: *** [Makefile:125: check] Error 1"
exit 2
MAKE
chmod +x "$ci/bin/make"
out=$(PATH="$ci/bin:$PATH" FAKE_TALLY="9 passed, 1 failed, 0 skipped" \
    bash "$ci/.ci/run" 2>&1)
rc=$?
[ "$rc" -eq 2 ] && [ "$(printf '%s\n' "$out" | tail -n 1)" = "9 passed, 1 failed, 0 skipped" ] &&
    ok || bad ".ci/run after a failed check: exit $rc, last line '$(printf '%s\n' "$out" | tail -n 1)'"
out=$(PATH="$ci/bin:$PATH" bash "$ci/.ci/run" 2>&1)
rc=$?
[ "$rc" -ne 0 ] && [ "$(printf '%s\n' "$out" | tail -n 2 | tr '\n' '|')" = \
    "make check stopped before the tests ran (exit 2)|0 passed, 1 failed|" ] &&
    ok || bad ".ci/run with no tally: exit $rc, tail '$(printf '%s\n' "$out" | tail -n 2 | tr '\n' '|')'"

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
