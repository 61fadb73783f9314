#!/bin/sh
# suite.sh - the emulated routers of tests/lab/lib.sh (lab_routers) and the
# router tests of `cyanprobe qa test` against them.  Each router is first
# checked with plain tools for the one fault it emulates (and its twin for
# the absence of it), so that a test that finds nothing cannot hide a lab
# that lost its fault.
#
# Needs root and `ip netns`; otherwise it prints one SKIP line saying why.
set -u
cd "$(dirname "$0")/../.." || exit 3
B=${B:-build}
pass=0
fail=0
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/cyanqat.XXXXXX") || exit 3

. tests/lab/lib.sh
LAB_CLOUD_IMPL=stub

cleanup() {
	lab_down
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'exit 129' HUP
trap '' PIPE

ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $*"; }

why=$(lab_can_run)
if [ $? -ne 0 ]; then
	echo "SKIP lab: $why"
	echo "# $pass passed, $fail failed"
	exit 0
fi

# scenario NAME: a fresh lab, or a FAIL and no runs.
scenario() {
	lab_down
	if lab_up "$1" >"$TMPD/lab.log" 2>&1; then
		return 0
	fi
	no "$1: the lab did not come up: $(tail -n 5 "$TMPD/lab.log")"
	return 1
}

# tcp_from NS ADDR PORT: "open", "refused" or "dropped" (2 s).
tcp_from() {
	out=$(ip netns exec "$1" timeout 2 bash -c \
	    "echo > /dev/tcp/$2/$3" 2>&1)
	case $?:$out in
	0:*) echo open ;;
	*refused*) echo refused ;;
	*) echo dropped ;;
	esac
}

# expect WHAT GOT WANT
expect() {
	if [ "$2" = "$3" ]; then ok; else no "$LAB_SCENARIO: $1: $2, want $3"; fi
}

# --- every emulated router has its fault, and its twin has not -------------
for r in $(lab_routers | awk '{ print $1 }'); do
	scenario "$r" || continue
	case $r in
	healthy)
		expect "cloud port" "$(tcp_from "$LAB_NS_CLIENT" \
		    "$LAB_CLOUD_ADDR" 5683)" open
		expect "private answer passed on" "$(lab_exec_client getent \
		    hosts "$LAB_PRIVATE_NAME" | awk '{ print $1 }')" \
		    "$LAB_PRIVATE_ADDR" ;;
	openwrt_rebind)
		expect "private answer dropped" "$(lab_exec_client getent \
		    hosts "$LAB_PRIVATE_NAME" | awk '{ print $1 }')" ""
		expect "public answer" "$(lab_exec_client getent hosts \
		    cloud.cyanlab.test | awk '{ print $1 }')" "$LAB_CLOUD_ADDR"
		;;
	strict_firewall)
		expect "cloud port" "$(tcp_from "$LAB_NS_CLIENT" \
		    "$LAB_CLOUD_ADDR" 5683)" dropped
		expect "web port" "$(tcp_from "$LAB_NS_CLIENT" \
		    "$LAB_CHECK_ADDR" 80)" open ;;
	double_nat)
		expect "cloud port" "$(tcp_from "$LAB_NS_CLIENT" \
		    "$LAB_CLOUD_ADDR" 5683)" open
		expect "router WAN" "$(ip -n "$LAB_NS_ROUTER" -4 -o addr show \
		    dev wan0 | awk '{ print $4 }')" 100.64.0.2/24 ;;
	short_nat)
		expect "udp policy" "$(lab_exec_router nft list ruleset |
		    grep -c 'unreplied : 8')" 1
		expect "cloud port" "$(tcp_from "$LAB_NS_CLIENT" \
		    "$LAB_CLOUD_ADDR" 5683)" open ;;
	silent_nat)
		expect "pick-up" "$(lab_exec_router sysctl -n \
		    net.netfilter.nf_conntrack_tcp_loose)" 0 ;;
	isolated)
		expect "peer to client" "$(tcp_from "$LAB_NS_PEER" \
		    "$LAB_CLIENT_ADDR" 9)" dropped
		expect "peer to router" "$(tcp_from "$LAB_NS_PEER" \
		    "$LAB_ROUTER_ADDR" 9)" refused ;;
	lan_peer)
		expect "peer to client" "$(tcp_from "$LAB_NS_PEER" \
		    "$LAB_CLIENT_ADDR" 9)" refused ;;
	dhcp_forget|short_lease)
		lab_router_restart >"$TMPD/restart.log" 2>&1
		expect "restart" "$?:$(cat "$TMPD/restart.log")" "0:"
		if [ "$r" = dhcp_forget ]; then
			expect "setting" "$(lab_router_setting lease)" 3600
		else
			expect "setting" "$(lab_router_setting lease)" 120
		fi ;;
	portal)
		expect "cloud port" "$(tcp_from "$LAB_NS_CLIENT" \
		    "$LAB_CLOUD_ADDR" 5683)" dropped ;;
	*)
		no "$r: no check for this emulated router" ;;
	esac
	twin=$(lab_routers | awk -v r="$r" '$1 == r { print $2 }')
	case " $(lab_routers | awk '{ print $1 }' | tr '\n' ' ') " in
	*" $twin "*) ok ;;
	*) no "$r: its twin '$twin' is not an emulated router" ;;
	esac
done

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
