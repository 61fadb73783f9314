/*
 * cursor.h - the one bounds-checked reader that every decoder uses.
 *
 * A cursor is a view of untrusted bytes with a sticky error flag: a read
 * past the end returns zero and sets `bad`, and every later read fails too.
 * Decoders read straight down the spec and test `bad` once per record, the
 * way tcpdump's GET_ macros are meant to be used, but without longjmp.
 * Header-only and freestanding, so the firmware agent can use it as well.
 */
#ifndef CURSOR_H
#define CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cursor {
	const uint8_t	*p;	/* next unread byte */
	size_t		 left;	/* bytes remaining */
	bool		 bad;	/* a read ran past the end; stays set */
};

static inline struct cursor
cur_init(const void *buf, size_t len)
{
	struct cursor c = { (const uint8_t *)buf, len, false };

	if (buf == NULL) {
		c.left = 0;
		c.bad = len != 0;
	}
	return c;
}

/* Take n bytes as a view; the view is valid while the underlying buffer is. */
static inline bool
cur_take(struct cursor *c, size_t n, const uint8_t **out)
{
	if (c->bad || n > c->left) {
		c->bad = true;
		c->left = 0;
		*out = NULL;
		return false;
	}
	*out = c->p;
	c->p += n;
	c->left -= n;
	return true;
}

static inline bool
cur_skip(struct cursor *c, size_t n)
{
	const uint8_t *q;

	return cur_take(c, n, &q);
}

/* Copy n bytes out; on a short read `dst` is zero-filled. */
static inline bool
cur_copy(struct cursor *c, void *dst, size_t n)
{
	const uint8_t *q;
	uint8_t *d = dst;
	size_t i;

	if (!cur_take(c, n, &q)) {
		for (i = 0; i < n; i++)
			d[i] = 0;
		return false;
	}
	for (i = 0; i < n; i++)
		d[i] = q[i];
	return true;
}

static inline uint8_t
cur_u8(struct cursor *c)
{
	const uint8_t *q;

	if (!cur_take(c, 1, &q))
		return 0;
	return q[0];
}

static inline uint16_t
cur_be16(struct cursor *c)
{
	const uint8_t *q;

	if (!cur_take(c, 2, &q))
		return 0;
	return (uint16_t)(q[0] << 8 | q[1]);
}

static inline uint16_t
cur_le16(struct cursor *c)
{
	const uint8_t *q;

	if (!cur_take(c, 2, &q))
		return 0;
	return (uint16_t)(q[1] << 8 | q[0]);
}

static inline uint32_t
cur_be32(struct cursor *c)
{
	const uint8_t *q;

	if (!cur_take(c, 4, &q))
		return 0;
	return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
	    (uint32_t)q[2] << 8 | (uint32_t)q[3];
}

static inline uint32_t
cur_le32(struct cursor *c)
{
	const uint8_t *q;

	if (!cur_take(c, 4, &q))
		return 0;
	return (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 |
	    (uint32_t)q[1] << 8 | (uint32_t)q[0];
}

static inline uint64_t
cur_le64(struct cursor *c)
{
	uint64_t lo = cur_le32(c);
	uint64_t hi = cur_le32(c);

	return hi << 32 | lo;
}

/* Split off the next n bytes as their own cursor (one TLV body). */
static inline struct cursor
cur_sub(struct cursor *c, size_t n)
{
	struct cursor sub = { NULL, 0, true };
	const uint8_t *q;

	if (cur_take(c, n, &q))
		sub = (struct cursor){ q, n, false };
	return sub;
}

/*
 * Advance so that the bytes consumed since `base` become a multiple of
 * `align`.  Radiotap aligns every field, so the power-of-two case avoids
 * the divisions on the hot path.
 */
static inline bool
cur_align(struct cursor *c, const uint8_t *base, size_t align)
{
	size_t off = (size_t)(c->p - base);
	size_t pad;

	if (align <= 1)
		return !c->bad;
	if ((align & (align - 1)) == 0)
		pad = (0 - off) & (align - 1);
	else
		pad = (align - off % align) % align;
	return cur_skip(c, pad);
}

/* Bytes still unread, without moving. */
static inline size_t
cur_left(const struct cursor *c)
{
	return c->bad ? 0 : c->left;
}

#endif /* CURSOR_H */
