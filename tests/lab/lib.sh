# lib.sh - a small internet in network namespaces, for tests and demos.
#
# Source it, then `lab_up SCENARIO`, run things with lab_exec_client, and
# `lab_down` (put it in a trap: it is safe to call twice or after a failed
# lab_up).  Everything a lab creates carries the prefix $LAB_PREFIX (default
# "cpl<pid>"), so labs of parallel runs never meet; set LAB_PREFIX before
# lab_up to choose another.  Needs root, iproute2, nftables and dnsmasq.
#
#   client ns  eth0 192.168.77.10/24, default via .1    (the probe runs here)
#      |  veth
#   router ns  br0 192.168.77.1/24 (dnsmasq: DHCP + DNS), nftables NAT and
#      |  veth the scenario's filter; wan0 198.18.0.1/24; no default route,
#      |       so nothing can be sent beyond the lab (ICMP unreachable)
#   upstream ns  wan0 198.18.0.2/24 and on lo:
#       198.18.1.53   "public" DNS (dnsmasq, authoritative for cyanlab.test,
#                     NXDOMAIN for the rest) and internet test (TCP 53)
#       198.18.1.123  NTP (ntp.cyanlab.test)
#       198.18.2.1    the cloud, TCP 5683 (cloud.cyanlab.test)
#       198.18.3.1    connectivity check web server (check.cyanlab.test)
#       198.18.4.1    `cyanprobe qa responder`, once lab_responder ran
#   rogue ns (two_dhcp only)  eth0 192.168.77.2/24 on the router's bridge
#   peer ns (isolated, lan_peer)  eth0 192.168.77.11/24 on the router's
#       bridge: a second client, e.g. a phone app next to the device
#   carrier ns (double_nat)  between router and upstream: the router's wan0
#       is 100.64.0.2/24 (CGNAT space), the carrier NATs again to 198.18.0.1
#   other ns (pool_exhausted only)  eth0 on the bridge: a device that holds
#       the one address of the pool (busybox udhcpc took it)
#
# The emulated routers of `cyanprobe qa` (lab_routers) are scenarios too; a
# test drives the time-dependent ones with lab_router_restart, lab_wan_down,
# lab_wan_up and lab_wan_renumber.
#
# The rogue server of two_dhcp is LAB_ROGUE_IMPL, by default the same as the
# router's.
# The router's DHCP server is LAB_DHCP_IMPL: dnsmasq (the default, also the
# DNS server, as in most home routers), isc (ISC dhcpd), kea (kea-dhcp4) or
# udhcpd (busybox).  With any but dnsmasq, dnsmasq still serves DNS, with
# its DHCP off.  Every server runs with its Debian package's defaults: the
# lab writes a config into its temp folder with only what the scenario
# needs (range, router, DNS, and the fault), never an option that makes a
# server faster or kinder than shipped.  So dnsmasq and ISC dhcpd ping an
# address before offering it (up to 3 s and 1 s) and udhcpd ARPs it (2 s).
#
# 198.18.0.0/15 is the benchmarking range (RFC 2544): it looks public to the
# probe but is never routed on the internet.  Scenarios: see lab_scenarios.
#
# The cloud: by default (LAB_CLOUD_IMPL=real) the real test cloud,
# `cyanprobe cloud` (server key from LAB_SERVER_KEY, else a new one; device
# public keys from LAB_DEVICES_DIR, else none; its JSON log in
# $LAB_DIR/cloud.log), which misbehaves as LAB_CLOUD_FAULT says (a
# `cyanprobe cloud --fault` name, e.g. bad-signature; empty: none) and
# speaks the wire form LAB_CLOUD_WIRE (a `--wire` name: spark-server for
# the real local cloud's Hello and PingAck; empty: the default).
# lab_cloud_restart FAULT then swaps the fault in a lab that is already up,
# in a fraction of a second.  LAB_CLOUD_IMPL=stub runs lab_serve's 40-byte
# nonce stand-in instead.  Or set LAB_CLOUD_CMD to run any command in the
# upstream namespace, with the word LAB_CLOUD_ADDR in it replaced by
# 198.18.2.1:5683.

LAB_B=${B:-build}
LAB_PREFIX=${LAB_PREFIX:-cpl$$}
LAB_DIR=""
LAB_NS_CLIENT="${LAB_PREFIX}c"
LAB_NS_ROUTER="${LAB_PREFIX}r"
LAB_NS_UP="${LAB_PREFIX}u"
LAB_NS_ROGUE="${LAB_PREFIX}x"
LAB_NS_PEER="${LAB_PREFIX}p"
LAB_NS_CARRIER="${LAB_PREFIX}n"
LAB_NS_OTHER="${LAB_PREFIX}d"
LAB_DHCP_IMPL=${LAB_DHCP_IMPL:-dnsmasq}
LAB_IFACE=eth0
LAB_PEER_ADDR=192.168.77.11
LAB_WAN_ADDR=198.18.0.1
LAB_WAN_RENUMBERED=198.18.0.3
LAB_PRIVATE_NAME=nas.cyanlab.test	# public name, private answer (rebind)
LAB_PRIVATE_ADDR=192.168.77.20
LAB_RESPONDER_ADDR=198.18.4.1	# `cyanprobe qa responder` (lab_responder)
LAB_DEVICE_MDNS=cyanlab-device	# the stand-in device's mDNS name
LAB_CLIENT_ADDR=192.168.77.10
LAB_ROUTER_ADDR=192.168.77.1
LAB_DNS_ADDR=198.18.1.53
LAB_NTP_ADDR=198.18.1.123
LAB_CLOUD_ADDR=198.18.2.1
LAB_CHECK_ADDR=198.18.3.1
LAB_HIJACK_ADDR=198.18.9.9
LAB_CLOUD=cloud.cyanlab.test:5683
LAB_NTP=ntp.cyanlab.test
LAB_INTERNET_TEST=$LAB_DNS_ADDR:53
LAB_PORTAL_URL=http://check.cyanlab.test/generate_204
LAB_SCENARIO=""
LAB_ALLOWED_MAC=02:c7:a0:00:00:aa	# mac_filter: the one MAC served

# The scenarios, each one fault of a real network:
#   healthy         everything works
#   no_dhcp         the router's DHCP server is off
#   pool_exhausted  a one-address pool, already leased to another device
#   mac_filter      only LAB_ALLOWED_MAC gets an address
#   two_dhcp        a second router on the LAN still serves DHCP
#   dhcp_bare       leases without gateway or DNS, for 2 minutes
#   upstream_down   the ISP side drops every packet, silently
#   cloud_dropped   the router drops outbound TCP 5683
#   cloud_rejected  the router rejects it with a TCP reset
#   dns_down        the router's DNS drops every query
#   dns_hijacked    nonexistent names get an address (ISP style)
#   portal          a captive portal: DNS to the router, web redirected to a
#                   login page, everything else dropped; DHCP option 114
#   cloud_silent    the cloud port accepts and says nothing
#   cloud_proxy     the cloud port answers with an HTTP error
# and the emulated routers of lab_routers below.
lab_scenarios() {
	echo healthy no_dhcp pool_exhausted mac_filter two_dhcp dhcp_bare \
	    upstream_down \
	    cloud_dropped cloud_rejected dns_down dns_hijacked portal \
	    cloud_silent cloud_proxy $(lab_routers | awk '$1 != "healthy" &&
	    $1 != "portal" { print $1 }')
}

# The emulated routers, as data: one line per router, "NAME TWIN TEXT",
# where TWIN is the router without the fault that a test compares it with.
# Each differs from `healthy` as real home routers do, with stock Debian
# servers (dnsmasq, nftables, the kernel's bridge and conntrack).  The
# short timeouts and leases compress hours into seconds for `make check`;
# lab_router_setting gives a test the figure it must measure.
lab_routers() {
	cat <<'EOF'
healthy          healthy   Linux defaults: conntrack UDP 30/120 s, TCP 5 days; no rebind protection; leases kept across restarts
openwrt_rebind   healthy   OpenWrt's dnsmasq: stop-dns-rebind drops public names that answer with a private address
strict_firewall  healthy   outbound allow-list (TCP 53 80 443, UDP 53 123): TCP 5683 dropped
portal           healthy   captive portal: DNS to the router, web to a login page, the rest dropped
double_nat       healthy   two NATs in a row: the router's WAN is in CGNAT space (100.64.0.0/10)
short_nat        healthy   conntrack timeout policies UDP 8 s, TCP established 12 s; packets of forgotten flows dropped
reset_nat        healthy   the same short timeouts, forgotten flows left to the kernel: the router's own stack resets TCP, and a flow speaking again gets a new mapping on a new external port
silent_nat       healthy   drops packets of flows it has forgotten (ct state invalid drop): no reset after a WAN change
isolated         lan_peer  client isolation: bridge ports isolated, a second client cannot reach the first
lan_peer         lan_peer  a second client on the LAN, no isolation
dhcp_forget      healthy   DHCP leases kept in RAM only: a restart forgets them
short_lease      healthy   DHCP leases of 2 minutes (dnsmasq's shortest)
renew_ignored    healthy   DHCP answers only clients without an address: renewing and rebinding REQUESTs are dropped
unicast_ignored  healthy   unicast DHCP to the router dropped: the renewal at T1 goes unanswered, the broadcast rebinding at T2 works
stale_snat       healthy   NAT to the WAN address it booted with (snat, not masquerade): after renumbering nothing gets out
EOF
}

# lab_router_setting NAME: the figure the current scenario is built with,
# for tests to assert measurements against; "" when it does not set it.
#   udp_timeout, tcp_timeout  seconds (conntrack timeout policy)
#   lease                     seconds (DHCP lease)
lab_router_setting() {
	case "$LAB_SCENARIO:$1" in
	short_nat:udp_timeout|reset_nat:udp_timeout) echo 8 ;;
	short_nat:tcp_timeout|reset_nat:tcp_timeout) echo 12 ;;
	short_lease:lease) echo 120 ;;
	*:lease) echo 3600 ;;
	*) echo "" ;;
	esac
}

# The DHCP server implementations lab_up can run (LAB_DHCP_IMPL).
lab_dhcp_impls() {
	echo dnsmasq isc kea udhcpd
}

# lab_can_run: true when this process may build a lab; else prints why.
lab_can_run() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "needs root for network namespaces (run as root or with sudo)"
		return 1
	fi
	case $LAB_DHCP_IMPL in
	dnsmasq) dhcpd=dnsmasq ;;
	isc) dhcpd=dhcpd ;;
	kea) dhcpd=kea-dhcp4 ;;
	udhcpd) dhcpd=udhcpd ;;
	*) echo "LAB_DHCP_IMPL '$LAB_DHCP_IMPL' is not one of" \
	       "$(lab_dhcp_impls)"
	   return 1 ;;
	esac
	for t in ip nft dnsmasq ss $dhcpd; do
		if ! command -v "$t" >/dev/null 2>&1; then
			echo "needs $t (run tools/deps.sh)"
			return 1
		fi
	done
	if [ ! -x "$LAB_B/helpers/lab_serve" ]; then
		echo "needs $LAB_B/helpers/lab_serve (make B=$LAB_B tests)"
		return 1
	fi
	if ! ip netns add "${LAB_PREFIX}t" 2>/dev/null; then
		echo "cannot create network namespaces here (ip netns add failed)"
		return 1
	fi
	ip netns del "${LAB_PREFIX}t" 2>/dev/null
	return 0
}

# The flags that point every check of `cyanprobe diagnose` into the lab.
lab_diagnose_flags() {
	echo "--iface $LAB_IFACE --cloud $LAB_CLOUD" \
	    "--internet-test $LAB_INTERNET_TEST --ntp $LAB_NTP" \
	    "--portal-url $LAB_PORTAL_URL"
}

lab_exec_client() { ip netns exec "$LAB_NS_CLIENT" "$@"; }
lab_exec_router() { ip netns exec "$LAB_NS_ROUTER" "$@"; }
lab_exec_upstream() { ip netns exec "$LAB_NS_UP" "$@"; }
lab_exec_peer() { ip netns exec "$LAB_NS_PEER" "$@"; }

# lab_wait_file FILE: wait up to 5 s for a pid file to appear.
lab_wait_file() {
	i=0
	while [ ! -s "$1" ]; do
		i=$((i + 1))
		[ "$i" -gt 500 ] && return 1
		sleep 0.01
	done
	return 0
}

# lab_serve NS NAME SPEC...: start the stand-in servers in NS.
lab_serve() {
	ns=$1 name=$2
	shift 2
	ip netns exec "$ns" "$LAB_B/helpers/lab_serve" \
	    -p "$LAB_DIR/$name.pid" "$@" >>"$LAB_DIR/$name.log" 2>&1 &
	lab_wait_file "$LAB_DIR/$name.pid" || {
		echo "lab: $name did not start:" >&2
		cat "$LAB_DIR/$name.log" >&2
		return 1
	}
}

# lab_dnsmasq NS NAME ARGS...: a dnsmasq with its shipped defaults, that
# reads no system file (--conf-file, --no-hosts, --no-resolv: the lab must
# not depend on the host's), keeps its files in the lab's folder (root: the
# folder is root's own), binds only the addresses it is given (several
# dnsmasqs share a namespace's port 53 and 67 otherwise) and logs what it
# does, DHCP included, for the tests to read.
lab_dnsmasq() {
	ns=$1 name=$2
	shift 2
	ip netns exec "$ns" dnsmasq --conf-file=/dev/null --no-hosts \
	    --no-resolv --user=root --group=root --bind-interfaces \
	    --pid-file="$LAB_DIR/$name.pid" \
	    --log-facility="$LAB_DIR/$name.log" --log-queries --log-dhcp \
	    --dhcp-leasefile="$LAB_DIR/$name.leases" "$@" || {
		echo "lab: dnsmasq $name did not start:" >&2
		cat "$LAB_DIR/$name.log" >&2 2>/dev/null
		return 1
	}
	lab_wait_file "$LAB_DIR/$name.pid"
}

lab_ns() {
	ip netns add "$1" || return 1
	echo "$1" >>"$LAB_DIR/namespaces"
	ip -n "$1" link set lo up
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1
}

# lab_up SCENARIO: build the lab for one scenario.  Returns non-zero (after
# printing why) when something could not be set up; call lab_down anyway.
lab_up() {
	LAB_SCENARIO=$1
	# Names follow LAB_PREFIX as it is now, even if set after sourcing.
	LAB_NS_CLIENT="${LAB_PREFIX}c"
	LAB_NS_ROUTER="${LAB_PREFIX}r"
	LAB_NS_UP="${LAB_PREFIX}u"
	LAB_NS_ROGUE="${LAB_PREFIX}x"
	LAB_NS_PEER="${LAB_PREFIX}p"
	LAB_NS_CARRIER="${LAB_PREFIX}n"
	LAB_NS_OTHER="${LAB_PREFIX}d"
	case " $(lab_scenarios) " in
	*" $1 "*) ;;
	*) echo "lab: unknown scenario '$1' (known: $(lab_scenarios))" >&2
	   return 2 ;;
	esac
	LAB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cyanlab.XXXXXX") || return 1
	: >"$LAB_DIR/namespaces"
	lab_ns "$LAB_NS_CLIENT" && lab_ns "$LAB_NS_ROUTER" &&
	    lab_ns "$LAB_NS_UP" || return 1

	# Links.
	ip -n "$LAB_NS_ROUTER" link add br0 type bridge forward_delay 0 &&
	ip -n "$LAB_NS_ROUTER" link add lan0 type veth peer name eth0 \
	    netns "$LAB_NS_CLIENT" &&
	ip -n "$LAB_NS_ROUTER" link set lan0 master br0 &&
	ip -n "$LAB_NS_ROUTER" addr add "$LAB_ROUTER_ADDR/24" dev br0 &&
	ip -n "$LAB_NS_ROUTER" link set br0 up &&
	ip -n "$LAB_NS_ROUTER" link set lan0 up &&
	ip netns exec "$LAB_NS_ROUTER" sysctl -qw net.ipv4.ip_forward=1 &&
	ip -n "$LAB_NS_CLIENT" addr add "$LAB_CLIENT_ADDR/24" dev eth0 &&
	ip -n "$LAB_NS_CLIENT" link set eth0 up &&
	ip -n "$LAB_NS_CLIENT" route add default via "$LAB_ROUTER_ADDR" &&
	lab_wan || return 1
	for a in $LAB_DNS_ADDR $LAB_NTP_ADDR $LAB_CLOUD_ADDR $LAB_CHECK_ADDR \
	    $LAB_RESPONDER_ADDR; do
		ip -n "$LAB_NS_UP" addr add "$a/32" dev lo || return 1
	done

	# The client's resolv.conf (ip netns exec mounts it over /etc's).
	# Another lab's lab_down may remove an empty /etc/netns in between:
	# try twice.
	for i in 1 2; do
		mkdir -p "/etc/netns/$LAB_NS_CLIENT" 2>/dev/null &&
		    echo "nameserver $LAB_ROUTER_ADDR" \
		    >"/etc/netns/$LAB_NS_CLIENT/resolv.conf" 2>/dev/null &&
		    break
	done
	[ -s "/etc/netns/$LAB_NS_CLIENT/resolv.conf" ] || return 1

	lab_router_nft || return 1
	case $1 in
	isolated|lan_peer) lab_peer || return 1 ;;
	esac
	if [ "$1" = upstream_down ]; then
		# The ISP's side is dead: every packet that leaves the router
		# vanishes without an answer, its own DNS forwarding included.
		ip netns exec "$LAB_NS_UP" nft -f - <<EOF || return 1
table ip lab {
	chain lab_in {
		type filter hook input priority filter; policy drop;
	}
}
EOF
	fi
	lab_upstream_services || return 1
	lab_dhcp_settings
	lab_router_dnsmasq || return 1
	if [ "$LAB_DHCP_IMPL" != dnsmasq ] && [ "$1" != no_dhcp ]; then
		lab_dhcp_server "$LAB_NS_ROUTER" router-dhcp br0 || return 1
	fi
	if [ "$1" = pool_exhausted ]; then
		lab_other_device || return 1
	fi
	if [ "$1" = two_dhcp ]; then
		lab_rogue || return 1
	fi
	if [ "$1" = portal ]; then
		lab_serve "$LAB_NS_ROUTER" portal "portal:$LAB_ROUTER_ADDR:80" \
		    "capport:$LAB_ROUTER_ADDR:8908" || return 1
	fi
	return 0
}

# lab_wan: the router's WAN side.  Normally a veth to the upstream; with
# double_nat a carrier namespace in between that masquerades again, as an
# ISP's CGNAT or a modem-router in front of the user's router does.
lab_wan() {
	if [ "$LAB_SCENARIO" = double_nat ]; then
		lab_ns "$LAB_NS_CARRIER" || return 1
		ip -n "$LAB_NS_ROUTER" link add wan0 type veth peer name lan0 \
		    netns "$LAB_NS_CARRIER" &&
		ip -n "$LAB_NS_CARRIER" link add wan0 type veth peer name wan0 \
		    netns "$LAB_NS_UP" &&
		ip -n "$LAB_NS_ROUTER" addr add 100.64.0.2/24 dev wan0 &&
		ip -n "$LAB_NS_ROUTER" link set wan0 up &&
		ip -n "$LAB_NS_ROUTER" route add 198.18.0.0/15 via 100.64.0.1 &&
		ip -n "$LAB_NS_CARRIER" addr add 100.64.0.1/24 dev lan0 &&
		ip -n "$LAB_NS_CARRIER" addr add "$LAB_WAN_ADDR/24" dev wan0 &&
		ip -n "$LAB_NS_CARRIER" link set lan0 up &&
		ip -n "$LAB_NS_CARRIER" link set wan0 up &&
		ip -n "$LAB_NS_CARRIER" route add 198.18.0.0/15 via 198.18.0.2 &&
		ip netns exec "$LAB_NS_CARRIER" sysctl -qw \
		    net.ipv4.ip_forward=1 || return 1
		ip netns exec "$LAB_NS_CARRIER" nft -f - <<EOF || return 1
table ip lab {
	chain lab_post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "wan0" masquerade
	}
}
EOF
	else
		ip -n "$LAB_NS_ROUTER" link add wan0 type veth peer name wan0 \
		    netns "$LAB_NS_UP" &&
		ip -n "$LAB_NS_ROUTER" addr add "$LAB_WAN_ADDR/24" dev wan0 &&
		ip -n "$LAB_NS_ROUTER" link set wan0 up &&
		ip -n "$LAB_NS_ROUTER" route add 198.18.0.0/15 via 198.18.0.2 ||
		    return 1
	fi
	ip -n "$LAB_NS_UP" addr add 198.18.0.2/24 dev wan0 &&
	ip -n "$LAB_NS_UP" link set wan0 up
}

# lab_wan_down, lab_wan_up: pull the router's WAN cable and plug it back.
# The kernel drops the masqueraded flows of a link that goes down, as a
# router that loses its WAN does.
lab_wan_down() { ip -n "$LAB_NS_ROUTER" link set wan0 down; }
lab_wan_up() {
	gw=198.18.0.2
	[ "$LAB_SCENARIO" = double_nat ] && gw=100.64.0.1
	ip -n "$LAB_NS_ROUTER" link set wan0 up &&
	    ip -n "$LAB_NS_ROUTER" route replace 198.18.0.0/15 via "$gw"
}

# lab_wan_renumber: the ISP hands the router a new WAN address (not with
# double_nat, whose WAN is the carrier's), and no longer delivers to the
# old one (it forgets where it was: the upstream's neighbour entry goes;
# the router no longer answers ARP for it).
lab_wan_renumber() {
	ip -n "$LAB_NS_ROUTER" addr del "$LAB_WAN_ADDR/24" dev wan0 &&
	ip -n "$LAB_NS_ROUTER" addr add "$LAB_WAN_RENUMBERED/24" dev wan0 &&
	ip -n "$LAB_NS_ROUTER" route replace 198.18.0.0/15 via 198.18.0.2 &&
	ip -n "$LAB_NS_UP" neigh flush to "$LAB_WAN_ADDR" dev wan0
}

# lab_peer: a second client on the router's bridge (a phone next to the
# device), with IPv6 link-local on both clients for mDNS on ff02::fb.
# With `isolated` both client ports are isolated, as "AP isolation" and
# guest networks do: isolated ports forward only to the router's own port.
lab_peer() {
	lab_ns "$LAB_NS_PEER" || return 1
	ip -n "$LAB_NS_ROUTER" link add lan1 type veth peer name eth0 \
	    netns "$LAB_NS_PEER" &&
	ip -n "$LAB_NS_ROUTER" link set lan1 master br0 &&
	ip -n "$LAB_NS_ROUTER" link set lan1 up &&
	ip -n "$LAB_NS_PEER" addr add "$LAB_PEER_ADDR/24" dev eth0 || return 1
	for ns in "$LAB_NS_CLIENT" "$LAB_NS_PEER"; do
		# No duplicate address detection on a link only the lab uses:
		# the address is there at once instead of after about a second.
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
		    net.ipv6.conf.eth0.disable_ipv6=0 \
		    net.ipv6.conf.eth0.accept_dad=0 >/dev/null || return 1
	done
	ip -n "$LAB_NS_PEER" link set eth0 up &&
	ip -n "$LAB_NS_PEER" route add default via "$LAB_ROUTER_ADDR" ||
	    return 1
	if [ "$LAB_SCENARIO" = isolated ]; then
		bridge -n "$LAB_NS_ROUTER" link set dev lan0 isolated on &&
		bridge -n "$LAB_NS_ROUTER" link set dev lan1 isolated on ||
		    return 1
	fi
	return 0
}

lab_router_nft() {
	fwd="" input="" out="" pre="" ct="" timeouts="" nat=masquerade bridge=""
	case $LAB_SCENARIO in
	cloud_dropped)
		fwd='tcp dport 5683 drop' ;;
	cloud_rejected)
		fwd='tcp dport 5683 reject with tcp reset' ;;
	dns_down)
		input='udp dport 53 drop
		    tcp dport 53 drop' ;;
	portal)
		# Until the user logs in: web goes to the portal, the rest drops.
		pre="iifname \"br0\" ip daddr != $LAB_ROUTER_ADDR tcp dport 80 dnat to $LAB_ROUTER_ADDR:80"
		fwd='iifname "br0" drop' ;;
	strict_firewall)
		# A firewall that allows only what it knows of the web.
		fwd='ct state established,related accept
		    iifname "br0" tcp dport { 53, 80, 443 } accept
		    iifname "br0" udp dport { 53, 123 } accept
		    iifname "br0" drop' ;;
	short_nat|reset_nat)
		# Consumer routers that cut idle mappings short; the figures
		# are lab_router_setting's.
		u=$(lab_router_setting udp_timeout)
		t=$(lab_router_setting tcp_timeout)
		timeouts="ct timeout udp_short {
		    protocol udp; l3proto ip;
		    policy = { unreplied: $u, replied: $u }; }
		ct timeout tcp_short {
		    protocol tcp; l3proto ip;
		    policy = { established: $t }; }"
		ct='iifname "br0" meta l4proto udp ct timeout set "udp_short"
		    iifname "br0" meta l4proto tcp ct timeout set "tcp_short"'
		# reset_nat keeps the kernel's defaults for what comes after:
		# the responder's late probe to a forgotten mapping reaches
		# the router's own stack, which resets it (TCP) or answers
		# port unreachable (UDP), and conntrack keeps an entry for
		# that, so the flow's next packet out is given another port.
		if [ "$LAB_SCENARIO" = short_nat ]; then
			fwd='ct state invalid drop'
			lab_no_pickup || return 1
		fi ;;
	silent_nat)
		fwd='ct state invalid drop'
		lab_no_pickup || return 1 ;;
	renew_ignored)
		# A DHCP server that never extends a lease, as in router
		# firmware that ignores renewals: the REQUESTs of a bound
		# client (unicast at T1, broadcast at T2) carry its address
		# in ciaddr (BOOTP bytes 12-15, bits 160.. from the UDP
		# header) and are dropped; a client without one is served.
		input='udp dport 67 @th,160,32 != 0 drop' ;;
	unicast_ignored)
		# A router that lets DHCP in only as broadcast: the RENEWING
		# REQUEST at T1, unicast to the server, is dropped; the
		# REBINDING one at T2, broadcast, is served.  Dropped on the
		# bridge, before the server's socket: ISC dhcpd and kea read
		# DHCP through packet sockets, which the ip family's input
		# hook comes too late for.
		bridge='ip daddr != 255.255.255.255 udp dport 67 drop' ;;
	stale_snat)
		# Firmware that wrote its NAT rule for the WAN address it got
		# at boot and never rewrites it: after the ISP renumbers the
		# WAN, new flows still leave with the old source address, and
		# their answers go to an address the router no longer has.
		nat="snat to $LAB_WAN_ADDR" ;;
	esac
	ip netns exec "$LAB_NS_ROUTER" nft -f - <<EOF || return 1
table ip lab {
	$timeouts
	chain lab_ct {
		# After conntrack made the flow's entry, before it is
		# confirmed: the kernel attaches a timeout policy only then
		# (at priority raw there is no entry yet and it is ignored).
		type filter hook prerouting priority filter; policy accept;
		$ct
	}
	chain lab_pre {
		type nat hook prerouting priority dstnat; policy accept;
		$pre
	}
	chain lab_post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "wan0" $nat
	}
	chain lab_fwd {
		type filter hook forward priority filter; policy accept;
		$fwd
	}
	chain lab_in {
		type filter hook input priority filter; policy accept;
		$input
	}
	chain lab_out {
		type filter hook output priority filter; policy accept;
		$out
	}
}
EOF
	[ -z "$bridge" ] && return 0
	ip netns exec "$LAB_NS_ROUTER" nft -f - <<EOF
table bridge lab {
	chain lab_br {
		type filter hook prerouting priority filter; policy accept;
		$bridge
	}
}
EOF
}

# lab_no_pickup: the router does not adopt a TCP flow it has forgotten
# when a mid-stream segment comes (the kernel's default does, which
# hides an expired mapping); with `ct state invalid drop` such segments
# vanish, as on routers whose state table lost the flow.
lab_no_pickup() {
	ip netns exec "$LAB_NS_ROUTER" sysctl -qw \
	    net.netfilter.nf_conntrack_tcp_loose=0 >/dev/null
}

lab_upstream_services() {
	cloud="cloud:$LAB_CLOUD_ADDR:5683"
	[ "$LAB_SCENARIO" = cloud_silent ] && cloud="silent:$LAB_CLOUD_ADDR:5683"
	# A transparent HTTP proxy on every port: a short HTTP error instead.
	[ "$LAB_SCENARIO" = cloud_proxy ] && cloud="garbage:$LAB_CLOUD_ADDR:5683"
	if [ -n "${LAB_CLOUD_CMD:-}" ] && [ "$LAB_SCENARIO" != cloud_silent ] &&
	    [ "$LAB_SCENARIO" != cloud_proxy ]
	then
		cloud=""
		# shellcheck disable=SC2086
		ip netns exec "$LAB_NS_UP" $(echo "$LAB_CLOUD_CMD" |
		    sed "s/LAB_CLOUD_ADDR/$LAB_CLOUD_ADDR:5683/g") \
		    >>"$LAB_DIR/cloud.log" 2>&1 &
		echo $! >"$LAB_DIR/cloud.pid"
	elif [ "${LAB_CLOUD_IMPL:-real}" = real ] &&
	    [ "$LAB_SCENARIO" != cloud_proxy ]; then
		cloud=""
		lab_real_cloud || return 1
	fi
	# shellcheck disable=SC2086
	lab_serve "$LAB_NS_UP" upstream $cloud "ntp:$LAB_NTP_ADDR:123" \
	    "http204:$LAB_CHECK_ADDR:80" || return 1
	lab_dnsmasq "$LAB_NS_UP" public-dns --listen-address="$LAB_DNS_ADDR" \
	    --local=/#/ \
	    --host-record="$LAB_PRIVATE_NAME,$LAB_PRIVATE_ADDR" \
	    --host-record="cloud.cyanlab.test,$LAB_CLOUD_ADDR" \
	    --host-record="ntp.cyanlab.test,$LAB_NTP_ADDR" \
	    --host-record="check.cyanlab.test,$LAB_CHECK_ADDR"
}

# lab_real_cloud: `cyanprobe cloud` on 198.18.2.1:5683 with the fault
# LAB_CLOUD_FAULT (silent in the cloud_silent scenario: it accepts and never
# sends the nonce).
lab_real_cloud() {
	key=${LAB_SERVER_KEY:-$LAB_DIR/server.pem}
	devs=${LAB_DEVICES_DIR:-$LAB_DIR/devices}
	mkdir -p "$devs"
	if [ ! -s "$key" ]; then
		openssl genrsa -out "$key" 2048 2>/dev/null || {
			echo "lab: openssl cannot make a server key" >&2
			return 1
		}
	fi
	# lab_ names: a caller's own variables are left alone.
	lab_fault=${LAB_CLOUD_FAULT:+--fault $LAB_CLOUD_FAULT}
	[ "$LAB_SCENARIO" = cloud_silent ] && lab_fault="--fault silent"
	lab_wire=${LAB_CLOUD_WIRE:+--wire $LAB_CLOUD_WIRE}
	# shellcheck disable=SC2086
	ip netns exec "$LAB_NS_UP" "$LAB_B/cyanprobe" cloud \
	    --listen "$LAB_CLOUD_ADDR:5683" --server-key "$key" \
	    --devices "$devs" --log "$LAB_DIR/cloud.log" \
	    --ready-file "$LAB_DIR/cloud.ready" $lab_fault $lab_wire \
	    >>"$LAB_DIR/cloud.out" 2>&1 &
	echo $! >"$LAB_DIR/cloud.pid"
	lab_wait_file "$LAB_DIR/cloud.ready" || {
		echo "lab: cyanprobe cloud did not start:" >&2
		cat "$LAB_DIR/cloud.out" >&2
		return 1
	}
}

# lab_responder [NS ADDR ARGS...]: start `cyanprobe qa responder`, by
# default in the upstream namespace on LAB_RESPONDER_ADDR (the WAN-side end
# of the router tests); lab_responder "$LAB_NS_CLIENT" "$LAB_CLIENT_ADDR"
# --mdns NAME makes the client a stand-in device for the isolation test.
lab_responder() {
	ns=${1:-$LAB_NS_UP} addr=${2:-$LAB_RESPONDER_ADDR}
	[ $# -ge 2 ] && shift 2
	[ $# -eq 1 ] && shift
	name=responder-$ns
	rm -f "$LAB_DIR/$name.ready"
	ip netns exec "$ns" "${LAB_RESPONDER_BIN:-$LAB_B/cyanprobe}" qa responder --listen "$addr" \
	    --ready-file "$LAB_DIR/$name.ready" "$@" \
	    >>"$LAB_DIR/$name.log" 2>&1 &
	echo $! >"$LAB_DIR/$name.pid"
	lab_wait_file "$LAB_DIR/$name.ready" || {
		echo "lab: cyanprobe qa responder did not start:" >&2
		cat "$LAB_DIR/$name.log" >&2
		return 1
	}
}

# lab_cloud_restart [FAULT]: stop the lab's `cyanprobe cloud` and start it
# again with --fault FAULT (none if empty), keeping the lab and the cloud's
# keys; LAB_CLOUD_FAULT is left set to FAULT.  Only for a lab brought up with
# LAB_CLOUD_IMPL=real: the stand-in cloud shares a process with the other
# upstream servers.  Returns non-zero, saying why, if the old cloud does not
# stop within 5 s or the new one does not start.
lab_cloud_restart() {
	LAB_CLOUD_FAULT=${1:-}
	if [ -z "$LAB_DIR" ] || [ ! -s "$LAB_DIR/cloud.pid" ] ||
	    [ ! -e "$LAB_DIR/cloud.ready" ]; then
		echo "lab: no cyanprobe cloud to restart" \
		    "(lab_up with LAB_CLOUD_IMPL=real)" >&2
		return 1
	fi
	lab_pid=$(cat "$LAB_DIR/cloud.pid")
	kill "$lab_pid" 2>/dev/null
	# Gone, or a zombie (its sockets are closed then): the port is free.
	i=0
	while lab_state=$(sed 's/.*) //; s/ .*//' "/proc/$lab_pid/stat" \
	    2>/dev/null) && [ -n "$lab_state" ] && [ "$lab_state" != Z ]; do
		i=$((i + 1))
		if [ "$i" -gt 500 ]; then
			echo "lab: cyanprobe cloud ($lab_pid) did not stop" >&2
			return 1
		fi
		sleep 0.01
	done
	rm -f "$LAB_DIR/cloud.pid" "$LAB_DIR/cloud.ready"
	lab_real_cloud
}

# lab_dhcp_settings: what the scenario's DHCP server hands out, for any
# implementation: LAB_DHCP_FIRST..LAB_DHCP_LAST, LAB_DHCP_ROUTER and
# LAB_DHCP_DNS (empty: the option is not sent), LAB_DHCP_LEASE (seconds;
# empty: the server's default), LAB_DHCP_ONLY (a MAC: serve only it) and
# LAB_DHCP_URL (option 114; empty: none).
lab_dhcp_settings() {
	LAB_DHCP_FIRST=192.168.77.100 LAB_DHCP_LAST=192.168.77.150
	LAB_DHCP_ROUTER=$LAB_ROUTER_ADDR LAB_DHCP_DNS=$LAB_ROUTER_ADDR
	LAB_DHCP_LEASE="" LAB_DHCP_ONLY="" LAB_DHCP_URL=""
	case $LAB_SCENARIO in
	mac_filter)
		# Only known MACs get an address (LAB_ALLOWED_MAC): what a
		# router with MAC filtering or a reservation-only pool does.
		LAB_DHCP_ONLY=$LAB_ALLOWED_MAC ;;
	dhcp_bare)
		# A lease with no gateway, no DNS server, for two minutes.
		LAB_DHCP_ROUTER="" LAB_DHCP_DNS="" LAB_DHCP_LEASE=120 ;;
	pool_exhausted)
		# A pool of one address, which another device then takes.
		LAB_DHCP_LAST=$LAB_DHCP_FIRST ;;
	short_lease)
		LAB_DHCP_LEASE=$(lab_router_setting lease) ;;
	portal)
		LAB_DHCP_URL=http://$LAB_ROUTER_ADDR:8908/captive ;;
	esac
}

# lab_dnsmasq_dhcp: dnsmasq's options for lab_dhcp_settings.  Without
# option 3 or 6 dnsmasq sends its own address: given empty, none is sent.
lab_dnsmasq_dhcp() {
	echo "--dhcp-range=$LAB_DHCP_FIRST,$LAB_DHCP_LAST,255.255.255.0${LAB_DHCP_LEASE:+,$LAB_DHCP_LEASE}"
	echo "--dhcp-option=3${LAB_DHCP_ROUTER:+,$LAB_DHCP_ROUTER}"
	echo "--dhcp-option=6${LAB_DHCP_DNS:+,$LAB_DHCP_DNS}"
	[ -n "$LAB_DHCP_ONLY" ] && echo "--dhcp-host=$LAB_DHCP_ONLY,set:known
	    --dhcp-ignore=tag:!known"
	[ -n "$LAB_DHCP_URL" ] && echo "--dhcp-option=114,$LAB_DHCP_URL"
	return 0
}

lab_router_dnsmasq() {
	dhcp="" dns="--server=$LAB_DNS_ADDR" extra=""
	# A home router's dnsmasq does both DHCP and DNS.
	if [ "$LAB_DHCP_IMPL" = dnsmasq ] && [ "$LAB_SCENARIO" != no_dhcp ]; then
		dhcp=$(lab_dnsmasq_dhcp)
	fi
	case $LAB_SCENARIO in
	openwrt_rebind)
		# OpenWrt ships dnsmasq with rebind protection on (option
		# rebind_protection '1' in /etc/config/dhcp, which becomes
		# --stop-dns-rebind): an upstream answer in a private range is
		# dropped.  Loopback stays allowed, as OpenWrt sets
		# rebind_localhost '1'.
		extra="--stop-dns-rebind --rebind-localhost-ok" ;;
	dns_hijacked)
		# ISP style: lab names resolve, every other name gets an answer.
		dns="--server=/cyanlab.test/$LAB_DNS_ADDR"
		extra="--address=/#/$LAB_HIJACK_ADDR" ;;
	portal)
		dns=""
		extra="--address=/#/$LAB_ROUTER_ADDR" ;;
	esac
	# shellcheck disable=SC2086
	lab_dnsmasq "$LAB_NS_ROUTER" router --interface=br0 $dhcp $dns $extra
}

# lab_dhcp_server NS NAME IFACE: start LAB_DHCP_IMPL in NS on IFACE with
# lab_dhcp_settings, its files named after NAME in the lab's folder, and
# wait until it listens on UDP 67.
lab_dhcp_server() {
	ns=$1 name=$2 ifc=$3
	case $LAB_DHCP_IMPL in
	dnsmasq)
		# DHCP only (port 0: no DNS), as a second router would.
		# shellcheck disable=SC2046
		lab_dnsmasq "$ns" "$name" --interface="$ifc" --port=0 \
		    $(lab_dnsmasq_dhcp) || return 1 ;;
	isc)	lab_isc_dhcpd "$ns" "$name" "$ifc" || return 1 ;;
	kea)	lab_kea "$ns" "$name" "$ifc" || return 1 ;;
	udhcpd)	lab_udhcpd "$ns" "$name" "$ifc" || return 1 ;;
	esac
	lab_wait_dhcp "$ns" "$name"
}

# lab_wait_dhcp NS NAME: wait up to 5 s for a socket on UDP 67 in NS.
lab_wait_dhcp() {
	i=0
	until ip netns exec "$1" ss -Hlun 'sport = :67' 2>/dev/null | grep -q .
	do
		i=$((i + 1))
		if [ "$i" -gt 100 ]; then
			echo "lab: DHCP server $2 ($LAB_DHCP_IMPL) did not" \
			    "start:" >&2
			tail -n 20 "$LAB_DIR/$2.log" >&2 2>/dev/null
			return 1
		fi
		sleep 0.05
	done
}

# lab_bg NS NAME CMD...: run CMD in NS in the background, output to
# NAME.log, its pid in NAME.pid (for lab_down).
lab_bg() {
	ns=$1 name=$2
	shift 2
	ip netns exec "$ns" "$@" >>"$LAB_DIR/$name.log" 2>&1 &
	echo $! >"$LAB_DIR/$name.pid"
}

# ISC dhcpd (isc-dhcp-server), in the foreground (-f) logging to stderr
# (-d): there is no syslog in the lab.
lab_isc_dhcpd() {
	ns=$1 name=$2 ifc=$3 conf=$LAB_DIR/$2.conf
	{
		[ -n "$LAB_DHCP_URL" ] &&
		    echo "option captive-portal code 114 = text;"
		[ -n "$LAB_DHCP_ONLY" ] &&
		    echo "host allowed { hardware ethernet $LAB_DHCP_ONLY; }"
		echo "subnet 192.168.77.0 netmask 255.255.255.0 {"
		[ -n "$LAB_DHCP_ROUTER" ] &&
		    echo "	option routers $LAB_DHCP_ROUTER;"
		[ -n "$LAB_DHCP_DNS" ] &&
		    echo "	option domain-name-servers $LAB_DHCP_DNS;"
		[ -n "$LAB_DHCP_LEASE" ] &&
		    echo "	default-lease-time $LAB_DHCP_LEASE;" &&
		    echo "	max-lease-time $LAB_DHCP_LEASE;"
		[ -n "$LAB_DHCP_URL" ] &&
		    echo "	option captive-portal \"$LAB_DHCP_URL\";"
		echo "	pool {"
		echo "		range $LAB_DHCP_FIRST $LAB_DHCP_LAST;"
		[ -n "$LAB_DHCP_ONLY" ] && echo "		deny unknown-clients;"
		echo "	}"
		echo "}"
	} >"$conf"
	# dhcpd needs the file; a restart keeps what it holds.
	[ -e "$LAB_DIR/$name.leases" ] || : >"$LAB_DIR/$name.leases"
	lab_bg "$ns" "$name" dhcpd -4 -f -d -cf "$conf" \
	    -lf "$LAB_DIR/$name.leases" -pf "$LAB_DIR/$name.dhcpd-pid" "$ifc"
}

# kea-dhcp4, its pid and lock files in the lab's folder (it puts them
# under /run otherwise), logging to stdout.
lab_kea() {
	ns=$1 name=$2 ifc=$3 conf=$LAB_DIR/$2.json
	opts="" pool="" res="" life=""
	[ -n "$LAB_DHCP_ROUTER" ] &&
	    opts="{ \"name\": \"routers\", \"data\": \"$LAB_DHCP_ROUTER\" }"
	[ -n "$LAB_DHCP_DNS" ] &&
	    opts="$opts${opts:+, }{ \"name\": \"domain-name-servers\", \"data\": \"$LAB_DHCP_DNS\" }"
	[ -n "$LAB_DHCP_URL" ] &&
	    opts="$opts${opts:+, }{ \"name\": \"v4-captive-portal\", \"data\": \"$LAB_DHCP_URL\" }"
	if [ -n "$LAB_DHCP_ONLY" ]; then
		pool=", \"client-class\": \"KNOWN\""
		res=", \"reservations\": [ { \"hw-address\": \"$LAB_DHCP_ONLY\", \"hostname\": \"device\" } ]"
	fi
	[ -n "$LAB_DHCP_LEASE" ] &&
	    life="\"valid-lifetime\": $LAB_DHCP_LEASE,"
	cat >"$conf" <<EOF
{ "Dhcp4": {
	"interfaces-config": { "interfaces": [ "$ifc" ] },
	"lease-database": { "type": "memfile",
	    "name": "$LAB_DIR/$name.leases" },
	$life
	"subnet4": [ { "subnet": "192.168.77.0/24",
	    "pools": [ { "pool": "$LAB_DHCP_FIRST - $LAB_DHCP_LAST"$pool } ],
	    "option-data": [ $opts ]$res } ]
} }
EOF
	KEA_PIDFILE_DIR=$LAB_DIR KEA_LOCKFILE_DIR=$LAB_DIR \
	    lab_bg "$ns" "$name" kea-dhcp4 -c "$conf"
}

# busybox udhcpd, in the foreground.  It has no way to serve only known
# MACs, nor option 114 by name: those scenarios are not run with it.
lab_udhcpd() {
	ns=$1 name=$2 ifc=$3 conf=$LAB_DIR/$2.conf
	if [ -n "$LAB_DHCP_ONLY" ] || [ -n "$LAB_DHCP_URL" ]; then
		echo "lab: udhcpd cannot serve only one MAC or send option" \
		    "114" >&2
		return 1
	fi
	{
		echo "start $LAB_DHCP_FIRST"
		echo "end $LAB_DHCP_LAST"
		echo "interface $ifc"
		echo "lease_file $LAB_DIR/$name.leases"
		echo "pidfile $LAB_DIR/$name.udhcpd-pid"
		echo "opt subnet 255.255.255.0"
		[ -n "$LAB_DHCP_ROUTER" ] && echo "opt router $LAB_DHCP_ROUTER"
		[ -n "$LAB_DHCP_DNS" ] && echo "opt dns $LAB_DHCP_DNS"
		[ -n "$LAB_DHCP_LEASE" ] && echo "opt lease $LAB_DHCP_LEASE"
	} >"$conf"
	lab_bg "$ns" "$name" udhcpd -f "$conf"
}

# lab_bridge_ns NS MAC: a namespace with eth0 (MAC) on the router's bridge.
lab_bridge_ns() {
	lab_ns "$1" || return 1
	port=p$(echo "$1" | tail -c 2)
	ip -n "$LAB_NS_ROUTER" link add "$port" type veth peer name eth0 \
	    netns "$1" &&
	ip -n "$LAB_NS_ROUTER" link set "$port" master br0 &&
	ip -n "$LAB_NS_ROUTER" link set "$port" up &&
	ip -n "$1" link set eth0 address "$2" &&
	ip -n "$1" link set eth0 up
}

# lab_other_device: another device takes the pool's one address, as a real
# client does (busybox udhcpc: DISCOVER, OFFER, REQUEST, ACK), and keeps
# it; its script does nothing, so the address is leased and unused.
lab_other_device() {
	lab_bridge_ns "$LAB_NS_OTHER" 02:00:00:00:00:99 || return 1
	ip netns exec "$LAB_NS_OTHER" busybox udhcpc -i eth0 -n -q -t 6 \
	    -s /bin/true >>"$LAB_DIR/other.log" 2>&1 || {
		echo "lab: the other device got no lease:" >&2
		cat "$LAB_DIR/other.log" >&2
		return 1
	}
}

# lab_stop NAME: stop the lab process NAME (its pid in NAME.pid) and wait
# up to 5 s until it is gone.
lab_stop() {
	lab_pid=$(cat "$LAB_DIR/$1.pid" 2>/dev/null)
	[ -n "$lab_pid" ] && kill "$lab_pid" 2>/dev/null
	i=0
	while [ -n "$lab_pid" ] && kill -0 "$lab_pid" 2>/dev/null; do
		i=$((i + 1))
		if [ "$i" -gt 500 ]; then
			echo "lab: $1 ($lab_pid) did not stop" >&2
			return 1
		fi
		sleep 0.01
	done
	rm -f "$LAB_DIR/$1.pid"
}

# lab_router_restart: power-cycle the router: its dnsmasq (DNS, and DHCP
# when LAB_DHCP_IMPL is dnsmasq) and its other DHCP server (kea, ISC dhcpd,
# udhcpd), each stopped as its init script would (TERM) and started again
# with the same stock config.  With dhcp_forget the lease database is lost,
# as on routers that keep it in RAM; otherwise it is kept, as a lease file
# on flash is.
lab_router_restart() {
	lab_stop router || return 1
	if [ "$LAB_DHCP_IMPL" != dnsmasq ] && [ "$LAB_SCENARIO" != no_dhcp ]
	then
		lab_stop router-dhcp || return 1
	fi
	[ "$LAB_SCENARIO" = dhcp_forget ] &&
	    rm -f "$LAB_DIR/router.leases" "$LAB_DIR/router-dhcp.leases"*
	# A hook (tests/lab/hook.sh) runs in a shell of its own: the
	# scenario's DHCP settings are worked out again, as lab_up did.
	lab_dhcp_settings
	lab_router_dnsmasq || return 1
	if [ "$LAB_DHCP_IMPL" != dnsmasq ] && [ "$LAB_SCENARIO" != no_dhcp ]
	then
		lab_dhcp_server "$LAB_NS_ROUTER" router-dhcp br0
	fi
}

lab_rogue() {
	lab_bridge_ns "$LAB_NS_ROGUE" 02:00:00:00:00:02 || return 1
	ip -n "$LAB_NS_ROGUE" addr add 192.168.77.2/24 dev eth0 || return 1
	# A second router left in its default DHCP mode when it was put on
	# the LAN as an access point: its offers name the real router.  The
	# same kind of server as the router's, or LAB_ROGUE_IMPL (a mixed LAN:
	# a dnsmasq router and a busybox udhcpd access point, say).
	LAB_DHCP_FIRST=192.168.77.200 LAB_DHCP_LAST=192.168.77.210
	router_impl=$LAB_DHCP_IMPL
	LAB_DHCP_IMPL=${LAB_ROGUE_IMPL:-$router_impl}
	lab_dhcp_server "$LAB_NS_ROGUE" rogue eth0
	rc=$?
	LAB_DHCP_IMPL=$router_impl
	return $rc
}

# lab_down: stop every process and remove every namespace and file of this
# lab.  Safe to call more than once and after a partial lab_up.
lab_down() {
	if [ -n "$LAB_DIR" ] && [ -d "$LAB_DIR" ]; then
		for f in "$LAB_DIR"/*.pid; do
			[ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
		done
	fi
	for ns in "$LAB_NS_CLIENT" "$LAB_NS_ROUTER" "$LAB_NS_UP" \
	    "$LAB_NS_ROGUE" "$LAB_NS_PEER" "$LAB_NS_CARRIER" \
	    "$LAB_NS_OTHER"; do
		[ -e "/var/run/netns/$ns" ] || [ -e "/run/netns/$ns" ] ||
		    continue
		# Anything still running in our own namespaces was started here.
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill "$p" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "/etc/netns/$LAB_NS_CLIENT"
	rmdir /etc/netns 2>/dev/null
	if [ -n "$LAB_DIR" ] && [ -d "$LAB_DIR" ] && [ -z "${LAB_KEEP:-}" ]; then
		rm -rf "$LAB_DIR"
	fi
	LAB_DIR=""
	return 0
}
