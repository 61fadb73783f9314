#!/bin/sh
# update.sh - regenerate tests/cli/expected/ from tests/cli/GOLDEN with the
# plain binary; review the result with `git diff tests/cli/expected`.
set -u
cd "$(dirname "$0")/../.." || exit 3
BIN=${B:-build}/cyanprobe
export NO_COLOR=1 CYANPROBE_FAKE_TIME=1700000000
unset CYANPROBE_RULES
grep -v '^#' tests/cli/GOLDEN | while read -r name file args; do
	[ -n "$name" ] || continue
	# shellcheck disable=SC2086
	"$BIN" explain --rules rules $args >"tests/cli/expected/$file"
	echo "updated $file"
done
# The diagnose goldens (text, Markdown, JUnit, JSON of whole runs in the
# lab of tests/lab/lib.sh, DHCP included; needs root).
tests/cli/diag_golden.sh "$BIN" tests/cli/expected &&
    echo "updated diagnose-*"
