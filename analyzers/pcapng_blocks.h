/*
 * pcapng_blocks.h - the blocks of a pcapng file, one at a time, for the
 * case libpcap refuses: a file whose interfaces have different link types
 * (libpcap reads one link type per file and stops at the first interface
 * that differs).  capture_read falls back to this walker then, so packets of
 * every interface it knows are still read.  It decodes Section Header,
 * Interface Description, Enhanced, Simple and (obsolete) Packet blocks and
 * skips the rest.  Spec: draft-ietf-opsawg-pcapng-02, sections 4.1-4.4 and
 * appendix A.  Pure: the caller reads the file and hands over whole blocks;
 * packet data are views into the block, valid while it is.
 */
#ifndef PCAPNG_BLOCKS_H
#define PCAPNG_BLOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCAPNG_BT_SHB		0x0a0d0d0au
#define PCAPNG_BT_IDB		0x00000001u
#define PCAPNG_BT_PB		0x00000002u	/* obsolete Packet Block */
#define PCAPNG_BT_SPB		0x00000003u
#define PCAPNG_BT_EPB		0x00000006u
#define PCAPNG_BYTE_ORDER_MAGIC	0x1a2b3c4du

#define PCAPNG_IFACES_KEPT	64	/* interfaces per section remembered */
#define PCAPNG_BLOCK_MIN	12	/* type, length, trailing length */

struct pcapng_blocks {
	bool		in_section;	/* an SHB was read */
	bool		big_endian;	/* the section's byte order */
	uint16_t	linktype[PCAPNG_IFACES_KEPT];
	uint32_t	snaplen[PCAPNG_IFACES_KEPT];
	uint32_t	niface;		/* IDBs in the section (all) */
};

struct pcapng_packet {
	uint32_t	 iface;
	int		 linktype;	/* -1: interface not described */
	const uint8_t	*data;		/* view into the block */
	size_t		 caplen;
	size_t		 len;		/* original length */
};

enum pcapng_result {
	PCAPNG_BAD = -1,	/* malformed block: stop */
	PCAPNG_META = 0,	/* a block without a packet (or skipped) */
	PCAPNG_PACKET = 1	/* *out holds a packet */
};

void		 pcapng_blocks_init(struct pcapng_blocks *s);

/*
 * The total length of the block whose first 12 bytes are `head` (type,
 * length, and for an SHB its byte-order magic), in the current section's
 * byte order or, for an SHB, its own.  0 when the head is not a valid
 * block start (length < 12, not a multiple of 4, or an SHB magic that is
 * neither order).
 */
uint32_t	 pcapng_blocks_len(const struct pcapng_blocks *s,
		    const uint8_t head[12]);

/*
 * Decode one whole block (`len` bytes, as pcapng_blocks_len() said) and
 * update the section state.  Returns PCAPNG_PACKET with *out filled for a
 * packet block, PCAPNG_META for other blocks, PCAPNG_BAD when the block is
 * malformed (lengths that disagree, a packet longer than its block, a
 * block before any SHB).
 */
enum pcapng_result pcapng_blocks_next(struct pcapng_blocks *s,
		    const uint8_t *blk, size_t len, struct pcapng_packet *out);

#endif /* PCAPNG_BLOCKS_H */
