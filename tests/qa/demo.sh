#!/bin/sh
# demo.sh - the router QA demo in one command (as root): the six emulated
# routers of tests/lab and a healthy one side by side (tests/qa/lab.sh),
# each with the tests that show its fault, the demo plan
# (tests/qa/plans/demo.yaml) run over them with `cyanprobe qa run`, and the
# matrix printed.  The store, the JUnit XML and the HTML page stay in the
# folder it names; the routers are removed afterwards.
set -u
cd "$(dirname "$0")/../.." || exit 3
B=${B:-build}
if [ ! -x "$B/cyanprobe" ]; then
	echo "qa demo: $B/cyanprobe is missing: run make first" >&2
	exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "qa demo: the emulated routers live in network namespaces, which" \
	    "only root can make: try 'sudo tests/qa/demo.sh'." >&2
	exit 2
fi
. tests/qa/lab.sh
trap qa_lab_down EXIT
trap 'exit 130' INT TERM
trap 'exit 129' HUP
trap '' PIPE
OUT=$(mktemp -d "${TMPDIR:-/tmp}/cyanprobe-qa-demo.XXXXXX") || exit 3
echo "Building seven emulated routers (healthy, strict firewall, captive"
echo "portal, OpenWrt-like rebind protection, double NAT, short NAT"
echo "timeouts, client isolation)..."
qa_lab_up tests/qa/plans/demo.yaml "$OUT/plan.yaml" || exit 3
echo "\$ cyanprobe qa run --db $OUT/qa.db --junit $OUT/junit.xml plan.yaml"
"$B/cyanprobe" qa run --db "$OUT/qa.db" --junit "$OUT/junit.xml" \
    "$OUT/plan.yaml"
echo
"$B/cyanprobe" qa report --db "$OUT/qa.db" --matrix --html "$OUT/qa.html"
echo
echo "Store $OUT/qa.db, JUnit $OUT/junit.xml, HTML $OUT/qa.html"
