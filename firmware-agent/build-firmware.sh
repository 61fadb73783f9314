#!/bin/sh
# build-firmware.sh - `make firmware`: cross-compile the agent for the
# Core's STM32F103 and the Photon's STM32F205 (Cortex-M3, Thumb-2), print
# .text/.data/.bss per object and in total, with and without the CoAP
# encoder, check the footprint targets, and fail if an object needs an
# allocator, stdio or another forbidden libc symbol.
#
# Targets (issue 6): the core agent (agent.c, agent_serial.c, agent_crc32.c)
# at most 2048 bytes of .text and 64 bytes of .data+.bss (the ring is in
# the port's retained region, not here); with agent_coap.c at most 3072
# bytes of .text.  The shared stage model analyzers/stage.c is compiled in
# too (the agent calls it for names and the LED) and listed on its own line.
#
# Output: one "PASS name" or "FAIL name: why" line per target; exit status
# 0 when all pass, 1 when one fails, 2 when the toolchain is missing.
# Source lists and flags are split into words on purpose:
# shellcheck disable=SC2046,SC2059,SC2086,SC2116
set -u
cd "$(dirname "$0")/.." || exit 2

CROSS=${CROSS:-arm-none-eabi-}
OUT=${FW_OUT:-${B:-build}/firmware}
CC="${CROSS}gcc"
if ! command -v "$CC" >/dev/null 2>&1; then
	echo "FAIL toolchain: $CC not found (apt-get install gcc-arm-none-eabi)"
	exit 2
fi
CFLAGS="-std=c11 -Os -mthumb -mcpu=cortex-m3 -ffreestanding -fno-builtin
	-ffunction-sections -fdata-sections -fno-common
	-Wall -Wextra -Werror -Wpedantic -Wshadow -Wstrict-prototypes
	-Wmissing-prototypes -Wcast-qual -Wpointer-arith -Wundef
	-Ianalyzers -Ifirmware-agent"
FA=firmware-agent
CORE="$FA/agent.c $FA/agent_serial.c $FA/agent_crc32.c"
COAP="firmware-agent/agent_coap.c"
MODEL="analyzers/stage.c"
MODEL_FLAGS="-DSTAGE_NO_MEANING"
# What the agent must never need: an allocator, stdio, or anything that waits.
FORBIDDEN="malloc free calloc realloc printf sprintf snprintf vsnprintf
	vprintf fprintf puts putchar fputs fputc fopen fclose fwrite fread
	fflush stdout stderr exit abort sleep usleep delay"
MAX_CORE_TEXT=2048
MAX_CORE_RAM=64
MAX_COAP_TEXT=3072

mkdir -p "$OUT" || exit 2
fail=0

# build SRC OBJ FLAGS...
build() {
	src=$1 obj=$2
	shift 2
	if ! $CC $CFLAGS "$@" -c "$src" -o "$obj"; then
		echo "FAIL compile: $src"
		exit 1
	fi
}
# The core build leaves the CoAP sender out of agent.c too.
for src in $CORE; do
	build "$src" "$OUT/$(basename "$src" .c).o" -DAGENT_WITH_COAP=0
done
build $MODEL "$OUT/$(basename $MODEL .c).o" $MODEL_FLAGS
build firmware-agent/agent.c "$OUT/agent_with_coap.o" -DAGENT_WITH_COAP=1
build $COAP "$OUT/agent_coap.o"
# FW_EXTRA: more sources to put through the symbol check (the firmware
# suite uses it to prove that the check catches a malloc).
EXTRA=""
for src in ${FW_EXTRA:-}; do
	build "$src" "$OUT/$(basename "$src" .c).o"
	EXTRA="$EXTRA $OUT/$(basename "$src" .c).o"
done

# size_of FIELD OBJ...: the sum of one Berkeley `size` column.
size_of() {
	col=$1
	shift
	"${CROSS}size" "$@" |
	    awk -v c="$col" 'NR > 1 { s += $c } END { print s + 0 }'
}
objs() {
	for src in "$@"; do
		printf '%s ' "$OUT/$(basename "$src" .c).o"
	done
}

echo "Footprint (arm-none-eabi-gcc -Os -mthumb -mcpu=cortex-m3;" \
    ".text includes .rodata):"
printf '  %-22s %7s %7s %7s\n' object .text .data .bss
for o in $(objs $CORE firmware-agent/agent_with_coap.c $COAP $MODEL); do
	"${CROSS}size" "$o" | awk -v n="$(basename "$o")" \
	    'NR == 2 { printf "  %-22s %7d %7d %7d\n", n, $1, $2, $3 }'
done
core_text=$(size_of 1 $(objs $CORE))
core_ram=$(( $(size_of 2 $(objs $CORE)) + $(size_of 3 $(objs $CORE)) ))
WITH="$FA/agent_with_coap.c $FA/agent_serial.c $FA/agent_crc32.c $COAP"
coap_text=$(size_of 1 $(objs $WITH))
coap_ram=$(( $(size_of 2 $(objs $WITH)) + $(size_of 3 $(objs $WITH)) ))
model_text=$(size_of 1 $(objs $MODEL))
ring=$(printf '%s\n' '#include "agent.h"' \
    'char ring_size[sizeof(struct agent_ring)];' |
    $CC $CFLAGS -x c -c - -o "$OUT/ring.o" && "${CROSS}size" "$OUT/ring.o" |
    awk 'NR == 2 { print $3 }')
row='  %-22s %7d %7s %7s\n'
printf "$row" "total core agent" "$core_text" "" "$core_ram (data+bss)"
printf "$row" "total with CoAP" "$coap_text" "" "$coap_ram (data+bss)"
printf '  %-22s %7d\n' "stage model (shared)" "$model_text"
echo "  retained ring (port's region, AGENT_RING_SIZE events): $ring bytes"

# What a firmware image really carries: the objects linked with
# --gc-sections into an image whose only code is a stub application that
# calls the whole API, so unused parts of the shared model drop out.
cat >"$OUT/fw_stub.c" <<'STUB'
#include "agent.h"
void fw_main(void);
static uint32_t t(void *c) { (void)c; return 0; }
static void *r(void *c, size_t *n) { (void)c; *n = 0; return 0; }
static const struct agent_port port = { t, r, 0, 0, 0 };
static const struct agent_config cfg = { 0, 1, 0, { 0 } };
volatile uint8_t fw_sink;
void
fw_main(void)
{
	agent_init(&port, &cfg);
	agent_stage(STAGE_CLOUD);
	agent_fail(STAGE_CLOUD, -1, "x");
	agent_fact(AGENT_FACT_IP, "x");
	agent_fact_int(AGENT_FACT_RSSI, -60);
	agent_serial_input('e');
	agent_coap_input("", 0);
	agent_poll();
	fw_sink = agent_led().color;
}
STUB
linked() {
	name=$1
	shift
	if $CC $CFLAGS -nostdlib -nostartfiles -Wl,--gc-sections \
	    -Wl,-e,fw_main \
	    -o "$OUT/$name.elf" "$OUT/fw_stub.c" "$@" 2>"$OUT/$name.err"; then
		"${CROSS}size" "$OUT/$name.elf" | awk -v n="$name" \
		    'NR == 2 { printf "  %-22s %7d %7d %7d\n", n, $1, $2, $3 }'
	else
		echo "  $name: does not link:"
		sed 's/^/    /' "$OUT/$name.err"
		fail=1
	fi
}
echo "Linked images (stub application + agent + stage model, --gc-sections):"
linked "image, core agent" $(objs $CORE $MODEL)
linked "image, with CoAP" $(objs $WITH $MODEL)

check() {
	name=$1 value=$2 max=$3
	if [ "$value" -le "$max" ]; then
		echo "PASS $name: $value <= $max bytes"
	else
		echo "FAIL $name: $value > $max bytes"
		fail=1
	fi
}
check "core agent .text" "$core_text" "$MAX_CORE_TEXT"
check "core agent .data+.bss" "$core_ram" "$MAX_CORE_RAM"
check "agent with CoAP .text" "$coap_text" "$MAX_COAP_TEXT"
check "agent with CoAP .data+.bss" "$coap_ram" "$MAX_CORE_RAM"

# Every undefined symbol an object needs, checked against the forbidden list.
undef=$("${CROSS}nm" -u $(objs $CORE $WITH $MODEL) $EXTRA |
    awk 'NF >= 2 { print $2 }' | sort -u)
bad=""
for s in $FORBIDDEN; do
	echo "$undef" | grep -qx "$s" && bad="$bad $s"
done
if [ -n "$bad" ]; then
	echo "FAIL forbidden symbols:$bad"
	fail=1
else
	echo "PASS forbidden symbols: none (undefined: $(echo $undef))"
fi
exit $fail
