/*
 * qa_cond.c - a QA cell's stored BSS conditions (qa_cond.h): the fields of
 * a report's bss[] object the Wi-Fi verdict rests on, as a struct
 * qajudge_bss and as the JSON text stored for it; and likewise the NAT
 * lifetimes of nat-lifetime's facts.  Names are the report's
 * vocabulary (wifi_bss.h), read back by asking each value its name.
 */
#include <stdlib.h>
#include <string.h>

#include "netreport.h"
#include "qa_cond.h"
#include "wifi_bss.h"

/* The enum value in [0, count) whose name is s; 0 (unknown) otherwise. */
static uint8_t
qa_cond_enum(const char *s, unsigned count, const char *(*name)(unsigned))
{
	unsigned i;

	for (i = 0; s != NULL && i < count; i++)
		if (strcmp(name(i), s) == 0)
			return (uint8_t)i;
	return 0;
}

static const char *
qa_cond_band_name(unsigned v)
{
	return wifi_band_name((enum wifi_band)v);
}

static const char *
qa_cond_sec_name(unsigned v)
{
	return wifi_security_name((enum wifi_security)v);
}

static const char *
qa_cond_pmf_name(unsigned v)
{
	return wifi_pmf_name((enum wifi_pmf)v);
}

/* A whole number in [0, max], else 0 (unknown). */
static unsigned
qa_cond_num(const cJSON *o, const char *key, unsigned max)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
	    v->valuedouble > max || v->valuedouble != (unsigned)v->valuedouble)
		return 0;
	return (unsigned)v->valuedouble;
}

static bool
qa_cond_flag(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static const char *
qa_cond_str(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/*
 * A country string's two letters or digits ("DE", "US", "00" for the
 * world) into out; anything else (null, escaped bytes, more or fewer
 * characters) leaves it "".
 */
static void
qa_cond_country(const char *s, char out[QAJUDGE_COUNTRY_LEN])
{
	size_t i;

	out[0] = '\0';
	if (s == NULL || strlen(s) != QAJUDGE_COUNTRY_LEN - 1)
		return;
	for (i = 0; i < QAJUDGE_COUNTRY_LEN - 1; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
			return;
	memcpy(out, s, QAJUDGE_COUNTRY_LEN);
}

bool
qa_cond_bss_read(const cJSON *o, struct qajudge_bss *out)
{
	const char *group;

	memset(out, 0, sizeof(*out));
	if (!cJSON_IsObject(o))
		return false;
	out->channel = (uint8_t)qa_cond_num(o, "channel", 255);
	out->freq_mhz = (uint16_t)qa_cond_num(o, "freq_mhz", 65535);
	out->width_mhz = (uint16_t)qa_cond_num(o, "width_mhz", 65535);
	out->band = qa_cond_enum(qa_cond_str(o, "band"),
	    WIFI_BAND_6G + 1, qa_cond_band_name);
	out->security = qa_cond_enum(qa_cond_str(o, "security"),
	    WIFI_SEC_WPA3_EAP + 1, qa_cond_sec_name);
	out->pmf = qa_cond_enum(qa_cond_str(o, "pmf"), WIFI_PMF_UNKNOWN + 1,
	    qa_cond_pmf_name);
	/* wifi_bss.c: a WEP group cipher beside WPA/WPA2 is "mixed". */
	group = qa_cond_str(o, "group");
	out->wep_group = qa_cond_flag(o, "wep_group") || (group != NULL &&
	    (strcmp(group, "WEP-40") == 0 || strcmp(group, "WEP-104") == 0));
	out->n_only = qa_cond_flag(o, "n_only");
	out->g_only = qa_cond_flag(o, "g_only");
	/* null: unknown (netreport.c); missing, as an older store: false. */
	out->n_only_unknown = cJSON_IsNull(
	    cJSON_GetObjectItemCaseSensitive(o, "n_only"));
	out->g_only_unknown = cJSON_IsNull(
	    cJSON_GetObjectItemCaseSensitive(o, "g_only"));
	out->elements_cut = qa_cond_flag(o, "elements_cut");
	out->hidden = qa_cond_flag(o, "hidden");
	out->hidden_unknown = cJSON_IsNull(
	    cJSON_GetObjectItemCaseSensitive(o, "hidden"));
	qa_cond_country(qa_cond_str(o, "country"), out->country);
	return true;
}

char *
qa_cond_bss_text(const struct qajudge_bss *b)
{
	cJSON *o = cJSON_CreateObject();
	char *txt;

	if (o == NULL)
		return NULL;
	if (b->band != WIFI_BAND_UNKNOWN)
		cJSON_AddStringToObject(o, "band",
		    wifi_band_name((enum wifi_band)b->band));
	if (b->channel != 0)
		cJSON_AddNumberToObject(o, "channel", b->channel);
	if (b->freq_mhz != 0)
		cJSON_AddNumberToObject(o, "freq_mhz", b->freq_mhz);
	if (b->width_mhz != 0)
		cJSON_AddNumberToObject(o, "width_mhz", b->width_mhz);
	cJSON_AddStringToObject(o, "security",
	    wifi_security_name((enum wifi_security)b->security));
	cJSON_AddStringToObject(o, "pmf", wifi_pmf_name((enum wifi_pmf)b->pmf));
	cJSON_AddBoolToObject(o, "wep_group", b->wep_group);
	netreport_add_tri(o, "n_only", b->n_only, b->n_only_unknown);
	netreport_add_tri(o, "g_only", b->g_only, b->g_only_unknown);
	cJSON_AddBoolToObject(o, "elements_cut", b->elements_cut);
	netreport_add_tri(o, "hidden", b->hidden, b->hidden_unknown);
	if (b->country[0] != '\0')
		cJSON_AddStringToObject(o, "country", b->country);
	txt = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return txt;
}

bool
qa_cond_bss_parse(const char *text, struct qajudge_bss *out)
{
	cJSON *o;
	bool ok;

	if (text == NULL || (o = cJSON_Parse(text)) == NULL) {
		memset(out, 0, sizeof(*out));
		return false;
	}
	ok = qa_cond_bss_read(o, out);
	cJSON_Delete(o);
	return ok;
}

static const char *const qa_cond_nat_keys[QAJUDGE_NAT_KINDS] = {
	"tcp5683", "tcp443", "udp"
};

/* Flows probed, alive or dead: stored as probed, reported as flows[]. */
static size_t
qa_cond_nat_probed(const cJSON *k)
{
	const cJSON *f, *st;
	size_t n = 0;

	if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(k, "probed")))
		return qa_cond_num(k, "probed", 10000);
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(k, "flows")) {
		st = cJSON_GetObjectItemCaseSensitive(f, "state");
		if (cJSON_IsString(st) && (strcmp(st->valuestring, "alive") ==
		    0 || strcmp(st->valuestring, "dead") == 0))
			n++;
	}
	return n;
}

/* A lifetime figure in seconds; 0 when missing or null (none). */
static double
qa_cond_secs(const cJSON *k, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(k, key);

	return cJSON_IsNumber(v) && v->valuedouble > 0 &&
	    v->valuedouble < 1e7 ? v->valuedouble : 0;
}

bool
qa_cond_nat_read(const cJSON *o, struct rqa_nat out[])
{
	const cJSON *k;
	bool any = false;
	size_t i;

	memset(out, 0, QAJUDGE_NAT_KINDS * sizeof(*out));
	for (i = 0; cJSON_IsObject(o) && i < QAJUDGE_NAT_KINDS; i++) {
		k = cJSON_GetObjectItemCaseSensitive(o, qa_cond_nat_keys[i]);
		if (!cJSON_IsObject(k))
			continue;
		any = true;
		out[i].nprobed = qa_cond_nat_probed(k);
		out[i].alive_s = qa_cond_secs(k, "alive_s");
		out[i].dead_s = qa_cond_secs(k, "dead_s");
		out[i].port_changed = qa_cond_flag(k, "port_changed");
		out[i].monotonic = out[i].dead_s == 0 ||
		    out[i].alive_s <= out[i].dead_s;
	}
	return any;
}

char *
qa_cond_nat_text(const struct rqa_nat n[])
{
	cJSON *o = cJSON_CreateObject(), *k;
	char *txt;
	size_t i;

	if (o == NULL)
		return NULL;
	for (i = 0; i < QAJUDGE_NAT_KINDS; i++) {
		/* Not probed: absent, as a report without the flow reads. */
		if (n[i].nprobed == 0)
			continue;
		if ((k = cJSON_AddObjectToObject(o, qa_cond_nat_keys[i])) ==
		    NULL)
			break;
		cJSON_AddNumberToObject(k, "probed", (double)n[i].nprobed);
		cJSON_AddNumberToObject(k, "alive_s", n[i].alive_s);
		if (n[i].dead_s > 0)
			cJSON_AddNumberToObject(k, "dead_s", n[i].dead_s);
		else
			cJSON_AddNullToObject(k, "dead_s");
		cJSON_AddBoolToObject(k, "port_changed", n[i].port_changed);
	}
	txt = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return txt;
}

bool
qa_cond_nat_parse(const char *text, struct rqa_nat out[])
{
	cJSON *o;
	bool ok;

	if (text == NULL || (o = cJSON_Parse(text)) == NULL) {
		memset(out, 0, QAJUDGE_NAT_KINDS * sizeof(*out));
		return false;
	}
	ok = qa_cond_nat_read(o, out);
	cJSON_Delete(o);
	return ok;
}
