#!/bin/sh
# deps.sh - install the Debian packages that building and testing cyanprobe
# need (and that the README's examples use, such as tcpdump), and nothing
# when they are all present already.  Called by `make deps`, `make run` and
# `make check`.  Quiet: one line per step; apt's and dpkg's own output goes
# to a log file whose path is printed when a step fails.
set -eu

PACKAGES="
build-essential pkg-config clang libclang-rt-14-dev
libpcap-dev libnl-3-dev libnl-genl-3-dev libnl-route-3-dev
libcoap3-dev libcoap3-bin libssl-dev libcjson-dev libcurl4-openssl-dev
ieee-data
iproute2 nftables dnsmasq-base tshark wireshark-common
isc-dhcp-server kea-dhcp4-server udhcpd busybox
gcc-arm-none-eabi binutils-arm-none-eabi
nmap dnsutils netcat-openbsd curl socat python3 openssl procps tcpdump strace
libyaml-dev libsqlite3-dev sqlite3 libpq-dev postgresql python3-junitparser
python3-jsonschema python3-yaml chromium
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

set -- $missing
echo "deps: $# package(s) to install:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "deps: need root (or sudo) to install:$missing" >&2
		exit 1
	}
	SUDO="sudo"
fi
log=$(mktemp "${TMPDIR:-/tmp}/cyanprobe-deps.XXXXXX")
# step TEXT COMMAND...: one line on the terminal, the output into the log.
step() {
	echo "deps: $1"
	shift
	echo "+ $*" >>"$log"
	if ! "$@" >>"$log" 2>&1 </dev/null; then
		echo "deps: failed: $*" >&2
		tail -n 5 "$log" | sed 's/^/deps:   /' >&2
		echo "deps: the full log is $log" >&2
		exit 1
	fi
}
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer for it.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
    $SUDO debconf-set-selections >>"$log" 2>&1 || true
# The DHCP servers (kea, udhcpd, isc-dhcp-server) and PostgreSQL start a
# service when installed.  The tests run their own copies inside network
# namespaces; none may serve this machine's real network, and where there
# is no init a failed start fails the install.  So while apt runs, a
# policy-rc.d (Debian's own mechanism) forbids starting any service.
rcd=/usr/sbin/policy-rc.d
if [ ! -e "$rcd" ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$rcd" >/dev/null &&
	    $SUDO chmod 755 "$rcd"
	trap '$SUDO rm -f "$rcd"' EXIT
	trap 'exit 130' INT TERM
fi
step "updating the package lists" $SUDO apt-get update -q
# shellcheck disable=SC2086
step "installing$missing" $SUDO apt-get install -y -q \
    --no-install-recommends $missing
rm -f "$log"
echo "deps: done"
