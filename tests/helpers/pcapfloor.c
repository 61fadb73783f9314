/*
 * pcapfloor.c - the floor for the analyze benchmark: a bare libpcap read
 * loop over a capture that counts packets and captured bytes and does
 * nothing else.  No program that reads the same file through libpcap can be
 * faster, so `cyanprobe analyze` is measured against it
 * (tests/bench/analyze.sh).
 *
 * usage: pcapfloor FILE   prints "PACKETS BYTES" on stdout
 */
#include <stdio.h>

#include <pcap/pcap.h>

int
main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned long long packets = 0, bytes = 0;
	pcap_t *p;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: pcapfloor FILE\n");
		return 2;
	}
	if ((p = pcap_open_offline(argv[1], errbuf)) == NULL) {
		fprintf(stderr, "pcapfloor: %s: %s\n", argv[1], errbuf);
		return 2;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		packets++;
		bytes += h->caplen;
	}
	if (rc == PCAP_ERROR)
		fprintf(stderr, "pcapfloor: %s: %s\n", argv[1], pcap_geterr(p));
	pcap_close(p);
	printf("%llu %llu\n", packets, bytes);
	return 0;
}
