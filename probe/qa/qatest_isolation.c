/*
 * qatest_isolation.c - `qa test isolation`: run from a second client on
 * the device's LAN (a phone, a local cloud), what reaches the device's
 * address: ARP, ICMP echo, TCP (an answer or a reset both count), UDP (an
 * answer or an ICMP port unreachable), and with --mdns a multicast DNS
 * query on 224.0.0.251 and ff02::fb.  Rounds repeat every --interval until
 * --max, since some access points isolate only after a while or only some
 * of the time.  Judged by analyzers/routerqa.c.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "dns.h"
#include "log.h"
#include "qatest.h"
#include "routerqa.h"

struct iso_run {
	struct qatest_ctx	*c;
	char			 ifname[IF_NAMESIZE];
	int			 ifindex;
	uint8_t			 mac[6];
	struct in_addr		 src;
	struct rqa_iso		 s;
};

/* Which interface and source address reach the target. */
static int
iso_route(struct iso_run *r)
{
	struct sockaddr_in sin = { 0 };
	socklen_t sl = sizeof(sin);
	struct ifaddrs *ifa, *i;
	struct ifreq ifr;
	int fd;

	if ((fd = qatest_udp_socket(r->c, r->c->o->target, 9)) == -1)
		return -1;
	if (getsockname(fd, (struct sockaddr *)&sin, &sl) == -1) {
		close(fd);
		return -1;
	}
	r->src = sin.sin_addr;
	if (getifaddrs(&ifa) == 0) {
		for (i = ifa; i != NULL; i = i->ifa_next)
			if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
			    ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr
			    == r->src.s_addr) {
				snprintf(r->ifname, sizeof(r->ifname), "%s",
				    i->ifa_name);
				break;
			}
		freeifaddrs(ifa);
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", r->ifname);
	if (r->ifname[0] == '\0' || ioctl(fd, SIOCGIFHWADDR, &ifr) == -1) {
		close(fd);
		return -1;
	}
	memcpy(r->mac, ifr.ifr_hwaddr.sa_data, 6);
	r->ifindex = (int)if_nametoindex(r->ifname);
	close(fd);
	return 0;
}

/* Wait on fd until `by` for a datagram that accept() likes. */
static bool
iso_wait(int fd, double by, bool (*accept)(const uint8_t *, size_t,
    const struct iso_run *), const struct iso_run *r)
{
	struct pollfd p = { fd, POLLIN, 0 };
	uint8_t buf[1500];
	ssize_t n;
	double left;

	while ((left = by - qatest_now()) > 0) {
		if (poll(&p, 1, (int)ceil(left * 1000)) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == ECONNREFUSED)
			return true;	/* UDP: port unreachable came back */
		if (n > 0 && accept(buf, (size_t)n, r))
			return true;
	}
	return false;
}

static bool
arp_reply(const uint8_t *b, size_t n, const struct iso_run *r)
{
	/* ARP for IPv4 over Ethernet: op 2, sender IP at 14. */
	return n >= 28 && b[6] == 0 && b[7] == 2 &&
	    memcmp(b + 14, &r->c->o->target, 4) == 0;
}

static bool
iso_arp(struct iso_run *r)
{
	struct sockaddr_ll sll;
	uint8_t pkt[28] = { 0, 1, 8, 0, 6, 4, 0, 1 };
	int fd;
	bool ok;

	if ((fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC,
	    htons(ETH_P_ARP))) == -1)
		return false;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ARP);
	sll.sll_ifindex = r->ifindex;
	sll.sll_halen = 6;
	memset(sll.sll_addr, 0xff, 6);
	memcpy(pkt + 8, r->mac, 6);
	memcpy(pkt + 14, &r->src, 4);
	memcpy(pkt + 24, &r->c->o->target, 4);
	ok = bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == 0 &&
	    sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&sll,
	    sizeof(sll)) == (ssize_t)sizeof(pkt) &&
	    iso_wait(fd, qatest_now() + r->c->o->grace_s, arp_reply, r);
	close(fd);
	return ok;
}

static uint16_t
icmp_sum(const uint8_t *b, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		s += (uint32_t)(b[n - 1] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static bool
icmp_reply(const uint8_t *b, size_t n, const struct iso_run *r)
{
	size_t ihl;

	(void)r;
	if (n < 20 || (b[0] >> 4) != 4)
		return false;
	ihl = (size_t)(b[0] & 15) * 4;
	return n >= ihl + 8 && b[ihl] == ICMP_ECHOREPLY &&
	    memcmp(b + 12, &r->c->o->target, 4) == 0 &&
	    b[ihl + 4] == 0xc7 && b[ihl + 5] == 0xa0;
}

static bool
iso_icmp(struct iso_run *r)
{
	struct sockaddr_in sin = { 0 };
	uint8_t pkt[16] = { ICMP_ECHO, 0, 0, 0, 0xc7, 0xa0, 0, 1 };
	uint16_t sum;
	int fd;
	bool ok;

	if ((fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP)) ==
	    -1)
		return false;
	sum = icmp_sum(pkt, sizeof(pkt));
	pkt[2] = (uint8_t)(sum >> 8);
	pkt[3] = (uint8_t)sum;
	sin.sin_family = AF_INET;
	sin.sin_addr = r->c->o->target;
	ok = check_bind_iface(fd, r->c->o->iface) == 0 &&
	    sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&sin,
	    sizeof(sin)) == (ssize_t)sizeof(pkt) &&
	    iso_wait(fd, qatest_now() + r->c->o->grace_s, icmp_reply, r);
	close(fd);
	return ok;
}

static bool
iso_tcp(struct iso_run *r)
{
	double ms;
	int err, fd;

	fd = check_tcp_connect(r->c->o->target, r->c->o->target_tcp,
	    r->c->o->iface, qatest_now() + r->c->o->grace_s, &err, &ms);
	if (fd != -1)
		close(fd);
	return fd != -1 || err == ECONNREFUSED;
}

static bool
any_reply(const uint8_t *b, size_t n, const struct iso_run *r)
{
	(void)b;
	(void)r;
	return n > 0;
}

static bool
iso_udp(struct iso_run *r)
{
	int fd = qatest_udp_socket(r->c, r->c->o->target,
	    r->c->o->target_udp);
	bool ok;

	if (fd == -1)
		return false;
	ok = qatest_send_line(fd, "ECHO isolation\n") == 0 &&
	    iso_wait(fd, qatest_now() + r->c->o->grace_s, any_reply, r);
	if (!ok && errno == ECONNREFUSED)
		ok = true;
	close(fd);
	return ok;
}

/* An mDNS answer naming the target's address. */
static bool
mdns_reply(const uint8_t *b, size_t n, const struct iso_run *r)
{
	struct dns_msg m;
	size_t i;

	if (dns_parse(b, n, &m) == -1 || !m.qr)
		return false;
	for (i = 0; i < m.n_answers; i++)
		if (m.answer[i].type == DNS_TYPE_A &&
		    memcmp(m.answer[i].addr, &r->c->o->target, 4) == 0)
			return true;
	return false;
}

static bool
iso_mdns(struct iso_run *r, int family)
{
	struct sockaddr_in6 s6 = { 0 };
	struct sockaddr_in s4 = { 0 };
	uint8_t q[300];
	char name[DNS_NAME_TEXT_MAX];
	unsigned idx = (unsigned)r->ifindex;
	int fd, ttl = 255;
	size_t n;
	bool ok;

	snprintf(name, sizeof(name), "%s.local", r->c->o->mdns_name);
	if ((n = dns_build_query(q, sizeof(q), 0, name, DNS_TYPE_A)) == 0)
		return false;
	q[2] = 0;	/* mDNS: no recursion desired */
	if ((fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return false;
	if (family == AF_INET) {
		s4.sin_family = AF_INET;
		s4.sin_port = htons(5353);
		inet_pton(AF_INET, "224.0.0.251", &s4.sin_addr);
		setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &r->src,
		    sizeof(r->src));
		setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl));
		ok = sendto(fd, q, n, 0, (struct sockaddr *)&s4,
		    sizeof(s4)) == (ssize_t)n;
	} else {
		s6.sin6_family = AF_INET6;
		s6.sin6_port = htons(5353);
		s6.sin6_scope_id = idx;
		inet_pton(AF_INET6, "ff02::fb", &s6.sin6_addr);
		setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx,
		    sizeof(idx));
		ok = sendto(fd, q, n, 0, (struct sockaddr *)&s6,
		    sizeof(s6)) == (ssize_t)n;
	}
	ok = ok && iso_wait(fd, qatest_now() + r->c->o->grace_s, mdns_reply,
	    r);
	close(fd);
	return ok;
}

static void
iso_round(struct iso_run *r)
{
	bool got[RQA_CHANNELS];
	enum rqa_channel ch;

	got[RQA_ARP] = iso_arp(r);
	got[RQA_ICMP] = iso_icmp(r);
	got[RQA_TCP] = iso_tcp(r);
	got[RQA_UDP] = iso_udp(r);
	if (r->c->o->mdns_name != NULL) {
		got[RQA_MDNS4] = iso_mdns(r, AF_INET);
		got[RQA_MDNS6] = iso_mdns(r, AF_INET6);
	}
	for (ch = 0; ch < RQA_CHANNELS; ch++) {
		if (ch >= RQA_MDNS4 && r->c->o->mdns_name == NULL)
			continue;
		r->s.tried[ch]++;
		r->s.reached[ch] += got[ch];
	}
	r->s.rounds++;
}

static void
iso_facts(struct iso_run *r)
{
	char ip[INET_ADDRSTRLEN];
	enum rqa_channel ch;
	cJSON *o, *c;

	cJSON_AddStringToObject(r->c->f, "target", inet_ntop(AF_INET,
	    &r->c->o->target, ip, sizeof(ip)));
	cJSON_AddStringToObject(r->c->f, "from", inet_ntop(AF_INET, &r->src,
	    ip, sizeof(ip)));
	cJSON_AddStringToObject(r->c->f, "iface", r->ifname);
	cJSON_AddNumberToObject(r->c->f, "rounds", r->s.rounds);
	cJSON_AddNumberToObject(r->c->f, "tcp_port", r->c->o->target_tcp);
	cJSON_AddNumberToObject(r->c->f, "udp_port", r->c->o->target_udp);
	o = cJSON_AddObjectToObject(r->c->f, "reached");
	for (ch = 0; ch < RQA_CHANNELS; ch++) {
		if (r->s.tried[ch] == 0)
			continue;
		c = cJSON_AddObjectToObject(o, routerqa_channel_name(ch));
		cJSON_AddNumberToObject(c, "rounds", r->s.tried[ch]);
		cJSON_AddNumberToObject(c, "answered", r->s.reached[ch]);
		cJSON_AddStringToObject(c, "result", r->s.reached[ch] == 0 ?
		    "blocked" : r->s.reached[ch] == r->s.tried[ch] ?
		    "reached" : "sometimes");
	}
}

int
qatest_isolation(struct qatest_ctx *c)
{
	struct iso_run r;
	double next, end = c->t0 + c->max_s;

	memset(&r, 0, sizeof(r));
	r.c = c;
	if (!c->o->has_target) {
		log_warnx("qa test isolation: needs --target ADDR: the "
		    "device's address on this LAN");
		return EXIT_USAGE;
	}
	if (iso_route(&r) == -1) {
		log_warnx("qa test isolation: no interface reaches %s",
		    inet_ntoa(c->o->target));
		return EXIT_RUNTIME;
	}
	for (;;) {
		next = qatest_now() + c->o->interval_s;
		qatest_progress(c, "round %u", r.s.rounds + 1);
		iso_round(&r);
		if (qatest_stopped() || next >= end ||
		    qatest_sleep_until(c, next) == -1)
			break;
	}
	iso_facts(&r);
	routerqa_iso_judge(&r.s, &c->rep->findings);
	return 0;
}
