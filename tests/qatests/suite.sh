#!/bin/sh
# suite.sh - the emulated routers of tests/lab/lib.sh (lab_routers) and the
# router tests of `cyanprobe qa test` against them.  Each router is checked
# with plain tools for the one fault it emulates (and its twin for the
# absence of it), so that a test that finds nothing cannot hide a lab that
# lost its fault.  Then every test runs against a router with the fault and
# one without, and the measured figures are held against the ones the lab's
# router was built with (lab_router_setting).  The labs compress time
# (conntrack timeouts of seconds); independent labs run at once, each with
# its own prefix, so the suite takes about as long as its slowest job.
#
# Needs root and `ip netns`; otherwise it prints one SKIP line saying why.
# The option checks at the top need neither.
set -u
cd "$(dirname "$0")/../.." || exit 3
B=${B:-build}
BIN=${CYANPROBE_BIN:-$B/cyanprobe}	# e.g. the ASan build
RULES=$PWD/rules
HOOK=$PWD/tests/lab/hook.sh
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/cyanqat.XXXXXX") || exit 3

. tests/lab/lib.sh
LAB_CLOUD_IMPL=stub
JOBS=""

cleanup() {
	for p in $JOBS; do
		kill "$p" 2>/dev/null
	done
	wait
	lab_down
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'exit 129' HUP
trap '' PIPE

# Every check prints one line, "ok ..." or "FAIL ...", counted at the end.
ok() { echo "ok $*"; }
no() { echo "FAIL $*"; }

# --- options: no lab needed -------------------------------------------------
# usage_error NAME WORD ARGS...: exit 2 and a "cyanprobe:" line with WORD.
usage_error() {
	name=$1 word=$2
	shift 2
	"$BIN" qa test --rules "$RULES" "$@" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q "^cyanprobe: .*$word" "$TMPD/err"; then
		ok "options/$name"
	else
		no "options/$name: exit $rc, stderr: $(head -c 200 "$TMPD/err")"
	fi
}
options() {
	usage_error unknown "unknown test 'nat'" nat
	usage_error none "name one test"
	usage_error max "--max: 'soon'" nat-lifetime --responder 1.2.3.4 \
	    --max soon
	usage_error max0 "--max: '0'" nat-lifetime --responder 1.2.3.4 --max 0
	usage_error responder "needs --responder" nat-lifetime
	usage_error responder6 "--responder: 'x' is not an IPv4" \
	    wan-recovery --responder x
	usage_error hooks "needs --down-cmd" wan-recovery --responder 1.2.3.4
	usage_error target "needs --target" isolation
	usage_error name "needs --name" rebind --dns 127.0.0.1
	usage_error mac "--mac: '01:00:5e:00:00:01'" dhcp-time \
	    --mac 01:00:5e:00:00:01
	usage_error cell "--cell: 'a/b/c/d' is not" rebind --name x \
	    --cell a/b/c/d
	usage_error cell-id "--cell: 'r 1' is not" rebind --name x --cell 'r 1'
	usage_error keepalive "--keepalive: '15s,0'" nat-lifetime \
	    --responder 1.2.3.4 --keepalive 15s,0
	usage_error tiny "leaves no idle time" nat-lifetime \
	    --responder 1.2.3.4 --max 5
	if "$BIN" qa test --help | grep -q -- '--responder' &&
	    "$BIN" qa responder --help | grep -q -- '--listen'; then
		ok "options/help"
	else
		no "options/help: --help lacks --responder or --listen"
	fi
	"$BIN" qa responder --mdns x >/dev/null 2>"$TMPD/err"
	if [ $? -eq 2 ] && grep -q "needs --listen" "$TMPD/err"; then
		ok "options/responder-mdns"
	else
		no "options/responder-mdns: $(head -c 200 "$TMPD/err")"
	fi
}

# tally: add up every job's lines and end the suite.
tally() {
	cat "$TMPD"/*.out 2>/dev/null | grep -E '^(FAIL|SKIP)'
	pass=$(cat "$TMPD"/*.out 2>/dev/null | grep -c '^ok ')
	fail=$(cat "$TMPD"/*.out 2>/dev/null | grep -c '^FAIL')
	echo "# $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

if [ ! -x "$BIN" ]; then
	no "options: $BIN is missing (make B=$B tests)" >"$TMPD/options.out"
	tally
fi
options >"$TMPD/options.out"

why=$(lab_can_run)
if [ $? -ne 0 ]; then
	echo "SKIP lab: $why"
	tally
fi

# --- jobs: each in a lab of its own ------------------------------------------
n=0
# job NAME SCENARIO FUNC [IMPL]: run FUNC in a fresh lab of SCENARIO with
# the responder on its WAN side, its DHCP server IMPL (LAB_DHCP_IMPL,
# default dnsmasq), in the background; its lines go to NAME.out.
# QATESTS_ONLY="NAME ..." runs only those jobs (while working on them).
job() {
	case " ${QATESTS_ONLY:-$1} " in *" $1 "*) ;; *) return ;; esac
	n=$((n + 1))
	(
		LAB_PREFIX="cq$$j$n"
		LAB_DHCP_IMPL=${4:-dnsmasq}
		trap lab_down EXIT
		trap 'exit 130' INT TERM
		if ! lab_up "$2" >"$TMPD/$1.lab" 2>&1 ||
		    ! lab_responder >>"$TMPD/$1.lab" 2>&1; then
			no "$1: the lab did not come up: $(tail -n 5 \
			    "$TMPD/$1.lab")"
			exit 1
		fi
		export LAB_PREFIX LAB_DIR LAB_SCENARIO LAB_DHCP_IMPL
		JOB=$1
		"$3"
	) >"$TMPD/$1.out" 2>&1 &
	JOBS="$JOBS $!"
}

# qa NS TEST ARGS...: `cyanprobe qa test` in namespace NS, the report in
# $TMPD/$JOB.json and the exit status in $rc.
qa() {
	ns=$1
	shift
	ip netns exec "$ns" "$BIN" qa test --rules "$RULES" "$@" \
	    --json="$TMPD/$JOB.json" 2>"$TMPD/$JOB.err"
	rc=$?
}

# check NAME EXPECTATION...: the last report against tests/lab/expect.py,
# and nothing on stderr (no progress on a non-TTY).
check() {
	name=$1
	shift
	python3 tests/lab/expect.py "$name" "$TMPD/$JOB.json" "$rc" "$@"
	if [ -s "$TMPD/$JOB.err" ]; then
		no "$name: stderr: $(head -c 200 "$TMPD/$JOB.err")"
	fi
}

# tty_start NS ARGS...: `cyanprobe qa test ARGS...` in namespace NS on a
# terminal (script(1)), in the background, as a user at a console runs it:
# what it shows goes to $TMPD/$JOB.tty, its pid (the test itself: sh and
# ip netns exec both exec it) to $TMPD/$JOB.pid, the report to
# $TMPD/$JOB.json.  tty_wait waits for its screen to show a pattern,
# tty_stop presses Ctrl-C (SIGINT to the test) and sets $rc.
tty_start() {
	ns=$1
	shift
	rm -f "$TMPD/$JOB.pid" "$TMPD/$JOB.tty" "$TMPD/$JOB.json"
	: >"$TMPD/$JOB.err"
	{
		echo "echo \$\$ >'$TMPD/$JOB.pid'"
		printf "exec ip netns exec '%s' '%s' qa test --rules '%s'" \
		    "$ns" "$BIN" "$RULES"
		for a in "$@"; do
			printf " '%s'" "$(printf '%s' "$a" |
			    sed "s/'/'\\\\''/g")"
		done
		echo " --json='$TMPD/$JOB.json'"
	} >"$TMPD/$JOB.sh"
	script -qfec "sh $TMPD/$JOB.sh" "$TMPD/$JOB.tty" >/dev/null 2>&1 &
	ttyp=$!
}

# tty_wait PATTERN: 0 once the screen shows PATTERN (grep -E), 1 after
# 150 s or when the test ended first.  The bound only catches a hang: in
# one run at a load average of 90, wan_partial's screen had not reached
# its outage line after the 60 s this was before.
tty_wait() {
	i=0
	while ! grep -Eq "$1" "$TMPD/$JOB.tty" 2>/dev/null; do
		if [ "$i" -ge 1500 ] || ! kill -0 "$ttyp" 2>/dev/null; then
			no "$JOB: the screen never showed '$1': $(tr '\r' '\n' \
			    <"$TMPD/$JOB.tty" 2>/dev/null | tail -n 3)"
			return 1
		fi
		i=$((i + 1))
		sleep 0.1
	done
	return 0
}

tty_stop() {
	i=0
	while [ ! -s "$TMPD/$JOB.pid" ] && [ "$i" -lt 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	kill -INT "$(cat "$TMPD/$JOB.pid")" 2>/dev/null
	wait "$ttyp"
	rc=$?
}

# tty_shows NAME PATTERN: one check that the screen showed PATTERN.
tty_shows() {
	if grep -Eq "$2" "$TMPD/$JOB.tty"; then
		ok "$1: progress with the time left"
	else
		no "$1: no '$2' on the terminal: $(tr '\r' '\n' \
		    <"$TMPD/$JOB.tty" | tail -n 3)"
	fi
}

R="--responder $LAB_RESPONDER_ADDR --grace 1"

# The short-NAT router: lifetimes as configured, within one step.
nat_short() {
	# shellcheck disable=SC2086
	qa "$LAB_NS_CLIENT" nat-lifetime $R --step 2 --max 24 \
	    --device photon --firmware 1.5.2
	check nat/short_nat rc=1 stage=connected led=cyan/blink/0 \
	    has=nat.tcp_short has=nat.udp_short not=nat.tcp_below_rfc \
	    fact=nat_lifetime.tcp5683.death=silent \
	    fact=nat_lifetime.tcp443.death=silent \
	    fact=nat_lifetime.tcp5683.port_changed=false \
	    fact=nat_lifetime.udp.port_changed=true has=nat.port_changed \
	    fact=nat_lifetime.tcp5683.vs_keepalive=shorter \
	    fact=nat_lifetime.udp.vs_rfc=shorter \
	    fact=nat_lifetime.keepalive.interval_s=15 \
	    fact=qa_test.completed=true fact=qa_test.partial=false
	for f in tcp5683 tcp443; do
		python3 tests/qatests/within.py nat/short_nat \
		    "$TMPD/$JOB.json" $f "$(lab_router_setting tcp_timeout)" 2
	done
	python3 tests/qatests/within.py nat/short_nat "$TMPD/$JOB.json" udp \
	    "$(lab_router_setting udp_timeout)" 2
}

# The same short timeouts, with the kernel's defaults for forgotten flows:
# TCP dies with a reset (the device learns at once; on short_nat it dies
# silently), and UDP, as on short_nat, speaks again on a new external port
# (a server that knows the device by address and port sees a new peer; on
# healthy nothing dies and no port changes).
nat_reset() {
	# shellcheck disable=SC2086
	qa "$LAB_NS_CLIENT" nat-lifetime $R --step 2 --max 24 \
	    --device photon --firmware 1.5.2
	check nat/reset_nat rc=1 stage=connected has=nat.tcp_short \
	    has=nat.udp_short has=nat.port_changed \
	    fact=nat_lifetime.tcp5683.death=reset \
	    fact=nat_lifetime.tcp443.death=reset \
	    fact=nat_lifetime.tcp5683.reset_while_idle=false \
	    fact=nat_lifetime.tcp5683.port_changed=false \
	    fact=nat_lifetime.udp.death=works \
	    fact=nat_lifetime.udp.port_changed=true \
	    fact=nat_lifetime.tcp5683.resolution_s=2 \
	    fact=nat_lifetime.udp.resolution_s=2 \
	    evidence=nat.port_changed=UDP
	for f in tcp5683 tcp443; do
		python3 tests/qatests/within.py nat/reset_nat \
		    "$TMPD/$JOB.json" $f "$(lab_router_setting tcp_timeout)" 2
	done
	python3 tests/qatests/within.py nat/reset_nat "$TMPD/$JOB.json" udp \
	    "$(lab_router_setting udp_timeout)" 2
}

# Linux defaults: every flow outlives the keep-alive; a Core too.
nat_healthy() {
	# shellcheck disable=SC2086
	qa "$LAB_NS_CLIENT" nat-lifetime $R --step 4 --max 24 --device core
	check nat/healthy rc=0 stage=connected led=cyan/breathe/0 only= \
	    "fact=nat_lifetime.tcp5683.lifetime=> 16 s" \
	    fact=nat_lifetime.tcp5683.vs_keepalive=longer \
	    fact=nat_lifetime.tcp443.flows[3].state=alive \
	    fact=nat_lifetime.udp.dead_s=None \
	    fact=nat_lifetime.tcp5683.port_changed=false \
	    fact=nat_lifetime.udp.port_changed=false not=nat.port_changed \
	    fact=nat_lifetime.keepalive.interval_s=15 \
	    fact=nat_lifetime.keepalives[0].interval_s=15 \
	    fact=nat_lifetime.keepalives[0].tcp5683=longer
}

# More keep-alive intervals: the default schedule gains a flow a second
# either side of each, and the 12 s TCP and 8 s UDP lifetimes are held
# against each (the finding still against the device's own 15 s).
nat_keepalives() {
	# shellcheck disable=SC2086
	qa "$LAB_NS_CLIENT" nat-lifetime $R --max 32 --keepalive 20s,10s \
	    --device photon --firmware 1.5.2
	check nat/short_nat+keepalives rc=1 has=nat.tcp_short \
	    "fact=nat_lifetime.schedule_s=[5, 9, 10, 11, 14, 16, 19, 20, 21]" \
	    fact=nat_lifetime.keepalives[0].interval_s=15 \
	    fact=nat_lifetime.keepalives[0].tcp5683=shorter \
	    fact=nat_lifetime.keepalives[1].interval_s=20 \
	    fact=nat_lifetime.keepalives[1].tcp5683=shorter \
	    fact=nat_lifetime.keepalives[1].source=--keepalive \
	    fact=nat_lifetime.keepalives[2].interval_s=10 \
	    fact=nat_lifetime.keepalives[2].tcp5683=longer \
	    fact=nat_lifetime.keepalives[2].udp=shorter
}

# An allow-list firewall: TCP 5683 cannot even be opened, 443 can.
nat_strict() {
	# shellcheck disable=SC2086
	qa "$LAB_NS_CLIENT" nat-lifetime $R --step 2 --max 12
	check nat/strict_firewall rc=1 stage=cloud has=cloud.port_blocked \
	    fact=nat_lifetime.tcp5683.lifetime=unknown \
	    "fact=nat_lifetime.tcp443.lifetime=> 4 s" \
	    "fact=nat_lifetime.udp.setup_error=no answer to HOLD: timeout"
	# No responder at all (the client's own loopback, nothing listens):
	# nothing measured is no pass but inconclusive; the default limit
	# and schedule reach RFC 5382's 2 h 4 min for TCP.
	qa "$LAB_NS_CLIENT" nat-lifetime --responder 127.0.0.1:9 \
	    --grace 200ms
	check nat/no_responder rc=4 state=inconclusive only= \
	    fact=nat_lifetime.tcp5683.lifetime=unknown \
	    "fact=nat_lifetime.tcp5683.setup_error=connect: Connection refused" \
	    fact=qa_test.max_s=7500 fact=nat_lifetime.schedule_s[24]=7440
}

# Double NAT: both NATs keep the flows past the device's 15 s.
nat_double() {
	# shellcheck disable=SC2086
	qa "$LAB_NS_CLIENT" nat-lifetime $R --step 4 --max 28
	check nat/double_nat rc=0 only= \
	    "fact=nat_lifetime.tcp5683.lifetime=> 20 s" \
	    "fact=nat_lifetime.udp.lifetime=> 20 s"
	# Flows found alive only below the keep-alive: no evidence either
	# way, so inconclusive (exit 4), never "no problem".
	# shellcheck disable=SC2086
	qa "$LAB_NS_CLIENT" nat-lifetime $R --step 4 --max 16
	check nat/double_nat+short_max rc=4 state=inconclusive only= \
	    "fact=nat_lifetime.tcp5683.lifetime=> 8 s" \
	    fact=nat_lifetime.tcp5683.vs_keepalive=inconclusive
}

# Ctrl-C in the middle, on a terminal, keeps the flows measured so far.
nat_partial() {
	tty_start "$LAB_NS_CLIENT" nat-lifetime --responder \
	    "$LAB_RESPONDER_ADDR" --grace 1 --step 2 --max 60
	# Interrupt once its flows are open (seen in the router's state
	# table) and the first probe is in (78 flows, 2 s idle the first:
	# the progress line counts fewer open): a loaded machine may take a
	# while to get there.
	i=0
	while [ "$(lab_exec_router conntrack -L -d "$LAB_RESPONDER_ADDR" \
	    2>/dev/null | grep -c dport=443)" -lt 5 ] && [ "$i" -lt 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	tty_wait ' ([0-6][0-9]|7[0-7]) flows open'
	tty_stop
	check nat/partial rc=4 state=inconclusive fact=qa_test.partial=true \
	    fact=qa_test.completed=false \
	    fact=nat_lifetime.tcp5683.flows[0].state=alive \
	    fact=nat_lifetime.tcp5683.flows[5].state=untested \
	    fact=nat_lifetime.tcp443.flows[20].state=untested
	tty_shows nat/tty '\[nat-lifetime\] 00:[0-5][0-9] left  [0-9]+ flows open, next probe in [0-9]+ s'
}

rebind_blocked() {
	qa "$LAB_NS_CLIENT" rebind --name "$LAB_PRIVATE_NAME"
	check rebind/openwrt_rebind rc=0 only=dns.rebind_blocked \
	    fact=rebind.result=blocked fact=rebind.private_name.result=empty \
	    fact=rebind.retry_s=1 \
	    fact=rebind.nonexistent.result=nxdomain \
	    fact=rebind.resolver=$LAB_ROUTER_ADDR
	qa "$LAB_NS_CLIENT" rebind --name "$LAB_PRIVATE_NAME" \
	    --dns "$LAB_ROUTER_ADDR" --upstream-dns "$LAB_DNS_ADDR"
	check rebind/openwrt_rebind+upstream rc=0 only=dns.rebind_blocked \
	    fact=rebind.upstream.result=private \
	    fact=rebind.upstream.addresses[0]=$LAB_PRIVATE_ADDR
	rebind_db
	# A name that exists nowhere is not rebinding protection.
	qa "$LAB_NS_CLIENT" rebind --name nothere.cyanlab.test \
	    --upstream-dns "$LAB_DNS_ADDR"
	check rebind/openwrt_rebind+missing rc=0 only= \
	    fact=rebind.result=no_such_name
}

# qa test --db: the test alone, stored and judged as `qa run` stores a
# plan's (a one-cell plan made from the options), the tally on stderr so
# that --json on stdout stays JSON; `qa judge` reads the stored plan again.
rebind_db() {
	db=$TMPD/$JOB.db
	ip netns exec "$LAB_NS_CLIENT" "$BIN" qa test --rules "$RULES" rebind \
	    --name "$LAB_PRIVATE_NAME" --max 8s --db "$db" \
	    --cell openwrt/23.05 --device core --firmware 0.3.4 --json \
	    >"$TMPD/$JOB.dbjson" 2>"$TMPD/$JOB.dberr"
	expect "--db: exit status" "$?" 0
	expect "--db: stdout is the JSON report" "$(python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["facts"]["rebind"]["result"])' \
	    "$TMPD/$JOB.dbjson" 2>&1)" blocked
	expect "--db: the tally on stderr" "$(grep -c '^run .*: 1 cell, 1 verdict: 0 pass, 1 warn' \
	    "$TMPD/$JOB.dberr")" 1
	expect "--db: the run" "$(sqlite3 "$db" "SELECT plan_name || ' ' ||
	    station || ' ' || (ended IS NOT NULL) FROM runs")" "qa-test local 1"
	expect "--db: the cell" "$(sqlite3 "$db" "SELECT cell_id || ' ' ||
	    status FROM cells")" "openwrt/23.05/default measured"
	expect "--db: the facts" "$(sqlite3 "$db" "SELECT value FROM facts
	    WHERE test = 'rebind' AND kind = 'facts' AND name = 'rebind'" |
	    python3 -c 'import json, sys; print(json.load(sys.stdin)["result"])' \
	    2>&1)" blocked
	expect "--db: the stored plan keeps the settings" "$(sqlite3 "$db" \
	    "SELECT plan_json FROM runs" | python3 -c 'import json, sys
t = json.load(sys.stdin)["tests"][0]; print(t["private_name"], t["max"])' \
	    2>&1)" "$LAB_PRIVATE_NAME 8s"
	verdict_db() {
		sqlite3 "$db" "SELECT outcome || ' ' || COALESCE(finding, '-') ||
		    ' ' || device || ' ' || device_firmware FROM verdicts"
	}
	expect "--db: the verdict" "$(verdict_db)" \
	    "warn dns.rebind_blocked core 0.3.4"
	sqlite3 "$db" "DELETE FROM verdicts"
	"$BIN" qa judge --rules "$RULES" --db "$db" >/dev/null 2>&1
	expect "--db: qa judge again" "$?:$(verdict_db)" \
	    "0:warn dns.rebind_blocked core 0.3.4"
}

# A resolver that reads every query and never answers (on the client
# namespace's loopback): no evidence, so inconclusive (exit 4, verdict
# inconclusive), never a pass and never "no such name", even when the
# independent resolver has no private answer.  Before the fix this was
# "No problem found", exit 0.
rebind_silent() {
	silent_dns_up
	# --grace 4s: unanswered queries go again every 2 s.
	qa "$LAB_NS_CLIENT" rebind --name "$LAB_PRIVATE_NAME" --dns 127.0.0.2 \
	    --max 3s --grace 4s
	check rebind/silent rc=4 only= state=inconclusive fact=rebind.retry_s=2 \
	    fact=rebind.result=inconclusive \
	    fact=rebind.private_name.result=timeout \
	    fact=rebind.nonexistent.result=timeout
	qa "$LAB_NS_CLIENT" rebind --name nothere.cyanlab.test \
	    --dns 127.0.0.2 --upstream-dns "$LAB_DNS_ADDR" --max 4s
	check rebind/silent+missing rc=4 only= state=inconclusive \
	    fact=rebind.result=inconclusive \
	    fact=rebind.upstream.result=nxdomain
	rebind_silent_stored
	kill "$silent" 2>/dev/null
	wait "$silent" 2>/dev/null
}

# silent_dns_up: a resolver on 127.0.0.2:53 in the client namespace that
# reads every query and never answers; its pid in $silent.
silent_dns_up() {
	ip netns exec "$LAB_NS_CLIENT" python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.2", 53))
print("up", flush=True)
while True:
    s.recv(2048)' >"$TMPD/$JOB.silent" 2>&1 &
	silent=$!
	i=0
	while ! grep -q '^up' "$TMPD/$JOB.silent" && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# Ctrl-C on a terminal while the router's resolver keeps silent (--max
# 60 s): the test stops then, not at --max (it ended after 30 s or more
# before the fix, still asking), with a partial result and no evidence:
# inconclusive, exit 4.
rebind_partial() {
	silent_dns_up
	tty_start "$LAB_NS_CLIENT" rebind --name "$LAB_PRIVATE_NAME" \
	    --dns 127.0.0.2 --upstream-dns "$LAB_DNS_ADDR" --max 60s
	tty_wait '\[rebind\] 00:[0-5][0-9] left  asking 127.0.0.2'
	tty_stop
	check rebind/partial rc=4 only= state=inconclusive \
	    fact=qa_test.partial=true fact=qa_test.completed=false \
	    fact=rebind.result=inconclusive \
	    fact=rebind.private_name.result=timeout le=qa_test.elapsed_s=25
	tty_shows rebind/partial-tty '\[rebind\] 00:[0-5][0-9] left  asking'
	kill "$silent" 2>/dev/null
	wait "$silent" 2>/dev/null
}

# The silent resolver's inconclusive result stored and judged: through
# `qa test --db` and through `qa run` (a plan whose station has no iface,
# so that the queries reach the loopback resolver), the job's status is
# "inconclusive" and every verdict inconclusive, with why, never a pass
# (before the fix: status "ok", verdicts pass); `qa judge` again, JUnit,
# Markdown and HTML say so.
rebind_silent_stored() {
	db=$TMPD/$JOB.silent.db
	ip netns exec "$LAB_NS_CLIENT" "$BIN" qa test --rules "$RULES" rebind \
	    --name "$LAB_PRIVATE_NAME" --dns 127.0.0.2 --max 3s --db "$db" \
	    --cell healthy/1 --device photon --firmware 1.5.2 \
	    --json="$TMPD/$JOB.silent.json" 2>"$TMPD/$JOB.silent.err"
	expect "silent --db: exit status" "$?" 4
	expect "silent --db: the status row" "$(sqlite3 "$db" "SELECT name ||
	    ' ' || value FROM facts WHERE kind = 'status'")" \
	    "inconclusive exit 4: not observed: cloud"
	expect "silent --db: the verdict" "$(sqlite3 "$db" "SELECT outcome
	    FROM verdicts")" inconclusive
	cat >"$TMPD/$JOB.silent.yaml" <<EOF
schema: cyanprobe-qa-plan/1
name: silent
stations:
  - { id: st, netns: $LAB_NS_CLIENT }
routers:
  - { id: silent, station: st, firmware: [ "1" ] }
devices:
  - { device: photon, firmware: [ "1.5.2" ] }
  - { device: core, firmware: [ "0.3.4" ] }
tests:
  - { name: rebind, private_name: $LAB_PRIVATE_NAME, dns: 127.0.0.2, max: 3s }
EOF
	db=$TMPD/$JOB.silentrun.db
	"$BIN" qa run --quiet --rules "$RULES" --db "$db" \
	    --junit "$TMPD/$JOB.silent.xml" "$TMPD/$JOB.silent.yaml" \
	    >"$TMPD/$JOB.silent.run" 2>&1
	expect "silent qa run: exit status (inconclusive verdicts)" "$?" 1
	expect "silent qa run: the status row" "$(sqlite3 "$db" "SELECT name
	    FROM facts WHERE kind = 'status'")" inconclusive
	want="core inconclusive - 1
photon inconclusive - 1"
	expect "silent qa run: verdicts inconclusive, with why" \
	    "$(silent_verdicts)" "$want"
	sqlite3 "$db" "DELETE FROM verdicts"
	"$BIN" qa judge --rules "$RULES" --db "$db" >/dev/null 2>&1
	expect "silent qa judge again" "$?:$(silent_verdicts)" "0:$want"
	expect "silent JUnit: two inconclusive errors" "$(grep -c \
	    '<error type="inconclusive"' "$TMPD/$JOB.silent.xml")" 2
	expect "silent Markdown" "$("$BIN" qa report --db "$db" --markdown \
	    2>&1 | grep -c '| inconclusive | inconclusive |')" 1
	"$BIN" qa report --db "$db" --html "$TMPD/$JOB.silent.html" \
	    >/dev/null 2>&1
	expect "silent HTML: inconclusive cells" "$(grep -o \
	    'data-outcome="inconclusive"' "$TMPD/$JOB.silent.html" | wc -l)" 2
	rebind_silent_pg
}

# pg_start NAME: a private PostgreSQL cluster for job NAME (tests/qa/pg.sh;
# the caller stops it with qa_pg_down, the EXIT trap when it cannot).  1
# after a SKIP line where this machine cannot run one, or a failed check
# when it did not start.
pg_start() {
	. tests/qa/pg.sh
	if ! why=$(qa_pg_can_run); then
		echo "SKIP $1: $why"
		return 1
	fi
	trap 'qa_pg_down; lab_down' EXIT
	qa_pg_up && return 0
	no "$1: the server did not start"
	return 1
}

# qa test --db postgresql://: the same silent resolver stored straight into
# a private PostgreSQL cluster (tests/qa/pg.sh, stopped and removed after):
# the run, the cell, the status row and the verdict as in SQLite, and
# `qa judge` there judges it again.
rebind_silent_pg() {
	pg_start "rebind/silent pg" || return 0
	ip netns exec "$LAB_NS_CLIENT" "$BIN" qa test --rules "$RULES" rebind \
	    --name "$LAB_PRIVATE_NAME" --dns 127.0.0.2 --max 3s \
	    --db "$QA_PG_URL" --cell healthy/1 --device core \
	    --firmware 0.3.4 --json="$TMPD/$JOB.pg.json" \
	    2>"$TMPD/$JOB.pg.err"
	expect "pg --db: exit status" "$?" 4
	pgq() { psql -X -A -t "$QA_PG_URL" -c "$1" 2>&1; }
	expect "pg --db: the run and cell" "$(pgq "SELECT r.plan_name || ' ' ||
	    c.cell_id || ' ' || c.status || ' ' || (r.ended IS NOT NULL) FROM
	    runs r JOIN cells c USING (run_id)")" \
	    "qa-test healthy/1/default measured true"
	expect "pg --db: the status row" "$(pgq "SELECT name || ' ' || value
	    FROM facts WHERE kind = 'status'")" \
	    "inconclusive exit 4: not observed: cloud"
	expect "pg --db: the stored facts" "$(pgq "SELECT value FROM facts
	    WHERE kind = 'facts' AND name = 'rebind'" | python3 -c \
	    'import json, sys; print(json.load(sys.stdin)["result"])' 2>&1)" \
	    inconclusive
	pg_verdict() {
		pgq "SELECT device || ' ' || device_firmware || ' ' || outcome
		    FROM verdicts"
	}
	expect "pg --db: the verdict" "$(pg_verdict)" "core 0.3.4 inconclusive"
	pgq "DELETE FROM verdicts" >/dev/null
	"$BIN" qa judge --rules "$RULES" --db "$QA_PG_URL" >/dev/null 2>&1
	expect "pg --db: qa judge again" "$?:$(pg_verdict)" \
	    "0:core 0.3.4 inconclusive"
	rebind_silent_push "$db"
	qa_pg_down
	trap lab_down EXIT
}

# rebind_silent_push DB: `qa run`'s store of the silent resolver (DB,
# SQLite) pushed into a database of its own on the private cluster: the
# job's status row arrives "inconclusive" with its reason, the verdicts
# arrive inconclusive, and `qa judge` there, from the pushed facts alone,
# says inconclusive again.  The same store as an older cyanprobe wrote it
# (status "ok", why "exit 4 ...") pushed into a third database is judged
# inconclusive there too, never a pass.
rebind_silent_push() {
	for d in pushed pushedold; do
		psql -X -q "$QA_PG_URL" -c "CREATE DATABASE $d" >/dev/null 2>&1
	done
	url="postgresql://postgres@/pushed?host=$QA_PG_DIR"
	pgp() { psql -X -A -t "$url" -c "$1" 2>&1; }
	"$BIN" qa push --db "$1" --to "$url" >"$TMPD/$JOB.push" 2>&1
	expect "push inconclusive: exit status" "$?" 0
	expect "push inconclusive: the status row" "$(pgp "SELECT name || ' '
	    || value FROM facts WHERE kind = 'status'")" \
	    "$(sqlite3 "$1" "SELECT name || ' ' || value FROM facts
	    WHERE kind = 'status'")"
	expect "push inconclusive: status inconclusive" "$(pgp "SELECT name
	    FROM facts WHERE kind = 'status'")" inconclusive
	pushed_verdicts() {
		pgp "SELECT device || ' ' || outcome || ' ' ||
		    COALESCE(finding, '-') FROM verdicts ORDER BY device"
	}
	want="core inconclusive -
photon inconclusive -"
	expect "push inconclusive: the verdicts" "$(pushed_verdicts)" "$want"
	pgp "DELETE FROM verdicts" >/dev/null
	"$BIN" qa judge --rules "$RULES" --db "$url" >/dev/null 2>&1
	expect "push inconclusive: judged there" "$?:$(pushed_verdicts)" \
	    "0:$want"
	cp "$1" "$TMPD/$JOB.old.db"
	sqlite3 "$TMPD/$JOB.old.db" "UPDATE facts SET name = 'ok' WHERE
	    kind = 'status'; DELETE FROM verdicts"
	url="postgresql://postgres@/pushedold?host=$QA_PG_DIR"
	"$BIN" qa push --db "$TMPD/$JOB.old.db" --to "$url" >/dev/null 2>&1
	expect "push old store: exit status" "$?" 0
	"$BIN" qa judge --rules "$RULES" --db "$url" >/dev/null 2>&1
	expect "push old store: judged inconclusive there" \
	    "$?:$(pushed_verdicts)" "0:$want"
}

# silent_verdicts: "device outcome finding 1" per stored verdict, the 1
# when the summary says inconclusive and which stage was not observed.
silent_verdicts() {
	sqlite3 "$db" "SELECT device || ' ' || outcome || ' ' ||
	    COALESCE(finding, '-') || ' ' || (summary LIKE
	    '%inconclusive%not observed: cloud%') FROM verdicts
	    ORDER BY device"
}

rebind_passed() {
	qa "$LAB_NS_CLIENT" rebind --name "$LAB_PRIVATE_NAME"
	check rebind/healthy rc=0 only= fact=rebind.result=passed \
	    fact=rebind.private_name.addresses[0]=$LAB_PRIVATE_ADDR
	rebind_silent
	# On a TTY: a progress line with the time left.
	script -qec "ip netns exec $LAB_NS_CLIENT $BIN qa test --rules $RULES \
	    rebind --name $LAB_PRIVATE_NAME --json=/dev/null" /dev/null \
	    >"$TMPD/$JOB.tty" 2>&1
	if grep -q '\[rebind\] 00:[0-9][0-9] left' "$TMPD/$JOB.tty"; then
		ok "rebind/tty: progress line"
	else
		no "rebind/tty: no progress line: $(head -c 200 "$TMPD/$JOB.tty")"
	fi
}

# iso NAME: the client stands in for the device; the peer tests it.
iso() {
	lab_responder "$LAB_NS_CLIENT" "$LAB_CLIENT_ADDR" --tcp 80 --udp 5683 \
	    --mdns "$LAB_DEVICE_MDNS" --iface eth0 || {
		no "$1: no stand-in device"
		return
	}
	qa "$LAB_NS_PEER" isolation --target "$LAB_CLIENT_ADDR" \
	    --mdns "$LAB_DEVICE_MDNS" --max 3 --interval 2 --grace 1
}

iso_isolated() {
	iso isolation/isolated
	check isolation/isolated rc=0 only=lan.isolated \
	    fact=isolation.rounds=2 fact=isolation.reached.arp.result=blocked \
	    fact=isolation.reached.tcp.result=blocked \
	    fact=isolation.reached.mdns6.result=blocked
}

iso_open() {
	iso isolation/lan_peer
	check isolation/lan_peer rc=0 only= \
	    fact=isolation.reached.arp.result=reached \
	    fact=isolation.reached.icmp.result=reached \
	    fact=isolation.reached.tcp.result=reached \
	    fact=isolation.reached.udp.result=reached \
	    fact=isolation.reached.mdns4.result=reached \
	    fact=isolation.reached.mdns6.result=reached
}

# Ctrl-C on a terminal after the second round, on an open LAN: the rounds
# so far, every channel reached (a round cut short must not count as
# blocked), no finding.
iso_partial() {
	lab_responder "$LAB_NS_CLIENT" "$LAB_CLIENT_ADDR" --tcp 80 --udp 5683 \
	    --mdns "$LAB_DEVICE_MDNS" --iface eth0 || {
		no "isolation/partial: no stand-in device"
		return
	}
	tty_start "$LAB_NS_PEER" isolation --target "$LAB_CLIENT_ADDR" \
	    --mdns "$LAB_DEVICE_MDNS" --max 60 --interval 2 --grace 1
	tty_wait '\[isolation\] 00:[0-5][0-9] left  round 3'
	tty_stop
	check isolation/partial rc=0 only= fact=qa_test.partial=true \
	    fact=qa_test.completed=false ge=isolation.rounds=2 \
	    le=isolation.rounds=5 \
	    fact=isolation.reached.arp.result=reached \
	    fact=isolation.reached.icmp.result=reached \
	    fact=isolation.reached.tcp.result=reached \
	    fact=isolation.reached.udp.result=reached \
	    fact=isolation.reached.mdns4.result=reached \
	    fact=isolation.reached.mdns6.result=reached
	tty_shows isolation/tty '\[isolation\] 00:[0-5][0-9] left  round [0-9]'
}

# Ctrl-C on a terminal while the WAN is down (a 30 s outage): the WAN is
# brought back up all the same, and the session held before is kept as a
# fact; the old session never spoke, so it is "unknown", no finding
# (before the fix it read as silent: wan.session_silent from no evidence),
# and the verdict is inconclusive.
wan_partial() {
	tty_start "$LAB_NS_CLIENT" wan-recovery --responder \
	    "$LAB_RESPONDER_ADDR" --grace 1 --max 90 --outage 30 \
	    --down-cmd "$HOOK wan_down" --up-cmd "$HOOK wan_up"
	tty_wait '\[wan-recovery\] 0[01]:[0-5][0-9] left  WAN down for 30 s'
	tty_stop
	check wan/partial rc=4 state=inconclusive only= \
	    fact=qa_test.partial=true \
	    fact=qa_test.completed=false fact=wan_recovery.session_held=true \
	    fact=wan_recovery.hooks[0].what=wan_down \
	    fact=wan_recovery.hooks[1].what=wan_up \
	    fact=wan_recovery.hooks[1].exit=0 \
	    fact=wan_recovery.old_session=unknown \
	    fact=wan_recovery.recover_s=None le=qa_test.elapsed_s=25
	tty_shows wan/tty '\[wan-recovery\] 0[01]:[0-5][0-9] left  waiting [0-9]+ s'
	expect "wan/partial: the WAN is back after Ctrl-C" \
	    "$(tcp_from "$LAB_NS_CLIENT" "$LAB_RESPONDER_ADDR" 5683)" open
}

WAN="--down-cmd '$HOOK wan_down' --up-cmd '$HOOK wan_up'"

# wan NAME EVENT EXPECTATION...: an outage of 2 s, or a renumbering.
wan() {
	name=$1 ev=$2
	shift 2
	if [ "$ev" = outage ]; then
		qa "$LAB_NS_CLIENT" wan-recovery --responder \
		    "$LAB_RESPONDER_ADDR" --grace 1 --max 20 --outage 2 \
		    --down-cmd "$HOOK wan_down" --up-cmd "$HOOK wan_up"
	else
		qa "$LAB_NS_CLIENT" wan-recovery --responder \
		    "$LAB_RESPONDER_ADDR" --grace 1 --max 20 \
		    --renumber-cmd "$HOOK wan_renumber"
	fi
	check "$name" fact=wan_recovery.session_held=true \
	    fact=wan_recovery.event=$ev fact=wan_recovery.hooks[0].exit=0 \
	    fact=wan_recovery.new_session_attempts=1 "$@"
}

wan_silent() {
	wan wan/silent_nat+outage outage rc=0 only=wan.session_silent \
	    fact=wan_recovery.old_session=silent
	wan wan/silent_nat+renumber renumber rc=0 only=wan.session_silent \
	    fact=wan_recovery.old_session=silent
}

# NAT to the address the router booted with: an outage leaves the address
# as it was, and everything recovers; after renumbering no new session
# gets out, and the old one hears nothing.
wan_stale() {
	wan wan/stale_snat+outage outage rc=0 only= \
	    fact=wan_recovery.old_session=works
	# --step 3s: a new session tried every 3 s after a failed one (each
	# gives up after --grace): at most 4 in the 12 s (about 6 every 1 s).
	qa "$LAB_NS_CLIENT" wan-recovery --responder "$LAB_RESPONDER_ADDR" \
	    --grace 1 --max 12 --step 3s --renumber-cmd "$HOOK wan_renumber"
	check wan/stale_snat+renumber rc=1 stage=cloud \
	    fact=wan_recovery.retry_s=3 le=wan_recovery.new_session_attempts=4 \
	    only=wan.no_recovery,wan.session_silent \
	    fact=wan_recovery.session_held=true \
	    fact=wan_recovery.event=renumber fact=wan_recovery.recover_s=None \
	    fact=wan_recovery.old_session=silent
}

wan_healthy() {
	# No responder (the client's loopback): no session to lose, no
	# evidence: inconclusive, never "no problem".
	qa "$LAB_NS_CLIENT" wan-recovery --responder 127.0.0.1:9 --grace 1 \
	    --outage 1 --down-cmd true --up-cmd true
	check wan/no_responder rc=4 state=inconclusive only= \
	    fact=wan_recovery.session_held=false
	# The kernel adopts the old flow again on the same address and port.
	wan wan/healthy+outage outage rc=0 only= \
	    fact=wan_recovery.old_session=works
	# From a new address the responder resets it: the device knows.
	wan wan/healthy+renumber renumber rc=0 only= \
	    fact=wan_recovery.old_session=reset
}

# dhcp NAME EXPECTATION...: a lease from a random MAC, renewed at 2 s,
# rebound at 4 s (the lab compresses T1 and T2), the router restarted, the
# address asked for by another MAC and then by an INIT-REBOOT, released.
dhcp() {
	name=$1
	shift
	qa "$LAB_NS_CLIENT" dhcp-time --iface eth0 --renew-at 2 --rebind-at 4 \
	    --restart-cmd "$HOOK router_restart" --max 40
	check "$name" fact=dhcp_time.request=ack \
	    fact=dhcp_time.renew.result=ack fact=dhcp_time.rebind.result=ack \
	    fact=dhcp_time.hooks[0].exit=0 fact=dhcp_time.released=true \
	    "fact=dhcp_time.lease_s=$(dhcp_lease)" "$@"
}

# Leases in RAM: after the restart the device's address goes to another
# client, and its INIT-REBOOT gets no answer (dnsmasq is not
# authoritative: silent about leases it has no record of).
dhcp_forget() {
	dhcp dhcp/dhcp_forget rc=0 only=dhcp.forgets_leases \
	    fact=dhcp_time.restart.handed_to_other=true \
	    fact=dhcp_time.restart.init_reboot=silence
}

# A fresh stock dnsmasq pings the address before offering it (up to 3 s):
# the OFFER delay is judged as diagnose does, an info finding.
dhcp_healthy() {
	dhcp dhcp/healthy rc=0 only= has=dhcp.slow_offer \
	    fact=dhcp_time.restart.handed_to_other=false \
	    fact=dhcp_time.restart.init_reboot=ack
}

# Two-minute leases, renewed when the lease says (T1 = 60 s, by unicast),
# not compressed; T2 (105 s) lies past --max.
dhcp_short() {
	qa "$LAB_NS_CLIENT" dhcp-time --iface eth0 --max 75
	check dhcp/short_lease rc=0 only=dhcp.short_lease \
	    fact=dhcp_time.lease_s=120 fact=dhcp_time.t1_s=60 \
	    fact=dhcp_time.renew.at_s=60 fact=dhcp_time.renew.result=ack \
	    fact=dhcp_time.renew.lease_s=120 \
	    fact=dhcp_time.rebind.result=not_reached \
	    fact=dhcp_time.released=true
}

# Ctrl-C on a terminal while it waits for T1: a partial result, and the
# lease released all the same (the router's lease file lets go of the MAC).
dhcp_partial() {
	mac=02:c7:a0:00:14:01
	tty_start "$LAB_NS_CLIENT" dhcp-time --iface eth0 --mac "$mac" \
	    --renew-at 30 --max 60
	i=0
	while ! grep -q "$mac" "$LAB_DIR/router.leases" 2>/dev/null &&
	    [ "$i" -lt 200 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	expect "leased: the router's lease file holds the MAC" \
	    "$(grep -c "$mac" "$LAB_DIR/router.leases" 2>/dev/null)" 1
	tty_wait '\[dhcp-time\] 00:[0-5][0-9] left  waiting'
	tty_stop
	check dhcp/partial rc=0 fact=qa_test.partial=true \
	    fact=qa_test.completed=false fact=dhcp_time.request=ack \
	    fact=dhcp_time.renew.result=stopped fact=dhcp_time.released=true
	tty_shows dhcp/tty '\[dhcp-time\] 00:[0-5][0-9] left  waiting'
	# The server drops the lease when it has read the RELEASE: waited for
	# (a fixed half second was too short on a loaded machine).
	i=0
	while grep -q "$mac" "$LAB_DIR/router.leases" 2>/dev/null &&
	    [ "$i" -lt 200 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	expect "released: the lease is gone" \
	    "$(grep -c "$mac" "$LAB_DIR/router.leases" 2>/dev/null)" 0
}

# Renewals dropped: neither RENEWING nor REBINDING gets an answer.  With
# --grace 3s each REQUEST waits 6 s (2 x --grace) before it counts as
# silence: the rebinding sent at 8 s is given up at 14 s at the earliest
# (with a fixed 4 s wait, 12 s).
dhcp_renew() {
	qa "$LAB_NS_CLIENT" dhcp-time --iface eth0 --renew-at 2 --rebind-at 8 \
	    --max 20 --grace 3s
	check dhcp/renew_ignored rc=1 stage=dhcp only=dhcp.renew_failed \
	    fact=dhcp_time.request=ack fact=dhcp_time.renew.result=silence \
	    fact=dhcp_time.rebind.result=silence fact=dhcp_time.released=true \
	    fact=dhcp_time.grace_s=3
	# Counted from the lease (the OFFER delay before it is the server's).
	python3 - "$TMPD/$JOB.json" <<'PY' || no "dhcp/renew_ignored: the REQUESTs did not wait 2 x --grace"
import json, sys
f = json.load(open(sys.argv[1]))["facts"]
after = f["qa_test"]["elapsed_s"] - f["dhcp_time"]["offer_delay_s"]
if after < 13.9:
    sys.exit(1)
print("ok dhcp/renew_ignored: %.1f s from the OFFER, >= 14" % after)
PY
}

# The renewal at T1 is unicast to the router, and dropped; the rebinding
# at T2 is broadcast, and served: the lease lives on, with a warning.
dhcp_unicast() {
	qa "$LAB_NS_CLIENT" dhcp-time --iface eth0 --renew-at 2 --rebind-at 8 \
	    --max 20
	check "dhcp/unicast_ignored($LAB_DHCP_IMPL)" rc=0 \
	    only=dhcp.unicast_renew_ignored not=dhcp.renew_failed \
	    fact=dhcp_time.request=ack fact=dhcp_time.renew.result=silence \
	    fact=dhcp_time.rebind.result=ack fact=dhcp_time.released=true
}

# dhcp_slow: what the OFFER delay of LAB_DHCP_IMPL must give: kea offers at
# once, dnsmasq pings (up to 3 s) and udhcpd ARPs (2 s) first; ISC dhcpd's
# ping waits exactly 1 s, the threshold itself, so it is not asserted.
dhcp_slow() {
	case $LAB_DHCP_IMPL in
	kea) echo not=dhcp.slow_offer ;;
	isc) echo fact=qa_test.completed=true ;;
	*) echo has=dhcp.slow_offer ;;
	esac
}

# dhcp_restart_outcome: what LAB_DHCP_IMPL, stock, really does after the
# restart.  With its lease file kept, each one ACKs the INIT-REBOOT and
# offers another client a different address.  With it lost, each one
# offers the device's address to the other client (none of them checks a
# requested address first: udhcpd ARPs only addresses it picks itself,
# and the device does not answer ISC dhcpd's ping), and then answers the
# device's INIT-REBOOT its own way: kea (not authoritative by default)
# keeps silent, udhcpd NAKs (it has no lease for the MAC), and ISC dhcpd
# ACKs (the address is free in its pool, as it has no record of the
# offer's being taken).  Judged by outcome: the address handed to another
# client is dhcp.forgets_leases whatever the INIT-REBOOT got.
dhcp_restart_outcome() {
	if [ "$LAB_SCENARIO" != dhcp_forget ]; then
		echo only= fact=dhcp_time.restart.handed_to_other=false \
		    fact=dhcp_time.restart.init_reboot=ack
		return
	fi
	echo only=dhcp.forgets_leases \
	    fact=dhcp_time.restart.handed_to_other=true
	case $LAB_DHCP_IMPL in
	kea) echo fact=dhcp_time.restart.init_reboot=silence ;;
	isc) echo fact=dhcp_time.restart.init_reboot=ack ;;
	udhcpd) echo fact=dhcp_time.restart.init_reboot=nak ;;
	esac
}

# dhcp_lease: the lease LAB_DHCP_IMPL gives in the lab: the router
# setting (dnsmasq's --dhcp-range), or where the scenario sets none, the
# server's own default: kea's valid-lifetime 7200 s, ISC dhcpd's
# default-lease-time 43200 s, udhcpd's 10 days.
dhcp_lease() {
	case $LAB_DHCP_IMPL in
	kea) echo 7200 ;;
	isc) echo 43200 ;;
	udhcpd) echo 864000 ;;
	*) lab_router_setting lease ;;
	esac
}

# The other stock servers (kea, ISC dhcpd, busybox udhcpd) through a whole
# lease and the router's restart (all of its servers, lease files kept, or
# lost with dhcp_forget): what each really answers, dhcp_restart_outcome.
dhcp_impl() {
	# shellcheck disable=SC2046
	dhcp "dhcp/$LAB_SCENARIO($LAB_DHCP_IMPL)" rc=0 "$(dhcp_slow)" \
	    $(dhcp_restart_outcome)
	# The finding says what the fact says, whichever the server.
	python3 - "$TMPD/$JOB.json" <<'PY' || no "dhcp/$LAB_SCENARIO($LAB_DHCP_IMPL): slow_offer and offer_delay_s disagree"
import json, sys
r = json.load(open(sys.argv[1]))
slow = r["facts"]["dhcp_time"]["offer_delay_s"] > 1.0
has = any(f["id"] == "dhcp.slow_offer" for f in r["findings"])
sys.exit(0 if slow == has else 1)
PY
}

# --- the router tests in a QA plan: `qa run` stores and judges them ------
# plan_write TESTS [NS]: a plan of one router (this lab's) reached from the
# lab's client namespace (or NS), with the lab's hooks, judged for a Photon on 1.5.2 and
# a Core on 0.3.4 (both keep alive every 15 s: one nat-lifetime variant).
plan_write() {
	cat >"$TMPD/$JOB.plan.yaml" <<EOF
schema: cyanprobe-qa-plan/1
name: $JOB
stations:
  - { id: st, iface: eth0, netns: ${2:-$LAB_NS_CLIENT} }
routers:
  - id: $LAB_SCENARIO
    station: st
    firmware: [ "1" ]
    hooks:
      power_cycle: $HOOK router_restart
      wan_down: $HOOK wan_down
      wan_up: $HOOK wan_up${PLAN_RENUMBER:+
      wan_renumber: $HOOK wan_renumber}
devices:
  - { device: photon, firmware: [ "1.5.2" ] }
  - { device: core, firmware: [ "0.3.4" ] }
tests:
$1
EOF
}

# plan_run EXIT: qa run over the plan into $TMPD/$JOB.db; its exit status.
plan_run() {
	"$BIN" qa run --quiet --rules "$RULES" --db "$TMPD/$JOB.db" \
	    "$TMPD/$JOB.plan.yaml" >"$TMPD/$JOB.run" 2>&1
	rc=$?
	expect "qa run: exit status" "$rc" "$1"
}

# verdict TEST DEVICE FW WANT: the stored verdict "outcome finding led".
verdict() {
	expect "verdict $1 $2 $3" "$(sqlite3 "$TMPD/$JOB.db" "SELECT outcome ||
	    ' ' || COALESCE(finding, '-') || ' ' || led FROM verdicts
	    WHERE test = '$1' AND device = '$2' AND device_firmware = '$3'")" \
	    "$4"
}

# dbfact TEST NAME PATH: a stored fact ("facts" rows hold the JSON object
# of one check); PATH is dotted, list items by number.
dbfact() {
	sqlite3 "$TMPD/$JOB.db" "SELECT value FROM facts WHERE test = '$1'
	    AND kind = 'facts' AND name = '$2'" | python3 -c "import json, sys
d = json.load(sys.stdin)
for k in sys.argv[1].split('.'):
    d = d[int(k)] if isinstance(d, list) else d.get(k)
print(d)" "$3" 2>&1
}

plan_short_nat() {
	plan_write "  - { name: nat-lifetime, responder: $LAB_RESPONDER_ADDR, step: 2, max: 24, grace: 1 }
  - { name: rebind, private_name: $LAB_PRIVATE_NAME }"
	plan_run 1
	verdict nat-lifetime photon 1.5.2 "fail nat.tcp_short blinking cyan"
	verdict nat-lifetime core 0.3.4 "fail nat.tcp_short blinking cyan"
	verdict rebind photon 1.5.2 "pass - breathing cyan"
	expect "one nat-lifetime measurement for both devices" \
	    "$(sqlite3 "$TMPD/$JOB.db" "SELECT COUNT(DISTINCT variant) || ':'
	    || MAX(variant) FROM facts WHERE test = 'nat-lifetime'")" 1:
	expect "stored: the TCP 5683 lifetime" \
	    "$(dbfact nat-lifetime nat_lifetime tcp5683.vs_keepalive)" shorter
	"$BIN" qa report --db "$TMPD/$JOB.db" --matrix >"$TMPD/$JOB.matrix" 2>&1
	if grep -q "^short_nat 1 default *| FAIL nat.tcp_short, blinking cyan" \
	    "$TMPD/$JOB.matrix"; then ok "plan/short_nat: matrix row"
	else no "plan/short_nat: matrix: $(head -c 400 "$TMPD/$JOB.matrix")"; fi
	plan_pg
}

# plan_nat_eras: firmware eras with different keep-alive intervals, one
# nat-lifetime measurement for all of them, each firmware judged against
# its own.  Every real Core and Photon era pings after 15 s idle
# (particle-cloud.md 1.5), so a test copy of the rules gives the Photon a
# 10 s era: the short_nat router's 12 s TCP lifetime outlives it and not
# the Core's 15 s.  Then `qa judge` with the real rules re-judges the same
# stored lifetimes for the Photon's real 15 s, without lab time.
plan_nat_eras() {
	rules_photon_10s
	plan_write "  - { name: nat-lifetime, responder: $LAB_RESPONDER_ADDR, step: 2, max: 24, grace: 1 }"
	RULES=$TMPD/$JOB.rules plan_run 1
	expect "one nat-lifetime measurement for both eras" \
	    "$(sqlite3 "$TMPD/$JOB.db" "SELECT COUNT(DISTINCT variant) FROM
	    facts WHERE test = 'nat-lifetime' AND kind = 'facts'")" 1
	expect "measured against both intervals" "$(dbfact nat-lifetime \
	    nat_lifetime keepalives.0.interval_s),$(dbfact nat-lifetime \
	    nat_lifetime keepalives.1.interval_s)" 10,15
	expect "the lifetimes stored for the judge" "$(sqlite3 \
	    "$TMPD/$JOB.db" "SELECT COUNT(*) FROM facts WHERE test =
	    'nat-lifetime' AND kind = 'condition' AND name = 'nat.lifetimes'")" 1
	expect "verdict photon 1.5.2 (10 s): warn, no tcp_short" \
	    "$(sqlite3 "$TMPD/$JOB.db" "SELECT outcome || ' ' ||
	    (findings LIKE '%nat.tcp_short%') FROM verdicts WHERE test =
	    'nat-lifetime' AND device = 'photon'")" "warn 0"
	verdict nat-lifetime core 0.3.4 "fail nat.tcp_short blinking cyan"
	"$BIN" qa judge --rules "$RULES" --db "$TMPD/$JOB.db" \
	    >"$TMPD/$JOB.judge" 2>&1
	expect "qa judge: exit status" "$?" 0
	verdict nat-lifetime photon 1.5.2 "fail nat.tcp_short blinking cyan"
}

# rules_photon_10s: a copy of the rules in $TMPD/$JOB.rules whose Photon
# keeps alive every 10 s (a made-up era; every real one is 15 s).
rules_photon_10s() {
	mkdir -p "$TMPD/$JOB.rules" && cp -r "$RULES"/. "$TMPD/$JOB.rules" &&
	python3 - "$TMPD/$JOB.rules/devices/photon.json" <<'PY' || no "$JOB: test rules not written"
import json, sys
p = json.load(open(sys.argv[1]))
p["keepalives"] = [{"interval_ms": 10000, "timeout_ms": 10000,
    "from": "0.4.0", "source": "tests/qatests: a made-up 10 s era"}]
json.dump(p, open(sys.argv[1], "w"), indent=2)
PY
}

# nat_pg: nat-lifetime stored straight into a private PostgreSQL cluster
# (qa test --db postgresql://), judged for a Photon with the made-up 10 s
# era: the short_nat router's 12 s TCP lifetime outlives it (a warning,
# UDP's 8 s, no nat.tcp_short).  Then `qa judge` with the real rules (15 s)
# re-judges the lifetimes stored there as the condition nat.lifetimes,
# without lab time: nat.tcp_short, a failure.  Only the condition read back
# from PostgreSQL can give that verdict.
nat_pg() {
	pg_start "nat/pg" || return 0
	rules_photon_10s
	# shellcheck disable=SC2086
	ip netns exec "$LAB_NS_CLIENT" "$BIN" qa test \
	    --rules "$TMPD/$JOB.rules" nat-lifetime $R --step 2 --max 24 \
	    --db "$QA_PG_URL" --cell short_nat/1 --device photon \
	    --firmware 1.5.2 --json="$TMPD/$JOB.json" 2>"$TMPD/$JOB.err"
	# A warning (UDP's 8 s) is no failure: exit 0.
	expect "nat pg --db: exit status" "$?" 0
	pgq() { psql -X -A -t "$QA_PG_URL" -c "$1" 2>&1; }
	expect "nat pg --db: the condition nat.lifetimes stored" "$(pgq \
	    "SELECT COUNT(*) FROM facts WHERE test = 'nat-lifetime' AND
	    kind = 'condition' AND name = 'nat.lifetimes'")" 1
	pg_nat_verdict() {
		pgq "SELECT device || ' ' || outcome || ' ' || CASE WHEN
		    findings LIKE '%nat.tcp_short%' THEN 1 ELSE 0 END FROM verdicts
		    WHERE test = 'nat-lifetime'"
	}
	expect "nat pg --db: judged for the 10 s era" "$(pg_nat_verdict)" \
	    "photon warn 0"
	"$BIN" qa judge --rules "$RULES" --db "$QA_PG_URL" >/dev/null 2>&1
	expect "nat pg: qa judge with the real rules" "$?:$(pg_nat_verdict)" \
	    "0:photon fail 1"
	expect "nat pg: the verdict's finding" "$(pgq "SELECT finding || ' '
	    || led FROM verdicts WHERE test = 'nat-lifetime'")" \
	    "nat.tcp_short blinking cyan"
	qa_pg_down
	trap lab_down EXIT
}

# plan_pg: the store pushed into a real PostgreSQL (tests/qa/pg.sh),
# judged again there from the stored facts, and reported as from SQLite.
plan_pg() {
	pg_start "plan/pg" || return 0
	"$BIN" qa push --db "$TMPD/$JOB.db" --to "$QA_PG_URL" \
	    >"$TMPD/$JOB.push" 2>&1
	expect "pg: push" "$?" 0
	"$BIN" qa judge --rules "$RULES" --db "$QA_PG_URL" >/dev/null 2>&1
	expect "pg: judge" "$?" 0
	expect "pg: re-judged nat-lifetime" "$(psql -X -A -t "$QA_PG_URL" -c \
	    "SELECT outcome || ' ' || finding FROM verdicts WHERE
	    test = 'nat-lifetime' AND device = 'core'" 2>&1)" \
	    "fail nat.tcp_short"
	"$BIN" qa report --db "$QA_PG_URL" --matrix >"$TMPD/$JOB.matrix.pg" 2>&1
	if cmp -s "$TMPD/$JOB.matrix" "$TMPD/$JOB.matrix.pg"; then
		ok "plan/pg: the matrix as from SQLite"
	else
		no "plan/pg: matrix differs: $(diff "$TMPD/$JOB.matrix" \
		    "$TMPD/$JOB.matrix.pg" | head -c 300)"
	fi
	qa_pg_down
}

plan_healthy() {
	plan_write "  - { name: nat-lifetime, responder: $LAB_RESPONDER_ADDR, step: 4, max: 28, grace: 1 }
  - { name: rebind, private_name: $LAB_PRIVATE_NAME }
  - { name: wan-recovery, responder: $LAB_RESPONDER_ADDR, outage: 2, max: 20, grace: 1 }
  - { name: dhcp-time, renew_at: 2, rebind_at: 4, max: 40 }"
	plan_run 0
	for t in nat-lifetime rebind wan-recovery dhcp-time; do
		verdict $t photon 1.5.2 "pass - breathing cyan"
	done
	expect "stored: the WAN outage" \
	    "$(dbfact wan-recovery wan_recovery old_session)" works
	expect "stored: the INIT-REBOOT" \
	    "$(dbfact dhcp-time dhcp_time restart.init_reboot)" ack
}

# wan-recovery in a plan on a router that does not recover from a new WAN
# address (its renumber hook given): judged a failure for every firmware.
plan_stale_snat() {
	PLAN_RENUMBER=1
	plan_write "  - { name: wan-recovery, responder: $LAB_RESPONDER_ADDR, max: 12s, grace: 1s }"
	plan_run 1
	verdict wan-recovery photon 1.5.2 "fail wan.no_recovery 3 orange blinks"
	verdict wan-recovery core 0.3.4 "fail wan.no_recovery 3 red blinks"
	expect "stored: no recovery" \
	    "$(dbfact wan-recovery wan_recovery recover_s)" None
	expect "stored: the renumbering" \
	    "$(dbfact wan-recovery wan_recovery event)" renumber
}

plan_forget() {
	plan_write "  - { name: dhcp-time, renew_at: 2, rebind_at: 4, max: 40 }"
	# A warning is no failure: exit 0 (docs/qa.md).
	plan_run 0
	verdict dhcp-time photon 1.5.2 \
	    "warn dhcp.forgets_leases breathing cyan"
	expect "stored: handed to another client" \
	    "$(dbfact dhcp-time dhcp_time restart.handed_to_other)" True
}

# plan_iso WANT: isolation from the second client (the station is the peer
# namespace) against the client as the stand-in device.
plan_iso() {
	lab_responder "$LAB_NS_CLIENT" "$LAB_CLIENT_ADDR" --tcp 80 --udp 5683 \
	    --mdns "$LAB_DEVICE_MDNS" --iface eth0 || {
		no "plan/$LAB_SCENARIO: no stand-in device"
		return
	}
	plan_write "  - { name: isolation, target: $LAB_CLIENT_ADDR, mdns: $LAB_DEVICE_MDNS, max: 3, interval: 2, grace: 1 }" \
	    "$LAB_NS_PEER"
	plan_run 0
	verdict isolation photon 1.5.2 "$1"
}

plan_isolated() {
	plan_iso "warn lan.isolated breathing cyan"
	expect "stored: TCP blocked" \
	    "$(dbfact isolation isolation reached.tcp.result)" blocked
}

plan_lan_peer() {
	plan_iso "pass - breathing cyan"
	expect "stored: mDNS reached" \
	    "$(dbfact isolation isolation reached.mdns4.result)" reached
}

# Every emulated router has its fault, and its twin has not (plain tools).
# tcp_from NS ADDR PORT: "open", "refused" or "dropped" (2 s).
# A dropped SYN shows as the timeout; 6 s, not 2, because on a loaded
# machine starting ip netns exec and bash alone took 2 s ("healthy: cloud
# port: dropped, want open" at a load average of 20).
tcp_from() {
	out=$(ip netns exec "$1" timeout 6 bash -c \
	    "echo > /dev/tcp/$2/$3" 2>&1)
	case $?:$out in
	0:*) echo open ;;
	*refused*) echo refused ;;
	*) echo dropped ;;
	esac
}

# expect WHAT GOT WANT
expect() {
	if [ "$2" = "$3" ]; then ok "$LAB_SCENARIO: $1"
	else no "$LAB_SCENARIO: $1: $2, want $3"; fi
}

router_fault() {
	r=$LAB_SCENARIO
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
	reset_nat)
		expect "udp policy" "$(lab_exec_router nft list ruleset |
		    grep -c 'unreplied : 8')" 1
		expect "pick-up (the kernel's default)" "$(lab_exec_router \
		    sysctl -n net.netfilter.nf_conntrack_tcp_loose)" 1
		expect "no invalid drop" "$(lab_exec_router nft list ruleset |
		    grep -c 'invalid drop')" 0 ;;
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
	renew_ignored)
		expect "renewals dropped" "$(lab_exec_router nft list ruleset |
		    grep -c 'udp dport 67 @th,160,32 != 0x0 drop')" 1 ;;
	unicast_ignored)
		expect "unicast DHCP dropped" "$(lab_exec_router nft list \
		    ruleset | grep -c 'daddr != 255.255.255.255.*drop')" 1 ;;
	stale_snat)
		expect "NAT to the boot address" "$(lab_exec_router nft list \
		    ruleset | grep -c "snat to $LAB_WAN_ADDR")" 1
		expect "cloud port" "$(tcp_from "$LAB_NS_CLIENT" \
		    "$LAB_CLOUD_ADDR" 5683)" open ;;
	dhcp_forget|short_lease)
		"$HOOK" router_restart >"$TMPD/$JOB.restart" 2>&1
		expect "restart" "$?:$(cat "$TMPD/$JOB.restart")" "0:"
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
	*" $twin "*) ok "$r: twin $twin" ;;
	*) no "$r: its twin '$twin' is not an emulated router" ;;
	esac
}

job nat_short short_nat nat_short
job nat_healthy healthy nat_healthy
job nat_strict strict_firewall nat_strict
job nat_keepalives short_nat nat_keepalives
job nat_double double_nat nat_double
job nat_pg short_nat nat_pg
job nat_reset reset_nat nat_reset
job nat_partial healthy nat_partial
job rebind_partial healthy rebind_partial
job iso_partial lan_peer iso_partial
job wan_partial healthy wan_partial
job rebind_blocked openwrt_rebind rebind_blocked
job rebind_passed healthy rebind_passed
job iso_isolated isolated iso_isolated
job iso_open lan_peer iso_open
job wan_silent silent_nat wan_silent
job wan_healthy healthy wan_healthy
job wan_stale stale_snat wan_stale
job dhcp_forget dhcp_forget dhcp_forget
job dhcp_healthy healthy dhcp_healthy
job dhcp_short short_lease dhcp_short
job dhcp_renew renew_ignored dhcp_renew
job dhcp_partial healthy dhcp_partial
job dhcp_unicast unicast_ignored dhcp_unicast
for impl in kea isc udhcpd; do
	job "dhcp_healthy_$impl" healthy dhcp_impl "$impl"
	job "dhcp_unicast_$impl" unicast_ignored dhcp_unicast "$impl"
	job "dhcp_forget_$impl" dhcp_forget dhcp_impl "$impl"
done
job plan_short_nat short_nat plan_short_nat
job plan_nat_eras short_nat plan_nat_eras
job plan_healthy healthy plan_healthy
job plan_forget dhcp_forget plan_forget
job plan_stale_snat stale_snat plan_stale_snat
job plan_isolated isolated plan_isolated
job plan_lan_peer lan_peer plan_lan_peer
for r in $(lab_routers | awk '{ print $1 }'); do
	job "router_$r" "$r" router_fault
done
wait
JOBS=""
tally
