/*
 * pcapng_write.h - a small pcapng writer: one Section Header Block, one
 * Interface Description Block per capture interface, and an Enhanced Packet
 * Block per packet, in host byte order (readers detect it by the byte-order
 * magic).  libpcap 1.10 can read pcapng but only writes classic pcap, and
 * the captures cyanprobe hands to Wireshark should carry the interface name
 * and the tool that wrote them.  Spec: draft-ietf-opsawg-pcapng (SHB 4.1,
 * IDB 4.2, EPB 4.3, options 3.5).
 */
#ifndef PCAPNG_WRITE_H
#define PCAPNG_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PCAPNG_IFACES_MAX	8

struct pcapng_writer {
	FILE		*f;
	bool		 own;		/* close f in pcapng_close() */
	unsigned	 nifaces;
	uint32_t	 snaplen[PCAPNG_IFACES_MAX];
	uint64_t	 packets;	/* EPBs written */
	uint64_t	 bytes;		/* file bytes written */
	bool		 error;		/* a write failed; sticky */
	uint8_t		*buf;		/* one block, reused; owned */
};

/*
 * Start a pcapng section in `path` ("-" is stdout), with `appl` (may be
 * NULL) as shb_userappl.  Returns 0, or -1 with errno set.  Pair with
 * pcapng_close().
 */
int	pcapng_open(struct pcapng_writer *w, const char *path,
	    const char *appl);

/*
 * Start a section on an already open stream, which stays the caller's
 * (pcapng_close() flushes but does not close it).
 */
int	pcapng_open_stream(struct pcapng_writer *w, FILE *f, const char *appl);

/*
 * Describe an interface: `linktype` is a LINKTYPE_ value (what
 * pcap_datalink() returns for the common ones), `name` may be NULL.
 * Returns the interface id for pcapng_packet(), or -1.
 */
int	pcapng_add_iface(struct pcapng_writer *w, uint16_t linktype,
	    uint32_t snaplen, const char *name, const char *filter);

/*
 * Write one packet of `caplen` bytes (cut to the interface's snaplen),
 * originally `len` bytes long, at `usec` microseconds since the epoch.
 * Returns 0, or -1 when the write failed or `iface` is unknown.
 */
int	pcapng_packet(struct pcapng_writer *w, int iface, uint64_t usec,
	    const uint8_t *data, uint32_t caplen, uint32_t len);

/* Flush and close; returns 0, or -1 if any write failed (errno set). */
int	pcapng_close(struct pcapng_writer *w);

#endif /* PCAPNG_WRITE_H */
