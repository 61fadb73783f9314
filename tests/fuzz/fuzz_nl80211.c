/*
 * fuzz_nl80211.c - the nl80211 reply callbacks over arbitrary attribute
 * bytes.  The first input byte picks the callback (scan entry, interface,
 * station, regulatory domain); the rest becomes the attribute area of a
 * generic netlink message, as nl_recvmsgs() would hand it over.  A scan
 * entry is then folded into a netmap as `scan` and `diagnose` do
 * (check_wifi_netmap: ie_parse, wifi_bss_fill), and the size limit is
 * checked: no element blob is kept past NL80211_IES_MAX, and one cut there
 * leaves its BSS's element list cut (elements_cut), never whole.  The seed
 * corpus/fuzz_nl80211/bss-ies-over-limit is such a reply (4335 element
 * bytes, an HT Capabilities element past the limit).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "check_wifi.h"
#include "netmap.h"
#include "nl80211.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The scan path after the callback, with the size limit's invariants. */
static void
fold_scan(struct nl80211_scan *scan)
{
	static struct netmap *nm;
	struct check_wifi_live lv;
	const struct netmap_bss *b;
	const struct nl80211_bss_info *e;
	bool one;
	size_t i;

	if (nm == NULL && (nm = netmap_new()) == NULL)
		return;
	netmap_reset(nm);
	memset(&lv, 0, sizeof(lv));
	lv.assoc = -1;
	lv.scan = *scan;
	(void)check_wifi_netmap(&lv, nm);
	for (i = 0; i < scan->n; i++) {
		e = &scan->bss[i];
		if (e->ies_len > NL80211_IES_MAX ||
		    e->beacon_ies_len > NL80211_IES_MAX)
			abort();
		/* The one flag is for both blobs: judge it where it is one. */
		one = e->ies == NULL || e->beacon_ies == NULL ||
		    (e->ies_len == e->beacon_ies_len &&
		    memcmp(e->ies, e->beacon_ies, e->ies_len) == 0);
		b = netmap_bss_find(nm, e->bssid);
		if (e->ies_truncated && one && b != NULL &&
		    (!b->w.elements_cut || !b->w.ie_truncated))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nl80211_ifaces ifs;
	struct nl80211_scan scan;
	struct nl80211_station st;
	struct nl80211_reg reg;
	struct nl_msg *m;

	if (size < 1 || size > 65536)
		return 0;
	if ((m = nlmsg_alloc_size(size + 256)) == NULL)
		return 0;
	if (genlmsg_put(m, 0, 0, 0x1c, 0, 0, 34, 0) == NULL ||
	    nlmsg_append(m, (void *)(uintptr_t)(data + 1), size - 1, 0) < 0) {
		nlmsg_free(m);
		return 0;
	}
	switch (data[0] % 4) {
	case 0:
		nl80211_scan_init(&scan, 0);
		(void)nl80211_cb_bss(m, &scan);
		(void)nl80211_scan_associated(&scan);
		fold_scan(&scan);
		nl80211_scan_free(&scan);
		break;
	case 1:
		memset(&ifs, 0, sizeof(ifs));
		(void)nl80211_cb_iface(m, &ifs);
		break;
	case 2:
		memset(&st, 0, sizeof(st));
		(void)nl80211_cb_station(m, &st);
		break;
	default:
		memset(&reg, 0, sizeof(reg));
		(void)nl80211_cb_reg(m, &reg);
		break;
	}
	nlmsg_free(m);
	return 0;
}
