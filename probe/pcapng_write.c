/*
 * pcapng_write.c - writes pcapng: SHB, IDBs and EPBs in host byte order,
 * each block built in a buffer first so that its total length (which the
 * format repeats at both ends for walking backwards) is known before the
 * first byte goes out.  Spec: draft-ietf-opsawg-pcapng sections 3-4.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcapng_write.h"

#define BT_SHB		0x0A0D0D0Au
#define BT_IDB		0x00000001u
#define BT_EPB		0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du

#define OPT_ENDOFOPT	0
#define OPT_SHB_USERAPPL 4
#define OPT_IF_NAME	2
#define OPT_IF_TSRESOL	9
#define OPT_IF_FILTER	11

/* Large enough for any EPB of a 256 KB snaplen packet plus options. */
#define BLOCK_MAX	(262144 + 64)

struct blk {
	uint8_t	*p;
	size_t	 len, cap;
	bool	 bad;
};

static void
blk_put(struct blk *b, const void *src, size_t n)
{
	if (n == 0)
		return;
	if (b->bad || n > b->cap - b->len) {
		b->bad = true;
		return;
	}
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

static void
blk_u16(struct blk *b, uint16_t v)
{
	blk_put(b, &v, 2);
}

static void
blk_u32(struct blk *b, uint32_t v)
{
	blk_put(b, &v, 4);
}

static void
blk_pad(struct blk *b)
{
	static const uint8_t zero[4];

	blk_put(b, zero, (4 - b->len % 4) % 4);
}

/* An option: code, length, value padded to 32 bits (3.5). */
static void
blk_opt(struct blk *b, uint16_t code, const void *v, size_t n)
{
	if (n > UINT16_MAX) {
		b->bad = true;
		return;
	}
	blk_u16(b, code);
	blk_u16(b, (uint16_t)n);
	blk_put(b, v, n);
	blk_pad(b);
}

/* Start a block: type and a placeholder total length. */
static void
blk_start(struct blk *b, uint32_t type)
{
	b->len = 0;
	b->bad = false;
	blk_u32(b, type);
	blk_u32(b, 0);
}

/* Close a block (trailing length) and write it out. */
static int
blk_emit(struct pcapng_writer *w, struct blk *b)
{
	uint32_t total;

	total = (uint32_t)(b->len + 4);
	blk_u32(b, total);
	if (b->bad) {
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(b->p + 4, &total, 4);
	if (fwrite(b->p, 1, b->len, w->f) != b->len) {
		w->error = true;
		return -1;
	}
	w->bytes += b->len;
	return 0;
}

static int
write_shb(struct pcapng_writer *w, const char *appl)
{
	uint8_t buf[512];
	struct blk b = { buf, 0, sizeof(buf), false };
	uint64_t section_len = UINT64_MAX;	/* -1: not given */

	blk_start(&b, BT_SHB);
	blk_u32(&b, BYTE_ORDER_MAGIC);
	blk_u16(&b, 1);
	blk_u16(&b, 0);
	blk_put(&b, &section_len, 8);
	if (appl != NULL)
		blk_opt(&b, OPT_SHB_USERAPPL, appl, strnlen(appl, 256));
	blk_opt(&b, OPT_ENDOFOPT, NULL, 0);
	return blk_emit(w, &b);
}

int
pcapng_open_stream(struct pcapng_writer *w, FILE *f, const char *appl)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	if (write_shb(w, appl) < 0)
		return -1;
	return 0;
}

int
pcapng_open(struct pcapng_writer *w, const char *path, const char *appl)
{
	FILE *f;

	if (strcmp(path, "-") == 0)
		return pcapng_open_stream(w, stdout, appl);
	if ((f = fopen(path, "wb")) == NULL)
		return -1;
	if (pcapng_open_stream(w, f, appl) < 0) {
		fclose(f);
		return -1;
	}
	w->own = true;
	return 0;
}

int
pcapng_add_iface(struct pcapng_writer *w, uint16_t linktype,
    uint32_t snaplen, const char *name, const char *filter)
{
	uint8_t buf[1024];
	struct blk b = { buf, 0, sizeof(buf), false };
	uint8_t tsresol = 6;	/* microseconds, the default, said aloud */
	uint8_t fbuf[257];
	size_t flen;

	if (w->nifaces >= PCAPNG_IFACES_MAX) {
		errno = ENOSPC;
		return -1;
	}
	blk_start(&b, BT_IDB);
	blk_u16(&b, linktype);
	blk_u16(&b, 0);
	blk_u32(&b, snaplen);
	if (name != NULL)
		blk_opt(&b, OPT_IF_NAME, name, strnlen(name, 64));
	blk_opt(&b, OPT_IF_TSRESOL, &tsresol, 1);
	if (filter != NULL && *filter != '\0') {
		/* if_filter: a type byte (0 = libpcap string), then the text */
		flen = strnlen(filter, sizeof(fbuf) - 1);
		fbuf[0] = 0;
		memcpy(fbuf + 1, filter, flen);
		blk_opt(&b, OPT_IF_FILTER, fbuf, flen + 1);
	}
	blk_opt(&b, OPT_ENDOFOPT, NULL, 0);
	if (blk_emit(w, &b) < 0)
		return -1;
	w->snaplen[w->nifaces] = snaplen;
	return (int)w->nifaces++;
}

int
pcapng_packet(struct pcapng_writer *w, int iface, uint64_t usec,
    const uint8_t *data, uint32_t caplen, uint32_t len)
{
	struct blk b;
	uint32_t snap;

	if (iface < 0 || (unsigned)iface >= w->nifaces) {
		errno = EINVAL;
		return -1;
	}
	snap = w->snaplen[iface];
	if (snap != 0 && caplen > snap)
		caplen = snap;
	if (caplen > BLOCK_MAX - 64)
		caplen = BLOCK_MAX - 64;
	if (len < caplen)
		len = caplen;
	/* One buffer for the whole file: a capture writes many blocks. */
	if (w->buf == NULL && (w->buf = malloc(BLOCK_MAX)) == NULL)
		return -1;
	b = (struct blk){ w->buf, 0, BLOCK_MAX, false };
	blk_start(&b, BT_EPB);
	blk_u32(&b, (uint32_t)iface);
	blk_u32(&b, (uint32_t)(usec >> 32));
	blk_u32(&b, (uint32_t)usec);
	blk_u32(&b, caplen);
	blk_u32(&b, len);
	blk_put(&b, data, caplen);
	blk_pad(&b);
	if (blk_emit(w, &b) < 0)
		return -1;
	w->packets++;
	return 0;
}

int
pcapng_close(struct pcapng_writer *w)
{
	int r = 0;

	free(w->buf);
	w->buf = NULL;
	if (w->f == NULL)
		return 0;
	if (fflush(w->f) != 0)
		w->error = true;
	if (w->own && fclose(w->f) != 0)
		w->error = true;
	w->f = NULL;
	if (w->error) {
		if (errno == 0)
			errno = EIO;
		r = -1;
	}
	return r;
}
