/*
 * judge.c - the device-versus-network verdicts of `cyanprobe analyze`.
 * Each BSS is checked against the profile's radio and security limits and
 * firmware defects (particle-cloud.md 3.3; the data is the device profiles
 * in rules/devices); a network can be joined when at least one of its
 * BSSes has no blocking issue.  Capture-wide facts (DHCP, DNS, HTTP,
 * TCP 5683) become findings of their own stages.  Evidence strings are
 * for people and name the network and the numbers behind the finding.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dhcp.h"
#include "dns.h"
#include "ieee80211.h"
#include "judge.h"
#include "mac.h"

_Static_assert(JUDGE_IDS_WORDS * 64 >= FINDING_COUNT,
    "judge_ids has a bit for every finding id");

/* Room for one finding's story in a network's verdict. */
#define JUDGE_WHY_MAX	FINDING_EVIDENCE_MAX

/* Issues a BSS can have, and whether each keeps the device off it. */
struct bss_issue {
	enum finding_id	id;
	bool		blocks;
	char		why[300];
};

#define BSS_ISSUES_MAX	12

struct bss_check {
	struct bss_issue item[BSS_ISSUES_MAX];
	size_t		 n;
	/*
	 * Nothing blocks, but these ids would were what the AP's frames left
	 * unknown the value that stops the device (check_undecided).
	 */
	judge_ids	 maybe;
};

static void
issue(struct bss_check *c, enum finding_id id, bool blocks, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static void
issue(struct bss_check *c, enum finding_id id, bool blocks, const char *fmt,
    ...)
{
	va_list ap;

	if (c->n >= BSS_ISSUES_MAX)
		return;
	c->item[c->n].id = id;
	c->item[c->n].blocks = blocks;
	va_start(ap, fmt);
	vsnprintf(c->item[c->n].why, sizeof(c->item[c->n].why), fmt, ap);
	va_end(ap);
	c->n++;
}

/* SSID bytes as printable text: \xNN for anything else, quotes escaped. */
static const char *
ssid_text(const uint8_t *s, size_t len, char *buf, size_t size)
{
	size_t i, o = 0;

	if (len == 0) {
		snprintf(buf, size, "(hidden)");
		return buf;
	}
	for (i = 0; i < len && o + 5 < size; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' &&
		    s[i] != '\\')
			buf[o++] = (char)s[i];
		else
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x",
			    s[i]);
	}
	buf[o] = '\0';
	return buf;
}

static const char *
fw_text(const struct fw_version *v, char *buf, size_t size)
{
	if (v->prerelease)
		snprintf(buf, size, "%u.%u.%u-rc.%u", v->major, v->minor,
		    v->patch, v->rc);
	else
		snprintf(buf, size, "%u.%u.%u", v->major, v->minor, v->patch);
	return buf;
}

/* The profile's security class for a BSS's vocabulary, or -1 for none. */
static int
sec_class_of(enum wifi_security s)
{
	switch (s) {
	case WIFI_SEC_OPEN:
		return SEC_OPEN;
	case WIFI_SEC_WEP:
		return SEC_WEP;
	case WIFI_SEC_WPA_PSK:
		return SEC_WPA;
	case WIFI_SEC_WPA2_PSK:
	case WIFI_SEC_WPA_WPA2_PSK:
	case WIFI_SEC_WPA3_TRANSITION:	/* a WPA2 client uses the PSK side */
		return SEC_WPA2;
	case WIFI_SEC_WPA3_SAE:
		return SEC_WPA3;
	case WIFI_SEC_WPA_EAP:
		return SEC_WPA_ENTERPRISE;
	case WIFI_SEC_WPA2_EAP:
		return SEC_WPA2_ENTERPRISE;
	case WIFI_SEC_WPA3_EAP:
		return SEC_WPA3_ENTERPRISE;
	default:
		return -1;
	}
}

static void
check_security(const struct wifi_bss *w, const struct judge_opts *o,
    struct bss_check *c)
{
	const struct profile *p = o->profile;
	const struct profile_defect *d;
	const char *name = wifi_security_name(w->security);
	char fw[32];
	int cls = sec_class_of(w->security);
	bool ok;

	fw_text(&o->fw, fw, sizeof(fw));
	if (w->security == WIFI_SEC_UNKNOWN)
		return;
	if (w->security == WIFI_SEC_OWE) {
		issue(c, FINDING_WIFI_SECURITY_UNSUPPORTED, true,
		    "security owe (Enhanced Open) is not supported by the %s",
		    p->title);
		return;
	}
	if (w->security == WIFI_SEC_WPA_WPA2_PSK)
		ok = profile_security_supported(p, SEC_WPA2, &o->fw) ||
		    profile_security_supported(p, SEC_WPA, &o->fw);
	else
		ok = cls >= 0 &&
		    profile_security_supported(p, (enum sec_class)cls, &o->fw);
	if (!ok) {
		issue(c, FINDING_WIFI_SECURITY_UNSUPPORTED, true,
		    "security %s is not supported by the %s on firmware %s",
		    name, p->title, fw);
		/* The enterprise rule carries the setup advice. */
		if (cls == SEC_WPA_ENTERPRISE || cls == SEC_WPA2_ENTERPRISE ||
		    cls == SEC_WPA3_ENTERPRISE)
			issue(c, FINDING_WIFI_ENTERPRISE, true,
			    "%s (802.1X) on the %s, firmware %s", name,
			    p->title, fw);
		return;
	}
	/* WEP group cipher next to WPA/WPA2: device-os #435. */
	if (w->wep_group && profile_defect(p, "wpa2_wep_mixed", &o->fw)) {
		d = profile_defect_info(p, "wpa2_wep_mixed");
		issue(c, FINDING_WIFI_SECURITY_UNSUPPORTED, true,
		    "WEP group cipher mixed with %s: %s (%s)", name,
		    d->summary, d->source);
		return;
	}
	if (w->pmf == WIFI_PMF_REQUIRED)
		issue(c, FINDING_WIFI_PMF_REQUIRED, true,
		    "management frame protection is required (RSN MFPR); "
		    "the %s cannot do 802.11w", p->title);
	if (cls == SEC_WEP) {
		d = profile_defect(p, "wep_over_usb", &o->fw) ?
		    profile_defect_info(p, "wep_over_usb") : NULL;
		issue(c, FINDING_WIFI_WEP, false, "WEP%s%s",
		    d ? ": " : " is obsolete and easily broken",
		    d ? d->summary : "");
	}
}

bool
judge_n_only_fails(const struct profile *p, const struct fw_version *fw)
{
	return !profile_phy_supported(p, PHY_N) ||
	    profile_defect(p, "n_only_broken", fw);
}

/*
 * What the AP's frames decided, as check_bss() judges it: everything but
 * what they left unknown (check_undecided).
 */
static void
check_known(const struct wifi_bss *w, const struct judge_opts *o,
    struct bss_check *c)
{
	const struct profile *p = o->profile;
	const struct profile_defect *d;
	char fw[32];
	unsigned max;

	c->n = 0;
	memset(&c->maybe, 0, sizeof(c->maybe));
	fw_text(&o->fw, fw, sizeof(fw));
	if (w->band == WIFI_BAND_5G &&
	    !profile_band_supported(p, BAND_5G))
		issue(c, FINDING_WIFI_BAND_UNSUPPORTED, true,
		    "5 GHz (channel %u, %u MHz): the %s has a 2.4 GHz radio "
		    "only", w->channel, w->freq_mhz, p->title);
	else if (w->band == WIFI_BAND_6G &&
	    !profile_band_supported(p, BAND_6G))
		issue(c, FINDING_WIFI_BAND_UNSUPPORTED, true,
		    "6 GHz (channel %u, %u MHz): not supported by the %s",
		    w->channel, w->freq_mhz, p->title);
	else if (w->band == WIFI_BAND_2G4 && w->channel != 0 &&
	    !profile_channel_allowed(p, w->channel, NULL)) {
		max = profile_max_channel(p, NULL);
		issue(c, FINDING_WIFI_CHANNEL_ABOVE_MAX, true,
		    "channel %u (%u MHz) is above channel %u, the highest "
		    "the %s scans", w->channel, w->freq_mhz, max,
		    p->title);
	}
	if (w->n_only && judge_n_only_fails(p, &o->fw)) {
		if (!profile_phy_supported(p, PHY_N))
			issue(c, FINDING_WIFI_N_ONLY, true,
			    "802.11n-only (HT required in the basic rates): "
			    "the %s speaks 802.11b/g only", p->title);
		else {
			d = profile_defect_info(p, "n_only_broken");
			issue(c, FINDING_WIFI_N_ONLY, true,
			    "802.11n-only on firmware %s: %s (%s)", fw,
			    d->summary, d->source);
		}
	}
	if (w->g_only)
		issue(c, FINDING_WIFI_G_ONLY, !profile_phy_supported(p, PHY_G),
		    "no 802.11b basic rates (802.11g/n only)");
	if (w->width_mhz > 20 && !profile_width_supported(p, w->width_mhz))
		issue(c, FINDING_WIFI_WIDTH_UNSUPPORTED, false,
		    "%u MHz wide channel on %s%s (channel %u): the %s uses "
		    "20 MHz only and relies on the AP's 20 MHz fallback",
		    w->width_mhz, w->band == WIFI_BAND_UNKNOWN ?
		    "an unknown band" : wifi_band_name(w->band),
		    w->band == WIFI_BAND_UNKNOWN ? "" : " GHz",
		    w->channel, p->title);
	check_security(w, o, c);
	if (w->hidden) {
		d = profile_defect(p, "hidden_ssid_needs_cipher", &o->fw) ?
		    profile_defect_info(p, "hidden_ssid_needs_cipher") : NULL;
		issue(c, FINDING_WIFI_HIDDEN_SSID, false,
		    "the SSID is hidden (%s)%s%s",
		    w->ssid_form == IE_SSID_EMPTY ? "empty SSID element" :
		    "SSID bytes zeroed", d ? ": " : "", d ? d->summary : "");
	}
}

/* The ids of c that keep the device off the BSS. */
static judge_ids
check_blocks(const struct bss_check *c)
{
	judge_ids s = { { 0 } };
	size_t k;

	for (k = 0; k < c->n; k++)
		if (c->item[k].blocks)
			judge_ids_add(&s, c->item[k].id);
	return s;
}

/* What an unknown security may be: every value of the vocabulary. */
static const enum wifi_security sec_maybe[] = {
	WIFI_SEC_WEP, WIFI_SEC_WPA_PSK, WIFI_SEC_WPA2_PSK,
	WIFI_SEC_WPA_WPA2_PSK, WIFI_SEC_WPA3_TRANSITION, WIFI_SEC_WPA3_SAE,
	WIFI_SEC_WPA_EAP, WIFI_SEC_WPA2_EAP, WIFI_SEC_WPA3_EAP, WIFI_SEC_OWE
};

/*
 * The ids that would keep the device off w were each unknown the value
 * that stops it: n-only and g-only true, security any value of the
 * vocabulary (an unknown one has RSN, WPA or the privacy bit, so never
 * open), PMF required.  Empty when nothing unknown could stop it: then
 * the unknown does not change this device's verdict.
 */
static judge_ids
check_worst(const struct wifi_bss *w, const struct judge_opts *o)
{
	struct wifi_bss x = *w;
	struct bss_check c;
	judge_ids maybe = { { 0 } };
	size_t i;

	x.n_only |= w->n_only_unknown;
	x.g_only |= w->g_only_unknown;
	x.hidden |= w->hidden_unknown;
	check_known(&x, o, &c);
	maybe = check_blocks(&c);
	if (w->pmf == WIFI_PMF_UNKNOWN) {
		x.pmf = WIFI_PMF_REQUIRED;
		if (x.security == WIFI_SEC_UNKNOWN)
			x.security = WIFI_SEC_WPA2_PSK;
		check_known(&x, o, &c);
		maybe = judge_ids_or(maybe, check_blocks(&c));
		x.pmf = WIFI_PMF_NONE;
	}
	if (w->security == WIFI_SEC_UNKNOWN)
		for (i = 0; i < sizeof(sec_maybe) / sizeof(sec_maybe[0]);
		    i++) {
			x.security = sec_maybe[i];
			check_known(&x, o, &c);
			maybe = judge_ids_or(maybe, check_blocks(&c));
		}
	return maybe;
}

/* "a, b and c" of the first n names into buf. */
static void
join_words(char *buf, size_t size, const char *const *word, size_t n)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used < size; i++) {
		int k = snprintf(buf + used, size - used, "%s%s",
		    i == 0 ? "" : i + 1 == n ? " and " : ", ", word[i]);

		if (k < 0)
			break;
		used += (size_t)k;
	}
}

/*
 * What the AP's elements could not decide is said, not passed: n-only and
 * g-only rest on rates that a cut element list or more than 32 rates kept
 * from view; security, PMF and channel width on elements a cut list may
 * have held or that were cut themselves.  Never blocking: there is no
 * evidence either way.  But where the unknown could keep this device off
 * the BSS (check_worst), the BSS is no evidence that it joins either:
 * c->maybe says which ids, and the evidence says so.
 */
static void
check_undecided(const struct wifi_bss *w, const struct judge_opts *o,
    struct bss_check *c)
{
	const char *part[6], *blk[FINDING_COUNT] = { NULL };
	enum finding_id ids[FINDING_COUNT];
	char what[160], fw[32], stop[512], names[120];
	size_t n = 0, nb, i;

	if (w->n_only_unknown)
		part[n++] = "802.11n-only";
	if (w->g_only_unknown)
		part[n++] = "g-only";
	if (w->security == WIFI_SEC_UNKNOWN &&
	    (w->elements_cut || w->has_rsn || w->has_wpa))
		part[n++] = "security";
	else if (w->pmf == WIFI_PMF_UNKNOWN)
		part[n++] = "PMF";
	if (w->elements_cut && w->width_mhz == 0)
		part[n++] = "channel width";
	if (w->hidden_unknown)
		part[n++] = "hidden SSID or mesh";
	if (n == 0)
		return;
	join_words(what, sizeof(what), part, n);
	stop[0] = '\0';
	if (judge_ids_empty(check_blocks(c))) {
		c->maybe = check_worst(w, o);
		nb = judge_ids_list(c->maybe, ids, FINDING_COUNT);
		for (i = 0; i < nb && i < FINDING_COUNT; i++)
			blk[i] = finding_name(ids[i]);
		join_words(names, sizeof(names), blk, nb);
		if (nb > 0)
			snprintf(stop, sizeof(stop), "; if they are the worst, "
			    "the %s on %s cannot join (%s): unknown whether it "
			    "can", o->profile->name,
			    fw_text(&o->fw, fw, sizeof(fw)), names);
	}
	/* The reason first: the evidence has room for a short list only. */
	if (w->elements_cut)
		issue(c, FINDING_WIFI_IE_TRUNCATED, false, "every beacon of it "
		    "was cut short, so these are unknown: %s%s", what, stop);
	else if (w->rates_dropped > 0 && (w->n_only_unknown ||
	    w->g_only_unknown))
		issue(c, FINDING_WIFI_IE_TRUNCATED, false, "more than 32 "
		    "rates, %u not kept, so these are unknown: %s%s",
		    w->rates_dropped, what, stop);
	else
		issue(c, FINDING_WIFI_IE_TRUNCATED, false, "its RSN or WPA "
		    "element was cut short or names no key management known "
		    "here, so these are unknown: %s%s", what, stop);
}

static void
check_bss(const struct wifi_bss *w, const struct judge_opts *o,
    struct bss_check *c)
{
	check_known(w, o, c);
	check_undecided(w, o, c);
}

/*
 * The ids check_bss() gives: what a BSS's radio and security decide.
 * wifi.ie_truncated (check_undecided) is left out on purpose: it is the
 * same for every device and firmware, it also comes from capture counts
 * (cmd_analyze.c), and a store older than the unknown flags does not keep
 * what was unknown, so the QA judge keeps it as seen rather than decide it
 * away (a stored BSS that keeps them adds it again).
 */
static const enum finding_id judge_bss_id_list[] = {
	FINDING_WIFI_BAND_UNSUPPORTED, FINDING_WIFI_CHANNEL_ABOVE_MAX,
	FINDING_WIFI_N_ONLY, FINDING_WIFI_G_ONLY,
	FINDING_WIFI_WIDTH_UNSUPPORTED, FINDING_WIFI_SECURITY_UNSUPPORTED,
	FINDING_WIFI_ENTERPRISE, FINDING_WIFI_PMF_REQUIRED, FINDING_WIFI_WEP,
	FINDING_WIFI_HIDDEN_SSID
};

judge_ids
judge_bss_ids(void)
{
	judge_ids s = { { 0 } };
	size_t i;

	for (i = 0; i < sizeof(judge_bss_id_list) /
	    sizeof(judge_bss_id_list[0]); i++)
		judge_ids_add(&s, judge_bss_id_list[i]);
	return s;
}

void
judge_bss_check(const struct wifi_bss *w, const struct profile *p,
    const struct fw_version *fw, judge_ids *issues, judge_ids *blocks)
{
	struct judge_opts o;
	struct bss_check c;
	size_t k;

	memset(&o, 0, sizeof(o));
	o.profile = p;
	o.fw = *fw;
	check_bss(w, &o, &c);
	memset(issues, 0, sizeof(*issues));
	memset(blocks, 0, sizeof(*blocks));
	for (k = 0; k < c.n; k++) {
		judge_ids_add(issues, c.item[k].id);
		if (c.item[k].blocks)
			judge_ids_add(blocks, c.item[k].id);
	}
}

void
judge_fold_maybe(struct judge_fold *f, judge_ids issues, judge_ids maybe)
{
	f->all = judge_ids_or(f->all, issues);
	f->undecided++;
	f->maybe = judge_ids_or(f->maybe, maybe);
	f->soft_maybe = judge_ids_or(f->soft_maybe, issues);
}

bool
judge_fold_add(struct judge_fold *f, judge_ids issues, judge_ids blocks)
{
	f->all = judge_ids_or(f->all, issues);
	if (judge_ids_empty(blocks)) {
		f->joinable++;
		f->soft_ok = judge_ids_or(f->soft_ok, issues);
		return true;
	}
	f->blocking_all = f->nblocked++ == 0 ? blocks :
	    judge_ids_and(f->blocking_all, blocks);
	f->blocking_any = judge_ids_or(f->blocking_any, blocks);
	return false;
}

void
judge_fold_end(const struct judge_fold *f, struct judge_net *jn)
{
	memset(&jn->blocking, 0, sizeof(jn->blocking));
	memset(&jn->undecided, 0, sizeof(jn->undecided));
	if (f->joinable > 0) {
		jn->join = JUDGE_JOIN_YES;
	} else if (f->undecided > 0) {
		/*
		 * No BSS is known to let the device on, and one may: what
		 * blocks the others is not the network's verdict, and what
		 * the unknown BSSes would block on is said.
		 */
		jn->join = JUDGE_JOIN_UNKNOWN;
		jn->undecided = f->maybe;
		jn->warnings = f->soft_maybe;
		return;
	} else {
		jn->join = JUDGE_JOIN_NO;
		/* Ids every BSS fails on; else whatever blocks any. */
		jn->blocking = f->nblocked > 0 &&
		    !judge_ids_empty(f->blocking_all) ? f->blocking_all :
		    f->blocking_any;
	}
	/*
	 * A joinable network warns only about the BSSes the device can use:
	 * a 5 GHz sibling is band steering's business, not an error.
	 */
	jn->warnings = f->joinable > 0 ? f->soft_ok :
	    judge_ids_minus(f->all, jn->blocking);
}

/* ---- joins: each station's outcome (wifi_join.h) ------------------ */

#define JOIN_WHY_MAX	200

/*
 * What a refusal's status code says, in a few words, and which finding
 * carries it (IEEE Std 802.11-2020 Table 9-50; hostapd's uses in
 * src/ap/ieee802_11.c and wpa_auth.c).  None of them means a wrong
 * password: that is read from the 4-way handshake (wifi_join.c).
 */
struct join_cause {
	uint16_t	 status;
	enum finding_id	 id;
	const char	*cause;
};

static const struct join_cause join_causes[] = {
	{ 10, FINDING_WIFI_CAPABILITIES_REFUSED,
	    "it asked for capabilities the AP cannot support" },
	{ 11, FINDING_WIFI_AUTH_REJECTED,
	    "a reassociation the AP has no association for" },
	{ 12, FINDING_WIFI_AUTH_REJECTED,
	    "a reason outside the standard, as MAC filters and access lists "
	    "give" },
	{ 13, FINDING_WIFI_AUTH_REJECTED,
	    "the AP does not do that authentication algorithm" },
	{ 14, FINDING_WIFI_AUTH_REJECTED, "authentication out of sequence" },
	{ 16, FINDING_WIFI_AUTH_REJECTED,
	    "the AP timed out waiting for the next frame" },
	{ 17, FINDING_WIFI_AP_FULL, "the AP is full: no more stations" },
	{ 18, FINDING_WIFI_RATES_REFUSED,
	    "it lacks a basic rate the AP requires (an 802.11n-only AP "
	    "refuses 802.11b/g stations so)" },
	{ 19, FINDING_WIFI_CAPABILITIES_REFUSED,
	    "the AP requires short preamble" },
	{ 22, FINDING_WIFI_CAPABILITIES_REFUSED,
	    "the AP requires spectrum management" },
	{ 23, FINDING_WIFI_CAPABILITIES_REFUSED,
	    "its power capability is unacceptable" },
	{ 24, FINDING_WIFI_CAPABILITIES_REFUSED,
	    "its supported channels are unacceptable" },
	{ 25, FINDING_WIFI_CAPABILITIES_REFUSED,
	    "the AP requires short slot time" },
	{ 27, FINDING_WIFI_RATES_REFUSED,
	    "the AP requires 802.11n (HT): an n-only AP" },
	{ 30, FINDING_WIFI_PMF_REFUSED,
	    "try later: the AP still holds a protected (802.11w) "
	    "association for it" },
	{ 31, FINDING_WIFI_PMF_REFUSED,
	    "robust management frame policy violation: the AP requires "
	    "protected management frames (802.11w)" },
	{ 33, FINDING_WIFI_AP_FULL,
	    "no bandwidth left for another QoS station" },
	{ 40, FINDING_WIFI_RSN_REFUSED, "its RSN element is invalid" },
	{ 41, FINDING_WIFI_RSN_REFUSED, "group cipher refused" },
	{ 42, FINDING_WIFI_RSN_REFUSED, "pairwise cipher refused" },
	{ 43, FINDING_WIFI_RSN_REFUSED, "key management (AKM) refused" },
	{ 44, FINDING_WIFI_RSN_REFUSED, "RSN version unsupported" },
	{ 45, FINDING_WIFI_RSN_REFUSED, "RSN capabilities refused" },
	{ 46, FINDING_WIFI_RSN_REFUSED, "cipher suite refused by policy" },
	{ 51, FINDING_WIFI_CAPABILITIES_REFUSED, "listen interval too long" },
	{ 53, FINDING_WIFI_RSN_REFUSED, "invalid PMKID" },
	{ 72, FINDING_WIFI_RSN_REFUSED, "invalid RSN element contents" },
	{ 77, FINDING_WIFI_SAE_REFUSED,
	    "the SAE (WPA3) group it offered is not supported" },
	{ 93, FINDING_WIFI_AP_FULL, "the AP is out of memory" },
	{ 104, FINDING_WIFI_RATES_REFUSED,
	    "the AP requires 802.11ac (VHT)" },
	{ 123, FINDING_WIFI_SAE_REFUSED,
	    "unknown SAE password identifier" },
	{ 124, FINDING_WIFI_RATES_REFUSED,
	    "the AP requires 802.11ax (HE)" },
};

/*
 * Status 1 and 15 depend on the method: in SAE (WPA3) the AP answers a
 * confirm that does not verify with 15 (challenge failure; 1 in hostapd
 * before 2.10), which is the SAE exchange failing, typically on another
 * password; with Shared Key it is the WEP challenge.  A status the table
 * does not name stays a plain refusal, with the standard's name.
 */
static enum finding_id
join_status_cause(uint16_t status, uint16_t alg, const char **cause)
{
	size_t i;

	if (alg == WLAN_AUTH_SAE && (status == 1 || status == 13 ||
	    status == 15)) {
		*cause = status == 13 ? "the AP does not do SAE (WPA3)" :
		    "the SAE (WPA3) exchange did not verify, as when the "
		    "password differs";
		return FINDING_WIFI_SAE_REFUSED;
	}
	if (alg == WLAN_AUTH_SHARED_KEY && status == 15) {
		*cause = "the WEP shared-key challenge failed, as when the "
		    "WEP key differs";
		return FINDING_WIFI_AUTH_REJECTED;
	}
	for (i = 0; i < sizeof(join_causes) / sizeof(join_causes[0]); i++)
		if (join_causes[i].status == status) {
			*cause = join_causes[i].cause;
			return join_causes[i].id;
		}
	*cause = ieee80211_status_name(status);
	return FINDING_WIFI_AUTH_REJECTED;
}

/* Reasons that name the cause of a kick. */
static enum finding_id
join_reason_cause(uint16_t reason)
{
	switch (reason) {
	case 4:		/* disassociated due to inactivity */
		return FINDING_WIFI_INACTIVITY_DISCONNECT;
	case 5:		/* the AP cannot handle all its stations */
		return FINDING_WIFI_AP_FULL;
	case 13: case 17: case 18: case 19: case 20: case 21: case 22:
	case 24:	/* invalid element, RSN mismatch, cipher policy */
		return FINDING_WIFI_RSN_REFUSED;
	default:
		return FINDING_WIFI_DEAUTH;
	}
}

/* The finding a failed station's outcome gives, and why, for people. */
static enum finding_id
join_cause(const struct wifi_join_station *st, char *why, size_t size)
{
	char mac[18];
	const char *cause;
	enum finding_id id;

	mac_format(st->sta, mac);
	switch (st->state) {
	case WIFI_JOIN_AUTH_REFUSED:
	case WIFI_JOIN_ASSOC_REFUSED:
		id = join_status_cause(st->code, st->last_refusal_alg, &cause);
		snprintf(why, size, "station %s: %s refused, status %u: %s",
		    mac, st->state == WIFI_JOIN_AUTH_REFUSED ?
		    "authentication" : "association", st->code, cause);
		return id;
	case WIFI_JOIN_WRONG_PASSWORD:
		if (st->pw_reason == 23)
			snprintf(why, size, "station %s: deauthenticated, "
			    "reason 23 (IEEE 802.1X authentication failed): "
			    "the server refused its credentials", mac);
		else if (st->pw_reason != 0)
			snprintf(why, size, "station %s: deauthenticated, "
			    "reason %u (%s), after 4-way message 2 (%u sent) "
			    "and before message 3", mac, st->pw_reason,
			    st->pw_reason == 15 ? "4-way handshake timeout" :
			    "previous authentication no longer valid",
			    st->try_m2);
		else
			snprintf(why, size, "station %s: 4-way messages 1 "
			    "and 2 repeated (%u x message 2) with no message 3",
			    mac, st->try_m2);
		return FINDING_WIFI_WRONG_PASSWORD;
	default:
		id = join_reason_cause(st->code);
		snprintf(why, size, "station %s: %s by the AP, reason %u (%s)",
		    mac, st->state == WIFI_JOIN_DEAUTHENTICATED ?
		    "deauthenticated" : "disassociated", st->code,
		    ieee80211_reason_name(st->code));
		/* The AP's idle timeout, as far as the capture shows it. */
		if (id == FINDING_WIFI_INACTIVITY_DISCONNECT &&
		    st->idle_before_us > 0 && strlen(why) + 1 < size)
			snprintf(why + strlen(why), size - strlen(why),
			    ", %.0f s after its last frame",
			    st->idle_before_us / 1e6);
		return id;
	}
}

/* a, b and c into dst, cut to fit (size > 0); false when cut. */
static bool
text3(char *dst, size_t size, const char *a, const char *b, const char *c)
{
	const char *part[3] = { a, b, c };
	size_t o = 0, i, n;
	bool whole = true;

	for (i = 0; i < 3; i++) {
		n = strlen(part[i]);
		if (n > size - 1 - o) {
			n = size - 1 - o;
			whole = false;
		}
		memcpy(dst + o, part[i], n);
		o += n;
	}
	dst[o] = '\0';
	return whole;
}

static const char *
more_text(unsigned n)
{
	static char buf[48];

	if (n <= 1)
		return "";
	snprintf(buf, sizeof(buf), "; %u stations in all", n);
	return buf;
}

/*
 * A station that failed at one access point of network `ni` and then went
 * on to another of it without failing there (a full mesh node or radio,
 * then its sibling) is judged by that later outcome: its final state on
 * the network is not the refusal.  Access points without a beacon belong
 * to no known network, so nothing supersedes a failure there.
 */
static bool
join_superseded(const struct netmap *nm, int ni,
    const struct wifi_join_station *st)
{
	const struct netmap_bss *b;
	size_t k;

	if (ni < 0)
		return false;
	for (k = 0; k < nm->join.nsta; k++) {
		const struct wifi_join_station *o = &nm->join.sta[k];

		if (o == st || memcmp(o->sta, st->sta, 6) != 0 ||
		    o->last_seq <= st->last_seq || wifi_join_failed(o))
			continue;
		b = netmap_bss_find(nm, o->bssid);
		if (b != NULL && b->has_facts && b->net == ni)
			return true;
	}
	return false;
}

/*
 * The failed stations of network `ni` (-1: of access points without a
 * beacon): the first one's story per finding, and how many share it.
 */
static void
join_collect(const struct netmap *nm, int ni,
    char why[FINDING_COUNT][JOIN_WHY_MAX], unsigned count[FINDING_COUNT])
{
	const struct netmap_bss *b;
	char text[JOIN_WHY_MAX];
	enum finding_id id;
	size_t k;

	for (k = 0; k < nm->join.nsta; k++) {
		const struct wifi_join_station *st = &nm->join.sta[k];

		if (!wifi_join_failed(st))
			continue;
		b = netmap_bss_find(nm, st->bssid);
		if (ni >= 0 ? (b == NULL || !b->has_facts || b->net != ni) :
		    (b != NULL && b->has_facts))
			continue;
		if (join_superseded(nm, ni, st))
			continue;
		id = join_cause(st, text, sizeof(text));
		if (count[id]++ == 0) {
			char mac[18], ap[48];

			snprintf(ap, sizeof(ap), "AP %s (no beacon "
			    "captured): ", mac_format(st->bssid, mac));
			(void)text3(why[id], JOIN_WHY_MAX, ni >= 0 ? "" : ap,
			    text, "");
		}
	}
}

/*
 * Each station of the network is judged by how its join ended: refusals
 * and kicks it recovered from are history, not findings.
 */
static void
judge_stations(const struct netmap *nm, int ni, struct judge_net *jn,
    char why[FINDING_COUNT][JUDGE_WHY_MAX])
{
	char jwhy[FINDING_COUNT][JOIN_WHY_MAX];
	unsigned count[FINDING_COUNT];
	unsigned id;

	memset(jwhy, 0, sizeof(jwhy));
	memset(count, 0, sizeof(count));
	join_collect(nm, ni, jwhy, count);
	for (id = 0; id < FINDING_COUNT; id++) {
		if (count[id] == 0 || why[id][0] != '\0')
			continue;
		judge_ids_add(&jn->warnings, id);
		(void)text3(why[id], JUDGE_WHY_MAX, jwhy[id],
		    more_text(count[id]), "");
	}
}

static bool
ssid_equal(const struct netmap_net *n, const uint8_t *s, size_t len)
{
	return n->ssid_len == len && memcmp(n->ssid, s, len) == 0;
}

static void
judge_network(const struct netmap *nm, size_t ni, const struct judge_opts *o,
    struct judge_result *out, struct findings *fs)
{
	const struct netmap_net *n = &nm->net[ni];
	struct judge_net *jn = &out->net[ni];
	char why[FINDING_COUNT][JUDGE_WHY_MAX];
	char ssid[140], mac[18];
	struct bss_check c;
	struct judge_fold fold;
	int bi, weak = o->weak_dbm != 0 ? o->weak_dbm : JUDGE_WEAK_DBM;
	size_t k;
	unsigned id;

	memset(why, 0, sizeof(why));
	memset(&fold, 0, sizeof(fold));
	jn->best_bss = -1;
	ssid_text(n->ssid, n->ssid_len, ssid, sizeof(ssid));
	for (bi = n->first; bi >= 0; bi = nm->bss[bi].next_in_net) {
		const struct netmap_bss *b = &nm->bss[bi];
		judge_ids mine = { { 0 } }, blocks = { { 0 } };
		bool ok;

		check_bss(&b->w, o, &c);
		for (k = 0; k < c.n; k++) {
			judge_ids_add(&mine, c.item[k].id);
			if (c.item[k].blocks)
				judge_ids_add(&blocks, c.item[k].id);
			if (why[c.item[k].id][0] == '\0')
				snprintf(why[c.item[k].id], sizeof(why[0]),
				    "%s: %s", mac_format(b->w.bssid, mac),
				    c.item[k].why);
		}
		out->bss[bi] = mine;
		out->bss_blocking[bi] = blocks;
		out->bss_undecided[bi] = c.maybe;
		if (!judge_ids_empty(c.maybe)) {
			judge_fold_maybe(&fold, mine, c.maybe);
			continue;
		}
		ok = judge_fold_add(&fold, mine, blocks);
		if (ok && (jn->best_bss < 0 || (b->w.has_signal &&
		    (!nm->bss[jn->best_bss].w.has_signal ||
		    b->w.signal_last > nm->bss[jn->best_bss].w.signal_last))))
			jn->best_bss = bi;
	}
	judge_fold_end(&fold, jn);
	/* An issue that blocks only some BSSes warns about the network. */
	if (n->band_24 && (n->band_5 || n->band_6)) {
		judge_ids_add(&jn->warnings, FINDING_WIFI_BAND_STEERING);
		snprintf(why[FINDING_WIFI_BAND_STEERING], sizeof(why[0]),
		    "the same SSID is on 2.4 GHz and %s GHz (%u BSSIDs): the "
		    "router may steer the device to a band it cannot use",
		    n->band_6 ? (n->band_5 ? "5 and 6" : "6") : "5", n->nbss);
	} else if (n->nbss > 1) {
		judge_ids_add(&jn->warnings, FINDING_WIFI_MULTIPLE_BSS);
		snprintf(why[FINDING_WIFI_MULTIPLE_BSS], sizeof(why[0]),
		    "%u access points share this SSID (mesh or extenders); "
		    "the device may roam poorly between them", n->nbss);
	}
	/* The signal that matters is the one of a BSS the device can use. */
	if (jn->best_bss >= 0 ? nm->bss[jn->best_bss].w.has_signal :
	    n->has_signal) {
		int sig = jn->best_bss >= 0 ?
		    nm->bss[jn->best_bss].w.signal_last : n->best_signal;

		if (sig < weak) {
			judge_ids_add(&jn->warnings, FINDING_WIFI_WEAK_SIGNAL);
			snprintf(why[FINDING_WIFI_WEAK_SIGNAL], sizeof(why[0]),
			    "strongest usable signal %d dBm, below %d dBm "
			    "where a 1x1 2.4 GHz radio starts to lose frames",
			    sig, weak);
		}
	}
	judge_stations(nm, (int)ni, jn, why);
	out->judged++;
	for (id = 0; id < FINDING_COUNT; id++)
		if (judge_ids_has(judge_ids_or(jn->blocking, jn->warnings),
		    id))
			(void)findings_add(fs, (enum finding_id)id,
			    "network \"%s\": %s", ssid, why[id]);
}

bool
judge_public_name(const char *name)
{
	static const char *const local[] = {
		".local", ".lan", ".home", ".home.arpa", ".internal",
		".localdomain", ".arpa", ".localhost", ".corp", ".intranet",
		".test", ".invalid", ".example", ".router", ".gateway"
	};
	size_t len = strlen(name), i, sl;

	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || memchr(name, '.', len) == NULL)
		return false;	/* a bare host name is for the LAN */
	for (i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
		sl = strlen(local[i]);
		if (len >= sl &&
		    strncasecmp(name + len - sl, local[i], sl) == 0)
			return false;
	}
	return true;
}

bool
judge_portal_redirect(int status, const char *location)
{
	/* Words of portal login pages; not "auth", which OAuth uses too. */
	static const char *const words[] = {
		"login", "logon", "signin", "portal", "captive", "hotspot",
		"splash", "guest", "welcome", "accept", "terms", "wifi",
		"wlan", "cp/", "cgi-bin/"
	};
	char low[NETMAP_NAME_MAX];
	size_t i;

	/* RFC 6585: 511 Network Authentication Required is the signal. */
	if (status == 511)
		return true;
	if (status != 302 && status != 303 && status != 307)
		return false;
	for (i = 0; location[i] != '\0' && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)location[i]);
	low[i] = '\0';
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(low, words[i]) != NULL)
			return true;
	return false;
}

static const char *
addr_text(int family, const uint8_t *a, char *buf, size_t size)
{
	if (family == 4)
		snprintf(buf, size, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	else if (family == 6)
		snprintf(buf, size, "%x:%x:%x:%x:%x:%x:%x:%x",
		    a[0] << 8 | a[1], a[2] << 8 | a[3], a[4] << 8 | a[5],
		    a[6] << 8 | a[7], a[8] << 8 | a[9], a[10] << 8 | a[11],
		    a[12] << 8 | a[13], a[14] << 8 | a[15]);
	else
		snprintf(buf, size, "?");
	return buf;
}

/* The NAK-message text of the server that sent it, or "". */
static const char *
nak_message(const struct netmap *nm, const uint8_t id[4])
{
	size_t i;

	for (i = 0; i < nm->ndhcp_server; i++)
		if (memcmp(nm->dhcp_server[i].server_id, id, 4) == 0)
			return nm->dhcp_server[i].nak_message;
	return "";
}

/*
 * A NAK is judged by what followed it: a client that was refused and then
 * acknowledged has its address (a renewal of an old lease on a new network
 * goes NAK, DISCOVER ... ACK by design, RFC 2131 3.2), so only a client
 * whose last answer was a NAK is refused.
 */
static void
judge_dhcp_naks(const struct netmap *nm, struct findings *fs)
{
	char a[48], m[18];
	const char *msg;
	size_t i;

	for (i = 0; i < nm->ndhcp_client; i++) {
		const struct netmap_dhcp_client *c = &nm->dhcp_client[i];

		if (c->last_reply != DHCPNAK)
			continue;
		msg = nak_message(nm, c->nak_server);
		(void)findings_add(fs, FINDING_DHCP_NAK,
		    "client %s: its last answer was a NAK from server %s%s%s%s "
		    "(%u NAK(s), %u ACK(s) before it)", mac_format(c->mac, m),
		    addr_text(4, c->nak_server, a, sizeof(a)),
		    msg[0] ? ": \"" : "", msg, msg[0] ? "\"" : "", c->naks,
		    c->acks);
	}
}

static void
judge_dhcp(const struct netmap *nm, struct findings *fs)
{
	char a[48], b[48], m[18];
	size_t i, answering = 0, first = 0, second = 0;

	for (i = 0; i < nm->ndhcp_server; i++) {
		const struct netmap_dhcp_server *s = &nm->dhcp_server[i];

		if (s->offers + s->acks > 0) {
			if (answering == 0)
				first = i;
			else if (answering == 1)
				second = i;
			answering++;
		}
		/* A NAK to a client the capture cannot follow. */
		if (s->naks_unfollowed > 0)
			(void)findings_add(fs, FINDING_DHCP_NAK,
			    "server %s sent %u NAK(s)%s%s%s",
			    addr_text(4, s->server_id, a, sizeof(a)),
			    s->naks_unfollowed,
			    s->nak_message[0] ? ": \"" : "", s->nak_message,
			    s->nak_message[0] ? "\"" : "");
		/* One identity, two answers: a second server copies the id. */
		if (s->conflict)
			(void)findings_add(fs, FINDING_DHCP_MULTIPLE_SERVERS,
			    "replies from server id %s name different routers "
			    "or DNS servers (%s, then %s): two servers answer "
			    "under one identity",
			    addr_text(4, s->server_id, a, sizeof(a)),
			    addr_text(4, s->conflict_a, b, sizeof(b)),
			    addr_text(4, s->conflict_b, m, sizeof(m)));
		if (s->captive_portal[0] != '\0')
			(void)findings_add(fs, FINDING_PORTAL_DETECTED,
			    "DHCP server %s announces a captive portal "
			    "(option 114): %s",
			    addr_text(4, s->server_id, a, sizeof(a)),
			    s->captive_portal);
	}
	if (answering > 1)
		(void)findings_add(fs, FINDING_DHCP_MULTIPLE_SERVERS,
		    "%zu DHCP servers answer, e.g. %s and %s (offering %s)",
		    answering,
		    addr_text(4, nm->dhcp_server[first].server_id, a,
		    sizeof(a)),
		    addr_text(4, nm->dhcp_server[second].server_id, b,
		    sizeof(b)),
		    addr_text(4, nm->dhcp_server[second].offered, m,
		    sizeof(m)));
	judge_dhcp_naks(nm, fs);
	for (i = 0; i < nm->ndhcp_client; i++) {
		const struct netmap_dhcp_client *c = &nm->dhcp_client[i];

		if (c->discovers > 0 && c->offers == 0 && c->acks == 0) {
			(void)findings_add(fs, FINDING_DHCP_NO_OFFER,
			    "client %s sent %u DISCOVER(s), no OFFER came back",
			    mac_format(c->mac, m), c->discovers);
			break;
		}
	}
}

static void
judge_dns(const struct netmap *nm, const struct judge_opts *o,
    struct findings *fs)
{
	const char *cloud = o->profile->cloud.host;
	char a[48];
	size_t i;
	bool failed = false;

	for (i = 0; i < nm->ndns; i++) {
		const struct netmap_dns *d = &nm->dns[i];

		if (d->type == 0 && d->rcode != 0 && cloud[0] != '\0' &&
		    strcasecmp(d->name, cloud) == 0 && !failed) {
			failed = true;
			(void)findings_add(fs, FINDING_CLOUD_DNS_FAILED,
			    "%s: %s from %s", d->name,
			    dns_rcode_name(d->rcode) ? dns_rcode_name(d->rcode)
			    : "error", addr_text(d->server_family, d->server,
			    a, sizeof(a)));
		}
		if ((d->type != DNS_TYPE_A && d->type != DNS_TYPE_AAAA) ||
		    d->family == 0)
			continue;
		if (!dns_addr_is_nonpublic(d->family, d->addr) ||
		    !judge_public_name(d->name))
			continue;
		(void)findings_add(fs, FINDING_DNS_PRIVATE_ANSWER,
		    "%s resolved to %s (%s)%s", d->name,
		    addr_text(d->family, d->addr, a, sizeof(a)),
		    dns_addr_class_name(dns_addr_class(d->family, d->addr)),
		    cloud[0] != '\0' && strcasecmp(d->name, cloud) == 0 ?
		    ": the cloud's name is redirected" : "");
	}
}

static void
judge_http(const struct netmap *nm, struct findings *fs)
{
	char a[48];
	size_t i;

	for (i = 0; i < nm->nhttp; i++) {
		const struct netmap_http *h = &nm->http[i];

		if (!judge_portal_redirect(h->status, h->location))
			continue;
		(void)findings_add(fs, FINDING_PORTAL_DETECTED,
		    "HTTP %d from %s:%u%s%s", h->status,
		    addr_text(h->server_family, h->server, a, sizeof(a)),
		    h->server_port, h->location[0] ? " to " : "",
		    h->location);
		return;
	}
}

static void
judge_cloud(const struct netmap *nm, struct findings *fs)
{
	char d[48], c[48];
	size_t i;
	bool done[8] = { false };
	enum netmap_flow_outcome oc;

	/* One good connect answers the question for the whole capture. */
	for (i = 0; i < nm->nflow; i++)
		if (netmap_flow_outcome(&nm->flow[i]) == NETMAP_FLOW_NONCE)
			return;
	for (i = 0; i < nm->nflow; i++) {
		const struct netmap_flow *f = &nm->flow[i];

		oc = netmap_flow_outcome(f);
		if (done[oc])
			continue;
		done[oc] = true;
		addr_text(f->family, f->device, d, sizeof(d));
		addr_text(f->family, f->cloud, c, sizeof(c));
		switch (oc) {
		case NETMAP_FLOW_REJECTED:
			(void)findings_add(fs, FINDING_CLOUD_PORT_REJECTED,
			    "%s -> %s:%u answered with a TCP reset", d, c,
			    f->cloud_port);
			break;
		case NETMAP_FLOW_UNANSWERED:
			(void)findings_add(fs, FINDING_CLOUD_PORT_BLOCKED,
			    "%s -> %s:%u: %u SYN(s), no answer", d, c,
			    f->cloud_port, f->syn);
			break;
		case NETMAP_FLOW_INTERCEPTED:
			if (f->first_server_len > 0)
				(void)findings_add(fs,
				    FINDING_CLOUD_INTERCEPTED,
				    "%s -> %s:%u accepted, but the first "
				    "server segment is %ld bytes, not the "
				    "40-byte nonce", d, c, f->cloud_port,
				    f->first_server_len);
			else
				(void)findings_add(fs,
				    FINDING_CLOUD_INTERCEPTED,
				    "%s -> %s:%u accepted, then closed "
				    "without the 40-byte nonce", d, c,
				    f->cloud_port);
			break;
		default:
			break;
		}
	}
}

/*
 * Stations of access points whose beacons the capture missed (a capture
 * started mid-join): their outcomes count all the same, one finding per
 * cause.
 */
static void
judge_beaconless(const struct netmap *nm, struct findings *fs)
{
	char why[FINDING_COUNT][JOIN_WHY_MAX];
	unsigned count[FINDING_COUNT];
	unsigned id;

	memset(why, 0, sizeof(why));
	memset(count, 0, sizeof(count));
	join_collect(nm, -1, why, count);
	for (id = 0; id < FINDING_COUNT; id++)
		if (count[id] > 0)
			(void)findings_add(fs, (enum finding_id)id, "%s%s",
			    why[id], more_text(count[id]));
}

/* The map was told about this --ssid, so want.seen is exact. */
static bool
want_is(const struct netmap *nm, const struct judge_opts *o)
{
	return nm->want.set && nm->want.ssid_len == o->ssid_len &&
	    memcmp(nm->want.ssid, o->ssid, o->ssid_len) == 0;
}

/* One "WHAT: table of MAX full, N not kept" part of capture.table_full. */
static void
table_part(char *buf, size_t size, uint32_t n, const char *what, int max)
{
	size_t len = strlen(buf);

	if (n == 0 || len >= size)
		return;
	snprintf(buf + len, size - len, "%s%s: table of %d full, %u not kept",
	    len > 0 ? "; " : "", what, max, (unsigned)n);
}

/*
 * What a full table did to the --ssid network: its access points and its
 * stations' joins each have reserved slots, so say whether they were kept
 * whole, so that "not kept" never reads as "not seen".
 */
static void
table_ssid_note(const struct netmap *nm, const struct judge_opts *o,
    char *buf, size_t size)
{
	const struct netmap_overflow *v = &nm->overflow;
	char ssid[140];
	size_t len;

	buf[0] = '\0';
	if (o->ssid == NULL)
		return;
	ssid_text(o->ssid, o->ssid_len, ssid, sizeof(ssid));
	if (v->bss + v->scan_bss > 0)
		snprintf(buf, size, "; \"%s\" %s", ssid,
		    !want_is(nm, o) ? "may be among the access points not kept" :
		    !nm->want.seen ? "is in no frame of the capture" :
		    v->bss_wanted == 0 ? "was kept whole (slots are reserved "
		    "for it)" : "filled its reserved slots too: some of its "
		    "access points were not kept");
	len = strlen(buf);
	if (nm->join.overflow == 0 || len >= size ||
	    (want_is(nm, o) && !nm->want.seen))
		return;
	/*
	 * A station's network is known from its access point's beacon;
	 * stations dropped before any beacon of theirs may be anyone's.
	 */
	if (!want_is(nm, o) || v->bss_wanted > 0 ||
	    nm->join.overflow_unknown > 0)
		snprintf(buf + len, size - len, "; joins with \"%s\" may be "
		    "among the stations not kept%s", ssid,
		    nm->join.overflow_unknown > 0 ? " (met before any beacon "
		    "of their access point)" : "");
	else if (nm->join.overflow_wanted == 0)
		snprintf(buf + len, size - len, "; the joins with \"%s\" "
		    "were kept whole (station slots are reserved for it)",
		    ssid);
	else
		snprintf(buf + len, size - len, "; \"%s\" filled its "
		    "reserved station slots too: some of its joins were not "
		    "kept", ssid);
}

/*
 * capture.table_full: a fixed table filled up, so what the report says
 * about that kind of thing is about the part that was kept.
 */
static void
judge_tables(const struct netmap *nm, const struct judge_opts *o,
    struct findings *fs)
{
	const struct netmap_overflow *v = &nm->overflow;
	char parts[400], note[400];
	const char *src;

	if (!netmap_overflowed(nm))
		return;
	parts[0] = '\0';
	table_part(parts, sizeof(parts), v->bss,
	    "access points (frames)", NETMAP_BSS_MAX);
	table_part(parts, sizeof(parts), v->clients,
	    "Wi-Fi clients (frames)", NETMAP_CLIENTS_MAX);
	table_part(parts, sizeof(parts), v->dhcp_servers,
	    "DHCP servers (replies)", NETMAP_DHCP_SERVERS_MAX);
	table_part(parts, sizeof(parts), v->dhcp_clients,
	    "DHCP clients (messages)", NETMAP_DHCP_CLIENTS_MAX);
	table_part(parts, sizeof(parts), v->dns, "DNS answers",
	    NETMAP_DNS_MAX);
	table_part(parts, sizeof(parts), v->http,
	    "HTTP redirects", NETMAP_HTTP_MAX);
	table_part(parts, sizeof(parts), v->flows,
	    "cloud flows (segments)", NETMAP_FLOWS_MAX);
	table_part(parts, sizeof(parts), v->devices,
	    "Particle devices (announcements)", NETMAP_DEVICES_MAX);
	table_part(parts, sizeof(parts), v->events,
	    "join events", NETMAP_EVENTS_MAX);
	table_part(parts, sizeof(parts), nm->join.overflow,
	    "station joins (steps)", WIFI_JOIN_STATIONS_MAX);
	if (v->scan_bss > 0 && strlen(parts) < sizeof(parts))
		snprintf(parts + strlen(parts), sizeof(parts) - strlen(parts),
		    "%saccess points in the scan: %u not kept",
		    parts[0] != '\0' ? "; " : "", (unsigned)v->scan_bss);
	/* A live scan's table is the scan's, not a capture's. */
	src = v->scan_bss > 0 && v->bss == 0 ? "the scan listed" :
	    "the capture holds";
	table_ssid_note(nm, o, note, sizeof(note));
	(void)findings_add(fs, FINDING_CAPTURE_TABLE_FULL,
	    "%s more than cyanprobe keeps: %s%s", src, parts, note);
}

/*
 * capture.steps_dropped: stations whose joins took more steps than each
 * keeps (WIFI_JOIN_STEPS_MAX): their listed timelines lack the first
 * steps, their outcome and counts do not.  The first few are named, the
 * --ssid network's first, so the one the user asked about is not lost
 * among a crowd.
 */
static void
judge_steps(const struct netmap *nm, struct findings *fs)
{
	const struct wifi_join *j = &nm->join;
	const struct wifi_join_station *st;
	char list[240], mac[MAC_TEXT_LEN], ap[MAC_TEXT_LEN];
	unsigned long long dropped = 0;
	size_t i, n = 0, named = 0, len = 0;
	int pass;

	list[0] = '\0';
	for (i = 0; i < j->nsta; i++)
		if (j->sta[i].steps_dropped > 0) {
			n++;
			dropped += j->sta[i].steps_dropped;
		}
	if (n == 0)
		return;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < j->nsta && named < 2; i++) {
			st = &j->sta[i];
			if (st->steps_dropped == 0 || (pass == 0) !=
			    (st->room == WIFI_JOIN_ROOM_WANTED))
				continue;
			snprintf(list + len, sizeof(list) - len,
			    "%s%s with %s%s: %lu steps, the first %lu not "
			    "listed", named > 0 ? "; " : ": ",
			    mac_format(st->sta, mac), mac_format(st->bssid, ap),
			    st->room == WIFI_JOIN_ROOM_WANTED ?
			    " (the --ssid network)" : "",
			    (unsigned long)st->nsteps +
			    (unsigned long)st->steps_dropped,
			    (unsigned long)st->steps_dropped);
			len = strlen(list);
			named++;
		}
	(void)findings_add(fs, FINDING_CAPTURE_STEPS_DROPPED,
	    "%zu station(s) took more than %d join steps, %llu earlier "
	    "step(s) not listed%s%s", n, WIFI_JOIN_STEPS_MAX, dropped, list,
	    n > named ? "; and more" : "");
}

/* A network the judge looked at (the --ssid one, or any) can be joined. */
static bool
seen_wifi(const struct netmap *nm, const struct judge_result *jr)
{
	size_t i;

	if (jr->ssid_given)
		return jr->focus >= 0 &&
		    jr->net[jr->focus].join == JUDGE_JOIN_YES;
	for (i = 0; i < nm->nnet; i++)
		if (jr->net[i].join == JUDGE_JOIN_YES)
			return true;
	return false;
}

/* A DHCP server handed out an address: an OFFER or an ACK. */
static bool
seen_dhcp(const struct netmap *nm)
{
	size_t i;

	for (i = 0; i < nm->ndhcp_server; i++)
		if (nm->dhcp_server[i].offers > 0 ||
		    nm->dhcp_server[i].acks > 0)
			return true;
	return false;
}

/*
 * Something answered from the internet: a public address for a public name
 * in a DNS answer, or an HTTP response from a public address that is no
 * captive portal's.
 */
static bool
seen_internet(const struct netmap *nm)
{
	size_t i;

	for (i = 0; i < nm->ndns; i++) {
		const struct netmap_dns *d = &nm->dns[i];

		if ((d->type == DNS_TYPE_A || d->type == DNS_TYPE_AAAA) &&
		    d->family != 0 && d->rcode == 0 &&
		    !dns_addr_is_nonpublic(d->family, d->addr) &&
		    judge_public_name(d->name))
			return true;
	}
	for (i = 0; i < nm->nhttp; i++) {
		const struct netmap_http *h = &nm->http[i];

		if (h->status > 0 && h->server_family != 0 &&
		    !dns_addr_is_nonpublic(h->server_family, h->server) &&
		    !judge_portal_redirect(h->status, h->location))
			return true;
	}
	return false;
}

/* A cloud server sent its 40-byte nonce on TCP 5683. */
static bool
seen_cloud(const struct netmap *nm)
{
	size_t i;

	for (i = 0; i < nm->nflow; i++)
		if (netmap_flow_outcome(&nm->flow[i]) == NETMAP_FLOW_NONCE)
			return true;
	return false;
}

static stage_set
judge_seen(const struct netmap *nm, const struct judge_result *jr)
{
	stage_set s = 0;

	if (seen_wifi(nm, jr))
		s |= STAGE_BIT(STAGE_WIFI);
	if (seen_dhcp(nm))
		s |= STAGE_BIT(STAGE_DHCP);
	if (seen_internet(nm))
		s |= STAGE_BIT(STAGE_INTERNET);
	if (seen_cloud(nm))
		s |= STAGE_BIT(STAGE_CLOUD);
	return s;
}

int
judge_run(const struct netmap *nm, const struct judge_opts *o,
    struct judge_result *out, struct findings *fs)
{
	char ssid[140];
	size_t i;

	if (o == NULL || o->profile == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	out->focus = -1;
	if (o->ssid != NULL) {
		out->ssid_given = true;
		for (i = 0; i < nm->nnet; i++)
			if (ssid_equal(&nm->net[i], o->ssid, o->ssid_len)) {
				out->focus = (int)i;
				out->ssid_found = true;
				break;
			}
	}
	/* Every network gets a verdict; findings only for the judged. */
	for (i = 0; i < nm->nnet; i++) {
		struct findings scratch;
		bool judged = o->ssid == NULL || out->focus == (int)i;

		if (judged)
			judge_network(nm, i, o, out, fs);
		else {
			findings_init(&scratch);
			judge_network(nm, i, o, out, &scratch);
			out->judged--;
		}
	}
	/*
	 * Without --ssid, refusals and kicks by access points whose beacons
	 * the capture missed still count (a capture started mid-join).
	 */
	if (o->ssid == NULL)
		judge_beaconless(nm, fs);
	/* "Not kept" is not "not seen": only a map that checked every
	 * frame for this SSID, or one that kept every BSS, may say so. */
	if (o->ssid != NULL && !out->ssid_found &&
	    (nm->overflow.bss + nm->overflow.scan_bss == 0 ||
	    (want_is(nm, o) && !nm->want.seen))) {
		size_t hidden = 0;

		for (i = 0; i < nm->nnet; i++)
			if (nm->net[i].ssid_len == 0)
				hidden++;
		if (hidden > 0)
			(void)findings_add(fs, FINDING_WIFI_SSID_NOT_FOUND,
			    "no beacon or probe response for \"%s\" in the "
			    "capture (%zu network(s) seen, %zu of them hidden: "
			    "it may be one, a probe response would say)",
			    ssid_text(o->ssid, o->ssid_len, ssid, sizeof(ssid)),
			    nm->nnet, hidden);
		else
			(void)findings_add(fs, FINDING_WIFI_SSID_NOT_FOUND,
			    "no beacon or probe response for \"%s\" in the "
			    "capture (%zu network(s) seen)",
			    ssid_text(o->ssid, o->ssid_len, ssid, sizeof(ssid)),
			    nm->nnet);
	}
	judge_dhcp(nm, fs);
	judge_dns(nm, o, fs);
	judge_http(nm, fs);
	judge_cloud(nm, fs);
	judge_tables(nm, o, fs);
	judge_steps(nm, fs);
	out->seen = judge_seen(nm, out);
	return 0;
}

size_t
judge_ids_list(judge_ids ids, enum finding_id *out, size_t max)
{
	size_t n = 0;
	unsigned id;

	for (id = 0; id < FINDING_COUNT; id++)
		if (judge_ids_has(ids, id)) {
			if (n < max)
				out[n] = (enum finding_id)id;
			n++;
		}
	return n;
}
