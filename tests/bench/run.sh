#!/bin/sh
# run.sh - `make bench`: run every benchmark script tests/bench/NAME.sh in
# name order (add yours by dropping a file here).  Each prints its own
# numbers and targets and exits 0 when its targets are met, 1 when not,
# anything else when it could not run.  This script prints one summary
# line per benchmark and exits 0 only when every target was met.
set -u
cd "$(dirname "$0")/../.." || exit 3
status=0
summary=""
for s in tests/bench/*.sh; do
	name=$(basename "$s" .sh)
	[ "$name" = run ] && continue
	echo "=== bench: $name"
	sh "$s"
	rc=$?
	case $rc in
	0) res="targets met" ;;
	1) res="TARGET MISSED"; status=1 ;;
	*) res="could not run (exit $rc)"; status=1 ;;
	esac
	summary="$summary$(printf '%-20s %s' "$name" "$res")
"
	echo
done
echo "=== bench summary"
printf '%s' "$summary"
exit $status
