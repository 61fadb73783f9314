#!/bin/sh
# update.sh - regenerate tests/golden/expected/ (the `make golden-update` of
# this project): run every TESTLIST case through ${B:-build}/cyanprobe and
# write the filtered JSON, rebuild oui.txt as the slice of Debian's
# ieee-data that the cases need, and list the reason/status code names.
# Review the result with `git diff tests/golden` before committing: a
# golden file is only as right as the person who read it.
set -eu
cd "$(dirname "$0")/../.."
G=tests/golden
B=${B:-build}
CAPS=${CYANPROBE_CAPTURES:-../shared/captures}
REGISTRY=${REGISTRY:-/usr/share/ieee-data/oui.txt}
tmp=$(mktemp -d /tmp/golden-update.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ ! -f "$CAPS/MANIFEST.md" ]; then
	echo "update: no captures at $CAPS" >&2
	exit 2
fi
"$B/helpers/framegen" -a "$tmp"
export CYANPROBE_FAKE_TIME=0 CYANPROBE_RULES=rules NO_COLOR=1

resolve() {
	case "$1" in
	synthetic:*) echo "$tmp/synthetic-${1#synthetic:}.pcap" ;;
	*) echo "$CAPS/$1" ;;
	esac
}

# Pass 1, with the whole registry: which OUIs do the reports name?
: >"$tmp/macs"
while read -r name input expected opts; do
	case "$name" in ''|'#'*) continue ;; esac
	# shellcheck disable=SC2086
	CYANPROBE_OUI=$REGISTRY "$B/cyanprobe" analyze --json ${opts#@file} \
	    - <"$(resolve "$input")" 2>/dev/null |
	    grep -o -E '[0-9a-f]{2}(:[0-9a-f]{2}){5}' >>"$tmp/macs" || true
done <$G/TESTLIST
{
	echo "# oui.txt - the slice of Debian's ieee-data oui.txt (MA-L)"
	echo "# that the golden tests name, so their vendor fields do not"
	echo "# move with the registry.  Written by tests/golden/update.sh."
	tr 'a-f' 'A-F' <"$tmp/macs" | cut -c1-8 | tr -d ':' | sort -u |
	while read -r p; do
		grep -E "^$p +\(base 16\)" "$REGISTRY" || true
	done
} >$G/oui.txt

# Pass 2, with the slice: the expected reports.
export CYANPROBE_OUI=$G/oui.txt
mkdir -p $G/expected
while read -r name input expected opts; do
	case "$name" in ''|'#'*) continue ;; esac
	in=$(resolve "$input")
	case "$opts" in
	@file*)
		# shellcheck disable=SC2086
		"$B/cyanprobe" analyze --json ${opts#@file} "$in" 2>/dev/null |
		    sed "s|$in|(file)|g" ;;
	*)
		# shellcheck disable=SC2086
		"$B/cyanprobe" analyze --json $opts - <"$in" 2>/dev/null ;;
	esac | python3 $G/golden.py filter >"$G/expected/$expected" || true
	echo "updated expected/$expected"
done <$G/TESTLIST

# The reason and status names, one line per capture.
dir="$CAPS/tcpdump/wifi_reason_status_codes"
mkdir -p "$tmp/codes"
for kind in reason status; do
	n=0
	while [ -f "$dir/${kind}_code-$n.pcap" ]; do
		"$B/cyanprobe" analyze --json - <"$dir/${kind}_code-$n.pcap" \
		    >"$tmp/codes/$kind-$n.json" 2>/dev/null || true
		n=$((n + 1))
	done
done
python3 $G/golden.py codes "$tmp/codes" >$G/expected/codes.txt
echo "updated expected/codes.txt ($(wc -l <$G/expected/codes.txt) codes)"
