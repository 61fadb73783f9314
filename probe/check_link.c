/*
 * check_link.c - the link check: which interface this host reaches the
 * device's network through, and whether it is usable.  Through rtnetlink
 * (libnl-route): the interface of the default route (or --iface), its
 * state, carrier, MAC, MTU and addresses, the default gateway, and whether
 * it is a Wi-Fi interface (sysfs: wireless/ or phy80211).  It runs before
 * the other checks, since DHCP needs the interface.
 */
#include <sys/stat.h>

#include <net/if.h>

#include <stdio.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

#include "check.h"
#include "diagnose.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000	/* linux/if.h: the driver signals carrier */
#endif

/* The default IPv4 route with the lowest metric, on ifindex (0: any). */
static struct rtnl_route *
default_route(struct nl_cache *routes, int ifindex, int *oif)
{
	struct rtnl_route *rt, *best = NULL;
	struct rtnl_nexthop *nh;
	struct nl_object *obj;

	for (obj = nl_cache_get_first(routes); obj != NULL;
	    obj = nl_cache_get_next(obj)) {
		rt = (struct rtnl_route *)obj;
		if (rtnl_route_get_table(rt) != RT_TABLE_MAIN ||
		    nl_addr_get_prefixlen(rtnl_route_get_dst(rt)) != 0 ||
		    rtnl_route_get_nnexthops(rt) < 1)
			continue;
		nh = rtnl_route_nexthop_n(rt, 0);
		if (ifindex != 0 && rtnl_route_nh_get_ifindex(nh) != ifindex)
			continue;
		if (best == NULL ||
		    rtnl_route_get_priority(rt) < rtnl_route_get_priority(best)) {
			best = rt;
			*oif = rtnl_route_nh_get_ifindex(nh);
		}
	}
	return best;
}

static bool
is_wireless(const char *ifname)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/class/net/%s/wireless", ifname);
	if (stat(path, &st) == 0)
		return true;
	snprintf(path, sizeof(path), "/sys/class/net/%s/phy80211", ifname);
	return stat(path, &st) == 0;
}

/* One run of the check: the rtnetlink caches and what was picked. */
struct link_run {
	struct diag		*d;
	struct check_result	*res;
	cJSON			*f;
	struct nl_sock		*sk;
	struct nl_cache		*links, *addrs, *routes;
	struct rtnl_route	*rt;	/* the default route, NULL: none */
	struct rtnl_link	*link;	/* a reference, put at the end */
	int			 ifindex;
	bool			 up, carrier;
};

/* Load the links, addresses and IPv4 routes; -1 (skipped) without them. */
static int
link_load(struct link_run *r)
{
	if ((r->sk = nl_socket_alloc()) == NULL ||
	    nl_connect(r->sk, NETLINK_ROUTE) < 0 ||
	    rtnl_link_alloc_cache(r->sk, AF_UNSPEC, &r->links) < 0 ||
	    rtnl_addr_alloc_cache(r->sk, &r->addrs) < 0 ||
	    rtnl_route_alloc_cache(r->sk, AF_INET, 0, &r->routes) < 0) {
		cJSON_AddStringToObject(r->f, "error", "rtnetlink unavailable");
		check_note(r->res, "rtnetlink unavailable");
		r->res->skipped = true;
		return -1;
	}
	return 0;
}

/* The interface to test: --iface, else the default route's; -1: none. */
static int
link_pick(struct link_run *r)
{
	const char *want = r->d->o->iface;
	int oif = 0;

	if (want != NULL) {
		if ((r->ifindex = rtnl_link_name2i(r->links, want)) == 0) {
			check_fail(r->res, FINDING_LINK_DOWN,
			    "interface %s does not exist", want);
			check_note(r->res, "no interface %s", want);
			return -1;
		}
		r->rt = default_route(r->routes, r->ifindex, &oif);
	} else {
		if ((r->rt = default_route(r->routes, 0, &oif)) == NULL) {
			check_fail(r->res, FINDING_LINK_NO_ROUTE,
			    "this computer has no default route, so no "
			    "interface to test (give one with --iface)");
			check_note(r->res, "no default route");
			return -1;
		}
		r->ifindex = oif;
	}
	if ((r->link = rtnl_link_get(r->links, r->ifindex)) == NULL) {
		check_fail(r->res, FINDING_LINK_DOWN, "interface %d vanished",
		    r->ifindex);
		return -1;
	}
	return 0;
}

/* Published before the other checks start: no lock needed. */
static void
link_publish(struct link_run *r)
{
	struct nl_addr *a;

	snprintf(r->d->ifname, sizeof(r->d->ifname), "%s",
	    rtnl_link_get_name(r->link));
	r->d->ifindex = r->ifindex;
	r->d->have_iface = true;
	if ((a = rtnl_link_get_addr(r->link)) != NULL &&
	    nl_addr_get_len(a) == 6)
		memcpy(r->d->ifmac, nl_addr_get_binary_addr(a), 6);
}

/* State, carrier, MTU, MAC and whether it is Wi-Fi, as facts. */
static void
link_state_facts(struct link_run *r)
{
	struct nl_addr *a = rtnl_link_get_addr(r->link);
	unsigned flags = rtnl_link_get_flags(r->link);
	char buf[128], state[32];

	r->up = (flags & IFF_UP) != 0;
	r->carrier = (flags & IFF_LOWER_UP) != 0;
	rtnl_link_operstate2str(rtnl_link_get_operstate(r->link), state,
	    sizeof(state));
	cJSON_AddStringToObject(r->f, "interface", r->d->ifname);
	cJSON_AddNumberToObject(r->f, "index", r->ifindex);
	cJSON_AddStringToObject(r->f, "state", state);
	cJSON_AddBoolToObject(r->f, "up", r->up);
	cJSON_AddBoolToObject(r->f, "carrier", r->carrier);
	cJSON_AddNumberToObject(r->f, "mtu", rtnl_link_get_mtu(r->link));
	if (a != NULL)
		cJSON_AddStringToObject(r->f, "mac", nl_addr2str(a, buf,
		    sizeof(buf)));
	cJSON_AddBoolToObject(r->f, "wireless", is_wireless(r->d->ifname));
}

/* The interface's local addresses, as facts. */
static void
link_address_facts(struct link_run *r)
{
	struct nl_object *obj;
	char buf[128];
	cJSON *arr;

	arr = cJSON_AddArrayToObject(r->f, "addresses");
	for (obj = nl_cache_get_first(r->addrs); obj != NULL;
	    obj = nl_cache_get_next(obj)) {
		struct rtnl_addr *ad = (struct rtnl_addr *)obj;

		if (rtnl_addr_get_ifindex(ad) != r->ifindex ||
		    rtnl_addr_get_local(ad) == NULL)
			continue;
		nl_addr2str(rtnl_addr_get_local(ad), buf, sizeof(buf));
		cJSON_AddItemToArray(arr, cJSON_CreateString(buf));
	}
}

/* The default route and its gateway, as facts. */
static void
link_route_facts(struct link_run *r)
{
	struct nl_addr *gw;
	char buf[128];

	if (r->rt == NULL) {
		cJSON_AddBoolToObject(r->f, "default_route", false);
		return;
	}
	gw = rtnl_route_nh_get_gateway(rtnl_route_nexthop_n(r->rt, 0));
	if (gw != NULL) {
		nl_addr2str(gw, buf, sizeof(buf));
		/* nl_addr2str gives "a.b.c.d" for a host address. */
		cJSON_AddStringToObject(r->f, "gateway", buf);
	} else
		cJSON_AddNullToObject(r->f, "gateway");
	cJSON_AddBoolToObject(r->f, "default_route", true);
}

/* Down, no carrier or no default route through it: findings and note. */
static void
link_judge(struct link_run *r)
{
	const char *ifname = r->d->ifname;

	if (!r->up || !r->carrier) {
		check_fail(r->res, FINDING_LINK_DOWN, "%s is %s%s", ifname,
		    r->up ? "up" : "down", r->carrier ? "" : " with no carrier");
		check_note(r->res, "%s %s", ifname, !r->up ? "down" :
		    "no carrier");
	} else if (r->rt == NULL) {
		check_fail(r->res, FINDING_LINK_NO_ROUTE,
		    "%s has no default route through it", ifname);
		check_note(r->res, "%s: no default route", ifname);
	} else
		check_note(r->res, "%s up, mtu %u", ifname,
		    rtnl_link_get_mtu(r->link));
}

void
check_link(struct diag *d, struct check_result *res)
{
	struct link_run r;

	memset(&r, 0, sizeof(r));
	r.d = d;
	r.res = res;
	res->facts = r.f = cJSON_CreateObject();
	if (link_load(&r) == 0 && link_pick(&r) == 0) {
		link_publish(&r);
		link_state_facts(&r);
		link_address_facts(&r);
		link_route_facts(&r);
		link_judge(&r);
	}
	if (r.link != NULL)
		rtnl_link_put(r.link);
	nl_cache_free(r.routes);
	nl_cache_free(r.addrs);
	nl_cache_free(r.links);
	nl_socket_free(r.sk);
}
