/*
 * oui.c - the IEEE OUI registry from Debian's ieee-data, read lazily into a
 * compact sorted array of (24-bit prefix, offset into a name pool) so a
 * lookup is a bisection and the whole registry costs about 1 MB.  Both file
 * forms are accepted: oui.txt ("XXXXXX     (base 16)\t\tName") and oui.csv
 * ("MA-L,XXXXXX,Name,Address", names quoted when they hold commas).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hex.h"
#include "oui.h"

struct oui_entry {
	uint32_t	prefix;		/* 24 bits */
	uint32_t	name;		/* offset into oui_pool */
};

static struct oui_entry	*oui_tab;
static size_t		 oui_n, oui_cap;
static char		*oui_pool;
static size_t		 oui_pool_len, oui_pool_cap;
static int		 oui_tried;	/* a default load was attempted */

/* Registry names are at most a few hundred bytes; longer lines are cut. */
#define OUI_LINE_MAX	1024
/* The MA-L registry has ~35,000 entries; refuse absurd files. */
#define OUI_ENTRIES_MAX	200000

/* Six hex digits at s -> prefix; -1 when s does not start with them. */
static long
parse_prefix(const char *s)
{
	long v = 0;
	int i, h;

	for (i = 0; i < 6; i++) {
		if ((h = hex_digit((unsigned char)s[i])) < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

static int
oui_add(long prefix, const char *name, size_t len)
{
	void *p;

	while (len > 0 && isspace((unsigned char)name[len - 1]))
		len--;
	while (len > 0 && isspace((unsigned char)*name)) {
		name++;
		len--;
	}
	if (len == 0 || oui_n >= OUI_ENTRIES_MAX)
		return 0;
	if (oui_n == oui_cap) {
		oui_cap = oui_cap ? oui_cap * 2 : 4096;
		if ((p = realloc(oui_tab, oui_cap * sizeof(*oui_tab))) == NULL)
			return -1;
		oui_tab = p;
	}
	if (oui_pool_len + len + 1 > oui_pool_cap) {
		oui_pool_cap = oui_pool_cap ? oui_pool_cap * 2 : 1 << 18;
		while (oui_pool_len + len + 1 > oui_pool_cap)
			oui_pool_cap *= 2;
		if ((p = realloc(oui_pool, oui_pool_cap)) == NULL)
			return -1;
		oui_pool = p;
	}
	memcpy(oui_pool + oui_pool_len, name, len);
	oui_pool[oui_pool_len + len] = '\0';
	oui_tab[oui_n].prefix = (uint32_t)prefix;
	oui_tab[oui_n].name = (uint32_t)oui_pool_len;
	oui_n++;
	oui_pool_len += len + 1;
	return 0;
}

/* "002272     (base 16)\t\tAmerican Micro-Fuel Device Corp." */
static int
parse_txt_line(const char *line)
{
	const char *tag;
	long prefix;

	if ((prefix = parse_prefix(line)) < 0)
		return 0;
	if ((tag = strstr(line + 6, "(base 16)")) == NULL)
		return 0;
	return oui_add(prefix, tag + 9, strlen(tag + 9));
}

/* "MA-L,F4BD9E,\"Cisco Systems, Inc\",80 West Tasman ..." */
static int
parse_csv_line(const char *line)
{
	const char *s, *e;
	long prefix;

	if ((s = strchr(line, ',')) == NULL)
		return 0;
	s++;
	if ((prefix = parse_prefix(s)) < 0 || s[6] != ',')
		return 0;
	s += 7;
	if (*s == '"') {
		s++;
		/* A doubled quote inside a name is rare: kept as is. */
		if ((e = strchr(s, '"')) == NULL)
			e = s + strlen(s);
	} else if ((e = strchr(s, ',')) == NULL)
		e = s + strlen(s);
	return oui_add(prefix, s, (size_t)(e - s));
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct oui_entry *x = a, *y = b;

	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	/* Keep the first name the file gave for a prefix: offsets grow. */
	return x->name < y->name ? -1 : x->name > y->name;
}

void
oui_free(void)
{
	free(oui_tab);
	free(oui_pool);
	oui_tab = NULL;
	oui_pool = NULL;
	oui_n = oui_cap = oui_pool_len = oui_pool_cap = 0;
	oui_tried = 0;
}

int
oui_load(const char *path)
{
	char line[OUI_LINE_MAX];
	const char *env;
	FILE *f;
	size_t i, j;
	int csv = -1;

	oui_free();
	oui_tried = 1;
	if (path == NULL) {
		env = getenv("CYANPROBE_OUI");
		if (env != NULL && *env != '\0')
			path = env;
		else if ((f = fopen(OUI_DEFAULT_TXT, "r")) != NULL) {
			fclose(f);
			path = OUI_DEFAULT_TXT;
		} else
			path = OUI_DEFAULT_CSV;
	}
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		/* Swallow the rest of an over-long line. */
		if (strchr(line, '\n') == NULL && !feof(f)) {
			int ch;

			while ((ch = getc(f)) != EOF && ch != '\n')
				;
		}
		if (csv < 0) {
			if (strncmp(line, "Registry,", 9) == 0 ||
			    strncmp(line, "MA-", 3) == 0)
				csv = 1;
			else if (strstr(line, "(base 16)") != NULL ||
			    strstr(line, "(hex)") != NULL)
				csv = 0;
		}
		if ((csv == 1 ? parse_csv_line(line) :
		    parse_txt_line(line)) == -1) {
			fclose(f);
			oui_free();
			oui_tried = 1;
			return -1;
		}
	}
	if (ferror(f)) {
		fclose(f);
		oui_free();
		oui_tried = 1;
		return -1;
	}
	fclose(f);
	if (oui_n == 0)
		return 0;
	qsort(oui_tab, oui_n, sizeof(*oui_tab), entry_cmp);
	/* Drop duplicate prefixes so bisection finds one answer. */
	for (i = 1, j = 1; i < oui_n; i++)
		if (oui_tab[i].prefix != oui_tab[j - 1].prefix)
			oui_tab[j++] = oui_tab[i];
	oui_n = j;
	return (int)oui_n;
}

const char *
oui_vendor(const uint8_t mac[6])
{
	uint32_t key;
	size_t lo, hi, mid;

	/* Bit 1 of the first octet: the address was not assigned by IEEE. */
	if (mac[0] & 0x02)
		return OUI_LOCAL;
	if (!oui_tried)
		(void)oui_load(NULL);
	key = (uint32_t)mac[0] << 16 | (uint32_t)mac[1] << 8 | mac[2];
	lo = 0;
	hi = oui_n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (oui_tab[mid].prefix == key)
			return oui_pool + oui_tab[mid].name;
		if (oui_tab[mid].prefix < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int
oui_count(void)
{
	return (int)oui_n;
}
