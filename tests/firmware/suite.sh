#!/bin/sh
# suite.sh - the firmware footprint checks of `make firmware`, as a suite:
# each PASS/FAIL target line of firmware-agent/build-firmware.sh is one
# check, and a build with a malloc/printf-calling object must be refused.
set -u
cd "$(dirname "$0")/../.." || exit 3
pass=0 fail=0
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT INT TERM

if ! command -v arm-none-eabi-gcc >/dev/null 2>&1; then
	echo "SKIP firmware: arm-none-eabi-gcc not installed"
	echo "# 0 passed, 0 failed"
	exit 0
fi

FW_OUT="$out/fw" firmware-agent/build-firmware.sh >"$out/log" 2>&1
rc=$?
cat "$out/log"
n=$(grep -c '^PASS ' "$out/log")
pass=$((pass + n))
n=$(grep -c '^FAIL ' "$out/log")
fail=$((fail + n))
if [ "$rc" -ne 0 ] && [ "$n" -eq 0 ]; then
	echo "FAIL build-firmware.sh exited $rc with no FAIL line"
	fail=$((fail + 1))
fi
# Each target must have been checked (a missing line is a failure too).
for t in "core agent .text" "core agent .data+.bss" "agent with CoAP .text" \
    "forbidden symbols"; do
	if ! grep -q "^PASS $t" "$out/log"; then
		grep -q "^FAIL $t" "$out/log" || {
			echo "FAIL target not checked: $t"
			fail=$((fail + 1))
		}
	fi
done

# The symbol check must be able to fail.
if ! FW_OUT="$out/bad" FW_EXTRA=tests/firmware/bad_alloc.c \
    firmware-agent/build-firmware.sh >"$out/bad.log" 2>&1 && grep -q '^FAIL forbidden symbols:.*malloc' "$out/bad.log" &&
    grep -q '^FAIL forbidden symbols:.*printf' "$out/bad.log"; then
	pass=$((pass + 1))
else
	echo "FAIL nm check did not catch malloc/printf in" \
	    "tests/firmware/bad_alloc.c"
	fail=$((fail + 1))
fi
echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
