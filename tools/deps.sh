#!/bin/sh
# deps.sh - install the Debian packages that building and testing cyanprobe
# need, and nothing when they are all present already.  Called by `make deps`.
set -eu

PACKAGES="
build-essential pkg-config clang libclang-rt-14-dev
libpcap-dev libnl-3-dev libnl-genl-3-dev libnl-route-3-dev
libcoap3-dev libssl-dev libcjson-dev libcurl4-openssl-dev
ieee-data
iproute2 nftables dnsmasq-base tshark wireshark-common
gcc-arm-none-eabi binutils-arm-none-eabi
nmap dnsutils netcat-openbsd curl socat python3 openssl procps
libyaml-dev libsqlite3-dev sqlite3 libpq-dev postgresql python3-junitparser
python3-jsonschema chromium
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "deps: need root (or sudo) to install:$missing" >&2
		exit 1
	}
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer for it.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
    $SUDO debconf-set-selections 2>/dev/null || true
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
