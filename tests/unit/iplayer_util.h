/*
 * iplayer_util.h - shared by the IP-level decoder tests (test_dhcp.c,
 * test_dns.c, test_ip.c, ...): read a real capture packet by packet with
 * libpcap, run the link-layer and IP decoders on each, and read the
 * expected values out of a suricata-verify test.yaml, so the tests compare
 * against the upstream expectations instead of copies typed in here.
 *
 * The yaml reader knows only the shape suricata-verify uses: a list of
 * "- filter:" blocks, each with "key: value" lines, and an optional
 * top-level "pcap:" naming the capture.
 */
#ifndef IPLAYER_UTIL_H
#define IPLAYER_UTIL_H

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "ip.h"
#include "linklayer.h"

struct tpkt {
	int		 dlt;
	const uint8_t	*data;
	size_t		 caplen, len;
	unsigned	 n;		/* 1-based, like pcap_cnt */
};

/* Called per packet; return nonzero to stop. */
typedef int (*tpkt_fn)(const struct tpkt *, void *);

/* Read `path`; returns the packets handed to fn, or -1 if it won't open. */
static inline int
tpcap_each(const char *path, tpkt_fn fn, void *arg)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;
	struct tpkt t;
	int r, n = 0;

	if ((p = pcap_open_offline(path, err)) == NULL)
		return -1;
	t.dlt = pcap_datalink(p);
	while ((r = pcap_next_ex(p, &h, &d)) == 1) {
		t.data = d;
		t.caplen = h->caplen;
		t.len = h->len;
		t.n = (unsigned)++n;
		if (fn(&t, arg) != 0)
			break;
	}
	pcap_close(p);
	return n;
}

/* One packet through the link layer and IP decoders. */
struct tdec {
	bool			 ll_ok, ip_ok;
	struct linklayer_frame	 ll;
	struct ip_packet	 ip;
};

static inline void
tdecode(const struct tpkt *t, struct tdec *d)
{
	memset(d, 0, sizeof(*d));
	d->ll_ok = linklayer_decode(t->dlt, t->data, t->caplen, &d->ll) == 0;
	if (d->ll_ok)
		d->ip_ok = ip_decode(d->ll.ethertype, d->ll.payload, d->ll.len,
		    &d->ip) == 0;
}

/* Fetch packet number n of a capture (copied into buf); false if none. */
struct tnth {
	unsigned	 want;
	bool		 found;
	int		 dlt;
	uint8_t		 buf[65536];
	size_t		 caplen;
};

static inline int
tnth_cb(const struct tpkt *t, void *arg)
{
	struct tnth *w = arg;

	if (t->n != w->want)
		return 0;
	w->found = true;
	w->dlt = t->dlt;
	w->caplen = t->caplen < sizeof(w->buf) ? t->caplen : sizeof(w->buf);
	memcpy(w->buf, t->data, w->caplen);
	return 1;
}

/* --- suricata-verify test.yaml --------------------------------------- */

#define TY_KV_MAX	80
#define TY_FILTERS_MAX	16

struct tfilter {
	int	 n;
	char	 key[TY_KV_MAX][96];
	char	 val[TY_KV_MAX][192];
};

struct tyaml {
	char		 pcap[512];	/* top-level pcap:, "" if none */
	int		 n;
	struct tfilter	 f[TY_FILTERS_MAX];
};

/* Unquote a yaml scalar in place; \uXXXX (< 0x100) becomes one byte. */
static inline size_t
tyaml_unquote(char *v)
{
	size_t n = strlen(v), i, o = 0;
	char q;

	if (n < 2 || (v[0] != '"' && v[0] != '\'') || v[n - 1] != v[0])
		return n;
	q = v[0];
	for (i = 1; i + 1 < n; i++) {
		if (q == '"' && v[i] == '\\' && v[i + 1] == 'u' && i + 5 < n) {
			char hex[5] = { v[i + 2], v[i + 3], v[i + 4], v[i + 5],
			    0 };

			v[o++] = (char)strtoul(hex, NULL, 16);
			i += 5;
		} else
			v[o++] = v[i];
	}
	v[o] = '\0';
	return o;
}

static inline int
tyaml_load(const char *path, struct tyaml *y)
{
	FILE *f = fopen(path, "r");
	char line[512];

	memset(y, 0, sizeof(*y));
	if (f == NULL)
		return -1;
	y->n = -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *s = line, *colon, *v;
		size_t l = strlen(s);

		while (l > 0 && (s[l - 1] == '\n' || s[l - 1] == '\r'))
			s[--l] = '\0';
		if (strncmp(s, "pcap:", 5) == 0) {
			for (v = s + 5; *v == ' '; v++)
				;
			snprintf(y->pcap, sizeof(y->pcap), "%.500s", v);
			continue;
		}
		while (*s == ' ')
			s++;
		if (*s == '#')
			continue;
		if (strncmp(s, "- filter:", 9) == 0) {
			if (y->n + 1 >= TY_FILTERS_MAX)
				break;
			y->n++;
			continue;
		}
		if (y->n < 0 || (colon = strstr(s, ": ")) == NULL)
			continue;
		*colon = '\0';
		v = colon + 2;
		if (y->f[y->n].n < TY_KV_MAX) {
			struct tfilter *ft = &y->f[y->n];

			snprintf(ft->key[ft->n], sizeof(ft->key[0]), "%.95s", s);
			snprintf(ft->val[ft->n], sizeof(ft->val[0]), "%.191s", v);
			tyaml_unquote(ft->val[ft->n]);
			ft->n++;
		}
	}
	fclose(f);
	y->n++;
	return 0;
}

static inline const char *
tfilter_get(const struct tfilter *f, const char *key)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->key[i], key) == 0)
			return f->val[i];
	return NULL;
}

/* Keys every event has: addresses, ports and protocol of the packet. */
static inline bool
tip_field(const struct tdec *d, const char *key, char *out, size_t size)
{
	if (!d->ip_ok)
		return false;
	if (strcmp(key, "src_ip") == 0)
		ip_addr_str(&d->ip.src, out, size);
	else if (strcmp(key, "dest_ip") == 0)
		ip_addr_str(&d->ip.dst, out, size);
	else if (strcmp(key, "src_port") == 0 && (d->ip.has_udp || d->ip.has_tcp))
		snprintf(out, size, "%u", d->ip.has_udp ? d->ip.udp.sport :
		    d->ip.tcp.sport);
	else if (strcmp(key, "dest_port") == 0 && (d->ip.has_udp || d->ip.has_tcp))
		snprintf(out, size, "%u", d->ip.has_udp ? d->ip.udp.dport :
		    d->ip.tcp.dport);
	else if (strcmp(key, "proto") == 0)
		snprintf(out, size, "%s", d->ip.proto == IP_PROTO_UDP ? "UDP" :
		    d->ip.proto == IP_PROTO_TCP ? "TCP" : "?");
	else
		return false;
	return true;
}

static inline void
tfmt_ip4(const uint8_t a[4], char *out, size_t size)
{
	snprintf(out, size, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

static inline void
tfmt_mac(const uint8_t m[6], char *out, size_t size)
{
	snprintf(out, size, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
	    m[3], m[4], m[5]);
}

/* Parse "name[3].rest": sets *idx and returns a pointer to ".rest". */
static inline const char *
tkey_index(const char *key, const char *prefix, int *idx)
{
	size_t n = strlen(prefix);
	char *end;

	if (strncmp(key, prefix, n) != 0 || key[n] != '[')
		return NULL;
	*idx = (int)strtol(key + n + 1, &end, 10);
	if (*end != ']')
		return NULL;
	return end + 1;
}

#endif /* IPLAYER_UTIL_H */
