/*
 * hostport.c - splits the "HOST[:PORT]" arguments of every command, so that
 * diagnose, simulate-device, collect, handshake and cloud read them alike:
 * the rules for brackets, bare IPv6 literals, empty hosts and port ranges
 * are written once, and each caller says with flags which forms it takes.
 */
#include <string.h>

#include "hostport.h"

enum hostport_error
hostport_split(const char *s, unsigned flags, char *host, size_t hostlen,
    uint16_t *port)
{
	const char *h, *colon, *rb, *p;
	unsigned long v;
	size_t hl;

	if (s == NULL)
		s = "";
	h = s;
	if (*s == '[') {
		/* "[v6]" or "[v6]:port": the colons inside are the host's. */
		if ((rb = strchr(s, ']')) == NULL ||
		    (rb[1] != '\0' && rb[1] != ':'))
			return HOSTPORT_BRACKET;
		h = s + 1;
		hl = (size_t)(rb - h);
		colon = rb[1] == ':' ? rb + 1 : NULL;
	} else {
		colon = strrchr(s, ':');
		if (colon != NULL && strchr(s, ':') != colon) {
			/* More than one colon: an IPv6 literal, no port. */
			if ((flags & HOSTPORT_BARE_V6) == 0)
				return HOSTPORT_BARE;
			colon = NULL;
		}
		hl = colon != NULL ? (size_t)(colon - s) : strlen(s);
	}
	if (hl == 0 && (flags & HOSTPORT_ANY_HOST) == 0)
		return HOSTPORT_NO_HOST;
	if (hl >= hostlen)
		return HOSTPORT_TOO_LONG;
	if (colon == NULL && (flags & HOSTPORT_NEED_PORT) != 0)
		return HOSTPORT_NO_PORT;
	if (colon != NULL) {
		/* Digits only: strtol would take " 80", "+80" and "-0". */
		v = 0;
		for (p = colon + 1; *p >= '0' && *p <= '9' && v <= 65535; p++)
			v = v * 10 + (unsigned long)(*p - '0');
		if (p == colon + 1 || *p != '\0' || v > 65535 ||
		    (v == 0 && (flags & HOSTPORT_PORT_ZERO) == 0))
			return HOSTPORT_BAD_PORT;
		*port = (uint16_t)v;
	}
	memcpy(host, h, hl);
	host[hl] = '\0';
	return HOSTPORT_OK;
}

const char *
hostport_strerror(enum hostport_error e)
{
	switch (e) {
	case HOSTPORT_OK:
		return "ok";
	case HOSTPORT_BRACKET:
		return "bad [IPv6]:PORT";
	case HOSTPORT_NO_HOST:
		return "no host";
	case HOSTPORT_TOO_LONG:
		return "host name too long";
	case HOSTPORT_NO_PORT:
		return "no port";
	case HOSTPORT_BAD_PORT:
		return "bad port";
	case HOSTPORT_BARE:
		return "an IPv6 address needs brackets: [ADDR]:PORT";
	}
	return "malformed";
}
