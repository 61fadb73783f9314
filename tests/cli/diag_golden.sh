#!/bin/sh
# diag_golden.sh - golden outputs of `cyanprobe diagnose`: the text report,
# the forum Markdown, the JUnit XML and the JSON of whole live runs, DHCP
# included (issue 12).
#
#   diag_golden.sh BIN OUTDIR
#
# writes OUTDIR/diagnose-NAME.{txt,md,xml,json} for each case below, with
# what changes from run to run masked: the times (a check's seconds, JUnit
# time="...", "after N ms"; in the JSON every duration, the random DNS
# probe name, the cloud's nonce and the DHCP transaction id, by
# tests/cli/json_mask.py), so
# tests/cli/suite.sh can compare them with tests/cli/expected/ and
# tests/cli/update.sh can regenerate those.  Exit 0 when written, 77 when
# this machine cannot build the lab (not root, no ip, nft, dnsmasq or
# busybox),
# else 1.
#
# The runs go into the lab of tests/lab/lib.sh, in network namespaces this
# script makes (prefix cdg<pid>) and removes on exit, even on failure: the
# probe sits in the client namespace behind the router's namespace, whose
# stock dnsmasq (the Debian package's defaults) hands out the address and
# answers DNS; the upstream namespace holds the public DNS, NTP, the
# connectivity check and the cloud (lab_serve's stand-in, whose 40-byte
# nonce is random and masked).  Every address in the lab is fixed, and so
# are the MAC addresses the reports name: the client's eth0 and the
# router's bridge, set here.  The client holds a lease already (busybox
# udhcpc took it for eth0's MAC, as a device that joined before has one),
# and each diagnose asks with that MAC (--dhcp-mac): stock dnsmasq offers
# a client its leased address at once, with no ping check first, so the
# offer, the number of DISCOVERs and the findings do not depend on how
# long a ping check takes on a loaded machine (a fresh client's offer
# waits 2 to 3 s for dnsmasq's ping, against the probe's first resend at
# 3 to 5 s).  The DHCP transaction id is random and masked.
set -u
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
OUT=$2
case "$OUT" in /*) ;; *) OUT="$(pwd)/$OUT" ;; esac
cd "$(dirname "$SELF")/../.." || exit 1
B=$(dirname "$BIN")
[ -x "$B/helpers/lab_serve" ] || B=$(dirname "$B")	# asan/cyanprobe

# lib.sh's servers come from the plain build beside BIN.
LAB_B=$B
LAB_PREFIX=cdg$$
LAB_CLOUD_IMPL=stub
LAB_DHCP_IMPL=dnsmasq
. tests/lab/lib.sh
LAB_B=$B
if ! why=$(lab_can_run); then
	echo "$why"
	exit 77
fi
mkdir -p "$OUT" || exit 1
run=$(mktemp -d /tmp/diag_golden.XXXXXX) || exit 1
cleanup() {
	lab_down
	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

if ! command -v busybox >/dev/null; then
	echo "needs busybox (udhcpc; run tools/deps.sh)"
	exit 77
fi
DHCP_MAC=02:c7:a0:00:00:0a	# the client's eth0, which holds the lease
if ! lab_up healthy >"$run/lab.log" 2>&1 ||
    ! ip -n "$LAB_NS_CLIENT" link set eth0 address "$DHCP_MAC" ||
    ! ip -n "$LAB_NS_ROUTER" link set br0 address 02:c7:a0:00:00:01; then
	echo "the lab did not come up: $(tail -n 5 "$run/lab.log")"
	exit 1
fi
# The lease (-C: no client identifier, so dnsmasq knows the client by its
# MAC, as it knows the probe's DISCOVER; the script does nothing, so eth0
# keeps the lab's fixed address).
if ! lab_exec_client busybox udhcpc -i eth0 -n -q -C -t 6 -s /bin/true \
    >>"$run/lab.log" 2>&1; then
	echo "the client got no lease: $(tail -n 5 "$run/lab.log")"
	exit 1
fi

# Wide lines: a time in the middle of a sentence ("refused after 0 ms")
# must not move where the text wraps.  Wrapping has its own pty tests.
export NO_COLOR=1 CYANPROBE_FAKE_TIME=1700000000 CYANPROBE_RULES=rules
export COLUMNS=200
mask() {
	sed -E 's/[0-9]+\.[0-9]+( ?)s\b/N.N\1s/g; s/time="[0-9.]+"/time="T"/g;
	    s/\b[0-9]+ ms\b/N ms/g' "$1" >"$2"
}

# case_run NAME ARGS...: one diagnose in the lab's client namespace, its
# four outputs.
case_run() {
	dg_name=$1
	shift
	# A generous --timeout: every check here ends on its answer (or the
	# refusal) at once, so the limit costs nothing at rest, while on a
	# loaded machine a 1 s limit turned a slow answer into a failed check
	# and a different report.
	# shellcheck disable=SC2046
	lab_exec_client "$BIN" diagnose $(lab_diagnose_flags) \
	    --dhcp-mac "$DHCP_MAC" --timeout 10 \
	    --markdown="$run/$dg_name.md" --junit="$run/$dg_name.xml" \
	    --json="$run/$dg_name.json" "$@" \
	    >"$run/$dg_name.txt" 2>"$run/$dg_name.err"
	echo "$dg_name exit $?" >>"$run/status"
	for ext in txt md xml; do
		mask "$run/$dg_name.$ext" "$OUT/diagnose-$dg_name.$ext"
	done
	python3 tests/cli/json_mask.py "$run/$dg_name.json" \
	    "$OUT/diagnose-$dg_name.json" 2>>"$run/status" ||
	    echo "$dg_name: JSON not written or not JSON" >>"$run/status"
}

: >"$run/status"
# Every check passes, DHCP included: connected (exit 0); one server
# answered (dhcp.one_server_seen, info).
case_run healthy
# DHCP skipped on request: not observed, so inconclusive (exit 4).
case_run inconclusive --no-dhcp
# Nothing listens on the cloud port (the upstream refuses it): 3 orange
# blinks (exit 1).  The user's forum fields go the whole diagnose path into
# every output (the others have none: their text names them as not given).
case_run cloud-refused --firmware 1.5.2 --cloud "$LAB_CLOUD_ADDR:5684" \
    --router "Linksys WRT54G v2" --isp "Example Cable" --environment home
cat "$run/status"
