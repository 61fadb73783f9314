#!/bin/sh
# run-libfuzzer.sh SECONDS BINARY... - `make fuzz`: run each libFuzzer
# target for SECONDS, starting from its committed corpus and the shared
# captures its .seeds file names.  New inputs go to a scratch folder under
# /tmp, never into the repository; crashes are kept there and listed, and
# the exit status is 1 when any target crashed.
set -u
secs=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
caps=${CYANPROBE_CAPTURES:-$here/../../../shared/captures}
work=$(mktemp -d /tmp/cyanprobe-fuzz.XXXXXX)
status=0
for bin in "$@"; do
	name=$(basename "$bin")
	corpus=$work/$name/corpus
	mkdir -p "$corpus" "$work/$name/crashes"
	[ -d "$here/corpus/$name" ] && cp "$here/corpus/$name"/* "$corpus"/ 2>/dev/null
	if [ -f "$here/$name.seeds" ] && [ -d "$caps" ]; then
		grep -v '^#' "$here/$name.seeds" | while read -r glob; do
			[ -n "$glob" ] || continue
			for f in "$caps"/$glob; do
				[ -f "$f" ] && cp "$f" "$corpus/seed-$(basename "$f")"
			done
		done
	fi
	echo "=== fuzz: $name for ${secs}s"
	if ! "$bin" -max_total_time="$secs" -print_final_stats=1 \
	    -artifact_prefix="$work/$name/crashes/" "$corpus" \
	    >"$work/$name/log" 2>&1; then
		status=1
		echo "CRASH $name: see $work/$name/log and $work/$name/crashes/"
	fi
	grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' \
	    "$work/$name/log" | tail -n 1
done
if [ $status -eq 0 ]; then
	rm -rf "$work"
	echo "fuzz: no crashes"
fi
exit $status
