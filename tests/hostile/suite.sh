#!/bin/sh
# suite.sh - hostile inputs and peers (issue 11): captures from a FIFO and a
# process substitution, --agent-events from /dev/zero and with overlong
# lines, a capture whose networks overflow the BSS table, a captive portal
# that never ends its body, a chatty serial device, a DNS reply cut short,
# write errors on a full device, and the collector against forged sequence
# numbers, more devices than its table keeps, foreign --out files and a
# full file system; a captive portal answering 511, a real dnsmasq whose
# replies carry the TC bit, and the collector against a real libcoap client
# (coap-client): a write error's 5.03, the edges of its 256-event dedup
# window, --max-events and the fsync of --out's folder.  Every case runs
# with the plain and (when built) the ASan+UBSan binary, bounded by
# timeout; peers listen on loopback only.  Every process and file this
# suite starts is cleaned up by trap.  Prints FAIL/SKIP lines and the tally.
set -u
cd "$(dirname "$0")/../.." || exit 3
B=${B:-build}
H=$B/helpers
SRC=$(pwd)
pass=0 fail=0
T=$(mktemp -d "${TMPDIR:-/tmp}/cyanhostile.XXXXXX") || exit 3
PIDS=""

cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	echo "FAIL $1"
	[ $# -gt 1 ] && printf '     %s\n' "$2"
	return 0
}
# check NAME CONDITION-COMMAND...: one counted check.
check() {
	name=$1
	shift
	if "$@"; then ok; else bad "$name"; fi
}
has() { grep -q -- "$2" "$1"; }
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
lacks() { ! grep -q -- "$2" "$1"; }
# json FILE PYTHON-EXPR: the expression over d (FILE as JSON) is true.
json() {
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1" 2>/dev/null
}
# no_sanitizer FILE: stderr of a run holds no ASan/UBSan report.
no_sanitizer() { lacks "$1" 'Sanitizer\|runtime error:'; }

for f in "$B/cyanprobe" "$H/framegen" "$H/lab_serve"; do
	if [ ! -x "$f" ]; then
		echo "FAIL missing $f (make B=$B tests)"
		echo "# 0 passed, 1 failed"
		exit 1
	fi
done
bins="$B/cyanprobe"
[ -x "$B/asan/cyanprobe" ] && bins="$bins $B/asan/cyanprobe"
export NO_COLOR=1 CYANPROBE_RULES="$SRC/rules" CYANPROBE_FAKE_TIME=1700000000
mkdir -p "$T/syn"
"$H/framegen" -a "$T/syn" >"$T/framegen.err" 2>&1 ||
    bad "framegen" "$(head -n 3 "$T/framegen.err")"
TWO=$T/syn/synthetic-pcapng-two-links.pcap

# Loopback peers for the live checks: free ports for this run.
base=$(( 20000 + $$ % 20000 ))
P_DRIP=$base P_STREAM=$((base + 1)) P_CLOSED=$((base + 2))
P_SILENT=$((base + 3)) P_511=$((base + 4))
"$H/lab_serve" -p "$T/serve.pid" "portaldrip:127.0.0.1:$P_DRIP" \
    "portalstream:127.0.0.1:$P_STREAM" "silent:127.0.0.1:$P_SILENT" \
    "portal511:127.0.0.1:$P_511" \
    >"$T/serve.log" 2>&1 &
PIDS="$PIDS $!"
LAB_OK=""
for _ in $(seq 100); do
	[ -f "$T/serve.pid" ] && { LAB_OK=1; break; }
	sleep 0.05
done

for CP in $bins; do
tag=$(basename "$(dirname "$CP")")
[ "$tag" = "$(basename "$B")" ] && tag=plain

# --- 1. captures read once, as a stream ---------------------------------------
# The pcapng has interfaces of two link types: libpcap refuses it, and the
# old reader opened the path again (blocking on a FIFO) or read a pipe from
# the middle (0 packets, exit 0).
timeout 20 "$CP" analyze --json "$TWO" >"$T/file.json" 2>"$T/file.err"
check "$tag capture by name: exit 0 or 1" [ $? -le 1 ]
check "$tag capture by name: 8 packets" json "$T/file.json" \
    "d['source']['packets'] == 8"
rm -f "$T/fifo"
mkfifo "$T/fifo"
cat "$TWO" >"$T/fifo" &
PIDS="$PIDS $!"
timeout 20 "$CP" analyze --json "$T/fifo" >"$T/fifo.json" 2>"$T/fifo.err"
rc=$?
check "$tag capture from a FIFO: no hang (exit $rc)" [ $rc -le 1 ]
check "$tag capture from a FIFO: every packet" json "$T/fifo.json" \
    "d['source']['packets'] == 8 and d['source']['reader'] == 'cyanprobe-pcapng'"
check "$tag capture from a FIFO: the network" has "$T/fifo.json" '"HomeNet"'
check "$tag capture from a FIFO: no 'cut short'" lacks "$T/fifo.err" \
    'cut short'
check "$tag capture from a FIFO: sanitizer" no_sanitizer "$T/fifo.err"
timeout 20 bash -c '"$1" analyze --json <(cat "$2")' sh "$CP" "$TWO" \
    >"$T/proc.json" 2>"$T/proc.err"
rc=$?
check "$tag capture from <(...): exit $rc" [ $rc -le 1 ]
check "$tag capture from <(...): every packet, same facts as the file" \
    json "$T/proc.json" "d['source']['packets'] == 8 and d['facts'] == json.load(open('$T/file.json'))['facts']"
cat "$TWO" | timeout 20 "$CP" analyze --json - >"$T/pipe.json" 2>"$T/pipe.err"
check "$tag capture on a stdin pipe: every packet" json "$T/pipe.json" \
    "d['source']['packets'] == 8"
# A classic pcap through a pipe still goes to libpcap.
cat "$T/syn/synthetic-good-ap.pcap" | timeout 20 "$CP" analyze --json - \
    >"$T/pcap.json" 2>"$T/pcap.err"
check "$tag pcap on a pipe: libpcap, the network" json "$T/pcap.json" \
    "d['source']['reader'] == 'libpcap' and d['source']['packets'] > 0"

# --- 2. --agent-events lines are bounded as they are read ----------------------
GOOD='{"device":"53696d4465760000c7a90001","epoch":7,"seq":1,"ms":10,"stage":"cloud","event":"fail.cloud","code":-111,"detail":"Connection refused","rx":0}'
CAP=$T/syn/synthetic-healthy.pcap
# The plain binary also under a 4 GB address-space limit (ASan reserves
# more than that for its shadow memory, so it runs under the timeout only).
limit=unlimited
[ "$tag" = plain ] && limit=4000000
(ulimit -v $limit; timeout 30 "$CP" analyze "$CAP" --agent-events /dev/zero) \
    >"$T/zero.out" 2>"$T/zero.err"
rc=$?
check "$tag --agent-events /dev/zero: stops, exit 2 (got $rc)" [ $rc -eq 2 ]
check "$tag --agent-events /dev/zero: says the line is too long" \
    has "$T/zero.err" 'over 1048576 bytes long'
check "$tag --agent-events /dev/zero: not 'no events'" \
    lacks "$T/zero.err" 'no firmware-agent events'
{ head -c 5000 /dev/zero | tr '\0' x; echo; echo "$GOOD"; } >"$T/long.ev"
timeout 30 "$CP" analyze "$CAP" --agent-events "$T/long.ev" --json \
    >"$T/long.json" 2>"$T/long.err"
check "$tag --agent-events long line: skipped, event after it kept" \
    json "$T/long.json" "d['facts']['agent']['bad_lines'] == 1 and d['facts']['agent']['events'] == 1"
{ echo "$GOOD"; head -c 2000000 /dev/zero; } >"$T/tail.ev"
timeout 30 "$CP" analyze "$CAP" --agent-events "$T/tail.ev" --json \
    >"$T/tail.json" 2>"$T/tail.err"
check "$tag --agent-events huge tail: events before it kept" \
    json "$T/tail.json" "d['facts']['agent']['events'] == 1"
check "$tag --agent-events huge tail: said" has "$T/tail.err" \
    'events before it are kept'
check "$tag sanitizer (agent events)" no_sanitizer "$T/long.err"
# The same bound in diagnose, which reads the file before any check runs
# (every target on loopback; only the file's handling is judged here).
diag_agent() {
	(ulimit -v $limit; timeout 60 "$CP" diagnose --iface lo --no-dhcp \
	    --dns 127.0.0.1 --cloud "127.0.0.1:$P_CLOSED" \
	    --internet-test "127.0.0.1:$P_CLOSED" --ntp "127.0.0.1:$P_CLOSED" \
	    --portal-url "http://127.0.0.1:$P_CLOSED/" --timeout 1 --json \
	    --agent-events "$2") >"$T/$1.json" 2>"$T/$1.err"
}
diag_agent dzero /dev/zero
rc=$?
check "$tag diagnose --agent-events /dev/zero: stops, exit 2 (got $rc)" \
    [ $rc -eq 2 ]
check "$tag diagnose --agent-events /dev/zero: says the line is too long" \
    has "$T/dzero.err" 'line 1 is over 1048576 bytes long'
check "$tag diagnose --agent-events /dev/zero: not 'no events'" \
    lacks "$T/dzero.err" 'no firmware-agent events'
check "$tag diagnose --agent-events /dev/zero: no check run, no report" \
    [ ! -s "$T/dzero.json" ]
diag_agent dtail "$T/tail.ev"
check "$tag diagnose --agent-events huge tail: the event before it kept" \
    json "$T/dtail.json" "d['facts']['agent']['events'] == 1 and d['facts']['agent']['stage'] == 'cloud'"
check "$tag diagnose --agent-events huge tail: said" has "$T/dtail.err" \
    'line 2 is over 1048576 bytes long.*events before it are kept'
diag_agent dlong "$T/long.ev"
check "$tag diagnose --agent-events long line: skipped, event after it kept" \
    json "$T/dlong.json" "d['facts']['agent']['bad_lines'] == 1 and d['facts']['agent']['events'] == 1"
check "$tag sanitizer (diagnose agent events)" no_sanitizer "$T/dtail.err"

# --- 3. a full BSS table keeps the network asked about, and says so -----------
CROWD=$T/syn/synthetic-crowded.pcap
for fmt in json text markdown; do
	timeout 60 "$CP" analyze "--$fmt" --ssid HomeNet "$CROWD" \
	    >"$T/crowd.$fmt" 2>"$T/crowd.$fmt.err"
done
check "$tag crowded --ssid: the network is kept and judged" \
    json "$T/crowd.json" "[n['ssid'] for n in d['networks'] if n.get('focus')] == ['HomeNet']"
check "$tag crowded --ssid: no wifi.ssid_not_found" json "$T/crowd.json" \
    "'wifi.ssid_not_found' not in [f['id'] for f in d['findings']]"
check "$tag crowded --ssid: capture.table_full, a warning" \
    json "$T/crowd.json" "[f['severity'] for f in d['findings'] if f['id'] == 'capture.table_full'] == ['warning']"
check "$tag crowded --ssid: said in text" has "$T/crowd.text" \
    'capture.table_full'
check "$tag crowded --ssid: said in Markdown" has "$T/crowd.markdown" \
    'capture.table_full'
timeout 60 "$CP" analyze --json --ssid Nowhere "$CROWD" >"$T/crowd2.json" \
    2>"$T/crowd2.err"
check "$tag crowded, absent network: still not found (every frame checked)" \
    json "$T/crowd2.json" "'wifi.ssid_not_found' in [f['id'] for f in d['findings']]"
timeout 60 "$CP" analyze --json "$CROWD" >"$T/crowd3.json" 2>"$T/crowd3.err"
check "$tag crowded, no --ssid: capture.table_full" json "$T/crowd3.json" \
    "'capture.table_full' in [f['id'] for f in d['findings']]"
check "$tag crowded: sanitizer" no_sanitizer "$T/crowd.json.err"

# --- 4. a captive portal whose body never ends --------------------------------
# lab_serve on loopback: a 302 then one byte a second for ever, a 200 whose
# body streams for ever, a 200 login page that drips into the time-out.
# diagnose runs on lo with every target on loopback; only the portal
# check's outcome is judged here.
diag_portal() {
	timeout 60 "$CP" diagnose --iface lo --no-dhcp --dns 127.0.0.1 \
	    --cloud "127.0.0.1:$P_CLOSED" --internet-test "127.0.0.1:$P_CLOSED" \
	    --ntp "127.0.0.1:$P_CLOSED" --timeout 3 --portal-url "$2" --json \
	    >"$T/$1.json" 2>"$T/$1.err"
}
portal_is() {
	json "$T/$1.json" "'portal.detected' in [f['id'] for f in d['findings']] and d['facts']['portal']['status'] == $2 and 'body_cut' in d['facts']['portal']"
}
if [ -n "$LAB_OK" ]; then
	diag_portal drip "http://127.0.0.1:$P_DRIP/generate_204"
	check "$tag portal 302 + endless drip: portal.detected" portal_is drip 302
	diag_portal stream "http://127.0.0.1:$P_STREAM/generate_204"
	check "$tag portal 200 + endless stream: portal.detected" \
	    portal_is stream 200
	check "$tag portal 200 + endless stream: its title" \
	    json "$T/stream.json" "d['facts']['portal']['title'] == 'Endless Login'"
	diag_portal slow "http://127.0.0.1:$P_DRIP/login"
	check "$tag portal 200 dripping into the time-out: portal.detected" \
	    portal_is slow 200
	check "$tag portal: sanitizer" no_sanitizer "$T/slow.err"
	# A server that takes the connection and never answers: the check
	# could not finish, so it warns (no clean pass); a refused connect
	# is the internet check's, and the portal check is skipped.
	diag_portal silent "http://127.0.0.1:$P_SILENT/generate_204"
	check "$tag portal silent after connect: portal.unchecked, check warns" \
	    json "$T/silent.json" "'portal.unchecked' in [f['id'] for f in d['findings']] and d['facts']['run']['portal']['status'] == 'warn' and d['facts']['portal']['connected'] is True and 'portal.detected' not in [f['id'] for f in d['findings']]"
	# 511 Network Authentication Required (RFC 6585): a portal, whole
	# or with a body that drips into the time-out.
	diag_portal p511 "http://127.0.0.1:$P_511/generate_204"
	check "$tag portal 511: portal.detected" json "$T/p511.json" \
	    "'portal.detected' in [f['id'] for f in d['findings']] and d['facts']['portal']['status'] == 511 and d['facts']['portal']['result'] == 'portal'"
	check "$tag portal 511: the evidence says 511" json "$T/p511.json" \
	    "'answered HTTP 511' in [f['evidence'] for f in d['findings'] if f['id'] == 'portal.detected'][0]"
	diag_portal drip511 "http://127.0.0.1:$P_DRIP/511"
	check "$tag portal 511 + endless drip: portal.detected" \
	    portal_is drip511 511
	diag_portal refused "http://127.0.0.1:$P_CLOSED/generate_204"
	check "$tag portal refused: skipped, no portal finding" \
	    json "$T/refused.json" "not [f for f in d['findings'] if f['id'].startswith('portal.')] and d['facts']['run']['portal']['status'] == 'skipped' and d['facts']['portal']['connected'] is False"
else
	bad "$tag lab_serve did not start" "$(cat "$T/serve.log")"
fi

# --- 5. `serial DEV events` against a device that never stops talking --------
rm -f "$T/pty.link"
python3 "$SRC/tests/hostile/chatty_pty.py" "$T/pty.link" &
PTY_PID=$!
PIDS="$PIDS $PTY_PID"
for _ in $(seq 200); do
	[ -f "$T/pty.link" ] && break
	sleep 0.05
done
if [ -f "$T/pty.link" ]; then
	start=$(date +%s)
	timeout 30 "$CP" serial "$(cat "$T/pty.link")" events --timeout 1 \
	    >"$T/chatty.out" 2>"$T/chatty.err"
	rc=$?
	took=$(( $(date +%s) - start ))
	check "$tag serial events, chatty device: exit 3 (got $rc)" [ $rc -eq 3 ]
	# The deadline is 1 s; a reader that let the chatter keep it going
	# would run to the 30 s timeout.  The bound is halfway, for a loaded
	# machine (timing targets are tests/bench's).
	check "$tag serial events, chatty device: stops by the deadline (${took}s)" \
	    [ "$took" -le 15 ]
	check "$tag serial events, chatty device: says no answer" \
	    has "$T/chatty.err" "no answer to 'e'"
	check "$tag serial: sanitizer" no_sanitizer "$T/chatty.err"
else
	bad "$tag chatty pty did not start"
fi
stop $PTY_PID

# --- 6. write errors on standard output are said, in every command ----------
for args in "explain --list" "--help" "--version" "explain --help" \
    "analyze $T/syn/synthetic-good-ap.pcap" "collect --help"; do
	# shellcheck disable=SC2086
	timeout 30 "$CP" $args >/dev/full 2>"$T/full-out.err"
	rc=$?
	check "$tag $args > /dev/full: exit 3 (got $rc)" [ $rc -eq 3 ]
	check "$tag $args > /dev/full: says so" has "$T/full-out.err" \
	    'standard output'
done

# --- 6b. a DNS reply cut short (TC bit), from a real dnsmasq -----------------
# The probe asks without EDNS0, so a reply over 512 bytes is cut: stock
# dnsmasq sets TC and keeps the records that fit.  cloud.lab is a chain of
# two CNAMEs of 250-byte names: only the first fits, so the reply has TC
# and no address; many.lab has 60 addresses, of which some fit.  dnsmasq
# needs port 53, so it and the probe run in a network namespace of their
# own (unshare -n: loopback only, gone with its processes); dnsmasq's
# options are lab_dnsmasq's (tests/lab/lib.sh), in the foreground.
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null &&
    command -v dnsmasq >/dev/null && command -v dig >/dev/null; then
	L1=$(printf 'a%.0s' $(seq 60)) L2=$(printf 'b%.0s' $(seq 60))
	L1="$L1.$L1.$L1.$L1.one" L2="$L2.$L2.$L2.$L2.two"
	{
		echo "127.0.0.1 $L2"
		for i in $(seq 60); do echo "127.1.0.$i many.lab"; done
	} >"$T/dns.hosts"
	rm -f "$T"/tc*.json "$T/tc.ready"
	timeout 120 unshare -n sh -c '
		ip link set lo up || exit 9
		dnsmasq -k --conf-file=/dev/null --no-hosts --no-resolv \
		    --user=root --group=root --bind-interfaces \
		    --listen-address=127.0.0.1 --pid-file="$1/tc.pid" \
		    --log-facility="$1/tc.dnslog" --log-queries \
		    --addn-hosts="$1/dns.hosts" --cname="cloud.lab,$3" \
		    --cname="$3,$4" &
		dns=$!
		trap "kill $dns; wait $dns" EXIT
		for _ in $(seq 100); do
			dig +short +tries=1 +time=1 @127.0.0.1 many.lab \
			    >/dev/null 2>&1 && { : >"$1/tc.ready"; break; }
			sleep 0.1
		done
		for name in cloud many; do
			"$2" diagnose --iface lo --no-dhcp --dns 127.0.0.1 \
			    --cloud "$name.lab:5683" \
			    --internet-test 127.0.0.1:9 --ntp 127.0.0.1:9 \
			    --portal-url http://127.0.0.1:9/ --timeout 5 \
			    --json >"$1/tc-$name.json" 2>"$1/tc-$name.err"
		done
	' sh "$T" "$CP" "$L1" "$L2"
	check "$tag DNS TC: dnsmasq answered" [ -f "$T/tc.ready" ]
	tcf=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['facts']['dns'].get('cloud'))" "$T/tc-cloud.json" 2>&1 | head -c 300)
	check "$tag DNS TC, no address: facts.dns.cloud.truncated ($tcf)" \
	    json "$T/tc-cloud.json" "d['facts']['dns']['cloud']['truncated'] is True and d['facts']['dns']['cloud']['addresses'] == [] and d['facts']['dns']['cloud']['rcode'] == 'NOERROR'"
	check "$tag DNS TC, no address: cloud.dns_failed says truncated" \
	    json "$T/tc-cloud.json" "[f['evidence'] for f in d['findings'] if f['id'] == 'cloud.dns_failed'][0].startswith('cloud.lab: NOERROR truncated (TC bit) with no IPv4 address; not retried over TCP from 127.0.0.1')"
	check "$tag DNS TC, some addresses: truncated, the addresses kept" \
	    json "$T/tc-many.json" "d['facts']['dns']['cloud']['truncated'] is True and len(d['facts']['dns']['cloud']['addresses']) > 0 and 'cloud.dns_failed' not in [f['id'] for f in d['findings']]"
	check "$tag DNS TC, nonexistent name: not truncated" \
	    json "$T/tc-many.json" "'truncated' not in d['facts']['dns']['nonexistent']"
	check "$tag DNS TC: sanitizer" no_sanitizer "$T/tc-cloud.err"
else
	echo "SKIP $tag DNS TC: needs root, unshare, dnsmasq and dig"
fi

# --- 7-10. the collector ------------------------------------------------------
DEV=53696d4465760000c7a90001
# collector NAME OUT ARGS...: start `cyanprobe collect` on a free loopback
# port; sets C_PID and C_ADDR (empty when it did not start).
collector() {
	cname=$1 cout=$2
	shift 2
	"$CP" collect --listen 127.0.0.1:0 --out "$cout" "$@" \
	    >"$T/$cname.cout" 2>"$T/$cname.cerr" &
	C_PID=$!
	PIDS="$PIDS $C_PID"
	C_ADDR=""
	for _ in $(seq 100); do
		C_ADDR=$(sed -n 's/^listening //p' "$T/$cname.cout")
		[ -n "$C_ADDR" ] && break
		kill -0 "$C_PID" 2>/dev/null || break
		sleep 0.05
	done
}
post() { timeout 30 python3 "$SRC/tests/hostile/coap_post.py" "$C_ADDR" "$DEV" "$@"; }
# seqs FILE: the seq numbers of FILE's lines, in order, space-separated.
seqs() { python3 -c "import json,sys; print(' '.join(str(json.loads(l)['seq']) for l in open(sys.argv[1])))" "$1"; }

# 7. A forged sequence number far ahead silences no one.
CF=$T/far.jsonl
rm -f "$CF" "$CF.partial"
collector far "$CF"
post 7 1 2 0xFFFFFFF0 3 4 5 4 >"$T/far.acks"
stop $C_PID
check "$tag collector: every event after a far seq ACKed" \
    [ "$(grep -c ' 2.04$' "$T/far.acks")" -eq 7 ]
check "$tag collector: ...and stored, the repeat of 4 once" \
    [ "$(seqs "$CF")" = "1 2 4294967280 3 4 5" ]
check "$tag collector: the jump and the return are flagged" \
    [ "$(grep -c '"seq_jump":true' "$CF")" -eq 2 ]
check "$tag collector: summary counts the jumps" has "$T/far.cerr" \
    '2 stored event(s) flagged seq_jump'
collector far2 "$CF"
post 7 6 5 0xFFFFFFF0 >"$T/far2.acks"
stop $C_PID
check "$tag collector after restart: new event stored, repeats not" \
    [ "$(seqs "$CF")" = "1 2 4294967280 3 4 5 6" ]
check "$tag collector after restart: all ACKed" \
    [ "$(grep -c ' 2.04$' "$T/far2.acks")" -eq 3 ]
check "$tag collector: sanitizer" no_sanitizer "$T/far2.cerr"

# 7b. The device table full (4096, docs/firmware-agent.md): a new device
# makes the collector forget the one idle longest, every event is still
# stored and ACKed, and the summary says how many were forgotten.  Each
# agent_flood run is given its own device ids (-e), so the second run's 100
# are new (random ids once collided between the two runs: 100 duplicates).
CT=$T/table.jsonl
rm -f "$CT" "$CT.partial"	# the previous binary's run
collector table "$CT"
"$H/agent_flood" -a "$C_ADDR" -e 1 -d 4096 -n 1 >"$T/table1.out"
r1=$?
"$H/agent_flood" -a "$C_ADDR" -e 2 -d 100 -n 1 >"$T/table2.out"
r2=$?
stop $C_PID
check "$tag collector, 4196 devices: every event ACKed" [ $r1 -eq 0 -a $r2 -eq 0 ]
check "$tag collector, 4196 devices: every event stored ($(wc -l <"$CT") lines; $(tail -c 300 "$T/table.cerr"))" \
    [ "$(wc -l <"$CT")" -eq 4196 ]
check "$tag collector, 4196 devices: the summary counts the forgotten ($(tail -c 300 "$T/table.cerr"); $(tail -1 "$T/table1.out"))" \
    has "$T/table.cerr" '100 idle device(s) forgotten past 4096'
check "$tag collector, 4196 devices: sanitizer" no_sanitizer "$T/table.cerr"

# 8. --out on a file that is not the collector's: refused, untouched.
printf 'my notes\nline two of my notes\nthree {"device":"x\n' >"$T/notes.txt"
cp "$T/notes.txt" "$T/notes.orig"
timeout 10 "$CP" collect --listen 127.0.0.1:0 --out "$T/notes.txt" \
    >"$T/notes.out" 2>"$T/notes.err"
check "$tag collect --out notes.txt: exit 2 (got $?)" [ $? -eq 2 ]
check "$tag collect --out notes.txt: untouched" cmp -s "$T/notes.txt" \
    "$T/notes.orig"
check "$tag collect --out notes.txt: says why" has "$T/notes.err" \
    'not a file of collector event lines'
printf 'no newline at all' >"$T/frag.txt"
timeout 10 "$CP" collect --listen 127.0.0.1:0 --out "$T/frag.txt" \
    >"$T/frag.out" 2>&1
check "$tag collect --out one foreign line: exit 2" [ $? -eq 2 ]
check "$tag collect --out one foreign line: untouched" \
    [ "$(cat "$T/frag.txt")" = "no newline at all" ]
# The collector's own partial line is cut, and kept beside the file.
printf '{"device":"5369' >>"$CF"
collector part "$CF"
stop $C_PID
check "$tag collector: its partial line cut" [ "$(seqs "$CF")" = \
    "1 2 4294967280 3 4 5 6" ]
check "$tag collector: the cut kept in FILE.partial" \
    [ "$(cat "$CF.partial")" = '{"device":"5369' ]
check "$tag collector: says where" has "$T/part.cerr" "kept in $CF.partial"

# 9. A full file system: the summary counts the lines really written.
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null &&
    [ -x "$H/agent_flood" ]; then
	mkdir -p "$T/full"
	# A 64 KiB tmpfs in a private mount namespace: gone with the shell.
	timeout 120 unshare -m sh -c '
		mount -t tmpfs -o size=64k cyanfull "$1" || exit 9
		"$2" collect --listen 127.0.0.1:0 --out "$1/ev.jsonl" \
		    --max-events 100000 >"$3/full.cout" 2>"$3/full.cerr" &
		pid=$!
		for _ in $(seq 100); do
			a=$(sed -n "s/^listening //p" "$3/full.cout")
			[ -n "$a" ] && break
			sleep 0.05
		done
		"$4" -a "$a" -d 8 -n 400 -t 4000 >"$3/full.flood" 2>&1
		kill $pid
		wait $pid
		echo "rc $?" >"$3/full.rc"
		wc -l <"$1/ev.jsonl" >"$3/full.lines"
		tail -c 1 "$1/ev.jsonl" | od -c >"$3/full.last"
	' sh "$T/full" "$CP" "$T" "$H/agent_flood"
	stored=$(sed -n 's/.*collect: \([0-9]*\) events stored.*/\1/p' \
	    "$T/full.cerr")
	check "$tag full disk: the file filled (got $(cat "$T/full.lines" 2>/dev/null) lines)" \
	    [ "$(cat "$T/full.lines" 2>/dev/null || echo 0)" -gt 0 ]
	check "$tag full disk: stored ($stored) = lines in the file" \
	    [ "$stored" = "$(cat "$T/full.lines" 2>/dev/null)" ]
	check "$tag full disk: the real error, no ': Success'" \
	    has "$T/full.cerr" 'No space left on device'
	check "$tag full disk: no ': Success'" lacks "$T/full.cerr" 'Success'
	check "$tag full disk: whole lines only" has "$T/full.last" '\\n'
	check "$tag full disk: exit 3" has "$T/full.rc" 'rc 3'
	check "$tag full disk: sanitizer" no_sanitizer "$T/full.cerr"
	check "$tag full disk: tmpfs gone with its namespace" \
	    sh -c "! grep -q cyanfull /proc/mounts"
else
	echo "SKIP $tag full disk: needs root, unshare and agent_flood"
fi

# --- 10. the collector against a real libcoap client ---------------------------
# coap-client (libcoap3-bin) sends each payload as a CON POST /e and waits
# for the answer; coap_post.py --payload only builds the agent's payload
# bytes.  Payloads of up to 50 events: one datagram each.
COAPC=""
for c in coap-client coap-client-notls coap-client-openssl; do
	command -v "$c" >/dev/null && { COAPC=$c; break; }
done
# cpost NAME SEQ...: POST one payload of those events (FIRST-LAST is a
# range) to $C_ADDR; the answer's code (2.04, 5.03...) in $T/NAME.code,
# "none" when there was none.
cpost() {
	cpname=$1
	shift
	python3 "$SRC/tests/hostile/coap_post.py" --payload "$DEV" 7 "$@" \
	    >"$T/$cpname.bin"
	timeout 30 "$COAPC" -m post -t 42 -B 5 -v 6 -f "$T/$cpname.bin" \
	    "coap://$C_ADDR/e" >"$T/$cpname.coap" 2>&1
	code=$(sed -n 's/.*t:ACK c:\([0-9]\.[0-9][0-9]\).*/\1/p' \
	    "$T/$cpname.coap" | tail -n 1)
	echo "${code:-none}" >"$T/$cpname.code"
}
code_is() { [ "$(cat "$T/$1.code")" = "$2" ]; }
# exited PID: wait up to 30 s for the collector to stop by itself; its
# exit status in $C_RC (124 when it had to be stopped).
exited() {
	C_RC=124
	for _ in $(seq 300); do
		kill -0 "$1" 2>/dev/null || { wait "$1"; C_RC=$?; return 0; }
		sleep 0.1
	done
	stop "$1"
}
if [ -n "$COAPC" ]; then
	# 10a. A write that fails: 5.03, never 2.04.  /dev/full fails every
	# write (ENOSPC) and cannot be cut back, so the collector stops.
	collector dfull /dev/full
	cpost dfull 1-3
	exited $C_PID
	check "$tag collector, write fails: coap-client gets 5.03 (got $(cat "$T/dfull.code"))" \
	    code_is dfull 5.03
	check "$tag collector, write fails: the error said" has \
	    "$T/dfull.cerr" 'No space left on device; answered 5.03'
	check "$tag collector, write fails: stops, exit 3 (got $C_RC)" \
	    [ "$C_RC" -eq 3 ]
	check "$tag collector, write fails: sanitizer" no_sanitizer \
	    "$T/dfull.cerr"

	# 10b. The dedup window is the device's last 256 stored events:
	# after 255 or 256 events the first is still a repeat (2.04, not
	# written again); after 257 it has left the window and is stored
	# again (docs/firmware-agent.md).
	for n in 255 256 257; do
		CW=$T/win$n.jsonl
		rm -f "$CW"
		collector win$n "$CW"
		from=1
		while [ $from -le $n ]; do
			to=$((from + 49))
			[ $to -gt $n ] && to=$n
			cpost "win$n-$from" "$from-$to"
			code_is "win$n-$from" 2.04 || bad "$tag window $n: POST $from-$to got $(cat "$T/win$n-$from.code")"
			from=$((to + 1))
		done
		cpost "win$n-again" 1
		stop $C_PID
		want=$n
		[ $n -eq 257 ] && want=258
		check "$tag collector window, $n events then seq 1 again: 2.04" \
		    code_is "win$n-again" 2.04
		check "$tag collector window, $n events then seq 1 again: $want lines (got $(wc -l <"$CW"))" \
		    [ "$(wc -l <"$CW")" -eq $want ]
	done
	# A jump is more than 256 from the previous event: 1 -> 257 is
	# none, 257 -> 514 is one.
	CJ=$T/jump.jsonl
	rm -f "$CJ"
	collector jump "$CJ"
	cpost jump 1 257 514
	stop $C_PID
	check "$tag collector window: only the jump of 257 flagged" \
	    [ "$(grep '"seq_jump":true' "$CJ" | sed 's/.*"seq":\([0-9]*\).*/\1/')" = 514 ]
	check "$tag collector window: sanitizer" no_sanitizer "$T/jump.cerr"

	# 10c. --max-events N: exactly N events stored.  A POST whose
	# events go past N is answered 5.03, with only those up to N
	# stored, and the collector stops; the POST sent again to a
	# collector on the same file stores the rest, its first events
	# being repeats.
	CM=$T/max.jsonl
	rm -f "$CM"
	collector max "$CM" --max-events 3
	cpost max1 1
	cpost max2 2-4
	exited $C_PID
	check "$tag --max-events 3: POST of 1 event: 2.04" code_is max1 2.04
	check "$tag --max-events 3: POST of 3 more: 5.03 (got $(cat "$T/max2.code"))" \
	    code_is max2 5.03
	check "$tag --max-events 3: exactly 3 stored (got $(seqs "$CM"))" \
	    [ "$(seqs "$CM")" = "1 2 3" ]
	check "$tag --max-events 3: stops by itself, exit 0 (got $C_RC)" \
	    [ "$C_RC" -eq 0 ]
	check "$tag --max-events 3: the summary says 3" has "$T/max.cerr" \
	    'collect: 3 events stored'
	collector max2 "$CM" --max-events 10
	cpost max3 2-4
	stop $C_PID
	m3=$(seqs "$CM")
	check "$tag --max-events: the POST again: 2.04, 4 stored once each (got $m3)" \
	    [ "$(cat "$T/max3.code")" = 2.04 -a "$m3" = "1 2 3 4" ]
	# One event per POST, as the agent sends: the Nth is acknowledged,
	# and the collector stops after it.
	CM1=$T/max1.jsonl
	rm -f "$CM1"
	collector maxone "$CM1" --max-events 2
	cpost maxone1 1
	cpost maxone2 2
	exited $C_PID
	m1=$(cat "$T/maxone1.code" "$T/maxone2.code" | tr '\n' ' ')
	check "$tag --max-events 2, one event a POST: both 2.04 ($m1), 2 stored, exit 0 ($C_RC)" \
	    [ "$m1" = "2.04 2.04 " -a "$(wc -l <"$CM1")" -eq 2 -a "$C_RC" -eq 0 ]
	check "$tag --max-events: sanitizer" no_sanitizer "$T/max.cerr"
else
	echo "SKIP $tag collector vs coap-client: no coap-client (libcoap3-bin)"
fi

# 10d. A new --out file's folder is fsynced, and a failed fsync is an error
# (strace: its trace shows the call; its fault injection makes it fail).
if command -v strace >/dev/null && [ -n "$COAPC" ]; then
	# LeakSanitizer cannot run under ptrace: off for the traced runs
	# (last, as a later ASAN_OPTIONS entry wins over tests/run.sh's).
	noleak="${ASAN_OPTIONS:-}:detect_leaks=0"
	mkdir -p "$T/sd"
	rm -f "$T/sd/new.jsonl" "$T/sd/fail.jsonl"
	ASAN_OPTIONS=$noleak strace -f -y -e trace=fsync -o "$T/sd.trace" \
	    "$CP" collect --listen 127.0.0.1:0 --out "$T/sd/new.jsonl" \
	    --max-events 1 >"$T/sd.cout" 2>"$T/sd.cerr" &
	C_PID=$!
	PIDS="$PIDS $C_PID"
	for _ in $(seq 100); do
		C_ADDR=$(sed -n 's/^listening //p' "$T/sd.cout")
		[ -n "$C_ADDR" ] && break
		sleep 0.1
	done
	cpost sd 1
	exited $C_PID
	check "$tag collect, new --out: its folder fsynced" \
	    grep -q "^[0-9]* *fsync([0-9]*<$T/sd>) = 0" "$T/sd.trace"
	check "$tag collect, new --out: stored, exit 0" \
	    [ "$C_RC" -eq 0 -a "$(wc -l <"$T/sd/new.jsonl")" -eq 1 ]
	ASAN_OPTIONS=$noleak timeout 30 strace -f -y -e trace=fsync \
	    -e inject=fsync:error=EIO:when=1 \
	    -o "$T/sdfail.trace" "$CP" collect --listen 127.0.0.1:0 \
	    --out "$T/sd/fail.jsonl" >"$T/sdfail.cout" 2>"$T/sdfail.cerr"
	rc=$?
	check "$tag collect, folder fsync fails: the folder's fsync failed" \
	    grep -q "fsync([0-9]*<$T/sd>) = -1 EIO.*INJECTED" "$T/sdfail.trace"
	check "$tag collect, folder fsync fails: exit 3 (got $rc)" [ $rc -eq 3 ]
	check "$tag collect, folder fsync fails: says so" has "$T/sdfail.cerr" \
	    "fail.jsonl: cannot fsync the folder that holds it.*: Input/output error"
	check "$tag collect, folder fsync fails: never listened" \
	    [ ! -s "$T/sdfail.cout" ]
	check "$tag collect, folder fsync: sanitizer" no_sanitizer \
	    "$T/sdfail.cerr"
else
	echo "SKIP $tag collect folder fsync: needs strace and coap-client"
fi

done

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
