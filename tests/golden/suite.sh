#!/bin/sh
# suite.sh - golden tests of `cyanprobe analyze` (tests/golden/TESTLIST).
#
# Every case runs through ${B:-build}/cyanprobe and ${B:-build}/asan/cyanprobe
# (when built): the exit status must be 0, 1 or 4 (inconclusive), stderr must hold no sanitizer
# report, and golden.py then checks the reports: the filtered JSON must equal
# expected/NAME.json and the hand-written assertions of ASSERTS must hold.
# All 175 tcpdump reason/status captures must decode to their code's name
# (expected/codes.txt).  Cases on ../shared/captures are skipped when that
# folder is missing.  Output is deterministic: CYANPROBE_FAKE_TIME fixes
# generated_at, CYANPROBE_OUI points at tests/golden/oui.txt (a slice of
# ieee-data), and captures are read from stdin so no path appears.
set -u
cd "$(dirname "$0")/../.." || exit 3
G=tests/golden
B=${B:-build}
CAPS=${CYANPROBE_CAPTURES:-../shared/captures}
tmp=$(mktemp -d /tmp/golden.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

export CYANPROBE_FAKE_TIME=0 CYANPROBE_OUI=$G/oui.txt CYANPROBE_RULES=rules
export NO_COLOR=1
pass=0 fail=0

bad() {
	echo "FAIL $*"
	fail=$((fail + 1))
}

mkdir -p "$tmp/syn" "$tmp/run"
if ! "$B/helpers/framegen" -a "$tmp/syn" >"$tmp/framegen.err" 2>&1; then
	bad "framegen: $(head -n 3 "$tmp/framegen.err")"
fi
have_caps=1
if [ ! -f "$CAPS/MANIFEST.md" ]; then
	echo "SKIP golden: captures folder $CAPS is missing;" \
	    "synthetic cases only"
	have_caps=0
fi

bins="$B/cyanprobe"
[ -x "$B/asan/cyanprobe" ] && bins="$bins $B/asan/cyanprobe"

# run_case BIN TAG NAME INPUT EXPECTED OPTIONS...: run one, keep the report.
run_case() {
	bin=$1 tag=$2 name=$3 input=$4 expected=$5
	shift 5
	out="$tmp/run/$name.$tag"
	if [ "${1:-}" = "@file" ]; then
		# By name, not stdin (pcapng with several link types is
		# read again by name); the name becomes "(file)".
		shift
		"$bin" analyze --json "$@" "$input" >"$out.raw" 2>"$out.err"
		rc=$?
		sed "s|$input|(file)|g" "$out.raw" >"$out.json"
	else
		"$bin" analyze --json "$@" - <"$input" >"$out.json" \
		    2>"$out.err"
		rc=$?
	fi
	echo "$rc" >"$out.rc"
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] && [ "$rc" -ne 4 ]; then
		bad "$name ($tag): exit status $rc: $(head -n 3 "$out.err")"
		return
	fi
	if grep -q -E 'AddressSanitizer|runtime error|LeakSanitizer' \
	    "$out.err"; then
		bad "$name ($tag): sanitizer report:"
		head -n 20 "$out.err"
		return
	fi
	echo "$name $expected $tag" >>"$tmp/run/cases"
}

: >"$tmp/run/cases"
while read -r name input expected opts; do
	case "$name" in ''|'#'*) continue ;; esac
	case "$input" in
	synthetic:*)
		file="$tmp/syn/synthetic-${input#synthetic:}.pcap"
		;;
	*)
		[ "$have_caps" -eq 0 ] && continue
		file="$CAPS/$input"
		;;
	esac
	if [ ! -f "$file" ]; then
		bad "$name: input $input is missing"
		continue
	fi
	for bin in $bins; do
		tag=$(basename "$(dirname "$bin")")
		# shellcheck disable=SC2086
		run_case "$bin" "$tag" "$name" "$file" "$expected" $opts
	done
done <$G/TESTLIST

# Every reason and status code by name (plain build: 175 runs).
if [ "$have_caps" -eq 1 ]; then
	dir="$CAPS/tcpdump/wifi_reason_status_codes"
	mkdir -p "$tmp/run/codes"
	for kind in reason status; do
		n=0
		while [ -f "$dir/${kind}_code-$n.pcap" ]; do
			"$B/cyanprobe" analyze --json - \
			    <"$dir/${kind}_code-$n.pcap" \
			    >"$tmp/run/codes/$kind-$n.json" 2>/dev/null
			n=$((n + 1))
		done
	done
fi

python3 $G/golden.py verify "$tmp/run" $G >"$tmp/verify.txt" 2>&1
grep -v '^verify ' "$tmp/verify.txt"
v=$(sed -n 's/^verify \([0-9]*\) \([0-9]*\)$/\1 \2/p' "$tmp/verify.txt")
if [ -z "$v" ]; then
	bad "golden.py verify did not finish"
else
	pass=$((pass + ${v% *}))
	fail=$((fail + ${v#* }))
fi

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
