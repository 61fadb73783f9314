#!/bin/sh
# demo.sh - `make run`: the most common home-router fault, outbound TCP 5683
# blocked, built in the network lab (lib.sh), and `cyanprobe diagnose` run
# against it with every target pointing into the lab, printing the full
# report a user would see.  Everything is removed afterwards.
#
# DEVICE and FIRMWARE pick the profile (default photon 1.5.2);
# SCENARIO picks another lab scenario (see tests/lab/lib.sh).
set -u
cd "$(dirname "$0")/../.." || exit 3
B=${B:-build}
SCENARIO=${SCENARIO:-cloud_dropped}
DEVICE=${DEVICE:-photon}
FIRMWARE=${FIRMWARE:-1.5.2}

. tests/lab/lib.sh

if [ ! -x "$B/cyanprobe" ]; then
	echo "demo: $B/cyanprobe is missing: run make first" >&2
	exit 2
fi
if ! why=$(lab_can_run); then
	echo "demo: the lab $why." >&2
	echo "demo: it builds a small network in network namespaces, which" \
	    "only root can do: try 'sudo make run'." >&2
	exit 2
fi
trap lab_down EXIT
trap 'exit 130' INT TERM
trap 'exit 129' HUP
# A reader that goes away (| head) must not stop the clean-up: writes just fail.
trap '' PIPE

echo "Building the lab: a home router (dnsmasq, nftables) that drops"
echo "outbound TCP 5683, stand-ins for the internet, and the test cloud."
if ! lab_up "$SCENARIO"; then
	echo "demo: the lab did not come up" >&2
	exit 3
fi
flags=$(lab_diagnose_flags)
echo
echo "\$ cyanprobe diagnose --device $DEVICE --firmware $FIRMWARE $flags"
echo
# shellcheck disable=SC2086
lab_exec_client "$B/cyanprobe" diagnose --device "$DEVICE" \
    --firmware "$FIRMWARE" $flags
rc=$?
echo
echo "(exit status $rc: 0 no problem, 1 problems found)"
[ "$rc" -le 1 ]
