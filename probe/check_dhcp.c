/*
 * check_dhcp.c - the DHCP check: broadcast one DISCOVER (RFC 2131) from a
 * random locally administered MAC (or --dhcp-mac) through a packet socket,
 * and collect every OFFER and NAK that comes back within the window.
 *
 * It never sends a REQUEST, so no server commits an address to the probe;
 * the random MAC keeps repeated runs from looking like one client that
 * cannot make up its mind.  The frame and the replies go through
 * analyzers/dhcp.h and ip.h.  A packet socket needs CAP_NET_RAW: without it
 * the check is skipped (dhcp.skipped) and the others run anyway.  The
 * first OFFER is published at once, since it names the DNS servers the
 * device would use.
 */
#include <sys/random.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "dhcp.h"
#include "diagnose.h"
#include "ip.h"

#define OFFERS_MAX	8
#define ODD_LEASE_S	300	/* shorter than this is odd for a device */

struct offer {
	struct dhcp_msg	 m;
	uint8_t		 src[4];	/* IP source, when no option 54 */
	double		 ms;
};

static void
ip4str(const uint8_t a[4], char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

/* Wire text made safe to show: printable ASCII, the rest as '?'. */
static void
safe_text(const struct dhcp_text *t, char *out, size_t len)
{
	size_t i;

	for (i = 0; i < t->len && i + 1 < len; i++)
		out[i] = t->s[i] >= 0x20 && t->s[i] < 0x7f ? t->s[i] : '?';
	out[i] = '\0';
}

static int
mask_prefix(const uint8_t m[4])
{
	uint32_t v = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 |
	    (uint32_t)m[2] << 8 | m[3];
	int n = 0;

	while (v & 0x80000000u) {
		n++;
		v <<= 1;
	}
	return v == 0 ? n : -1;	/* -1: not contiguous */
}

static const uint8_t *
server_of(const struct offer *o)
{
	return o->m.has_server_id ? o->m.server_id : o->src;
}

static cJSON *
offer_json(const struct offer *o)
{
	cJSON *j = cJSON_CreateObject(), *a;
	char buf[DHCP_TEXT_MAX + 1];
	size_t i;

	ip4str(server_of(o), buf, sizeof(buf));
	cJSON_AddStringToObject(j, "type", dhcp_type_name(o->m.type) ?
	    dhcp_type_name(o->m.type) : "?");
	cJSON_AddStringToObject(j, "server", buf);
	cJSON_AddNumberToObject(j, "ms", o->ms);
	if (o->m.type == DHCPNAK) {
		safe_text(&o->m.message, buf, sizeof(buf));
		cJSON_AddStringToObject(j, "message", buf);
		return j;
	}
	ip4str(o->m.yiaddr, buf, sizeof(buf));
	cJSON_AddStringToObject(j, "address", buf);
	if (o->m.has_mask) {
		ip4str(o->m.mask, buf, sizeof(buf));
		cJSON_AddStringToObject(j, "mask", buf);
	}
	a = cJSON_AddArrayToObject(j, "routers");
	for (i = 0; i < o->m.n_routers; i++) {
		ip4str(o->m.routers[i], buf, sizeof(buf));
		cJSON_AddItemToArray(a, cJSON_CreateString(buf));
	}
	a = cJSON_AddArrayToObject(j, "dns");
	for (i = 0; i < o->m.n_dns; i++) {
		ip4str(o->m.dns[i], buf, sizeof(buf));
		cJSON_AddItemToArray(a, cJSON_CreateString(buf));
	}
	if (o->m.has_lease)
		cJSON_AddNumberToObject(j, "lease_s", o->m.lease);
	if (o->m.domain.len > 0) {
		safe_text(&o->m.domain, buf, sizeof(buf));
		cJSON_AddStringToObject(j, "domain", buf);
	}
	if (o->m.captive_portal.len > 0) {
		safe_text(&o->m.captive_portal, buf, sizeof(buf));
		cJSON_AddStringToObject(j, "captive_portal_api", buf);
	}
	return j;
}

/* Judge the offer the device would take: the first one. */
static void
judge_offer(struct check_result *res, const struct offer *o)
{
	char srv[16];
	int prefix;

	ip4str(server_of(o), srv, sizeof(srv));
	if (o->m.n_routers == 0)
		check_fail(res, FINDING_DHCP_NO_ROUTER,
		    "the offer from %s names no router (option 3)", srv);
	if (o->m.n_dns == 0)
		check_fail(res, FINDING_DHCP_NO_DNS,
		    "the offer from %s names no DNS server (option 6)", srv);
	prefix = o->m.has_mask ? mask_prefix(o->m.mask) : 24;
	if (o->m.has_lease && o->m.lease < ODD_LEASE_S)
		check_fail(res, FINDING_DHCP_ODD_LEASE,
		    "the offer from %s leases for only %u s", srv,
		    (unsigned)o->m.lease);
	else if (prefix < 8 || prefix > 30)
		check_fail(res, FINDING_DHCP_ODD_LEASE,
		    "the offer from %s has netmask %u.%u.%u.%u", srv,
		    o->m.mask[0], o->m.mask[1], o->m.mask[2], o->m.mask[3]);
}

/* Read one frame; keep it when it is a reply to our DISCOVER. */
static bool
read_reply(int fd, uint32_t xid, const uint8_t mac[6], struct offer *o)
{
	uint8_t frame[2048];
	struct ip_packet ip;
	ssize_t n;

	n = recv(fd, frame, sizeof(frame), MSG_DONTWAIT);
	if (n < 14 || frame[12] != 0x08 || frame[13] != 0x00)
		return false;
	if (ip_decode(0x0800, frame + 14, (size_t)n - 14, &ip) == -1 ||
	    !ip.has_udp || ip.udp.sport != DHCP_SERVER_PORT ||
	    ip.udp.dport != DHCP_CLIENT_PORT)
		return false;
	if (dhcp_parse(ip.udp.payload, ip.udp.len, &o->m) == -1 ||
	    o->m.op != 2 || o->m.xid != xid || !o->m.has_client_mac ||
	    memcmp(o->m.client_mac, mac, 6) != 0)
		return false;
	if (o->m.type != DHCPOFFER && o->m.type != DHCPNAK)
		return false;
	memcpy(o->src, ip.src.a, 4);
	return true;
}

void
check_dhcp(struct diag *d, struct check_result *res)
{
	struct offer offers[OFFERS_MAX];
	uint8_t mac[6], msg[600], frame[1024];
	struct sockaddr_ll sll;
	struct offer o;
	size_t nmsg, nframe, noffers = 0, nservers = 0, nnak = 0, i;
	double start, end, resend, now;
	uint32_t xid;
	cJSON *f, *arr;
	char buf[64];
	int fd = -1, first = -1;
	bool sent_again = false;

	res->facts = f = cJSON_CreateObject();
	if (d->o->skip_dhcp) {
		findings_add(&res->findings, FINDING_DHCP_SKIPPED,
		    "skipped on request (--no-dhcp)");
		check_note(res, "skipped (--no-dhcp)");
		res->skipped = true;
		goto out;
	}
	if (!d->have_iface) {
		check_note(res, "no interface to send on");
		res->skipped = true;
		goto out;
	}
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_IP));
	if (fd == -1) {
		if (errno == EPERM || errno == EACCES) {
			findings_add(&res->findings, FINDING_DHCP_SKIPPED,
			    "a DHCP DISCOVER needs a raw packet socket "
			    "(CAP_NET_RAW): run as root, or give the binary "
			    "cap_net_raw with setcap");
			check_note(res, "skipped: needs CAP_NET_RAW (root)");
		} else
			check_note(res, "no packet socket: %s",
			    strerror(errno));
		cJSON_AddStringToObject(f, "skipped", res->note);
		res->skipped = true;
		goto out;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = d->ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == -1) {
		check_note(res, "cannot bind to %s: %s", d->ifname,
		    strerror(errno));
		res->skipped = true;
		goto out;
	}

	/*
	 * Some servers unicast the OFFER to the client MAC despite the
	 * broadcast flag (nmap PR #2470); that MAC is not the interface's, so
	 * listen promiscuously for the window.  The kernel drops the
	 * membership when the socket closes.
	 */
	{
		struct packet_mreq mr;

		memset(&mr, 0, sizeof(mr));
		mr.mr_ifindex = d->ifindex;
		mr.mr_type = PACKET_MR_PROMISC;
		cJSON_AddBoolToObject(f, "promiscuous", setsockopt(fd,
		    SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) == 0);
	}
	if (d->o->has_mac)
		memcpy(mac, d->o->mac, 6);
	else {
		if (getrandom(mac, sizeof(mac), 0) != (ssize_t)sizeof(mac))
			memcpy(mac, d->ifmac, 6);
		/* Unicast, locally administered (IEEE 802 bit 1 of byte 0). */
		mac[0] = (uint8_t)((mac[0] & 0xfc) | 0x02);
	}
	if (getrandom(&xid, sizeof(xid), 0) != (ssize_t)sizeof(xid))
		xid = (uint32_t)(diag_now() * 1e6);

	nmsg = dhcp_build_discover(msg, sizeof(msg), mac, xid, 0, NULL);
	nframe = nmsg ? dhcp_build_frame(frame, sizeof(frame), mac, msg,
	    nmsg) : 0;
	memset(sll.sll_addr, 0xff, 6);
	sll.sll_halen = 6;
	start = diag_now();
	end = start + diag_dhcp_window(d);
	/* A lost DISCOVER is resent once, as a client would. */
	resend = start + diag_dhcp_window(d) / 2;
	if (nframe == 0 || sendto(fd, frame, nframe, 0,
	    (struct sockaddr *)&sll, sizeof(sll)) != (ssize_t)nframe) {
		check_note(res, "cannot send on %s: %s", d->ifname,
		    nframe == 0 ? "frame too large" : strerror(errno));
		res->skipped = true;
		goto out;
	}
	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
	    mac[1], mac[2], mac[3], mac[4], mac[5]);
	cJSON_AddStringToObject(f, "interface", d->ifname);
	cJSON_AddStringToObject(f, "client_mac", buf);
	snprintf(buf, sizeof(buf), "0x%08x", xid);
	cJSON_AddStringToObject(f, "xid", buf);
	cJSON_AddNumberToObject(f, "window_s", diag_dhcp_window(d));

	while ((now = diag_now()) < end) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		double until = !sent_again && first == -1 && resend < end ?
		    resend : end;
		int ms = (int)((until - now) * 1000) + 1;

		if (poll(&pfd, 1, ms) == -1 && errno != EINTR)
			break;
		if (!sent_again && first == -1 && diag_now() >= resend) {
			nmsg = dhcp_build_discover(msg, sizeof(msg), mac, xid,
			    (uint16_t)(diag_now() - start + 0.5), NULL);
			nframe = nmsg ? dhcp_build_frame(frame, sizeof(frame),
			    mac, msg, nmsg) : 0;
			if (nframe > 0)
				sendto(fd, frame, nframe, 0,
				    (struct sockaddr *)&sll, sizeof(sll));
			sent_again = true;
		}
		while (read_reply(fd, xid, mac, &o)) {
			o.ms = (double)(long)((diag_now() - start) * 1e4) / 10;
			/* The resent DISCOVER may bring a second copy. */
			for (i = 0; i < noffers; i++)
				if (memcmp(server_of(&offers[i]),
				    server_of(&o), 4) == 0 &&
				    offers[i].m.type == o.m.type)
					break;
			if (i < noffers || noffers == OFFERS_MAX)
				continue;
			offers[noffers] = o;
			if (o.m.type == DHCPNAK)
				nnak++;
			else if (first == -1) {
				struct in_addr dns[DIAG_DNS_MAX];
				char cp[DHCP_TEXT_MAX + 1];
				size_t k;

				first = (int)noffers;
				for (k = 0; k < o.m.n_dns && k < DIAG_DNS_MAX;
				    k++)
					memcpy(&dns[k], o.m.dns[k], 4);
				safe_text(&o.m.captive_portal, cp, sizeof(cp));
				diag_publish_offer(d, dns, k, cp);
			}
			noffers++;
		}
	}

	arr = cJSON_AddArrayToObject(f, "offers");
	for (i = 0; i < noffers; i++) {
		size_t k;

		cJSON_AddItemToArray(arr, offer_json(&offers[i]));
		for (k = 0; k < i; k++)
			if (memcmp(server_of(&offers[k]), server_of(&offers[i]),
			    4) == 0)
				break;
		if (k == i)
			nservers++;
	}
	cJSON_AddNumberToObject(f, "servers", (double)nservers);
	cJSON_AddNumberToObject(f, "naks", (double)nnak);
	if (noffers == 0) {
		check_fail(res, FINDING_DHCP_NO_OFFER,
		    "no DHCP server answered a DISCOVER from %s on %s within "
		    "%.1f s (no server, a full address pool, or MAC filtering)",
		    cJSON_GetStringValue(cJSON_GetObjectItem(f, "client_mac")),
		    d->ifname, diag_dhcp_window(d));
		check_note(res, "no offer in %.1f s", diag_dhcp_window(d));
		goto out;
	}
	for (i = 0; i < noffers; i++)
		if (offers[i].m.type == DHCPNAK) {
			char srv[16], m[DHCP_TEXT_MAX + 1];

			ip4str(server_of(&offers[i]), srv, sizeof(srv));
			safe_text(&offers[i].m.message, m, sizeof(m));
			check_fail(res, FINDING_DHCP_NAK, "%s sent a NAK%s%s",
			    srv, m[0] ? ": " : "", m);
		}
	if (nservers > 1) {
		char list[FINDING_EVIDENCE_MAX] = "", one[80];

		for (i = 0; i < noffers; i++) {
			char srv[16], yi[16];

			ip4str(server_of(&offers[i]), srv, sizeof(srv));
			ip4str(offers[i].m.yiaddr, yi, sizeof(yi));
			snprintf(one, sizeof(one), "%s%s offered %s", i ? "; " :
			    "", srv, offers[i].m.type == DHCPNAK ? "a NAK" : yi);
			strncat(list, one, sizeof(list) - strlen(list) - 1);
		}
		check_fail(res, FINDING_DHCP_MULTIPLE_SERVERS,
		    "%zu DHCP servers answered: %s", nservers, list);
	}
	if (first >= 0) {
		char yi[16], srv[16];

		judge_offer(res, &offers[first]);
		ip4str(offers[first].m.yiaddr, yi, sizeof(yi));
		ip4str(server_of(&offers[first]), srv, sizeof(srv));
		check_note(res, "%s offered %s%s", srv, yi,
		    nservers > 1 ? " (and others)" : "");
	} else
		check_note(res, "only NAKs");
out:
	if (fd != -1)
		close(fd);
	diag_publish_dhcp_done(d);
}
