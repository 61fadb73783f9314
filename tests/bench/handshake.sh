#!/bin/sh
# handshake.sh - benchmark `cyanprobe cloud`: many concurrent device
# handshakes (nonce to ping, each a fresh TCP connection and full RSA work
# on both sides) on loopback, from the hsload helper.  Prints handshakes per
# second and p50/p99 latency.
#
#   tests/bench/handshake.sh [CLIENTS [COUNT [CLOUD_THREADS]]]
#
# Defaults: 32 clients, 2000 handshakes, cloud threads = CPUs (at most 8).
# Targets: every handshake completes, at least $MIN_RATE handshakes/s
# (default 200) and a p99 latency of at most $MAX_P99 ms (default 1000),
# modest enough for a 2-CPU VM sharing its CPUs with the load client.
# Exit 0 when they are met, 1 when not, 3 when it cannot run.
set -u
cd "$(dirname "$0")/../.." || exit 3
B=${B:-build}
CLIENTS=${1:-32}
COUNT=${2:-2000}
THREADS=${3:-}
MIN_RATE=${MIN_RATE:-200}
MAX_P99=${MAX_P99:-1000}
for f in "$B/cyanprobe" "$B/helpers/hsload"; do
	[ -x "$f" ] || { echo "bench: $f is not built (make B=$B tests)" >&2; exit 3; }
done

T=$(mktemp -d /tmp/cyanprobe-bench.XXXXXX)
PID=""
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 3' INT TERM

ID=53ff6f066667574852212467
mkdir "$T/devices"
openssl genrsa -out "$T/server.pem" 2048 2>/dev/null
openssl rsa -in "$T/server.pem" -pubout -out "$T/server.pub.pem" 2>/dev/null
openssl genrsa -out "$T/$ID.pem" 1024 2>/dev/null
openssl rsa -in "$T/$ID.pem" -pubout -out "$T/devices/$ID.pub.pem" 2>/dev/null

"$B/cyanprobe" cloud --listen 127.0.0.1:0 --server-key "$T/server.pem" \
    --devices "$T/devices" --max-clients 512 --log "$T/cloud.log" \
    --ready-file "$T/ready" ${THREADS:+--threads "$THREADS"} &
PID=$!
i=0
while [ ! -s "$T/ready" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cut -d' ' -f2 "$T/ready" 2>/dev/null)
[ -n "$PORT" ] || { echo "bench: the cloud did not start" >&2; exit 3; }

echo "cyanprobe cloud on 127.0.0.1:$PORT, $(nproc) CPUs," \
    "cloud threads ${THREADS:-auto}"
"$B/helpers/hsload" "127.0.0.1:$PORT" "$T/$ID.pem" "$T/server.pub.pem" \
    "$ID" "$CLIENTS" "$COUNT" | tee "$T/load.txt" | grep -v '^result '
kill "$PID"
wait "$PID"
PID=""
echo "cloud log: $(grep -c '"outcome":"connected"' "$T/cloud.log") connected," \
    "$(grep '"event":"connection"' "$T/cloud.log" | grep -vc '"outcome":"connected"') other"
res=$(grep '^result ' "$T/load.txt")
[ -n "$res" ] || { echo "bench: the load client failed" >&2; exit 3; }
echo "$res" | awk -v min="$MIN_RATE" -v max="$MAX_P99" '{
	for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	ok = v["failed"] == 0 && v["rate"] >= min && v["p99"] <= max
	printf "targets: all complete (%s failed), >= %d/s (%s), p99 <= %d ms (%s): %s\n",
	    v["failed"], min, v["rate"], max, v["p99"], ok ? "met" : "MISSED"
	exit ok ? 0 : 1
}'
