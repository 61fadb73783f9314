/*
 * fuzz_nl80211.c - the nl80211 reply callbacks over arbitrary attribute
 * bytes.  The first input byte picks the callback (scan entry, interface,
 * station, regulatory domain); the rest becomes the attribute area of a
 * generic netlink message, as nl_recvmsgs() would hand it over.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "nl80211.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
