#!/bin/sh
# analyze.sh - benchmark `cyanprobe analyze --json` (issue 3) on a capture
# of at least a million real 802.11 frames, made by concatenating the
# radiotap captures of ../shared/captures with mergecap again and again, and
# compare it in the same run with
#   tshark -r F -T fields -e wlan.bssid -e wlan.ssid \
#       -e wlan.ds.current_channel -e wlan.rsn.akms.type
# and with a bare libpcap read loop (tests/helpers/pcapfloor.c, the floor).
# Prints packets per second (best of three runs for cyanprobe and the floor,
# one for tshark) and peak RSS for each, the ratios, the targets
# (>= 20x tshark's throughput, <= 1/10 of its memory, within 3x the floor),
# and peak RSS at 100k vs 1M packets to show memory stays flat.
#
#   tests/bench/analyze.sh [PACKETS]      (default 1000000)
#
# Exit 0 when every target is met, 1 when one is missed, 2/3 when it
# cannot run.  Files live in a temporary folder, removed on exit.
set -u
cd "$(dirname "$0")/../.." || exit 3
B=${B:-build}
CAPS=${CYANPROBE_CAPTURES:-../shared/captures}
WANT=${1:-1000000}
export CYANPROBE_RULES=${CYANPROBE_RULES:-rules}

for f in "$B/cyanprobe" "$B/helpers/pcapfloor"; do
	if [ ! -x "$f" ]; then
		echo "bench: $f is not built (make B=$B tests)" >&2
		exit 3
	fi
done
for t in mergecap editcap capinfos tshark /usr/bin/time; do
	command -v "$t" >/dev/null 2>&1 ||
	    { echo "bench: $t is missing (tools/deps.sh)" >&2; exit 3; }
done
[ -f "$CAPS/MANIFEST.md" ] ||
    { echo "bench: captures folder $CAPS is missing" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/cyanprobe-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

# One link type only (radiotap, 127), so the result stays a pcap file that
# every reader takes: the tcpdump 802.11 captures that are not malformed,
# and the 175 reason/status captures (deauthentications, authentications).
set -- "$CAPS"/tcpdump/ieee802.11_exthdr.pcap \
    "$CAPS"/tcpdump/ieee802.11_meshid.pcap \
    "$CAPS"/tcpdump/ieee802.11_rx-stbc.pcap \
    "$CAPS"/tcpdump/ieee802.11_htc.pcap \
    "$CAPS"/tcpdump/wifi_reason_status_codes/*.pcap
mergecap -F pcap -a -w "$T/base.pcap" "$@" || exit 3

count() {
	capinfos -M -c -T "$1" | awk -F'\t' 'NR == 2 { print $2 }'
}

n=$(count "$T/base.pcap")
cp "$T/base.pcap" "$T/big.pcap"
while [ "$n" -lt "$WANT" ]; do
	mergecap -F pcap -a -w "$T/next.pcap" "$T/big.pcap" "$T/big.pcap" ||
	    exit 3
	mv "$T/next.pcap" "$T/big.pcap"
	n=$((n * 2))
done
editcap -r "$T/big.pcap" "$T/small.pcap" 1-$((WANT / 10)) || exit 3
total=$(count "$T/big.pcap")
small=$(count "$T/small.pcap")
size=$(du -m "$T/big.pcap" | cut -f1)
echo "input: $total packets ($size MB) from $# real radiotap captures;" \
    "$small-packet prefix for the memory check"

# measure NAME CMD...: wall seconds and peak RSS (KB) into $secs and $rss.
measure() {
	t0=$(date +%s%N)
	/usr/bin/time -f '%e %M' -o "$T/time" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	t1=$(date +%s%N)
	if [ "$rc" -gt 1 ]; then
		echo "bench: $* failed (exit $rc):" >&2
		head -n 5 "$T/err" >&2
		exit 3
	fi
	# Wall time from the nanosecond clock (time's %e has 10 ms steps);
	# peak RSS from GNU time, which may put an exit-status line first.
	secs=$(awk -v a="$t0" -v b="$t1" \
	    'BEGIN { printf "%.4f", (b - a) / 1e9 }')
	rss=$(tail -n 1 "$T/time" | awk '{ print $2 }')
}

# best3 CMD...: the fastest of three runs (the machine is shared), and the
# largest peak RSS seen, into $best and $bigrss.
best3() {
	best="" bigrss=0
	for run in 1 2 3; do
		measure "$@"
		if [ -z "$best" ] || awk -v a="$secs" -v b="$best" \
		    'BEGIN { exit !(a < b) }'; then
			best=$secs
		fi
		[ "$rss" -gt "$bigrss" ] && bigrss=$rss
	done
}

best3 "$B/helpers/pcapfloor" "$T/big.pcap"
floor_s=$best floor_rss=$bigrss
best3 "$B/cyanprobe" analyze --json "$T/big.pcap"
cp_s=$best cp_rss=$bigrss
nets=$(grep -c '"bss_count"' "$T/out")
measure "$B/cyanprobe" analyze --json "$T/small.pcap"
cp_small_rss=$rss
measure tshark -r "$T/big.pcap" -T fields -e wlan.bssid -e wlan.ssid \
    -e wlan.ds.current_channel -e wlan.rsn.akms.type
ts_s=$secs ts_rss=$rss

awk -v n="$total" -v fs="$floor_s" -v frss="$floor_rss" -v cs="$cp_s" \
    -v crss="$cp_rss" -v csm="$cp_small_rss" -v ts="$ts_s" \
    -v trss="$ts_rss" -v small="$small" -v nets="$nets" '
function rate(s) { return s > 0 ? n / s : n / 0.01 }
function max(a, b) { return a > b ? a : b }
BEGIN {
	printf "%-28s %10s %14s %12s\n", "", "seconds", "packets/s", "peak RSS"
	printf "%-28s %10.3f %14.0f %9.1f MB\n", "libpcap read loop (floor)",
	    fs, rate(fs), frss / 1024
	printf "%-28s %10.3f %14.0f %9.1f MB\n", "cyanprobe analyze --json",
	    cs, rate(cs), crss / 1024
	printf "%-28s %10.3f %14.0f %9.1f MB\n", "tshark -T fields", ts,
	    rate(ts), trss / 1024
	printf "(cyanprobe reported %d networks)\n\n", nets
	r_speed = rate(cs) / rate(ts)
	r_mem = crss / trss
	r_floor = max(cs, 0.001) / max(fs, 0.001)
	r_flat = crss / csm
	ok = 1
	printf "throughput vs tshark: %6.1fx   target >= 20x     %s\n", r_speed,
	    (r_speed >= 20 ? "met" : "MISSED")
	if (r_speed < 20) ok = 0
	printf "memory vs tshark:     %6.3f    target <= 0.100   %s\n", r_mem,
	    (r_mem <= 0.1 ? "met" : "MISSED")
	if (r_mem > 0.1) ok = 0
	printf "time vs floor:        %6.2fx   target <= 3x      %s\n", r_floor,
	    (r_floor <= 3 ? "met" : "MISSED")
	if (r_floor > 3) ok = 0
	printf "RSS at %d vs %d packets: %.1f MB vs %.1f MB (x%.2f)   %s\n",
	    small, n, csm / 1024, crss / 1024, r_flat,
	    (r_flat <= 1.10 ? "flat" : "GROWS")
	if (r_flat > 1.10) ok = 0
	exit ok ? 0 : 1
}'
