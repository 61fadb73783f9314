/*
 * qaline.c - decoding of the responder line protocol (qaline.h): words
 * separated by single spaces, read through the bounded cursor, every number
 * range-checked, so that a line from the network can only be accepted
 * whole or refused.
 */
#include <stdbool.h>
#include <string.h>

#include "cursor.h"
#include "qaline.h"

/* The next word (up to a space or the end) as a sub-cursor; empty: bad. */
static struct cursor
word(struct cursor *c)
{
	const uint8_t *p = c->p;
	size_t n = 0, left = cur_left(c);

	while (n < left && p[n] != ' ')
		n++;
	if (n == 0)
		c->bad = true;
	return cur_sub(c, n);
}

/* One space between words, or the end of the line. */
static bool
next_word(struct cursor *c)
{
	if (cur_left(c) == 0)
		return false;
	return cur_u8(c) == ' ' && !c->bad;
}

static int
number(struct cursor w, uint32_t max, uint32_t *out)
{
	uint32_t v = 0;
	uint8_t d;

	if (cur_left(&w) == 0 || cur_left(&w) > 10)
		return -1;
	while (cur_left(&w) > 0) {
		d = cur_u8(&w);
		if (d < '0' || d > '9')
			return -1;
		if (v > (max - (uint32_t)(d - '0')) / 10)
			return -1;
		v = v * 10 + (uint32_t)(d - '0');
	}
	*out = v;
	return 0;
}

static int
tag(struct cursor w, char out[QALINE_TAG_MAX])
{
	size_t n = 0;
	uint8_t ch;

	while (cur_left(&w) > 0) {
		ch = cur_u8(&w);
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
		    ch == '-') || n + 1 >= QALINE_TAG_MAX)
			return -1;
		out[n++] = (char)ch;
	}
	out[n] = '\0';
	return n > 0 ? 0 : -1;
}

static int
ipv4(struct cursor w, uint8_t out[4])
{
	uint32_t v;
	size_t i, n;
	const uint8_t *p;

	for (i = 0; i < 4; i++) {
		p = w.p;
		n = 0;
		while (n < cur_left(&w) && p[n] != '.')
			n++;
		if (number(cur_sub(&w, n), 255, &v) == -1)
			return -1;
		out[i] = (uint8_t)v;
		if (i < 3 && cur_u8(&w) != '.')
			return -1;
	}
	return cur_left(&w) == 0 && !w.bad ? 0 : -1;
}

/* " IP PORT" after a tag: the address the responder saw. */
static int
address(struct cursor *c, struct qaline *out)
{
	uint32_t v;

	if (!next_word(c) || ipv4(word(c), out->addr) == -1 ||
	    !next_word(c) || number(word(c), 65535, &v) == -1)
		return -1;
	out->port = (uint16_t)v;
	return 0;
}

int
qaline_parse(const uint8_t *buf, size_t len, struct qaline *out)
{
	struct cursor c, verb;

	memset(out, 0, sizeof(*out));
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len == 0 || len >= QALINE_MAX)
		return -1;
	c = cur_init(buf, len);
	verb = word(&c);
	if (c.bad || !next_word(&c))
		return -1;
	if (cur_left(&verb) == 4 && memcmp(verb.p, "HOLD", 4) == 0) {
		out->verb = QALINE_HOLD;
		if (number(word(&c), QALINE_HOLD_MAX, &out->hold_ms) == -1 ||
		    !next_word(&c))
			return -1;
	} else if (cur_left(&verb) == 2 && memcmp(verb.p, "OK", 2) == 0)
		out->verb = QALINE_OK;
	else if (cur_left(&verb) == 5 && memcmp(verb.p, "PROBE", 5) == 0)
		out->verb = QALINE_PROBE;
	else if (cur_left(&verb) == 4 && memcmp(verb.p, "ECHO", 4) == 0)
		out->verb = QALINE_ECHO;
	else
		return -1;
	if (tag(word(&c), out->tag) == -1 || c.bad)
		return -1;
	if (out->verb == QALINE_OK ||
	    (out->verb == QALINE_ECHO && cur_left(&c) > 0)) {
		if (out->verb == QALINE_ECHO)
			out->verb = QALINE_ECHO_REPLY;
		if (address(&c, out) == -1)
			return -1;
	}
	return cur_left(&c) == 0 && !c.bad ? 0 : -1;
}
