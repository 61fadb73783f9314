#!/bin/sh
# suite.sh - the firmware agent end to end: the virtual device on a real
# pseudo-terminal against `cyanprobe serial` (identify, version, mac,
# events, the error cases), the retained ring across restarts and after
# corruption, the collector with real agents and the flood helper
# (duplicates, malformed payloads, rate limit, kill -9, a partial last
# line), the Device OS glue against its shim, and, as root, the lab: 5683
# blocked and healthy.  Everything runs on loopback or in namespaces this
# suite creates; every process and file it starts is cleaned up by trap.
set -u
cd "$(dirname "$0")/../.." || exit 3
B=${B:-build}
CP=$B/cyanprobe
H=$B/helpers
pass=0 fail=0
T=$(mktemp -d "${TMPDIR:-/tmp}/cyanagent.XXXXXX") || exit 3
PIDS=""

cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null
	done
	if [ -n "${LAB_DIR:-}" ]; then
		lab_down >/dev/null 2>&1
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
# check NAME CONDITION-COMMAND...: one counted check.
check() {
	name=$1
	shift
	if "$@"; then ok; else bad "$name"; fi
}
has() { grep -q -- "$2" "$1"; }

for f in "$CP" "$H/lab_serve" "$H/agent_flood"; do
	if [ ! -x "$f" ]; then
		echo "FAIL missing $f (make B=$B tests)"
		echo "# 0 passed, 1 failed"
		exit 1
	fi
done

# Free loopback ports for this run: cloud, an open TCP port (the internet
# test), NTP, and one that nothing listens on.
base=$(( 20000 + $$ % 20000 ))
P_CLOUD=$base P_OPEN=$((base + 1)) P_NTP=$((base + 2)) P_CLOSED=$((base + 3))
"$H/lab_serve" -p "$T/serve.pid" "cloud:127.0.0.1:$P_CLOUD" \
    "tcp:127.0.0.1:$P_OPEN" "ntp:127.0.0.1:$P_NTP" >"$T/serve.log" 2>&1 &
PIDS="$PIDS $!"
# waitfile FILE TRIES: wait (10 ms a try) for FILE to have something in it.
waitfile() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt "$2" ]; do
		sleep 0.01
		i=$((i + 1))
	done
	[ -s "$1" ]
}
if ! waitfile "$T/serve.pid" 500; then
	echo "FAIL lab_serve did not start"
	cat "$T/serve.log"
fi

# simdev NAME ARGS...: start a virtual device with a pty in the
# background; sets SD_PID and SD_PTY; its stdout is $T/NAME.out.
simdev() {
	n=$1
	shift
	# Loopback defaults first (a later flag wins), so that no path of the
	# virtual device can reach for 8.8.8.8 or pool.ntp.org.
	"$CP" simulate-device --pty --timeout 1 --dns "127.0.0.1:$P_CLOSED" \
	    --internet-test "127.0.0.1:$P_OPEN" --ntp "127.0.0.1:$P_NTP" \
	    "$@" >"$T/$n.out" 2>"$T/$n.err" &
	SD_PID=$!
	PIDS="$PIDS $SD_PID"
	SD_PTY=""
	i=0
	# Up to 30 s (a loaded machine); a healthy one is there in a blink.
	while [ $i -lt 3000 ]; do
		SD_PTY=$(awk '/^pty /{ print $2; exit }' "$T/$n.out" \
		    2>/dev/null)
		[ -n "$SD_PTY" ] && grep -q '^result ' "$T/$n.out" && break
		sleep 0.01
		i=$((i + 1))
	done
}
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

# --- serial over a real pty ----------------------------------------------
simdev healthy -v --cloud "127.0.0.1:$P_CLOUD" --internet-test "127.0.0.1:$P_OPEN"
check "simulate-device -v: each stage on stderr" \
    has "$T/healthy.err" '^cyanprobe: simulate-device: stage handshake$'
check "healthy device reaches connected" has "$T/healthy.out" \
    '^result connected none cyan breathe 0'
"$CP" serial "$SD_PTY" identify >"$T/id.out" 2>"$T/id.err"
check "serial identify exit 0" [ $? -eq 0 ]
check "serial identify parses the id" has "$T/id.out" \
    '^device id: 53696d4465760000c7a90001$'
check "serial identify: a Photon says device" \
    has "$T/id.out" '^platform: device$'
"$CP" serial "$SD_PTY" version >"$T/v.out" 2>&1
check "serial version" has "$T/v.out" '^system firmware version: 1.5.2$'
"$CP" serial "$SD_PTY" mac >"$T/m.out" 2>&1
check "serial mac" has "$T/m.out" '^mac: 02:00:00:c7:a9:01$'
"$CP" serial -v "$SD_PTY" --timeout 2 version >"$T/v.out" 2>"$T/v.err"
check "serial -v: what it sends, on stderr" has "$T/v.err" \
    "^cyanprobe: serial: sent 'v', waiting up to 2000 ms"
check "serial -v: and what it reads" has "$T/v.err" \
    '^cyanprobe: serial: read: system firmware version: 1.5.2'
check "serial -v: stdout as without it" has "$T/v.out" \
    '^system firmware version: 1.5.2$'
check "serial -v: the port opened" has "$T/v.err" \
    "^cyanprobe: serial: $SD_PTY open at 9600 baud$"
"$CP" serial "$SD_PTY" --timeout 2 version >"$T/v0.out" 2>"$T/v0.err"
check "serial -v: stdout the same as without -v" cmp -s "$T/v.out" "$T/v0.out"
check "serial without -v: nothing on stderr" [ ! -s "$T/v0.err" ]
# The same virtual device without -v: stdout the same (the pty's name and
# the events' clock, and so their CRCs, aside), nothing on stderr.  And a
# failing one with -v names the failure.
sdmask() {
	sed '/^result /q' "$1" |
	    awk '/^pty /{ $2 = "P" } $1 == "CY1" { $4 = "T"; $NF = "C" } { print }'
}
hp=$SD_PID hpty=$SD_PTY
simdev plain --cloud "127.0.0.1:$P_CLOUD" --internet-test "127.0.0.1:$P_OPEN"
stop $SD_PID
check "simulate-device -v: stdout the same as without -v" \
    [ "$(sdmask "$T/plain.out")" = "$(sdmask "$T/healthy.out")" ]
check "simulate-device without -v: nothing on stderr" [ ! -s "$T/plain.err" ]
check "simulate-device -v: every stage to connected" \
    [ "$(grep -c '^cyanprobe: simulate-device: stage ' "$T/healthy.err")" -eq \
    "$(grep -c '^CY1 E .* enter ' "$T/healthy.out")" ]
simdev vfail -v --cloud "127.0.0.1:$P_CLOSED"
stop $SD_PID
check "simulate-device -v: the failure" has "$T/vfail.err" \
    '^cyanprobe: simulate-device: failed at cloud (-111): Connection refused$'
SD_PID=$hp SD_PTY=$hpty
"$CP" serial "$SD_PTY" events >"$T/ev.out" 2>"$T/ev.err"
check "serial events exit 0" [ $? -eq 0 ]
check "events starts with the dump header" \
    sh -c "head -n 1 '$T/ev.out' | grep -q '^CY1 D '"
check "events has the whole ring" has "$T/ev.err" ' 0 missing, 0 garbled'
check "events ends at connected" \
    sh -c "tail -n 1 '$T/ev.out' | grep -q ' connected enter '"
n=$(grep -c '^CY1 E ' "$T/ev.out")
m=$(grep -c '^CY1 E ' "$T/healthy.out")
check "dump holds every event the device recorded ($n = $m)" [ "$n" -eq "$m" ]

# watch over a pty fed by hand: a garbled line and a lost one are reported.
python3 - "$T/feed.pty" <<'PY' &
import os, sys, time, zlib
m, sl = os.openpty()
import tty
tty.setraw(sl)
open(sys.argv[1] + ".tmp", "w").write(os.ttyname(sl))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
def line(body, garble=False):
    l = "%s*%08x\r\n" % (body, zlib.crc32(body.encode()))
    if garble:
        l = l.replace("wifi", "wify")
    return l.encode()
time.sleep(0.5)
os.write(m, line("CY1 E 1 0 power boot 1  "))
os.write(m, line("CY1 E 2 5 wifi enter 0  ", garble=True))
os.write(m, line("CY1 E 4 9 cloud enter 0  "))
os.write(m, line("CY1 E 5 9 cloud fail.cloud -111 x "))
time.sleep(60)  # the pty stays until the test stops this feeder
PY
FEED=$!
PIDS="$PIDS $FEED"
waitfile "$T/feed.pty" 300
# --count 3 ends it once the lines are read; --duration is only the bound.
"$CP" serial "$(cat "$T/feed.pty")" watch --count 3 --duration 30 \
    >"$T/watch.out" 2>"$T/watch.err"
rc=$?
check "watch: missing/garbled lines exit 1" [ $rc -eq 1 ]
check "watch: the garbled line is reported" has "$T/watch.err" 'garbled line'
check "watch: the gap is reported" has "$T/watch.err" 'gap: seq 4 follows 1'
check "watch: good lines printed, the garbled one not" \
    test "$(grep -c '^CY1 E' "$T/watch.out")" -eq 3
stop $FEED

# Busy: a second program while one holds the port: its lock is waited for
# in /proc/locks (a fixed sleep lost the race on a loaded machine).
"$CP" serial "$SD_PTY" watch --duration 60 >"$T/w.out" 2>&1 &
W=$!
PIDS="$PIDS $W"
i=0
while ! awk -v p="$W" '$2 == "FLOCK" && $5 == p { f = 1 } END { exit !f }' \
    /proc/locks && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
"$CP" serial "$SD_PTY" identify >"$T/busy.out" 2>&1
rc=$?
check "busy port: exit 2" [ $rc -eq 2 ]
check "busy port: says busy" has "$T/busy.out" '^cyanprobe: .*busy'
stop $W
stop $SD_PID

# Errors: missing device, not a tty, unsupported speed, wrong baud.
"$CP" serial "$T/ttyNOPE" identify >"$T/e1" 2>&1
check "missing device: exit 2" [ $? -eq 2 ]
check "missing device: named, no such device" \
    has "$T/e1" "^cyanprobe: $T/ttyNOPE: no such device"
"$CP" serial /dev/null identify >"$T/e2" 2>&1
check "not a tty: exit 2" [ $? -eq 2 ]
check "not a tty: says so" has "$T/e2" 'not a serial device'
"$CP" serial /dev/null --baud 12345 identify >"$T/e3" 2>&1
check "bad speed: exit 2" [ $? -eq 2 ]
check "bad speed: says so" has "$T/e3" 'unsupported speed 12345'
"$CP" serial /dev/null frobnicate >"$T/e4" 2>&1
check "unknown serial command: exit 2" [ $? -eq 2 ]
simdev garbled --garble --cloud "127.0.0.1:$P_CLOUD"
"$CP" serial "$SD_PTY" --timeout 1000ms identify >"$T/e5" 2>&1
check "wrong baud: exit 2" [ $? -eq 2 ]
check "wrong baud: says garbled" has "$T/e5" 'garbled input at 9600 baud'
stop $SD_PID
"$CP" serial --help >"$T/h" 2>&1
check "serial --help" has "$T/h" '^usage: cyanprobe serial'

# --- the device's view of failures (2 vs 3 blinks, eras) -----------------
simdev blocked --cloud "127.0.0.1:$P_CLOSED" --internet-test "127.0.0.1:$P_OPEN"
check "5683 refused, internet fine: 3 orange" has "$T/blocked.out" \
    '^result cloud cloud orange blink 3'
stop $SD_PID
simdev nonet --cloud "127.0.0.1:$P_CLOSED" --internet-test "127.0.0.1:$P_CLOSED"
check "internet test fails too: 2 orange" has "$T/nonet.out" \
    '^result internet internet orange blink 2'
stop $SD_PID
simdev core --device core --firmware 0.3.3 --cloud "127.0.0.1:$P_CLOSED" \
    --internet-test "127.0.0.1:$P_OPEN"
check "2014 Core firmware: 3 red" \
    has "$T/core.out" '^result cloud cloud red blink 3'
"$CP" serial "$SD_PTY" identify >"$T/cid" 2>&1
check "Core answers 'Your core id is'" has "$T/cid" '^platform: core$'
stop $SD_PID
simdev ntp --firmware 2.3.1 --cloud "127.0.0.1:$P_CLOSED" \
    --internet-test "127.0.0.1:$P_CLOSED" --ntp "127.0.0.1:$P_NTP"
check "Device OS 2.x uses the NTP test (passes): 3 blinks" has "$T/ntp.out" \
    '^result cloud cloud orange blink 3'
stop $SD_PID
simdev stall --cloud "127.0.0.1:$P_CLOUD" --stall 1.5
"$CP" serial "$SD_PTY" events >"$T/stall.ev" 2>&1
# shellcheck disable=SC2016  # awk's own $6, $7
check "a stalled loop is a gap event of at least the stall" awk '
    $1 == "CY1" && $2 == "E" && $6 == "gap" && $7 >= 1500 { found = 1 }
    END { exit !found }' "$T/stall.ev"
stop $SD_PID

# --- the full handshake against `cyanprobe cloud` (handshake API) ----------
if command -v openssl >/dev/null 2>&1; then
	ID=53696d4465760000c7a90001
	mkdir -p "$T/keys/devices"
	openssl genrsa -out "$T/keys/server.pem" 2048 2>/dev/null &&
	openssl rsa -in "$T/keys/server.pem" -pubout \
	    -out "$T/keys/server.pub.pem" 2>/dev/null &&
	openssl genrsa -out "$T/keys/dev.pem" 1024 2>/dev/null &&
	openssl rsa -in "$T/keys/dev.pem" -pubout \
	    -out "$T/keys/devices/$ID.pub.pem" 2>/dev/null
	for case in "none:connected none cyan breathe 0" \
	    "bad-signature:handshake auth magenta blink 1" \
	    "wrong-session-key:handshake decrypt orange blink 1"; do
		fault=${case%%:*}
		want=${case#*:}
		rm -f "$T/ready"
		fflag=""
		[ "$fault" != none ] && fflag="--fault $fault"
		# shellcheck disable=SC2086
		"$CP" cloud --listen 127.0.0.1:0 \
		    --server-key "$T/keys/server.pem" \
		    --devices "$T/keys/devices" --log "$T/cloud.log" \
		    --ready-file "$T/ready" $fflag >/dev/null 2>&1 &
		CL=$!
		PIDS="$PIDS $CL"
		waitfile "$T/ready" 400
		port=$(cut -d' ' -f2 "$T/ready" 2>/dev/null)
		"$CP" simulate-device --cloud "127.0.0.1:$port" \
		    --internet-test "127.0.0.1:$P_OPEN" \
		    --dns "127.0.0.1:$P_CLOSED" \
		    --device-key "$T/keys/dev.pem" \
		    --server-key "$T/keys/server.pub.pem" --linger 0 \
		    >"$T/hs.out" 2>&1
		check "full handshake, cloud fault $fault: $want" \
		    has "$T/hs.out" "^result $want\$"
		stop $CL
	done
else
	echo "SKIP full handshake: openssl missing"
fi

# --- the retained ring: restart, then corruption --------------------------
R=$T/ring.bin
simdev r1 --retained "$R" --cloud "127.0.0.1:$P_CLOSED"
stop $SD_PID
simdev r2 --retained "$R" --cloud "127.0.0.1:$P_CLOUD"
"$CP" serial "$SD_PTY" events >"$T/r2.ev" 2>&1
stop $SD_PID
check "first run's failure survives the restart" \
    has "$T/r2.ev" ' cloud fail.cloud '
check "second boot counted" has "$T/r2.ev" ' power boot 2 '
check "restart is not corruption" sh -c "! grep -q reset.corrupt '$T/r2.ev'"
# Flip one byte inside the events, as a half-finished write would.
printf '\377' | dd of="$R" bs=1 seek=100 conv=notrunc 2>/dev/null
simdev r3 --retained "$R" --cloud "127.0.0.1:$P_CLOUD"
"$CP" serial "$SD_PTY" events >"$T/r3.ev" 2>&1
stop $SD_PID
check "corrupt ring reported" \
    grep -q '^CY1 E 1 [0-9]* power reset.corrupt 2 ' "$T/r3.ev"
check "corrupt ring: no old events" sh -c "! grep -q 'fail.cloud' '$T/r3.ev'"
# analyze --agent-events: the device's timeline beside a capture.
CAP=${CYANPROBE_CAPTURES:-../shared/captures}/tcpdump/dns_udp.pcap
# analyze_agent NAME: analyze the capture with $T/NAME.ev into NAME.json.
analyze_agent() {
	"$CP" analyze "$CAP" --agent-events "$T/$1.ev" --json \
	    >"$T/$1.json" 2>"$T/$1.aerr"
}
if [ -f "$CAP" ]; then
	analyze_agent r3
	check "analyze --agent-events: ring_corrupt finding" \
	    has "$T/r3.json" '"agent.ring_corrupt"'
	check "analyze --agent-events: the timeline in facts.agent" \
	    has "$T/r3.json" '"reset.corrupt"'
	simdev starve --cloud "127.0.0.1:$P_CLOSED" --stall 1200ms
	stop $SD_PID
	grep '^CY1 E' "$T/starve.out" >"$T/starve.ev"
	analyze_agent starve
	check "analyze: a gap is agent.loop_starved" \
	    has "$T/starve.json" '"agent.loop_starved"'
	grep '^CY1 E' "$T/blocked.out" >"$T/blocked.ev"
	analyze_agent blocked
	check "analyze: device fails at cloud, capture does not: disagrees" \
	    has "$T/blocked.json" '"agent.disagrees"'
	check "analyze: no disagreement when both say connected" \
	    sh -c "! grep -q agent.disagrees '$T/r3.json'"
	analyze_agent nothing
	check "analyze --agent-events missing file: exit 2" [ $? -eq 2 ]
	check "analyze --agent-events missing file: named" \
	    has "$T/nothing.aerr" "^cyanprobe: $T/nothing.ev"
else
	echo "SKIP analyze --agent-events: captures folder missing"
fi

# --- the collector ---------------------------------------------------------
# collector NAME ARGS...: start `cyanprobe collect` on a free port; sets
# C_PID and C_ADDR.
collector() {
	n=$1
	shift
	"$CP" collect --listen "127.0.0.1:${PORT:-0}" "$@" \
	    >"$T/$n.cout" 2>"$T/$n.cerr" &
	C_PID=$!
	PIDS="$PIDS $C_PID"
	C_ADDR=""
	i=0
	while [ -z "$C_ADDR" ] && [ $i -lt 500 ]; do
		C_ADDR=$(awk '/^listening /{ print $2 }' "$T/$n.cout" \
		    2>/dev/null)
		sleep 0.01
		i=$((i + 1))
	done
}
lines() { wc -l <"$1" | tr -d ' '; }
jsonok() {
	python3 - "$1" <<'PY'
import json, sys
seen = set()
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    o = json.loads(line)
    k = (o["device"], o["epoch"], o["seq"])
    if k in seen:
        sys.exit("duplicate %r on line %d" % (k, n))
    seen.add(k)
PY
}

OUT=$T/events.jsonl
collector c1 --out "$OUT" -v
simdev coap --collector "$C_ADDR" --con --cloud "127.0.0.1:$P_CLOSED" \
    --internet-test "127.0.0.1:$P_OPEN" --linger 1.5
wait $SD_PID 2>/dev/null
n=$(grep -c '^CY1 E ' "$T/coap.out")
check "every agent event stored once over CoAP CON ($(lines "$OUT") = $n)" \
    [ "$(lines "$OUT")" -eq "$n" ]
check "stored lines are valid JSON, no duplicates" jsonok "$OUT"
check "the failure is in the file" grep -q '"event":"fail.cloud"' "$OUT"
check "collect -v: each batch on stderr" has "$T/c1.cerr" \
    '^cyanprobe: collect: 1 datagram(s); [0-9]* event(s) stored'
"$CP" simulate-device --collector "$C_ADDR" --cloud "127.0.0.1:$P_CLOUD" \
    --internet-test "127.0.0.1:$P_OPEN" --dns "127.0.0.1:$P_CLOSED" \
    --device-id 0123456789abcdef01234567 --linger 1 --quiet >/dev/null 2>&1
check "NON POSTs stored too" \
    grep -q '"device":"0123456789abcdef01234567".*"connected"' "$OUT"
before=$(lines "$OUT")
"$H/agent_flood" -a "$C_ADDR" -d 4 -n 40 -D >"$T/dup.out"
check "flood with every datagram twice: all acked" [ $? -eq 0 ]
check "duplicates dropped ($(lines "$OUT") = $before + 160)" \
    [ "$(lines "$OUT")" -eq $((before + 160)) ]
check "still no duplicate lines" jsonok "$OUT"
before=$(lines "$OUT")
# A CON POST /e whose payload claims 2 events but carries none.
"$H/agent_flood" -a "$C_ADDR" \
    -x 40020001b165ff01000102030405060708090a0b0000000102 >"$T/bad.out"
check "malformed payload gets 4.00" has "$T/bad.out" 'code 4.00'
"$H/agent_flood" -a "$C_ADDR" -x 40020002b178ff01 >"$T/path.out"
check "wrong path gets 4.04" has "$T/path.out" 'code 4.04'
check "malformed never stored" [ "$(lines "$OUT")" -eq "$before" ]
stop $C_PID
check "collector summary counts them" has "$T/c1.cerr" '1 malformed'

# collect with and without -v, the same flood: the same events stored and
# the same stdout; without -v stderr holds only the summary, with it one
# line per batch besides.
for v in plain v; do
	# shellcheck disable=SC2046
	collector "cv$v" --out "$T/cv$v.jsonl" $([ $v = v ] && echo -v)
	"$H/agent_flood" -a "$C_ADDR" -d 2 -n 10 >"$T/cv$v.flood"
	stop $C_PID
	sed "s/127.0.0.1:[0-9]*/ADDR/" "$T/cv$v.cout" >"$T/cv$v.m"
done
check "collect -v: the same events stored" \
    [ "$(lines "$T/cvv.jsonl")" -eq 20 -a "$(lines "$T/cvplain.jsonl")" -eq 20 ]
check "collect -v: stdout the same as without -v" cmp -s "$T/cvv.m" "$T/cvplain.m"
check "collect without -v: only the summary on stderr" \
    [ "$(lines "$T/cvplain.cerr")" -eq 1 ]
check "collect -v: a line per batch" \
    [ "$(grep -c '^cyanprobe: collect: [0-9]* datagram(s); ' "$T/cvv.cerr")" -ge 1 ]
check "collect -v: and the summary" \
    has "$T/cvv.cerr" '^cyanprobe: collect: 20 events stored, 0 duplicates'

# The flood sends 4 events a datagram, resent at once when refused: it
# outruns 10 a second however slow a loaded machine's round trips.  What
# is stored is judged against the collector's own receive times (rx): the
# burst, plus 10 a second over the time it took them in, plus one batch
# (a fixed count was too few when the machine stretched the flood).
collector c2 --out "$T/rate.jsonl" --rate 10 --burst 20
"$H/agent_flood" -a "$C_ADDR" -d 1 -n 100 -t 800 >"$T/rate.out"
check "rate limit answers 4.29" sh -c "grep -q '4.29:[1-9]' '$T/rate.out'"
check "rate limit stores no more than the burst and refill" \
    python3 - "$T/rate.jsonl" <<'PY'
import json, sys
rx = [json.loads(l)["rx"] for l in open(sys.argv[1])]
span = (max(rx) - min(rx)) / 1000 if rx else 0
sys.exit(0 if 0 < len(rx) <= 20 + 10 * span + 4 else 1)
PY
stop $C_PID

# kill -9 in the middle of a flood: nothing acknowledged is lost, no half
# line, no duplicate after the restart.
K=$T/kill.jsonl
PORT=$((base + 4))
collector k1 --out "$K"
"$H/agent_flood" -a "$C_ADDR" -d 64 -n 3000 -o "$T/acked" -t 30000 \
    >"$T/kill.out" &
F=$!
PIDS="$PIDS $F"
i=0
while [ "$(lines "$K" 2>/dev/null || echo 0)" -lt 2000 ] && [ $i -lt 3000 ]; do
	sleep 0.01
	i=$((i + 1))
done
kill -9 $C_PID
wait $C_PID 2>/dev/null
n=$(lines "$K")
check "killed in the middle of the flood ($n of 192000 stored)" \
    test "$n" -gt 0 -a "$n" -lt 192000
sleep 0.3
collector k2 --out "$K"
wait $F
check "flood finished after the restart" [ $? -eq 0 ]
stop $C_PID
check "killed file: valid lines, no duplicates" jsonok "$K"
check "every acknowledged event is in the file" python3 - "$T/acked" "$K" <<'PY'
import json, sys
have = set()
for line in open(sys.argv[2]):
    o = json.loads(line)
    have.add((o["device"], o["seq"]))
missing = [l for l in open(sys.argv[1])
           if (l.split()[0], int(l.split()[1])) not in have]
sys.exit(1 if missing else 0)
PY
PORT=""
# A partial last line, as after a crash mid-write, is cut on start.
printf '{"device":"ab' >>"$K"
collector k3 --out "$K"
stop $C_PID
check "partial line cut on start" has "$T/k3.cerr" 'cut a partial last line'
check "file ends in a whole line" jsonok "$K"
"$CP" collect --out "$T/x" >"$T/cu" 2>&1
check "collect without --listen: exit 2" [ $? -eq 2 ]
"$CP" collect --listen 1.2.3:99 --out "$T/x" >"$T/cu" 2>&1
check "collect --listen with a bad address: exit 2" [ $? -eq 2 ]
check "collect --listen with a bad address: named" has "$T/cu" "'1.2.3:99'"
"$CP" collect --listen 127.0.0.1:0 --out "$T/nodir/x" >"$T/cu" 2>&1
check "collect to an unwritable file: exit 3, named" \
    sh -c "grep -q '$T/nodir/x' '$T/cu'"

# --- Device OS glue against the shim -----------------------------------------
CC=${CC:-cc}
if $CC -std=c11 -Wall -Wextra -Werror -Wpedantic -Wshadow -Wstrict-prototypes \
    -Wmissing-prototypes -DAGENT_DEVICEOS_SHIM -Ianalyzers -Ifirmware-agent \
    -Ifirmware-agent/glue -Itests/agent -Itests -o "$T/glue_test" \
    tests/agent/glue_test.c firmware-agent/glue/agent_deviceos.c \
    firmware-agent/agent.c firmware-agent/agent_serial.c \
    firmware-agent/agent_crc32.c firmware-agent/agent_coap.c \
    analyzers/stage.c 2>"$T/glue.err"; then
	"$T/glue_test" >"$T/glue.out"
	rc=$?
	grep '^FAIL' "$T/glue.out"
	tally='s/^# \([0-9]*\) passed, \([0-9]*\) failed'
	g_pass=$(sed -n "$tally/\\1/p" "$T/glue.out")
	g_fail=$(sed -n "$tally/\\2/p" "$T/glue.out")
	pass=$((pass + ${g_pass:-0}))
	fail=$((fail + ${g_fail:-1}))
	[ $rc -ne 0 ] && [ "${g_fail:-1}" -eq 0 ] && bad "glue test exit $rc"
else
	bad "glue does not compile against the shim"
	cat "$T/glue.err"
fi

# --- the lab: 5683 blocked and healthy ---------------------------------------
# lab_device SC: the virtual device in the lab's client namespace; its
# result line is checked, its timeline kept as $T/lab.SC.ev.
lab_device() {
	lab_exec_client "$CP" simulate-device --timeout 2 \
	    --cloud "$LAB_CLOUD" --internet-test "$LAB_INTERNET_TEST" \
	    --ntp "$LAB_NTP" --dns "$LAB_ROUTER_ADDR" --linger 0 \
	    >"$T/lab.$1.out" 2>&1
	grep '^CY1 E' "$T/lab.$1.out" >"$T/lab.$1.ev"
	if [ "$1" = cloud_dropped ]; then
		check "lab 5683 blocked: device ends at cloud, 3 blinks" \
		    has "$T/lab.$1.out" '^result cloud cloud orange blink 3'
	else
		check "lab healthy: device reaches connected" \
		    has "$T/lab.$1.out" '^result connected none cyan breathe'
	fi
}

# lab_diagnose SC EVS: diagnose in lab SC beside the device timeline of
# lab EVS: the same lab must agree, the other must disagree.
lab_diagnose() {
	want=disagree
	[ "$1" = "$2" ] && want=agree
	# shellcheck disable=SC2046
	lab_exec_client "$CP" diagnose $(lab_diagnose_flags) --timeout 1 \
	    --firmware 1.5.2 --agent-events "$T/lab.$2.ev" \
	    --json="$T/lab.$1.$2.json" 2>/dev/null
	check "lab $1, device timeline from $2: the two $want" \
	    python3 - "$T/lab.$1.$2.json" "$1" "$want" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ids = [f["id"] for f in r["findings"]]
a = r["facts"]["agent"]
want_stage = "cloud" if sys.argv[2] == "cloud_dropped" else "connected"
ok = r["verdict"]["stage"] == want_stage
ok = ok and (("agent.disagrees" in ids) == (sys.argv[3] == "disagree"))
if sys.argv[2] == "cloud_dropped":
    ok = ok and ("cloud.port_blocked" in ids or "cloud.port_rejected" in ids)
if not ok:
    print("verdict", r["verdict"]["stage"], "device", a["stage"],
          a["fail"], ids)
sys.exit(0 if ok else 1)
PY
}

if [ ! -f tests/lab/lib.sh ]; then
	echo "SKIP lab: tests/lab/lib.sh missing"
elif . tests/lab/lib.sh && ! why=$(lab_can_run); then
	echo "SKIP lab: $why"
else
	for sc in cloud_dropped healthy; do
		# shellcheck disable=SC2034  # read by tests/lab/lib.sh
		LAB_PREFIX="cpa$$"
		if ! lab_up $sc >"$T/lab.$sc.log" 2>&1; then
			bad "lab $sc did not come up"
			cat "$T/lab.$sc.log"
			lab_down >/dev/null 2>&1
			continue
		fi
		lab_device $sc
		# The healthy lab also gets the blocked lab's timeline.
		for evs in cloud_dropped healthy; do
			[ -s "$T/lab.$evs.ev" ] && lab_diagnose $sc $evs
		done
		lab_down >/dev/null 2>&1
	done
	LAB_DIR=""
fi

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
