#!/bin/sh
# replay.sh BINARY - replay a fuzz target's seeds: tests/fuzz/corpus/NAME/*
# plus the shared captures named, one glob per line, in tests/fuzz/NAME.seeds
# (relative to $CYANPROBE_CAPTURES; skipped when that folder is missing).
set -u
bin=$1
name=$(basename "$bin")
dir=$(cd "$(dirname "$0")" && pwd)
set --
if [ -d "$dir/corpus/$name" ]; then
	for f in "$dir/corpus/$name"/*; do
		[ -f "$f" ] && set -- "$@" "$f"
	done
fi
if [ -f "$dir/$name.seeds" ]; then
	if [ -d "${CYANPROBE_CAPTURES:-}" ]; then
		while read -r glob; do
			case "$glob" in ''|'#'*) continue ;; esac
			for f in "$CYANPROBE_CAPTURES"/$glob; do
				[ -f "$f" ] && set -- "$@" "$f"
			done
		done <"$dir/$name.seeds"
	else
		echo "SKIP $name: captures folder missing, replaying own corpus only"
	fi
fi
if [ $# -eq 0 ]; then
	echo "FAIL $name: no seeds"
	echo "# 0 passed, 1 failed"
	exit 1
fi
exec "$bin" "$@"
