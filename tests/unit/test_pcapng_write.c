/*
 * test_pcapng_write.c - the pcapng writer, checked by reading its output
 * back with libpcap (an independent reader) and by walking the blocks by
 * hand: both ends of every block carry the same length, lengths are
 * multiples of 4, and the file ends at a block boundary.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "cursor.h"
#include "pcapng_write.h"
#include "test.h"

static char tmpl[] = "/tmp/test_pcapng_XXXXXX";

static uint8_t pkt[3][1600];
static const uint32_t plen[3] = { 60, 61, 1514 };
static const uint64_t pts[3] = {
	1700000000ull * 1000000 + 1, 1700000000ull * 1000000 + 999999,
	1700000005ull * 1000000 + 500000
};

static void
fill_packets(void)
{
	size_t i, j;

	for (i = 0; i < 3; i++)
		for (j = 0; j < sizeof(pkt[i]); j++)
			pkt[i][j] = (uint8_t)(i * 31 + j * 7);
}

/* Read the file back with libpcap and compare every packet. */
static void
check_with_libpcap(const char *path, uint32_t snaplen)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	int i, r;

	p = pcap_open_offline(path, errbuf);
	test_cond("libpcap opens the pcapng file", p != NULL);
	if (p == NULL) {
		printf("     %s\n", errbuf);
		return;
	}
	expect_int("link type is Ethernet", DLT_EN10MB, pcap_datalink(p));
	expect_int("snaplen", snaplen, pcap_snapshot(p));
	for (i = 0; i < 3; i++) {
		uint32_t want = plen[i] < snaplen ? plen[i] : snaplen;

		r = pcap_next_ex(p, &h, &data);
		expect_int("packet read", 1, r);
		if (r != 1)
			break;
		expect_int("caplen", want, h->caplen);
		expect_int("original length kept", plen[i], h->len);
		expect_int("seconds", pts[i] / 1000000, h->ts.tv_sec);
		expect_int("microseconds", pts[i] % 1000000, h->ts.tv_usec);
		expect_mem("packet bytes", pkt[i], data, want);
	}
	expect_int("then end of file", PCAP_ERROR_BREAK,
	    pcap_next_ex(p, &h, &data));
	pcap_close(p);
}

/* Walk the blocks with a cursor; returns the number of EPBs. */
static int
walk_blocks(const char *path, int *nblocks)
{
	static uint8_t buf[65536];
	struct cursor c;
	FILE *f;
	size_t n;
	int epbs = 0;

	*nblocks = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	c = cur_init(buf, n);
	while (c.left > 0) {
		struct cursor blk;
		uint32_t type, len, tail;

		type = cur_le32(&c);	/* written in host order: x86 is LE */
		len = cur_le32(&c);
		if (c.bad || len < 12 || len % 4 != 0)
			return -1;
		blk = cur_sub(&c, len - 12);
		tail = cur_le32(&c);
		if (c.bad || blk.bad || tail != len)
			return -1;
		if (*nblocks == 0 && type != 0x0A0D0D0A)
			return -1;
		if (type == 6)
			epbs++;
		(*nblocks)++;
	}
	return epbs;
}

static void
test_roundtrip(uint32_t snaplen)
{
	struct pcapng_writer w;
	int fd, id, i, nblocks;

	strcpy(tmpl, "/tmp/test_pcapng_XXXXXX");
	if ((fd = mkstemp(tmpl)) < 0) {
		test_cond("mkstemp", 0);
		return;
	}
	close(fd);
	expect_int("open", 0, pcapng_open(&w, tmpl, "cyanprobe test"));
	id = pcapng_add_iface(&w, 1, snaplen, "veth0", "udp port 9");
	expect_int("first interface id", 0, id);
	for (i = 0; i < 3; i++)
		expect_int("packet written", 0,
		    pcapng_packet(&w, id, pts[i], pkt[i], plen[i], plen[i]));
	expect_int("unknown interface refused", -1,
	    pcapng_packet(&w, 5, pts[0], pkt[0], plen[0], plen[0]));
	expect_int("packets counted", 3, w.packets);
	expect_int("close", 0, pcapng_close(&w));
	check_with_libpcap(tmpl, snaplen);
	expect_int("three EPBs", 3, walk_blocks(tmpl, &nblocks));
	expect_int("SHB + IDB + 3 EPB", 5, nblocks);
	unlink(tmpl);
}

static void
test_write_error(void)
{
	struct pcapng_writer w;
	int id, i, r = 0;

	/* /dev/full takes the open but fails every flushed write. */
	if (pcapng_open(&w, "/dev/full", NULL) < 0) {
		printf("SKIP test_pcapng_write: /dev/full: %s\n",
		    strerror(errno));
		return;
	}
	id = pcapng_add_iface(&w, 1, 65535, NULL, NULL);
	for (i = 0; i < 200 && r == 0; i++)
		r = pcapng_packet(&w, id, pts[2], pkt[2], plen[2], plen[2]);
	test_cond("a write or the close reports the full disk",
	    pcapng_close(&w) == -1 || r == -1);
	expect_int("no such directory", -1,
	    pcapng_open(&w, "/nonexistent-dir/x.pcapng", NULL));
}

int
main(void)
{
	fill_packets();
	test_roundtrip(65535);
	test_roundtrip(64);	/* cut packets: caplen < len */
	test_write_error();
	return test_report();
}
