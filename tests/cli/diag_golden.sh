#!/bin/sh
# diag_golden.sh - golden outputs of `cyanprobe diagnose`: the text report,
# the forum Markdown, the JUnit XML and the JSON of whole live runs (issue
# 12).
#
#   diag_golden.sh BIN OUTDIR
#
# writes OUTDIR/diagnose-NAME.{txt,md,xml,json} for each case below, with
# the times masked (a check's seconds, JUnit time="...", curl's "after N
# ms"; in the JSON durations, the random DNS probe name, the cloud's nonce
# and the interface's addresses, by tests/cli/json_mask.py),
# so tests/cli/suite.sh can compare them with tests/cli/expected/ and
# tests/cli/update.sh can regenerate those.  Exit 0 when written, 77 when
# this machine cannot run them (not root, no unshare or dnsmasq), else 1.
#
# Every packet stays in a private network namespace (unshare -n) holding
# only its own loopback, with a default route through it so the link check
# has one: lab_serve answers the cloud (127.0.0.1:5683, the nonce), NTP
# (:123) and the connectivity check (:80, 204), and a dnsmasq with its
# shipped defaults (the lab's lab_dnsmasq options, tests/lab/lib.sh)
# answers pool.ntp.org and device.spark.io with 127.0.0.1 and every other
# name with NXDOMAIN.  DHCP is skipped (--no-dhcp): a DHCP server on
# loopback is not a network a device joins.
set -u
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
OUT=$2
case "$OUT" in /*) ;; *) OUT="$(pwd)/$OUT" ;; esac
cd "$(dirname "$SELF")/../.." || exit 1
B=$(dirname "$BIN")
[ -x "$B/helpers/lab_serve" ] || B=$(dirname "$B")	# asan/cyanprobe

if [ "${DIAG_GOLDEN_INSIDE:-}" != 1 ]; then
	if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null ||
	    ! command -v dnsmasq >/dev/null || ! command -v ip >/dev/null; then
		echo "needs root, unshare, ip and dnsmasq"
		exit 77
	fi
	mkdir -p "$OUT" || exit 1
	DIAG_GOLDEN_INSIDE=1 exec unshare -n "$SELF" "$BIN" "$OUT"
fi

run=$(mktemp -d /tmp/diag_golden.XXXXXX) || exit 1
cleanup() {
	for p in "$run"/*.pid; do
		[ -s "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	rm -rf "$run"
}
trap cleanup EXIT INT TERM

ip link set lo up || exit 1
ip route add default dev lo || exit 1
"$B/helpers/lab_serve" -p "$run/serve.pid" cloud:127.0.0.1:5683 \
    ntp:127.0.0.1:123 http204:127.0.0.1:80 >"$run/serve.log" 2>&1 &
dnsmasq --conf-file=/dev/null --no-hosts --no-resolv --user=root \
    --group=root --bind-interfaces --listen-address=127.0.0.1 \
    --pid-file="$run/dns.pid" --log-facility="$run/dns.log" --local=/#/ \
    --host-record=pool.ntp.org,127.0.0.1 \
    --host-record=device.spark.io,127.0.0.1 || exit 1
i=0
while { [ ! -s "$run/serve.pid" ] || [ ! -s "$run/dns.pid" ]; } &&
    [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$run/serve.pid" ] || { cat "$run/serve.log"; exit 1; }

# Wide lines: a time in the middle of a sentence ("refused after 0 ms")
# must not move where the text wraps.  Wrapping has its own pty tests.
export NO_COLOR=1 CYANPROBE_FAKE_TIME=1700000000 CYANPROBE_RULES=rules
export COLUMNS=200
mask() {
	sed -E 's/[0-9]+\.[0-9]+( ?)s\b/N.N\1s/g; s/time="[0-9.]+"/time="T"/g;
	    s/\b[0-9]+ ms\b/N ms/g' "$1" >"$2"
}

# case NAME ARGS...: one diagnose, its three outputs.
case_run() {
	name=$1
	shift
	# A generous --timeout: every check here ends on its answer (or the
	# refusal) at once, so the limit costs nothing at rest, while on a
	# loaded machine a 1 s limit turned a slow answer into a failed check
	# and a different report.
	"$BIN" diagnose --iface lo --no-dhcp --dns 127.0.0.1 \
	    --portal-url http://127.0.0.1/ --timeout 10 \
	    --markdown="$run/$name.md" --junit="$run/$name.xml" \
	    --json="$run/$name.json" "$@" \
	    >"$run/$name.txt" 2>"$run/$name.err"
	echo "$name exit $?" >>"$run/status"
	for ext in txt md xml; do
		mask "$run/$name.$ext" "$OUT/diagnose-$name.$ext"
	done
	python3 tests/cli/json_mask.py "$run/$name.json" \
	    "$OUT/diagnose-$name.json" 2>>"$run/status" ||
	    echo "$name: JSON not written or not JSON" >>"$run/status"
}

: >"$run/status"
# Every check passes but DHCP is not observed: inconclusive (exit 4).
case_run inconclusive --cloud 127.0.0.1:5683
# Nothing listens on the cloud port: refused, 3 orange blinks (exit 1).
# The user's forum fields go the whole diagnose path into every output
# (the inconclusive case above has none: its text names them as not given).
case_run cloud-refused --firmware 1.5.2 --cloud 127.0.0.1:5684 \
    --internet-test 127.0.0.1:80 --router "Linksys WRT54G v2" \
    --isp "Example Cable" --environment home
cat "$run/status"
