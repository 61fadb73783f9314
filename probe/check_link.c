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

void
check_link(struct diag *d, struct check_result *res)
{
	struct nl_cache *links = NULL, *addrs = NULL, *routes = NULL;
	struct rtnl_route *rt = NULL;
	struct rtnl_link *link = NULL;
	struct nl_sock *sk = NULL;
	struct nl_object *obj;
	struct nl_addr *a;
	cJSON *f, *arr;
	char buf[128], state[32];
	unsigned flags;
	int ifindex = 0, oif = 0;
	bool up, carrier;

	res->facts = f = cJSON_CreateObject();
	if ((sk = nl_socket_alloc()) == NULL ||
	    nl_connect(sk, NETLINK_ROUTE) < 0 ||
	    rtnl_link_alloc_cache(sk, AF_UNSPEC, &links) < 0 ||
	    rtnl_addr_alloc_cache(sk, &addrs) < 0 ||
	    rtnl_route_alloc_cache(sk, AF_INET, 0, &routes) < 0) {
		cJSON_AddStringToObject(f, "error", "rtnetlink unavailable");
		check_note(res, "rtnetlink unavailable");
		res->skipped = true;
		goto done;
	}
	if (d->o->iface != NULL) {
		if ((ifindex = rtnl_link_name2i(links, d->o->iface)) == 0) {
			check_fail(res, FINDING_LINK_DOWN,
			    "interface %s does not exist", d->o->iface);
			check_note(res, "no interface %s", d->o->iface);
			goto done;
		}
		rt = default_route(routes, ifindex, &oif);
	} else {
		if ((rt = default_route(routes, 0, &oif)) == NULL) {
			check_fail(res, FINDING_LINK_NO_ROUTE,
			    "this computer has no default route, so no "
			    "interface to test (give one with --iface)");
			check_note(res, "no default route");
			goto done;
		}
		ifindex = oif;
	}
	if ((link = rtnl_link_get(links, ifindex)) == NULL) {
		check_fail(res, FINDING_LINK_DOWN, "interface %d vanished",
		    ifindex);
		goto done;
	}

	/* Published before the other checks start: no lock needed. */
	snprintf(d->ifname, sizeof(d->ifname), "%s",
	    rtnl_link_get_name(link));
	d->ifindex = ifindex;
	d->have_iface = true;
	if ((a = rtnl_link_get_addr(link)) != NULL &&
	    nl_addr_get_len(a) == 6)
		memcpy(d->ifmac, nl_addr_get_binary_addr(a), 6);

	flags = rtnl_link_get_flags(link);
	up = (flags & IFF_UP) != 0;
	carrier = (flags & IFF_LOWER_UP) != 0;
	rtnl_link_operstate2str(rtnl_link_get_operstate(link), state,
	    sizeof(state));
	cJSON_AddStringToObject(f, "interface", d->ifname);
	cJSON_AddNumberToObject(f, "index", ifindex);
	cJSON_AddStringToObject(f, "state", state);
	cJSON_AddBoolToObject(f, "up", up);
	cJSON_AddBoolToObject(f, "carrier", carrier);
	cJSON_AddNumberToObject(f, "mtu", rtnl_link_get_mtu(link));
	if (a != NULL)
		cJSON_AddStringToObject(f, "mac", nl_addr2str(a, buf,
		    sizeof(buf)));
	cJSON_AddBoolToObject(f, "wireless", is_wireless(d->ifname));
	arr = cJSON_AddArrayToObject(f, "addresses");
	for (obj = nl_cache_get_first(addrs); obj != NULL;
	    obj = nl_cache_get_next(obj)) {
		struct rtnl_addr *ad = (struct rtnl_addr *)obj;

		if (rtnl_addr_get_ifindex(ad) != ifindex ||
		    rtnl_addr_get_local(ad) == NULL)
			continue;
		nl_addr2str(rtnl_addr_get_local(ad), buf, sizeof(buf));
		cJSON_AddItemToArray(arr, cJSON_CreateString(buf));
	}
	if (rt != NULL) {
		struct nl_addr *gw =
		    rtnl_route_nh_get_gateway(rtnl_route_nexthop_n(rt, 0));

		if (gw != NULL) {
			nl_addr2str(gw, buf, sizeof(buf));
			/* nl_addr2str gives "a.b.c.d" for a host address. */
			cJSON_AddStringToObject(f, "gateway", buf);
		} else
			cJSON_AddNullToObject(f, "gateway");
		cJSON_AddBoolToObject(f, "default_route", true);
	} else
		cJSON_AddBoolToObject(f, "default_route", false);

	if (!up || !carrier) {
		check_fail(res, FINDING_LINK_DOWN, "%s is %s%s", d->ifname,
		    up ? "up" : "down", carrier ? "" : " with no carrier");
		check_note(res, "%s %s", d->ifname, !up ? "down" :
		    "no carrier");
	} else if (rt == NULL) {
		check_fail(res, FINDING_LINK_NO_ROUTE,
		    "%s has no default route through it", d->ifname);
		check_note(res, "%s: no default route", d->ifname);
	} else
		check_note(res, "%s up, mtu %u", d->ifname,
		    rtnl_link_get_mtu(link));
done:
	if (link != NULL)
		rtnl_link_put(link);
	nl_cache_free(routes);
	nl_cache_free(addrs);
	nl_cache_free(links);
	nl_socket_free(sk);
}
