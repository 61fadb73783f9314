/*
 * report_redact.c - what may appear in a report.  Key material never does,
 * in any rendering: the free-text fields that can quote it (evidence,
 * step details, notes: report_key_field()) pass a filter for PEM blocks
 * and long hex or base64 runs, outside URLs; other fields (names, paths,
 * URLs) are left alone, so a capture named like hex keeps its name.  In
 * the forum Markdown (public by nature) MAC addresses and BSSIDs are cut
 * to their vendor prefix (OUI) and public IP addresses are dropped, unless
 * --no-redact: that works on all text, so it catches addresses inside
 * evidence strings written by any check.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define KEY_REMOVED	"[key material removed]"
#define IP_REMOVED	"[public IP]"
#define HEX_RUN_MIN	32	/* a 128-bit key; device IDs are 24 */
#define B64_RUN_MIN	44	/* a 256-bit value in base64 */

/* A growing output string with a hard cap (4x the input plus slack). */
struct obuf {
	char	*s;
	size_t	 n, cap;
};

static void
out_mem(struct obuf *o, const char *p, size_t n)
{
	if (o->n + n >= o->cap)
		n = o->cap - o->n - 1;
	memcpy(o->s + o->n, p, n);
	o->n += n;
	o->s[o->n] = '\0';
}

static void
out_str(struct obuf *o, const char *p)
{
	out_mem(o, p, strlen(p));
}

static bool
is_hex(char c)
{
	return isxdigit((unsigned char)c) != 0;
}

static bool
is_b64(char c)
{
	return isalnum((unsigned char)c) || c == '+' || c == '/';
}

/*
 * A MAC address at p: six two-digit hex groups joined by ':' or '-'.  A
 * longer run of such groups ("mac:b0:be:...", where "ac" looks like a
 * group) is taken as a MAC in its last six groups, so that it is redacted
 * rather than let through.  Returns the run's length and its group count.
 */
static size_t
match_mac(const char *p, size_t *groups)
{
	char sep;
	size_t n = 0, g = 0;

	/* Check in reading order: a NUL stops us before we look past it. */
	if (!is_hex(p[0]) || !is_hex(p[1]))
		return 0;
	sep = p[2];
	if (sep != ':' && sep != '-')
		return 0;
	for (;;) {
		if (!is_hex(p[n]) || !is_hex(p[n + 1]) || is_hex(p[n + 2]))
			break;
		g++;
		n += 2;
		if (p[n] != sep || !is_hex(p[n + 1]))
			break;
		n++;
	}
	if (g < 6 || is_hex(p[n]))
		return 0;
	*groups = g;
	return n;
}

static bool
ipv4_keep(uint32_t a)
{
	static const struct {
		uint32_t net, mask;
	} keep[] = {
		{ 0x00000000, 0xff000000 },	/* 0/8 */
		{ 0x0a000000, 0xff000000 },	/* 10/8 */
		{ 0x64400000, 0xffc00000 },	/* 100.64/10 shared CGN */
		{ 0x7f000000, 0xff000000 },	/* 127/8 */
		{ 0xa9fe0000, 0xffff0000 },	/* 169.254/16 */
		{ 0xac100000, 0xfff00000 },	/* 172.16/12 */
		{ 0xc0000200, 0xffffff00 },	/* 192.0.2/24 TEST-NET-1 */
		{ 0xc0a80000, 0xffff0000 },	/* 192.168/16 */
		{ 0xc6120000, 0xfffe0000 },	/* 198.18/15 benchmarking */
		{ 0xc6336400, 0xffffff00 },	/* 198.51.100/24 TEST-NET-2 */
		{ 0xcb007100, 0xffffff00 },	/* 203.0.113/24 TEST-NET-3 */
		{ 0xe0000000, 0xe0000000 },	/* multicast, reserved */
		/* Well-known services name nobody: Google and Cloudflare
		 * DNS (the internet test) and the Core's cloud fallback. */
		{ 0x08080808, 0xffffffff },
		{ 0x08080404, 0xffffffff },
		{ 0x01010101, 0xffffffff },
		{ 0x01000001, 0xffffffff },
		{ 0x36d0e504, 0xffffffff },	/* 54.208.229.4 */
	};
	size_t i;

	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if ((a & keep[i].mask) == keep[i].net)
			return true;
	return false;
}

/* A dotted quad at p: its length, or 0.  *addr gets the address. */
static size_t
match_ipv4(const char *p, uint32_t *addr)
{
	const char *q = p;
	unsigned v;
	int part, digits;

	*addr = 0;
	for (part = 0; part < 4; part++) {
		v = 0;
		digits = 0;
		while (isdigit((unsigned char)*q) && digits < 4) {
			v = v * 10 + (unsigned)(*q++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255)
			return 0;
		*addr = *addr << 8 | v;
		if (part < 3) {
			if (*q != '.')
				return 0;
			q++;
		}
	}
	/* "1.2.3.4.5" or "1.2.3.45678" is something else. */
	if (isdigit((unsigned char)*q) || (*q == '.' &&
	    isdigit((unsigned char)q[1])))
		return 0;
	return (size_t)(q - p);
}

static bool
ipv6_keep(const uint8_t *a)
{
	static const uint8_t zero[16];

	if (memcmp(a, zero, 15) == 0 && (a[15] == 0 || a[15] == 1))
		return true;			/* :: and ::1 */
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return true;			/* fe80::/10 */
	if ((a[0] & 0xfe) == 0xfc)
		return true;			/* fc00::/7 ULA */
	if (a[0] == 0xff)
		return true;			/* multicast */
	if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8)
		return true;			/* 2001:db8::/32 */
	return false;
}

/* An IPv6 address at p (two colons at least): its length, or 0. */
static size_t
match_ipv6(const char *p, bool *keep)
{
	char buf[48];
	uint8_t a[16];
	size_t n = 0, colons = 0;

	while ((is_hex(p[n]) || p[n] == ':' || p[n] == '.') && n < 46) {
		if (p[n] == ':')
			colons++;
		n++;
	}
	while (n > 0 && (p[n - 1] == '.' || (p[n - 1] == ':' &&
	    !(n >= 2 && p[n - 2] == ':'))))
		n--;
	if (colons < 2 || n < 2)
		return 0;
	memcpy(buf, p, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET6, buf, a) != 1)
		return 0;
	*keep = ipv6_keep(a);
	return n;
}

/* A PEM block at p: its length through the closing dashes, or 0. */
static size_t
match_pem(const char *p)
{
	const char *end;

	if (strncmp(p, "-----BEGIN ", 11) != 0)
		return 0;
	if ((end = strstr(p + 11, "-----END ")) == NULL)
		return strlen(p);
	end += 9;
	while (*end != '\0' && *end != '-')
		end++;
	while (*end == '-')
		end++;
	return (size_t)(end - p);
}

/* A long run of hex or base64 (with letters and digits): its length, or 0. */
static size_t
match_secret(const char *p)
{
	size_t n = 0, hex = 0, slashes = 0;
	bool upper = false, lower = false, digit = false;

	while (is_hex(p[hex]))
		hex++;
	if (hex >= HEX_RUN_MIN)
		return hex;
	while (is_b64(p[n])) {
		if (isdigit((unsigned char)p[n]))
			digit = true;
		else if (isupper((unsigned char)p[n]))
			upper = true;
		else if (islower((unsigned char)p[n]))
			lower = true;
		else if (p[n] == '/')
			slashes++;
		n++;
	}
	while (p[n] == '=')
		n++;
	/* Mixed case and digits, and not a file path. */
	if (n >= B64_RUN_MIN && upper && lower && digit && slashes * 8 < n)
		return n;
	return 0;
}

/* The length of a well-formed UTF-8 sequence at p (RFC 3629), or 0. */
static size_t
utf8_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t n, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

bool
report_key_field(const char *name)
{
	static const char *const names[] = {
		"evidence", "detail", "note", "problem", "payload", "line",
		"raw", NULL
	};
	const char *const *n;

	for (n = names; name != NULL && *n != NULL; n++)
		if (strcmp(name, *n) == 0)
			return true;
	return false;
}

/* A URL starts at p ("http://", "https://"): its length up to a blank. */
static size_t
match_url(const char *p)
{
	size_t n;

	if (strncmp(p, "http://", 7) != 0 && strncmp(p, "https://", 8) != 0)
		return 0;
	for (n = 0; p[n] != '\0' && !isspace((unsigned char)p[n]); n++)
		;
	return n;
}

char *
report_redact(const char *text, unsigned flags)
{
	struct obuf o;
	const char *p = text;
	uint32_t v4;
	size_t n, groups;
	const char *url_end = NULL;
	bool keep, boundary = true;

	if (text == NULL)
		text = p = "";
	o.cap = strlen(text) * 4 + 64;
	o.n = 0;
	if ((o.s = malloc(o.cap)) == NULL)
		return NULL;
	o.s[0] = '\0';
	while (*p != '\0') {
		/* A MAC may follow a letter ("mac:..."), but not a digit. */
		if ((flags & REDACT_PRIVACY) && (p == text ||
		    !is_hex(p[-1])) && (n = match_mac(p, &groups)) > 0) {
			/* Keep the OUI of the last six groups. */
			out_mem(&o, p, (groups - 3) * 3 - 1);
			out_str(&o, p[2] == ':' ? ":xx:xx:xx" : "-xx-xx-xx");
			p += n;
			boundary = false;
			continue;
		}
		/* A URL's query may look like key material; it is not. */
		if (boundary && url_end == NULL && (n = match_url(p)) > 0)
			url_end = p + n;
		if (url_end != NULL && p >= url_end)
			url_end = NULL;
		/* Key material only where a word starts. */
		if (boundary && url_end == NULL && (flags & REDACT_SECRETS) &&
		    ((n = match_pem(p)) > 0 || (n = match_secret(p)) > 0)) {
			out_str(&o, KEY_REMOVED);
			p += n;
			boundary = false;
			continue;
		}
		/* An address may follow a letter or ':' ("ip:81.2.3.4"), but
		 * not a digit or '.', which would make it part of something
		 * longer. */
		if ((flags & REDACT_PRIVACY) && (p == text ||
		    (!isdigit((unsigned char)p[-1]) && p[-1] != '.')) &&
		    (n = match_ipv4(p, &v4)) > 0) {
			if (ipv4_keep(v4))
				out_mem(&o, p, n);
			else
				out_str(&o, IP_REMOVED);
			p += n;
			boundary = false;
			continue;
		}
		if ((flags & REDACT_PRIVACY) && (p == text || (!is_hex(p[-1]) &&
		    p[-1] != '.' && (p[-1] != ':' || p - 1 == text ||
		    !is_hex(p[-2])))) &&
		    (n = match_ipv6(p, &keep)) > 0) {
			if (keep)
				out_mem(&o, p, n);
			else
				out_str(&o, IP_REMOVED);
			p += n;
			boundary = false;
			continue;
		}
		boundary = !isalnum((unsigned char)*p) && *p != '.' &&
		    *p != ':' && *p != '-' && *p != '_';
		if ((unsigned char)*p < 0x80) {
			out_mem(&o, p, 1);
			p++;
		} else if ((n = utf8_len(p)) > 0) {
			out_mem(&o, p, n);
			p += n;
		} else {
			/* Bytes off the air (SSIDs) need not be UTF-8; JSON
			 * and Markdown must be. */
			out_str(&o, "\xef\xbf\xbd");
			p++;
		}
	}
	return o.s;
}
