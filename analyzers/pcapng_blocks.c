/*
 * pcapng_blocks.c - decode pcapng blocks through the cursor, for the
 * multi-link-type files libpcap will not read (see pcapng_blocks.h).  Every
 * length on the wire is a claim: a block's two length fields must agree and
 * a packet's captured length must fit inside its block.
 */
#include <string.h>

#include "cursor.h"
#include "pcapng_blocks.h"

void
pcapng_blocks_init(struct pcapng_blocks *s)
{
	memset(s, 0, sizeof(*s));
}

static uint32_t
rd32(struct cursor *c, bool big)
{
	return big ? cur_be32(c) : cur_le32(c);
}

static uint16_t
rd16(struct cursor *c, bool big)
{
	return big ? cur_be16(c) : cur_le16(c);
}

uint32_t
pcapng_blocks_len(const struct pcapng_blocks *s, const uint8_t head[12])
{
	struct cursor c = cur_init(head, 12);
	uint32_t type_le, magic_le, len;
	bool big = s->big_endian;

	type_le = cur_le32(&c);
	if (type_le == PCAPNG_BT_SHB) {
		/* The SHB says its own byte order (section 4.1). */
		(void)cur_skip(&c, 4);
		magic_le = cur_le32(&c);
		if (magic_le == PCAPNG_BYTE_ORDER_MAGIC)
			big = false;
		else if (magic_le == 0x4d3c2b1au)
			big = true;
		else
			return 0;
	}
	c = cur_init(head + 4, 4);
	len = rd32(&c, big);
	if (len < PCAPNG_BLOCK_MIN || len % 4 != 0)
		return 0;
	return len;
}

enum pcapng_result
pcapng_blocks_next(struct pcapng_blocks *s, const uint8_t *blk, size_t len,
    struct pcapng_packet *out)
{
	struct cursor c = cur_init(blk, len), body, trail;
	uint32_t type, total, iface, caplen, origlen, magic;
	size_t blen;
	bool big;

	memset(out, 0, sizeof(*out));
	if (len < PCAPNG_BLOCK_MIN || len % 4 != 0)
		return PCAPNG_BAD;
	type = cur_le32(&c);
	if (type == PCAPNG_BT_SHB) {
		struct cursor m = cur_init(blk + 8, 4);

		magic = cur_le32(&m);
		if (magic == PCAPNG_BYTE_ORDER_MAGIC)
			s->big_endian = false;
		else if (magic == 0x4d3c2b1au)
			s->big_endian = true;
		else
			return PCAPNG_BAD;
		s->in_section = true;
		s->niface = 0;
	} else if (!s->in_section)
		return PCAPNG_BAD;
	big = s->big_endian;
	c = cur_init(blk, len);
	type = rd32(&c, big);
	total = rd32(&c, big);
	trail = cur_init(blk + len - 4, 4);
	if (total != len || rd32(&trail, big) != total)
		return PCAPNG_BAD;
	blen = len - PCAPNG_BLOCK_MIN;
	body = cur_sub(&c, blen);

	switch (type) {
	case PCAPNG_BT_IDB:
		if (s->niface < PCAPNG_IFACES_KEPT) {
			s->linktype[s->niface] = rd16(&body, big);
			(void)cur_skip(&body, 2);
			s->snaplen[s->niface] = rd32(&body, big);
			if (body.bad)
				return PCAPNG_BAD;
		}
		s->niface++;
		return PCAPNG_META;
	case PCAPNG_BT_EPB:
		iface = rd32(&body, big);
		(void)cur_skip(&body, 8);	/* timestamp */
		caplen = rd32(&body, big);
		origlen = rd32(&body, big);
		break;
	case PCAPNG_BT_PB:
		iface = rd16(&body, big);
		(void)cur_skip(&body, 2 + 8);	/* drops, timestamp */
		caplen = rd32(&body, big);
		origlen = rd32(&body, big);
		break;
	case PCAPNG_BT_SPB:
		/* No captured length: the data fill the block (4.4). */
		iface = 0;
		origlen = rd32(&body, big);
		caplen = (uint32_t)cur_left(&body);
		if (caplen > origlen)
			caplen = origlen;
		break;
	default:
		return PCAPNG_META;
	}
	if (body.bad || caplen > cur_left(&body))
		return PCAPNG_BAD;
	out->iface = iface;
	out->linktype = iface < s->niface && iface < PCAPNG_IFACES_KEPT ?
	    s->linktype[iface] : -1;
	out->caplen = caplen;
	out->len = origlen < caplen ? caplen : origlen;
	if (!cur_take(&body, caplen, &out->data))
		return PCAPNG_BAD;
	return PCAPNG_PACKET;
}
