# lab.sh - the emulated routers a QA plan names, each in a lab of its own
# (tests/lab/lib.sh), brought up side by side.  Source it, then
#   qa_lab_up TEMPLATE OUT   bring up the routers TEMPLATE names and write
#                            the plan OUT with their namespaces filled in;
#   qa_lab_down              (put it in an EXIT trap) stop them all.
# In a template a station's netns is written "LABPFX-SCENARIO-c": the
# client namespace of the lab built for SCENARIO (a name of lab_scenarios),
# or "LABPFX-SCENARIO-p": its second client (isolated, lan_peer).  Every lab
# gets `cyanprobe qa responder` on its WAN side (lab_responder, for
# nat-lifetime and wan-recovery), and one with a second client a stand-in
# device on its first (for isolation, from the second).
# Each lab lives in a background shell of its own, since lib.sh keeps one
# lab's state in shell variables; it takes itself down when told to, or
# when this shell goes away.
QA_LAB_BASE=${QA_LAB_BASE:-cq$$}
QA_LAB_RUN=""

# qa_lab_scenarios TEMPLATE: the scenarios a template names, once each.
qa_lab_scenarios() {
	sed -n 's/.*LABPFX-\([a-z_0-9]*\)-[cp]\([^a-z_0-9-].*\)*$/\1/p' "$1" |
	    sort -u
}

# qa_lab_standin: where the lab has a second client, the first stands in
# for the device, as tests/qatests does: it answers TCP 80, UDP 5683 and
# mDNS for LAB_DEVICE_MDNS.
qa_lab_standin() {
	[ -e "/run/netns/$LAB_NS_PEER" ] || [ -e "/var/run/netns/$LAB_NS_PEER" ] ||
	    return 0
	lab_responder "$LAB_NS_CLIENT" "$LAB_CLIENT_ADDR" --tcp 80 \
	    --udp 5683 --mdns "$LAB_DEVICE_MDNS" --iface eth0
}

# qa_lab_one SCENARIO DIR: one lab, until DIR/stop appears.
qa_lab_one() {
	(
		. tests/lab/lib.sh
		LAB_PREFIX="$QA_LAB_BASE-$1-"
		trap 'lab_down; exit 0' EXIT
		trap 'exit 0' INT TERM HUP
		if lab_up "$1" >"$2/$1.log" 2>&1 &&
		    lab_responder >>"$2/$1.log" 2>&1 &&
		    qa_lab_standin >>"$2/$1.log" 2>&1; then
			touch "$2/$1.ready"
		else
			touch "$2/$1.failed"
			exit 1
		fi
		while [ ! -e "$2/stop" ]; do
			sleep 0.1
		done
	) &
	echo $! >>"$2/pids"
}

qa_lab_up() {
	QA_LAB_RUN=$(mktemp -d "${TMPDIR:-/tmp}/cyanqa-lab.XXXXXX") || return 1
	: >"$QA_LAB_RUN/pids"
	for s in $(qa_lab_scenarios "$1"); do
		qa_lab_one "$s" "$QA_LAB_RUN"
	done
	for s in $(qa_lab_scenarios "$1"); do
		i=0
		while [ ! -e "$QA_LAB_RUN/$s.ready" ]; do
			if [ -e "$QA_LAB_RUN/$s.failed" ] || [ "$i" -gt 600 ]; then
				echo "qa lab: $s did not come up:" >&2
				cat "$QA_LAB_RUN/$s.log" >&2
				return 1
			fi
			i=$((i + 1))
			sleep 0.1
		done
	done
	sed "s/LABPFX-/$QA_LAB_BASE-/g" "$1" >"$2"
}

qa_lab_down() {
	[ -n "$QA_LAB_RUN" ] && [ -d "$QA_LAB_RUN" ] || return 0
	touch "$QA_LAB_RUN/stop"
	for p in $(cat "$QA_LAB_RUN/pids"); do
		wait "$p" 2>/dev/null
	done
	rm -rf "$QA_LAB_RUN"
	QA_LAB_RUN=""
}
