#!/bin/sh
# suite.sh - `cyanprobe handshake`, `keys` and `cloud` end to end on
# loopback, with keys made by `openssl genrsa` in a temporary folder: the
# handshake against the project's own cloud, succeeding and under every
# --fault, each checked for exit code, verdict.stage and verdict.led in both
# LED eras (a Core on 0.3.4, a Photon on 1.5.2); the cloud in spark-server's
# wire form (its PingAck 61 00 MID 00 answers the ping) and with pings left
# unanswered (cloud.ping_unanswered); bad key files; key checks
# and region files; a staller and a garbage sender cut off without hurting
# a real device; a clean stop on SIGTERM; and no key material in any output.
set -u
cd "$(dirname "$0")/../.." || exit 3
B=${B:-build}
CP=$B/cyanprobe
export CYANPROBE_RULES="${CYANPROBE_RULES:-$PWD/rules}"
export NO_COLOR=1

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

if [ ! -x "$CP" ]; then
	echo "FAIL $CP is not built"
	echo "# 0 passed, 1 failed"
	exit 1
fi
for tool in openssl python3; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "SKIP handshake suite: $tool is missing"
		echo "# 0 passed, 0 failed"
		exit 0
	fi
done

T=$(mktemp -d /tmp/cyanprobe-hs.XXXXXX)
CLOUD_PID=""
BG_PIDS=""
cleanup() {
	[ -n "$CLOUD_PID" ] && kill "$CLOUD_PID" 2>/dev/null && wait "$CLOUD_PID" 2>/dev/null
	for p in $BG_PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 3' INT TERM

ID=53ff6f066667574852212467
OTHER=aaaaaaaaaaaaaaaaaaaaaaaa
mkdir -p "$T/devices"
openssl genrsa -out "$T/server.pem" 2048 2>/dev/null
openssl rsa -in "$T/server.pem" -pubout -out "$T/server.pub.pem" 2>/dev/null
openssl rsa -in "$T/server.pem" -pubout -outform DER -out "$T/server.pub.der" 2>/dev/null
openssl genrsa -out "$T/$ID.pem" 1024 2>/dev/null
# -traditional: PKCS#1, as the device stores it (OpenSSL 3 defaults to PKCS#8).
openssl rsa -in "$T/$ID.pem" -traditional -outform DER -out "$T/$ID.der" 2>/dev/null
openssl rsa -in "$T/$ID.pem" -outform DER -out "$T/$ID.p8.der" 2>/dev/null
openssl rsa -in "$T/$ID.pem" -pubout -out "$T/devices/$ID.pub.pem" 2>/dev/null
openssl genrsa -out "$T/other.pem" 1024 2>/dev/null
openssl rsa -in "$T/other.pem" -pubout -out "$T/other.pub.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -out "$T/ec.pem" 2>/dev/null
if [ ! -s "$T/server.pem" ] || [ ! -s "$T/$ID.der" ] || [ ! -s "$T/ec.pem" ]; then
	echo "FAIL openssl could not make the test keys"
	echo "# $pass passed, 1 failed"
	exit 1
fi
ALL_OUT="$T/all-output.txt"
: >"$ALL_OUT"

# start_cloud [ARGS...]: a cloud on a free loopback port; sets PORT.
# The log starts empty; the previous one joins the leak check's output.
start_cloud() {
	rm -f "$T/ready"
	[ -f "$T/cloud.log" ] && cat "$T/cloud.log" >>"$ALL_OUT"
	rm -f "$T/cloud.log"
	"$CP" cloud --listen 127.0.0.1:0 --server-key "$T/server.pem" \
	    --devices "$T/devices" --ready-file "$T/ready" \
	    --log "$T/cloud.log" "$@" 2>>"${CLOUD_ERR:-$ALL_OUT}" &
	CLOUD_PID=$!
	i=0
	while [ ! -s "$T/ready" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	PORT=$(cut -d' ' -f2 "$T/ready" 2>/dev/null)
	[ -n "$PORT" ] || bad "cloud $* did not start"
}

stop_cloud() {
	kill "$CLOUD_PID" 2>/dev/null
	wait "$CLOUD_PID" 2>/dev/null
	CLOUD_PID=""
}

# check_json NAME FILE STAGE LED [FINDING [ERA]]: LED is color/pattern/count;
# ERA (core-2014, device-os) is the report's LED era.
check_json() {
	msg=$(python3 - "$2" "$3" "$4" "${5:-}" "${6:-}" <<'EOF'
import json, sys
path, stage, led, finding, era = sys.argv[1:6]
try:
    d = json.load(open(path))
except Exception as e:
    print("output is not JSON: %s" % e)
    sys.exit(0)
v = d.get("verdict", {})
l = v.get("led", {})
got = "%s/%s/%s" % (l.get("color"), l.get("pattern"), l.get("count"))
out = []
if v.get("stage") != stage:
    out.append("stage %r, want %r" % (v.get("stage"), stage))
if got != led:
    out.append("led %s, want %s" % (got, led))
ids = [f.get("id") for f in d.get("findings", [])]
if finding and finding not in ids:
    out.append("findings %s, want %s" % (ids, finding))
if not finding and [f for f in d.get("findings", []) if f.get("severity") == "error"]:
    out.append("unexpected error findings %s" % ids)
if era and '"%s"' % era not in json.dumps(d):
    out.append("LED era %s not in the report" % era)
hs = d.get("facts", {}).get("handshake")
if hs is None or not hs.get("steps"):
    out.append("no handshake steps in facts")
print("; ".join(out))
EOF
)
	if [ -n "$msg" ]; then bad "$1: $msg"; else ok; fi
}

# ping_detail NAME TEXT: the last run's ping step detail holds TEXT.
ping_detail() {
	python3 - "$T/out.json" "$2" <<'EOF' || bad "$1: ping step: $(head -c 600 "$T/out.json")"
import json, sys
d = json.load(open(sys.argv[1]))
st = {s["step"]: s for s in d["facts"]["handshake"]["steps"]}["ping"]
sys.exit(0 if sys.argv[2] in st["detail"] else 1)
EOF
	ok
}

# hs NAME WANT_RC ERA_ARGS... -- HANDSHAKE_ARGS...: run one handshake.
# The step deadlines are long ($HS_WAIT), so that a loaded machine does
# not turn a good handshake into a timeout; a fault whose outcome IS a
# timeout shortens only the deadline it waits on (fault_wait).
HS_WAIT="--timeout 10 --hello-timeout 10 --ping-timeout 10"
hs() {
	name=$1 want=$2
	shift 2
	"$CP" handshake --cloud "127.0.0.1:$PORT" --json $HS_WAIT \
	    "$@" >"$T/out.json" 2>"$T/err.txt"
	rc=$?
	cat "$T/out.json" "$T/err.txt" >>"$ALL_OUT"
	if [ "$rc" -ne "$want" ]; then
		bad "$name: exit $rc, want $want ($(head -c 300 "$T/err.txt"))"
	else
		ok
	fi
}

ERAS="core:0.3.4 photon:1.5.2"

# fault_wait FAULT: the deadlines for a cloud with FAULT: 1 s for the
# step the fault leaves unanswered, 10 s for the others.
fault_wait() {
	case $1 in
	silent)		echo "--timeout 1 --hello-timeout 10 --ping-timeout 10" ;;
	# no-hello: the 2014 Core does not wait for the Hello and pings;
	# the cloud answers nothing, so that wait is the one left unanswered.
	no-hello)	echo "--timeout 10 --hello-timeout 1 --ping-timeout 1" ;;
	bad-record)
		echo "--timeout 10 --hello-timeout 1 --ping-timeout 10" ;;
	no-ping-ack)	echo "--timeout 10 --hello-timeout 10 --ping-timeout 1" ;;
	*)		echo "--timeout 10 --hello-timeout 10 --ping-timeout 10" ;;
	esac
}

# core_spec FAULT: the Core's (0.3.4) outcome where it differs from the
# Photon's, as WANT:STAGE:LED:FINDING, else nothing.  The 2014 Core
# firmware never waits for the cloud's Hello (core-communication-lib
# handshake() returns once its own Hello is sent) and counts any record
# as a sign of life: a cloud that never sends its Hello and answers
# nothing after the key exchange (no-hello) leaves its ping unanswered,
# and it drops the session; a Hello that does not decrypt (bad-record)
# is such a record, and the cloud then answers the ping: connected.
core_spec() {
	case $1 in
	no-hello)	echo "1:connected:cyan/blink/0:cloud.ping_unanswered" ;;
	bad-record)	echo "0:connected:cyan/breathe/0:" ;;
	esac
}

# --- success and every fault, both eras --------------------------------
for spec in \
    "none:0:connected:cyan/breathe/0:" \
    "unknown-device:1:handshake:red/blink/1:handshake.rejected" \
    "wrong-session-key:1:handshake:orange/blink/1:handshake.decrypt_failed" \
    "bad-signature:1:handshake:magenta/blink/1:handshake.bad_signature" \
    "no-hello:1:handshake:red/blink/1:handshake.no_hello" \
    "close-after-nonce:1:handshake:red/blink/1:handshake.rejected" \
    "silent:1:handshake:red/blink/1:cloud.intercepted" \
    "no-ping-ack:1:connected:cyan/blink/0:cloud.ping_unanswered" \
    "bad-record:1:handshake:red/blink/1:handshake.bad_record" \
    "bad-padding:0:connected:cyan/breathe/0:"; do
	fault=${spec%%:*}
	start_cloud --fault "$fault"
	HS_WAIT=$(fault_wait "$fault")
	for era in $ERAS; do
		dev=${era%%:*} fw=${era#*:}
		rest=${spec#*:}
		[ "$dev" = core ] && [ -n "$(core_spec "$fault")" ] &&
		    rest=$(core_spec "$fault")
		want=${rest%%:*}; rest=${rest#*:}
		stage=${rest%%:*}; rest=${rest#*:}
		led=${rest%%:*}; finding=${rest#*:}
		hs "$fault/$dev" "$want" --device "$dev" --firmware "$fw" \
		    --device-key "$T/$ID.pem" --server-key "$T/server.pub.pem"
		era_name=device-os
		[ "$dev" = core ] && era_name=core-2014
		check_json "$fault/$dev" "$T/out.json" "$stage" "$led" \
		    "$finding" "$era_name"
		[ "$dev" = core ] && cp "$T/out.json" "$T/out-core.json"
	done
	stop_cloud
	HS_WAIT=$(fault_wait none)
	# The Core without a Hello it can read: the Hello step is absent
	# (not failed), the ping judges the session, never no_hello; the
	# cloud saw the Core's ping and no ping from the Photon, which gave
	# up waiting for the Hello.
	case $fault in
	no-hello|bad-record)
		python3 - "$T/out-core.json" "$T/cloud.log" "$fault" <<'EOF' || bad "$fault/core: steps or cloud log: $(head -c 900 "$T/out-core.json") $(cat "$T/cloud.log")"
import json, sys
d = json.load(open(sys.argv[1]))
st = {s["step"]: s for s in d["facts"]["handshake"]["steps"]}
ids = [f["id"] for f in d.get("findings", [])]
hello, ping = st["hello_recv"], st["ping"]
ok = hello["outcome"] == "absent" and "handshake.no_hello" not in ids and \
    "the 2014 Core firmware does not wait for it" in hello["detail"] and \
    "server_hello" not in d["facts"]["handshake"]
if sys.argv[3] == "no-hello":
    ok = ok and ping["outcome"] == "failed" and \
        "after the handshake (no Hello)" in ping["detail"]
else:
    ok = ok and ping["outcome"] == "ok" and \
        "1 record that did not decrypt" in hello["detail"]
conn = [json.loads(l) for l in open(sys.argv[2]) if '"connection"' in l]
ok = ok and sorted(c["pings"] for c in conn) == [0, 1]
sys.exit(0 if ok else 1)
EOF
		ok ;;
	esac
	if [ "$fault" = none ]; then
		python3 - "$T/cloud.log" <<'EOF' || bad "none: cloud log lacks a connected line with steps and the Photon Hello"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
conn = [l for l in lines if l.get("event") == "connection"]
ok = len(conn) == 2 and all(c["outcome"] == "connected" and c["handshake"]
    and c["device_id"] == "53ff6f066667574852212467" and c["pings"] == 1
    and "hello_received" in c["steps"] for c in conn)
plat = sorted(c.get("hello", {}).get("platform_id", -1) for c in conn)
ok = ok and plat == [-1, 6] and lines[-1].get("event") == "stopped"
sys.exit(0 if ok else 1)
EOF
		ok
	fi
	# The spoilt Hello's record, as the probe read it (the last run).
	case $fault in
	bad-record|bad-padding)
		python3 - "$T/out.json" "$fault" <<'EOF' || bad "$fault: hello_recv detail: $(head -c 600 "$T/out.json")"
import json, sys
d = json.load(open(sys.argv[1]))
st = {s["step"]: s for s in d["facts"]["handshake"]["steps"]}["hello_recv"]
if sys.argv[2] == "bad-record":
    ok = st["outcome"] == "failed" and \
        "1 record from the cloud did not decrypt under the session key" \
        in st["detail"]
else:
    ok = st["outcome"] == "ok" and "padding not valid PKCS#7" in st["detail"]
sys.exit(0 if ok else 1)
EOF
		ok ;;
	esac
	cat "$T/cloud.log" >>"$ALL_OUT"
	rm -f "$T/cloud.log"
done

# --- cloud -v ------------------------------------------------------------
# -v: each connection on stderr, connected and then its outcome; the JSON
# log the same as without it (ports and times aside), nothing on stderr
# without it.
for v in plain v; do
	CLOUD_ERR=$T/cloud-$v.err
	: >"$CLOUD_ERR"
	if [ $v = v ]; then start_cloud -v; else start_cloud; fi
	hs "cloud -v ($v)" 0 --device photon --firmware 1.5.2 \
	    --device-key "$T/$ID.pem" --server-key "$T/server.pub.pem"
	stop_cloud
	python3 - "$T/cloud.log" >"$T/cloud-$v.masked" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    for k in ("port", "peer", "ms"):
        o.pop(k, None)
    if "steps" in o:
        o["steps"] = sorted(o["steps"])
    print(json.dumps(o, sort_keys=True))
EOF
	cat "$CLOUD_ERR" >>"$ALL_OUT"
done
CLOUD_ERR=""
if cmp -s "$T/cloud-v.masked" "$T/cloud-plain.masked" &&
    [ "$(grep -c '"event": "connection"' "$T/cloud-v.masked")" -eq 1 ]; then
	ok
else
	bad "cloud -v: the log differs from the one without -v: $(diff "$T/cloud-plain.masked" "$T/cloud-v.masked" | head -c 400)"
fi
[ ! -s "$T/cloud-plain.err" ] && ok ||
    bad "cloud without -v wrote to stderr: $(head -c 200 "$T/cloud-plain.err")"
if grep -Eq '^cyanprobe: cloud: 127\.0\.0\.1:[0-9]+: connected$' "$T/cloud-v.err" &&
    grep -Eq '^cyanprobe: cloud: 127\.0\.0\.1:[0-9]+: connected: the device closed the connection$' \
    "$T/cloud-v.err"; then
	ok
else
	bad "cloud -v: no connection lines on stderr: $(head -c 300 "$T/cloud-v.err")"
fi

# --- spark-server's stall on a record it cannot decrypt ----------------
# bad-record-stall: the cloud reads our Hello as a record that does not
# decrypt and does what spark-server then does (CryptoStream.js only logs
# the decipher's error and never calls back; Handshake.js get_hello drops
# the session after 30 s): it sends nothing and holds the connection.
# The device gives up after its own 4 s (no Hello: handshake.no_hello,
# red), never waiting out the stall: the cloud's log then says the device
# gave up on it.  With --stall 1 the cloud's close comes first and its
# log says it stalled.  stall_log NAME OUTCOME TEXT: within 20 s the cloud
# logs a connection with OUTCOME and TEXT in its reason.
stall_log() {
	i=0
	while [ $i -lt 200 ] && ! grep -q '"event":"connection"' \
	    "$T/cloud.log" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	python3 - "$T/cloud.log" "$2" "$3" <<'EOF' && ok || bad "$1: cloud log: $(cat "$T/cloud.log")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
conn = [l for l in lines if l.get("event") == "connection"]
sys.exit(0 if conn and conn[0]["outcome"] == sys.argv[2] and
    sys.argv[3] in conn[0]["reason"] and conn[0]["fault"] ==
    "bad-record-stall" else 1)
EOF
}
for era in $ERAS; do
	dev=${era%%:*} fw=${era#*:}
	era_name=device-os
	verdict="handshake red/blink/1 handshake.no_hello"
	HS_WAIT="--timeout 10"
	if [ "$dev" = core ]; then
		era_name=core-2014
		verdict="connected cyan/blink/0 cloud.ping_unanswered"
		HS_WAIT="--timeout 10 --ping-timeout 1"
	fi
	start_cloud --fault bad-record-stall
	hs "bad-record-stall/$dev" 1 --device "$dev" --firmware "$fw" \
	    --device-key "$T/$ID.pem" --server-key "$T/server.pub.pem"
	# shellcheck disable=SC2086 # three words: stage, LED, finding
	check_json "bad-record-stall/$dev" "$T/out.json" $verdict "$era_name"
	stall_log "bad-record-stall/$dev" closed \
	    "the device gave up on a stalled server"
	stop_cloud
	start_cloud --fault bad-record-stall --stall 1
	HS_WAIT="--timeout 10 --hello-timeout 10"
	hs "bad-record-stall 1 s/$dev" 1 --device "$dev" --firmware "$fw" \
	    --device-key "$T/$ID.pem" --server-key "$T/server.pub.pem"
	# shellcheck disable=SC2086
	check_json "bad-record-stall 1 s/$dev" "$T/out.json" $verdict \
	    "$era_name"
	[ "$dev" = core ] && ping_detail "bad-record-stall 1 s/core" \
	    "the connection ended after the handshake, before the ping"
	stall_log "bad-record-stall 1 s/$dev" timeout \
	    "stalled after a record that does not decrypt"
	stop_cloud
done
HS_WAIT=$(fault_wait none)
# The same through diagnose: its cloud check ends by its own deadline.
start_cloud --fault bad-record-stall
timeout 90 "$CP" diagnose --iface lo --no-dhcp --dns 127.0.0.1 \
    --cloud "127.0.0.1:$PORT" --internet-test 127.0.0.1:9 \
    --ntp 127.0.0.1:9 --portal-url http://127.0.0.1:9/generate_204 \
    --device photon --firmware 1.5.2 --device-key "$T/$ID.pem" \
    --server-key "$T/server.pub.pem" --json >"$T/out.json" 2>"$T/err.txt"
[ $? -eq 1 ] && ok || bad "diagnose bad-record-stall: want exit 1"
cat "$T/out.json" "$T/err.txt" >>"$ALL_OUT"
python3 - "$T/out.json" <<'EOF' && ok || bad "diagnose bad-record-stall: $(head -c 600 "$T/out.json")"
import json, sys
d = json.load(open(sys.argv[1]))
ids = [f["id"] for f in d["findings"]]
st = {s["step"]: s for s in d["facts"]["cloud"]["handshake"]["steps"]}
sys.exit(0 if "handshake.no_hello" in ids and
    st["hello_recv"]["outcome"] == "failed" else 1)
EOF
stall_log "diagnose bad-record-stall" closed \
    "the device gave up on a stalled server"
stop_cloud
"$CP" cloud --listen 127.0.0.1:0 --server-key "$T/server.pem" \
    --devices "$T/devices" --stall soon >/dev/null 2>"$T/err.txt"
[ $? -eq 2 ] && grep -q -- "--stall 'soon'" "$T/err.txt" && ok ||
    bad "cloud --stall soon: want exit 2 naming the option"

# --- spark-server's wire forms, both eras ------------------------------
# The real local cloud answers a ping with an empty ACK carrying a 1-byte
# token (61 00 MID 00), which libcoap rejects and the firmware takes; its
# Hello carries a token too (51 02 MID 01 b1 68).  Healthy: breathing cyan.
# Never answering the ping after a good Hello is its own finding, not
# no_hello: the handshake passed, then the session drops and re-dials.
# hs_steps NAME TEXT: the last run got the server's Hello, has no
# no_hello, and its ping step's detail holds TEXT.
hs_steps() {
	python3 - "$T/out.json" "$2" <<'EOF' || bad "$1: handshake steps: $(head -c 600 "$T/out.json")"
import json, sys
d = json.load(open(sys.argv[1]))
steps = {s["step"]: s for s in d["facts"]["handshake"]["steps"]}
ids = [f["id"] for f in d.get("findings", [])]
ok = steps["hello_recv"]["outcome"] == "ok" and "handshake.no_hello" not in ids
sys.exit(0 if ok and sys.argv[2] in steps["ping"]["detail"] else 1)
EOF
	ok
}
for fault in none no-ping-ack; do
	start_cloud --wire spark-server --fault "$fault"
	HS_WAIT=$(fault_wait "$fault")
	for era in $ERAS; do
		dev=${era%%:*} fw=${era#*:}
		era_name=device-os
		[ "$dev" = core ] && era_name=core-2014
		if [ "$fault" = none ]; then
			hs "spark-server/$dev" 0 --device "$dev" --firmware "$fw" \
			    --device-key "$T/$ID.pem" --server-key "$T/server.pub.pem"
			check_json "spark-server/$dev" "$T/out.json" connected \
			    cyan/breathe/0 "" "$era_name"
			hs_steps "spark-server/$dev" "an empty ACK (not valid RFC 7252"
		else
			hs "spark-server+$fault/$dev" 1 --device "$dev" \
			    --firmware "$fw" --device-key "$T/$ID.pem" \
			    --server-key "$T/server.pub.pem"
			check_json "spark-server+$fault/$dev" "$T/out.json" \
			    connected cyan/blink/0 cloud.ping_unanswered "$era_name"
			hs_steps "spark-server+$fault/$dev" "after a good Hello"
		fi
	done
	stop_cloud
	HS_WAIT=$(fault_wait none)
	python3 - "$T/cloud.log" <<'EOF' || bad "spark-server+$fault: the cloud log lacks wire spark-server or the pings: $(cat "$T/cloud.log")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
conn = [l for l in lines if l.get("event") == "connection"]
ok = lines[0].get("wire") == "spark-server" and len(conn) == 2
ok = ok and all(c["wire"] == "spark-server" and c["handshake"] and
    c["pings"] == 1 for c in conn)
sys.exit(0 if ok else 1)
EOF
	ok
	cat "$T/cloud.log" >>"$ALL_OUT"
	rm -f "$T/cloud.log"
done
# The 2014 Core without a Hello it can read, against spark-server's wire
# forms (issue 10 s5): its handshake() does not wait for the Hello, and
# any record is a sign of life.  A Hello under another key (bad-record)
# is such a record and spark-server's PingAck (61 00 MID 00, a 1-byte
# token) answers the ping: connected.  A cloud that answers nothing after
# the key exchange (no-hello) leaves the ping unanswered: the session
# drops.  The Photon waits its 4 s for a Hello and blinks red either way.
for spec in \
    "bad-record:0:connected:cyan/breathe/0::1:handshake:red/blink/1:handshake.bad_record" \
    "no-hello:1:connected:cyan/blink/0:cloud.ping_unanswered:1:handshake:red/blink/1:handshake.no_hello"; do
	IFS=: read -r fault cw cs cl cf pw ps pl pf <<EOF
$spec
EOF
	start_cloud --wire spark-server --fault "$fault"
	HS_WAIT=$(fault_wait "$fault")
	hs "spark-server+$fault/core" "$cw" --device core --firmware 0.3.4 \
	    --device-key "$T/$ID.pem" --server-key "$T/server.pub.pem"
	check_json "spark-server+$fault/core" "$T/out.json" "$cs" "$cl" "$cf" \
	    core-2014
	if [ "$fault" = bad-record ]; then
		ping_detail "spark-server+$fault/core" "an empty ACK (not valid RFC 7252 CoAP, which the firmware accepts, ACK, token 1 byte"
	else
		ping_detail "spark-server+$fault/core" \
		    "after the handshake (no Hello)"
	fi
	hs "spark-server+$fault/photon" "$pw" --device photon \
	    --firmware 1.5.2 --device-key "$T/$ID.pem" \
	    --server-key "$T/server.pub.pem"
	check_json "spark-server+$fault/photon" "$T/out.json" "$ps" "$pl" \
	    "$pf" device-os
	stop_cloud
	HS_WAIT=$(fault_wait none)
	cat "$T/cloud.log" >>"$ALL_OUT"
	rm -f "$T/cloud.log"
done
"$CP" cloud --listen 127.0.0.1:0 --server-key "$T/server.pem" \
    --devices "$T/devices" --wire sideways >/dev/null 2>"$T/err.txt"
[ $? -eq 2 ] && grep -q -- "--wire 'sideways'" "$T/err.txt" && ok ||
    bad "cloud --wire sideways: want exit 2 naming the option"

# --- the ping after an idle period (--ping-after) -----------------------
# A device pings only after 15 s idle; by default the probe pings at once
# after the Hello (a run takes seconds).  --ping-after makes it stay idle
# first, shortened here: a cloud that keeps the idle session (its default
# 30 s idle limit) answers the late ping; one whose idle limit is shorter
# (--deadline 3) ends the session before the ping (6 s idle), and the
# device would drop and re-dial: cloud.ping_unanswered, saying so.
start_cloud
hs "ping-after/kept" 0 --device photon --firmware 1.5.2 \
    --device-key "$T/$ID.pem" --server-key "$T/server.pub.pem" \
    --ping-after 1.5
check_json "ping-after/kept" "$T/out.json" connected cyan/breathe/0 "" \
    device-os
ping_detail "ping-after/kept" "sent after 1500 ms idle"
stop_cloud
start_cloud --deadline 3
hs "ping-after/idle-limit" 1 --device photon --firmware 1.5.2 \
    --device-key "$T/$ID.pem" --server-key "$T/server.pub.pem" \
    --ping-after 6
check_json "ping-after/idle-limit" "$T/out.json" connected cyan/blink/0 \
    cloud.ping_unanswered device-os
ping_detail "ping-after/idle-limit" "the connection ended while idle"
stop_cloud
# The same through diagnose --ping-after (issue 10 s5): its cloud check
# runs the handshake with the idle wait, its deadline grown by it.  On lo,
# every other target a closed loopback port (only the cloud is judged).
# diag_ping NAME WANT_FINDING DETAIL ARGS...: the report's findings hold
# WANT_FINDING (or no cloud.* or handshake.* finding for "-") and the
# ping step's detail holds DETAIL.
diag_ping() {
	name=$1 want=$2 detail=$3
	shift 3
	timeout 90 "$CP" diagnose --iface lo --no-dhcp --dns 127.0.0.1 \
	    --cloud "127.0.0.1:$PORT" --internet-test 127.0.0.1:9 \
	    --ntp 127.0.0.1:9 --portal-url http://127.0.0.1:9/generate_204 \
	    --device photon --firmware 1.5.2 --device-key "$T/$ID.pem" \
	    --server-key "$T/server.pub.pem" --json "$@" \
	    >"$T/out.json" 2>"$T/err.txt"
	cat "$T/out.json" "$T/err.txt" >>"$ALL_OUT"
	if python3 - "$T/out.json" "$want" "$detail" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
ids = [f["id"] for f in d["findings"]]
want, detail = sys.argv[2], sys.argv[3]
if want == "-":
    assert not [i for i in ids if i.startswith(("cloud.", "handshake."))], ids
else:
    assert want in ids, ids
hs = d["facts"]["cloud"]["handshake"]
st = {s["step"]: s for s in hs["steps"]}["ping"]
assert detail in st["detail"], st
EOF
	then ok; else
		bad "$name: $(head -c 300 "$T/err.txt") $(head -c 600 "$T/out.json")"
	fi
}
start_cloud
diag_ping "diagnose --ping-after/kept" - "sent after 1500 ms idle" \
    --ping-after 1.5
stop_cloud
start_cloud --deadline 3
diag_ping "diagnose --ping-after/idle-limit" cloud.ping_unanswered \
    "the connection ended while idle" --ping-after 6
stop_cloud
"$CP" diagnose --no-dhcp --ping-after 2 >/dev/null 2>"$T/err.txt"
[ $? -eq 2 ] && grep -q -- "--ping-after needs the device's keys" \
    "$T/err.txt" && ok || bad "diagnose --ping-after without keys: want exit 2"
"$CP" diagnose --help | grep -q -- "--ping-after S" && ok ||
    bad "diagnose --help lacks --ping-after"
hs_usage() {
	"$CP" handshake --cloud 127.0.0.1:9 --device-key "$T/$ID.pem" \
	    --server-key "$T/server.pub.pem" "$@" >/dev/null 2>"$T/err.txt"
	[ $? -eq 2 ] && grep -q -- "--ping-after" "$T/err.txt" && ok ||
	    bad "handshake $*: not a usage error naming --ping-after"
}
hs_usage --ping-after soon
"$CP" handshake --help | grep -q -- "--ping-after S" && ok ||
    bad "handshake --help lacks --ping-after"

# --- a closed port: the cloud stage, and the eras differ ---------------
start_cloud
CLOSED=$PORT
stop_cloud
PORT=$CLOSED
hs "closed/core" 1 --device core --firmware 0.3.4 \
    --device-key "$T/$ID.pem" --server-key "$T/server.pub.pem"
check_json "closed/core" "$T/out.json" cloud red/blink/3 cloud.port_rejected
hs "closed/photon" 1 --device photon --firmware 1.5.2 \
    --device-key "$T/$ID.pem" --server-key "$T/server.pub.pem"
check_json "closed/photon" "$T/out.json" cloud orange/blink/3 cloud.port_rejected

# --- something else on the port: an HTTP banner is not a nonce ----------
python3 - "$T/banner.port" <<'EOF' &
import os, socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen()
open(sys.argv[1] + ".tmp", "w").write("%d\n" % s.getsockname()[1])
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.settimeout(5)
c, _ = s.accept()
c.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
time.sleep(1)
EOF
BG_PIDS="$!"
i=0
while [ ! -s "$T/banner.port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$T/banner.port")
hs "http banner" 1 --device-key "$T/$ID.pem" --server-key "$T/server.pub.pem"
check_json "http banner" "$T/out.json" handshake red/blink/1 cloud.intercepted
for p in $BG_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
BG_PIDS=""

# --- DER keys, a region file as the server key, explicit/unknown ids -----
start_cloud
"$CP" keys server-region --key "$T/server.pub.der" --host 127.0.0.1 \
    --port "$PORT" -o "$T/region.der" >>"$ALL_OUT" 2>&1 || bad "server-region failed"
hs "der keys" 0 --device-key "$T/$ID.der" --server-key "$T/server.pub.der"
hs "region as server key" 0 --device-key "$T/$ID.der" --server-key "$T/region.der"
cp "$T/$ID.pem" "$T/device.pem"
hs "id required" 2 --device-key "$T/device.pem" --server-key "$T/server.pub.pem"
grep -q "device.pem" "$T/err.txt" && ok || bad "id required: message does not name the key file"
echo "$ID" >"$T/device.pem.id"
hs "id from sidecar" 0 --device-key "$T/device.pem" --server-key "$T/server.pub.pem"
hs "unregistered id" 1 --device-id "$OTHER" --device-key "$T/$ID.pem" \
    --server-key "$T/server.pub.pem"
check_json "unregistered id" "$T/out.json" handshake red/blink/1 handshake.rejected
# spark-server saves an unknown device's key for the operator to accept:
# the advice says where.
grep -q 'core_keys/<id>_handshake.pub.pem' "$T/out.json" && ok ||
    bad "unregistered id: the advice does not name core_keys/<id>_handshake.pub.pem"
hs "bad id" 2 --device-id 1234 --device-key "$T/$ID.pem" --server-key "$T/server.pub.pem"
# The cloud holds another key for this device: orange.
cp "$T/other.pub.pem" "$T/devices/$OTHER.pub.pem"
cp "$T/$ID.pem" "$T/$OTHER.pem"
hs "cloud has another key" 1 --device-key "$T/$OTHER.pem" --server-key "$T/server.pub.pem"
check_json "cloud has another key" "$T/out.json" handshake orange/blink/1 handshake.decrypt_failed
# The device holds another server key: the cloud cannot decrypt: red.
openssl genrsa -out "$T/server2.pem" 2048 2>/dev/null
openssl rsa -in "$T/server2.pem" -pubout -out "$T/server2.pub.pem" 2>/dev/null
hs "wrong server key" 1 --device-key "$T/$ID.pem" --server-key "$T/server2.pub.pem"
check_json "wrong server key" "$T/out.json" handshake red/blink/1 handshake.rejected

# --- bad key files: exit 2, the file named ------------------------------
head -c 300 "$T/$ID.der" >"$T/trunc.der"
head -c 400 "$T/$ID.pem" >"$T/trunc.pem"
echo "not a key" >"$T/garbage.txt"
for spec in \
    "truncated DER:trunc.der:server.pub.pem" \
    "truncated PEM:trunc.pem:server.pub.pem" \
    "EC device key:ec.pem:server.pub.pem" \
    "2048-bit device key:server.pem:server.pub.pem" \
    "garbage device key:garbage.txt:server.pub.pem" \
    "missing device key:nope.pem:server.pub.pem" \
    "1024-bit server key:$ID.pem:other.pub.pem" \
    "garbage server key:$ID.pem:garbage.txt"; do
	name=${spec%%:*}; rest=${spec#*:}
	dk=${rest%%:*}; sk=${rest#*:}
	hs "$name" 2 --device-id "$ID" --device-key "$T/$dk" --server-key "$T/$sk"
	case "$name" in
	*server*) f=$sk ;;
	*) f=$dk ;;
	esac
	grep -q "^cyanprobe: .*$f" "$T/err.txt" && ok ||
	    bad "$name: message does not name $f: $(cat "$T/err.txt")"
done

# --- many devices at once, a staller and a garbage sender ---------------
stop_cloud
# One worker thread, so a blocking staller would hold up everyone.  The
# evidence is the order of events, not a wall-clock bound (one fails on a
# loaded machine): the staller connects first and the cloud's deadline is
# a minute, so with a blocking worker the handshakes wait behind it (and
# time out: the device's wait for the Hello is 4 s); with a working one
# all 8 are done, and logged, while the staller is still held open.
start_cloud --deadline 60 --max-clients 16 --threads 1
rm -f "$T/staller.up" "$T/garbage.up"
python3 - "$PORT" "$T/staller.up" <<'EOF' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
open(sys.argv[2], "w").close()
time.sleep(120)
EOF
BG_PIDS="$!"
STALLER=$!
python3 - "$PORT" "$T/garbage.up" <<'EOF' &
import os, socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.recv(40)
s.sendall(os.urandom(256))
open(sys.argv[2], "w").close()
time.sleep(120)
EOF
BG_PIDS="$BG_PIDS $!"
# The cloud accepts connections in the order they complete, so once both
# peers are up the staller is ahead of every handshake below.
i=0
while { [ ! -e "$T/staller.up" ] || [ ! -e "$T/garbage.up" ]; } &&
    [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -e "$T/staller.up" ] && [ -e "$T/garbage.up" ] && ok ||
    bad "concurrent: the staller or the garbage sender never connected"
pids=""
for n in 1 2 3 4 5 6 7 8; do
	"$CP" handshake --cloud "127.0.0.1:$PORT" --device-key "$T/$ID.pem" \
	    --server-key "$T/server.pub.pem" --json >"$T/par$n.json" 2>&1 &
	pids="$pids $!"
done
nok=0
for p in $pids; do wait "$p" && nok=$((nok + 1)); done
[ "$nok" -eq 8 ] && ok || bad "concurrent: $nok of 8 handshakes completed beside a staller"
# The garbage sender's rejection is logged when its bytes are read: wait
# for it (or the 8), then judge the log as it is, the staller still open.
i=0
while [ "$(grep -c '"outcome":"\(connected\|rejected\)"' "$T/cloud.log")" -lt 9 ] &&
    [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -0 "$STALLER" 2>/dev/null && ok ||
    bad "concurrent: the staller went before the handshakes were judged"
python3 - "$T/cloud.log" <<'EOF' || bad "concurrent: the staller held up the others (not all 8 done, and the garbage rejected, while it was held): $(cat "$T/cloud.log")"
import json, sys
c = [json.loads(l) for l in open(sys.argv[1]) if '"connection"' in l]
timeouts = [x for x in c if x["outcome"] == "timeout"]
rejected = [x for x in c if x["outcome"] == "rejected" and "decryption" in x["reason"]]
done = [x for x in c if x["outcome"] == "connected"]
sys.exit(0 if not timeouts and len(rejected) == 1 and len(done) == 8 else 1)
EOF
ok
for p in $BG_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
BG_PIDS=""

# The deadline: a staller alone is cut when it passes (1 s here), and
# logged as a timeout; waited for as an event, not timed.
stop_cloud
start_cloud --deadline 1 --threads 1
python3 - "$PORT" <<'EOF' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
time.sleep(120)
EOF
BG_PIDS="$!"
i=0
while ! grep -q '"outcome":"timeout"' "$T/cloud.log" && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
python3 - "$T/cloud.log" <<'EOF' || bad "staller not cut at the deadline as logged: $(cat "$T/cloud.log")"
import json, sys
c = [json.loads(l) for l in open(sys.argv[1]) if '"connection"' in l]
t = [x for x in c if x["outcome"] == "timeout"]
sys.exit(0 if len(c) == 1 and len(t) == 1 and "key block" in t[0]["reason"] else 1)
EOF
ok
for p in $BG_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
BG_PIDS=""

# --- SIGTERM: a clean stop ------------------------------------------------
kill -TERM "$CLOUD_PID"
wait "$CLOUD_PID"
rc=$?
CLOUD_PID=""
[ "$rc" -eq 0 ] && ok || bad "cloud exit $rc on SIGTERM, want 0"
tail -n 1 "$T/cloud.log" | grep -q '"event":"stopped"' && ok ||
    bad "cloud log does not end with the stopped line"
cat "$T/cloud.log" >>"$ALL_OUT"

# --- cloud: bad input -----------------------------------------------------
"$CP" cloud --listen 127.0.0.1:0 --server-key "$T/$ID.pem" \
    --devices "$T/devices" >/dev/null 2>"$T/err.txt"
[ $? -eq 2 ] && grep -q "$ID.pem" "$T/err.txt" && ok ||
    bad "cloud with a 1024-bit server key: want exit 2 naming the file"
"$CP" cloud --listen 127.0.0.1:0 --server-key "$T/server.pem" \
    --devices "$T/devices" --fault sideways >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "cloud --fault sideways: want exit 2"
for c in handshake cloud keys; do
	"$CP" $c --help >/dev/null 2>&1 && ok || bad "$c --help"
done

# --- keys check and server-region ------------------------------------------
python3 - "$T/$ID.der" "$T/slot.bin" "$T/blank.bin" <<'EOF'
import sys
der = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(der + b"\xff" * (612 - len(der)))
open(sys.argv[3], "wb").write(b"\xff" * 612)
EOF
# keys_run NAME WANT_RC ARGS...: run `keys`, output kept in out.txt.
keys_run() {
	name=$1 want=$2
	shift 2
	"$CP" keys "$@" >"$T/out.txt" 2>"$T/err.txt"
	rc=$?
	cat "$T/out.txt" "$T/err.txt" >>"$ALL_OUT"
	[ "$rc" -eq "$want" ] && ok || bad "keys $name: exit $rc, want $want"
}
keys_run "region ipv4" 0 server-region --key "$T/server.pub.pem" \
    --host 192.168.1.10 --port 5683 -o "$T/r4.der"
keys_run "region domain" 0 server-region --key "$T/server.pem" \
    --host cloud.example.com -o "$T/rd.der"
python3 - "$T/server.pub.der" "$T/r4.der" "$T/rd.der" <<'EOF' || bad "region files differ from the particle-cli layout"
import sys
der = open(sys.argv[1], "rb").read()
def region(addr, port):
    b = bytearray(der + b"\xff" * (512 - len(der)))
    b[384:384 + len(addr)] = addr
    if port:
        b[450:452] = port.to_bytes(2, "big")
    return bytes(b)
ok = open(sys.argv[2], "rb").read() == region(bytes([0, 4, 192, 168, 1, 10]), 5683)
ok = ok and open(sys.argv[3], "rb").read() == region(bytes([1, 17]) + b"cloud.example.com", 0)
sys.exit(0 if ok else 1)
EOF
ok
keys_run "region bad quad" 2 server-region --key "$T/server.pub.pem" \
    --host 1.2.3 -o "$T/x.der"
keys_run "region 1024 key" 2 server-region --key "$T/other.pub.pem" \
    --host 1.2.3.4 -o "$T/x.der"
grep -q "other.pub.pem" "$T/err.txt" && ok || bad "region 1024 key: file not named"
keys_run "check good" 0 check --device-key "$T/slot.bin" --server-key "$T/r4.der" \
    --registered "$T/devices/$ID.pub.pem"
grep -q "192.168.1.10:5683" "$T/out.txt" && ok || bad "check good: address not printed"
grep -q "matches the device key" "$T/out.txt" && ok || bad "check good: match not said"
keys_run "check domain" 0 check --device-key "$T/$ID.pem" --server-key "$T/rd.der"
grep -q "cloud.example.com:5683" "$T/out.txt" && ok || bad "check domain: address not printed"
keys_run "check mismatch" 1 check --device-key "$T/slot.bin" \
    --registered "$T/other.pub.pem" --json
grep -q '"keys.device_key_mismatch"' "$T/out.txt" && ok || bad "check mismatch: no finding"
keys_run "check blank" 1 check --device-key "$T/blank.bin"
grep -q "keys.device_key_blank" "$T/out.txt" && ok || bad "check blank: no finding"
grep -q "PRIVATE_DEVICE_KEY_BLANK" "$T/out.txt" && ok || bad "check blank: flag not printed"
keys_run "check pkcs8" 1 check --device-key "$T/$ID.p8.der"
grep -q "PKCS#8" "$T/out.txt" && ok || bad "check pkcs8: not explained"
keys_run "check truncated" 1 check --device-key "$T/trunc.der"
grep -q "keys.device_key_corrupt" "$T/out.txt" && ok || bad "check truncated: no finding"
keys_run "check bare server key" 0 check --server-key "$T/server.pub.der"
grep -q "device.spark.io:5683" "$T/out.txt" && ok || bad "bare server key: default address not printed"
keys_run "check blank server key" 1 check --server-key "$T/blank.bin"
keys_run "check missing" 2 check --device-key "$T/nope.der"
grep -q "nope.der" "$T/err.txt" && ok || bad "check missing: file not named"

# --- no key material anywhere ---------------------------------------------
leaks=$(python3 - "$ALL_OUT" "$T" "$ID" <<'EOF'
import base64, os, sys
out = open(sys.argv[1], "rb").read()
t, ident = sys.argv[2], sys.argv[3]
found = []
for name in ("server.pem", ident + ".pem", "other.pem", "server2.pem"):
    for line in open(os.path.join(t, name)).read().splitlines():
        if not line.startswith("-----") and len(line) >= 32 and line.encode() in out:
            found.append(name)
der = open(os.path.join(t, ident + ".der"), "rb").read()
for chunk in (base64.b64encode(der)[8:48], der[20:44].hex().encode()):
    if chunk in out:
        found.append(ident + ".der")
print(" ".join(sorted(set(found))))
EOF
)
[ -z "$leaks" ] && ok || bad "key material in the output: $leaks"
[ -s "$ALL_OUT" ] && ok || bad "no output collected for the leak check"

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
