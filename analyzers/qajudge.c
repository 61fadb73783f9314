/*
 * qajudge.c - judge a QA cell's observations for one device and firmware
 * (qajudge.h).  The decision is report_decide()'s, over the findings that
 * apply to the device: rules carry each finding's stage, severity and
 * failure code, the profile says which rules apply and which LED era the
 * firmware draws, stage.c gives the LED.  What is not measured stays
 * inconclusive, never a pass.
 */
#include <stdio.h>
#include <string.h>

#include "qajudge.h"

static const char *const qajudge_outcome_names[QAJUDGE_OUTCOME_COUNT] = {
	"pass", "warn", "fail", "inconclusive"
};

static const char *const qajudge_cond_names[QAJUDGE_COND_COUNT] = {
	"wifi.n_only_network", "wifi.bss", "nat.lifetimes"
};

const char *
qajudge_cond_name(unsigned cond)
{
	unsigned i;

	for (i = 0; i < QAJUDGE_COND_COUNT; i++)
		if (cond == 1u << i)
			return qajudge_cond_names[i];
	return "unknown";
}

bool
qajudge_cond_from_name(const char *s, unsigned *cond)
{
	unsigned i;

	for (i = 0; i < QAJUDGE_COND_COUNT; i++)
		if (strcmp(s, qajudge_cond_names[i]) == 0) {
			*cond = 1u << i;
			return true;
		}
	return false;
}

void
qajudge_bss_add(struct qajudge_obs *o, const struct qajudge_bss *b)
{
	unsigned i;

	o->conds |= QAJUDGE_COND_BSS;
	for (i = 0; i < o->nbss && i < QAJUDGE_BSS_MAX; i++)
		if (memcmp(&o->bss[i], b, sizeof(*b)) == 0)
			return;
	if (o->nbss >= QAJUDGE_BSS_MAX) {
		o->bss_cut = true;
		return;
	}
	o->bss[o->nbss++] = *b;
}

/* A stored BSS as judge_bss_check() reads one. */
static void
qajudge_bss_wifi(const struct qajudge_bss *s, struct wifi_bss *w)
{
	wifi_bss_init(w);
	w->freq_mhz = s->freq_mhz;
	w->width_mhz = s->width_mhz;
	w->channel = s->channel;
	w->band = (enum wifi_band)s->band;
	w->security = (enum wifi_security)s->security;
	w->pmf = (enum wifi_pmf)s->pmf;
	w->n_only = s->n_only;
	w->g_only = s->g_only;
	w->n_only_unknown = s->n_only_unknown;
	w->g_only_unknown = s->g_only_unknown;
	w->elements_cut = s->elements_cut;
	w->hidden = s->hidden;
	w->hidden_unknown = s->hidden_unknown;
	w->wep_group = s->wep_group;
}

unsigned
qajudge_bss_unknowns(const struct qajudge_bss *b)
{
	unsigned m = 0;

	if (b->n_only_unknown)
		m |= QAJUDGE_UNK_N_ONLY;
	if (b->g_only_unknown)
		m |= QAJUDGE_UNK_G_ONLY;
	if (b->security == WIFI_SEC_UNKNOWN)
		m |= QAJUDGE_UNK_SECURITY;
	else if (b->pmf == WIFI_PMF_UNKNOWN)
		m |= QAJUDGE_UNK_PMF;
	if (b->band == WIFI_BAND_UNKNOWN ||
	    (b->band == WIFI_BAND_2G4 && b->channel == 0))
		m |= QAJUDGE_UNK_CHANNEL;
	if (b->width_mhz == 0)
		m |= QAJUDGE_UNK_WIDTH;
	if (b->hidden_unknown)
		m |= QAJUDGE_UNK_HIDDEN;
	return m;
}

void
qajudge_unknown_text(unsigned mask, char *buf, size_t len)
{
	static const char *const names[QAJUDGE_UNK_COUNT] = {
		"802.11n-only", "g-only", "security", "PMF",
		"band or channel", "channel width", "hidden SSID"
	};
	size_t used = 0;
	unsigned i;
	int k;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < QAJUDGE_UNK_COUNT && used < len; i++) {
		if ((mask & (1u << i)) == 0)
			continue;
		k = snprintf(buf + used, len - used, "%s%s",
		    used > 0 ? ", " : "", names[i]);
		if (k < 0)
			break;
		used += (size_t)k;
	}
}

/* What the stored BSSes of o leave unknown, together. */
static unsigned
qajudge_obs_unknowns(const struct qajudge_obs *o)
{
	unsigned i, m = 0;

	for (i = 0; i < o->nbss && i < QAJUDGE_BSS_MAX; i++)
		m |= qajudge_bss_unknowns(&o->bss[i]);
	return m;
}

/* One check of w, its findings added to the BSS's. */
static void
qajudge_bss_try(const struct wifi_bss *w, const struct profile *p,
    const struct fw_version *fw, judge_ids *issues, judge_ids *blocks)
{
	judge_ids is, bl;

	judge_bss_check(w, p, fw, &is, &bl);
	*issues = judge_ids_or(*issues, is);
	*blocks = judge_ids_or(*blocks, bl);
}

/* Each security (with and without a WEP group, each PMF) in w. */
static void
qajudge_try_security(const struct wifi_bss *base, bool pmf_too,
    const struct profile *p, const struct fw_version *fw,
    judge_ids *issues, judge_ids *blocks)
{
	struct wifi_bss w = *base;
	int sec, wep, pmf;

	for (sec = WIFI_SEC_OPEN; sec <= WIFI_SEC_WPA3_EAP; sec++)
		for (wep = 0; wep < 2; wep++)
			for (pmf = WIFI_PMF_NONE; pmf <= WIFI_PMF_REQUIRED;
			    pmf++) {
				if (!pmf_too && pmf != WIFI_PMF_NONE)
					break;
				w.security = (enum wifi_security)sec;
				w.wep_group = wep != 0;
				w.pmf = pmf_too ? (enum wifi_pmf)pmf :
				    base->pmf;
				qajudge_bss_try(&w, p, fw, issues, blocks);
			}
}

/*
 * Each band, and each 2.4 GHz channel, in w.  One channel stands for all
 * of 5 GHz and one for 6 GHz: a profile decides those bands by the band
 * alone (judge.c check_known; only 2.4 GHz channels have limits), as
 * test_qajudge checks against every channel of each band.
 */
static void
qajudge_try_channel(const struct wifi_bss *base, const struct profile *p,
    const struct fw_version *fw, judge_ids *issues, judge_ids *blocks)
{
	struct wifi_bss w = *base;
	unsigned ch;

	for (ch = 1; ch <= 14; ch++) {
		w.band = WIFI_BAND_2G4;
		w.channel = (uint8_t)ch;
		w.freq_mhz = (uint16_t)wifi_channel_to_freq(ch, WIFI_BAND_2G4);
		qajudge_bss_try(&w, p, fw, issues, blocks);
	}
	if (base->band != WIFI_BAND_UNKNOWN)
		return;
	w.band = WIFI_BAND_5G;
	w.channel = 36;
	w.freq_mhz = 5180;
	qajudge_bss_try(&w, p, fw, issues, blocks);
	w.band = WIFI_BAND_6G;
	w.channel = 1;
	w.freq_mhz = 5955;
	qajudge_bss_try(&w, p, fw, issues, blocks);
}

/*
 * Stored BSS s checked for p on fw, the unknowns of mask taken at every
 * value they could have, one unknown at a time over the others as
 * stored (n-only, g-only and hidden taken as true throughout: each only
 * adds findings): the findings of
 * any value, and what blocks at any.  So a BSS that some value of its
 * unknowns would make unjoinable is counted unjoinable.
 */
static void
qajudge_bss_worst(const struct qajudge_bss *s, unsigned mask,
    const struct profile *p, const struct fw_version *fw,
    judge_ids *issues, judge_ids *blocks)
{
	static const uint16_t widths[] = { 40, 80, 160, 320 };
	struct wifi_bss base, w;
	size_t i;

	mask &= qajudge_bss_unknowns(s);
	qajudge_bss_wifi(s, &base);
	if (mask & QAJUDGE_UNK_N_ONLY)
		base.n_only = true;
	if (mask & QAJUDGE_UNK_G_ONLY)
		base.g_only = true;
	if (mask & QAJUDGE_UNK_HIDDEN)
		base.hidden = true;
	judge_bss_check(&base, p, fw, issues, blocks);
	if (mask & QAJUDGE_UNK_SECURITY)
		qajudge_try_security(&base, base.pmf == WIFI_PMF_UNKNOWN,
		    p, fw, issues, blocks);
	if (mask & QAJUDGE_UNK_PMF)	/* the security as stored */
		for (i = WIFI_PMF_NONE; i <= WIFI_PMF_REQUIRED; i++) {
			w = base;
			w.pmf = (enum wifi_pmf)i;
			qajudge_bss_try(&w, p, fw, issues, blocks);
		}
	if (mask & QAJUDGE_UNK_CHANNEL)
		qajudge_try_channel(&base, p, fw, issues, blocks);
	for (i = 0; (mask & QAJUDGE_UNK_WIDTH) &&
	    i < sizeof(widths) / sizeof(widths[0]); i++) {
		w = base;
		w.width_mhz = widths[i];
		qajudge_bss_try(&w, p, fw, issues, blocks);
	}
}

/*
 * The Wi-Fi findings the stored network gives device p on firmware fw:
 * each BSS checked again, folded as judge_run folds them (the ones a
 * network that cannot be joined reports, or the warnings of the BSSes
 * that can).  worst: the unknowns (QAJUDGE_UNK_*) taken at the values
 * that could stop or warn the device (qajudge_bss_worst); 0: as stored.
 */
static judge_ids
qajudge_bss_seen(const struct qajudge_obs *o, const struct profile *p,
    const struct fw_version *fw, unsigned worst)
{
	struct judge_fold f;
	struct judge_net jn;
	struct wifi_bss w;
	judge_ids issues, blocks;
	unsigned i;

	memset(&f, 0, sizeof(f));
	for (i = 0; i < o->nbss && i < QAJUDGE_BSS_MAX; i++) {
		if (worst != 0)
			qajudge_bss_worst(&o->bss[i], worst, p, fw, &issues,
			    &blocks);
		else {
			qajudge_bss_wifi(&o->bss[i], &w);
			judge_bss_check(&w, p, fw, &issues, &blocks);
		}
		(void)judge_fold_add(&f, issues, blocks);
	}
	judge_fold_end(&f, &jn);
	return judge_ids_or(jn.blocking, jn.warnings);
}

/*
 * The findings o stands for on device p and firmware fw: those it saw,
 * with the ones its conditions decide taken out and put back as p and fw
 * need.  An n-only network measured as photon 0.6.3 (no finding) fails
 * 0.7.0, and one measured as 0.7.0 (wifi.n_only) passes 1.1.0; an
 * Enterprise network measured as 0.7.0 fails 0.6.3; channel 13 measured
 * as a Photon fails the Core.  wifi.ie_truncated stays as seen: it comes
 * from capture counts too, and a store older than the unknown flags
 * does not say which BSS gave it.  NAT lifetimes measured as a Photon
 * whose keep-alive is 15 s are held against 25 s for a firmware whose
 * profile says 25 s.
 */
static judge_ids
qajudge_seen(const struct qajudge_obs *o, const struct profile *p,
    const struct fw_version *fw, unsigned worst)
{
	judge_ids seen = o->seen;

	if (o->conds & QAJUDGE_COND_NAT)
		seen = judge_ids_or(judge_ids_minus(seen,
		    routerqa_nat_ids_all()), routerqa_nat_ids(
		    &o->nat[QAJUDGE_NAT_TCP], &o->nat[QAJUDGE_NAT_TLS],
		    &o->nat[QAJUDGE_NAT_UDP], profile_keepalive(p, fw)));

	if ((o->conds & QAJUDGE_COND_BSS) && o->nbss > 0 && !o->bss_cut) {
		seen = judge_ids_minus(seen, judge_bss_ids());
		return judge_ids_or(seen, qajudge_bss_seen(o, p, fw, worst));
	}
	if (o->conds & QAJUDGE_COND_N_ONLY) {
		seen = judge_ids_minus(seen,
		    judge_ids_one(FINDING_WIFI_N_ONLY));
		if (judge_n_only_fails(p, fw))
			judge_ids_add(&seen, FINDING_WIFI_N_ONLY);
	}
	return seen;
}

const char *
qajudge_outcome_name(enum qajudge_outcome o)
{
	return (unsigned)o < QAJUDGE_OUTCOME_COUNT ?
	    qajudge_outcome_names[o] : "unknown";
}

bool
qajudge_outcome_from_name(const char *s, enum qajudge_outcome *out)
{
	unsigned i;

	for (i = 0; i < QAJUDGE_OUTCOME_COUNT; i++)
		if (strcmp(s, qajudge_outcome_names[i]) == 0) {
			*out = (enum qajudge_outcome)i;
			return true;
		}
	return false;
}

int
qajudge_outcome_rank(enum qajudge_outcome o)
{
	switch (o) {
	case QAJUDGE_PASS:
		return 0;
	case QAJUDGE_WARN:
		return 1;
	case QAJUDGE_INCONCLUSIVE:
		return 2;
	default:
		return 3;
	}
}

const char *
qajudge_why_text(enum qajudge_why w)
{
	switch (w) {
	case QAJUDGE_WHY_NOT_RUN:
		return "the test did not run";
	case QAJUDGE_WHY_NOT_MEASURED:
		return "not measured for this firmware's variant";
	case QAJUDGE_WHY_FIRMWARE_UNKNOWN:
		return "the device profile does not cover this firmware";
	case QAJUDGE_WHY_SKIPPED:
		return "a stage was skipped";
	case QAJUDGE_WHY_BSS_UNKNOWN:
		return "an access point's frames left unknown what this "
		    "device's verdict depends on: it fails or warns at some "
		    "value of it";
	case QAJUDGE_WHY_TEST_INCONCLUSIVE:
		return "the test was inconclusive: it saw no evidence either "
		    "way for a stage it judges";
	default:
		return "";
	}
}

/* Is rule a worse than b: a lower stage, or a better rank at the same? */
static bool
qajudge_worse(const struct rule *a, const struct rule *b)
{
	return b == NULL || a->stage < b->stage ||
	    (a->stage == b->stage && a->rank < b->rank);
}

/* The finding ids of seen that have a rule applying to p. */
static judge_ids
qajudge_applies(judge_ids seen, const struct rules *r,
    const struct profile *p)
{
	const struct rule *ru;
	judge_ids out = { { 0 } };
	unsigned i;

	for (i = 0; i < FINDING_COUNT; i++) {
		if (!judge_ids_has(seen, i))
			continue;
		ru = rules_get(r, (enum finding_id)i);
		if (ru != NULL && rule_applies(ru, p))
			judge_ids_add(&out, i);
	}
	return out;
}

static void
qajudge_led(struct qajudge_verdict *v, const struct profile *p,
    const struct fw_version *fw)
{
	const struct stage_signal *row;

	row = stage_lookup(v->stage, v->fail, profile_era(p, fw));
	if (row != NULL)
		v->led = row->led;
}

/* Pick the deciding rule: the worst error, else the worst warning. */
static void
qajudge_decide(struct qajudge_verdict *v, const struct rules *r)
{
	const struct rule *ru, *err = NULL, *warn = NULL;
	unsigned i;

	for (i = 0; i < FINDING_COUNT; i++) {
		if (!judge_ids_has(v->applies, i) ||
		    (ru = rules_get(r, (enum finding_id)i)) == NULL)
			continue;
		if (rule_fails(ru)) {
			if (qajudge_worse(ru, err))
				err = ru;
		} else if (ru->severity == SEVERITY_WARNING &&
		    qajudge_worse(ru, warn))
			warn = ru;
	}
	if (err != NULL) {
		v->outcome = QAJUDGE_FAIL;
		v->stage = err->stage;
		v->fail = err->fail;
		v->has_finding = true;
		v->finding = err->finding;
	} else if (warn != NULL) {
		v->outcome = QAJUDGE_WARN;
		v->has_finding = true;
		v->finding = warn->finding;
	}
}

/* The outcome o gives p on fw with the unknowns of mask at their worst. */
static enum qajudge_outcome
qajudge_worst_outcome(const struct qajudge_obs *o, const struct rules *r,
    const struct profile *p, const struct fw_version *fw, unsigned mask)
{
	struct qajudge_verdict w;

	memset(&w, 0, sizeof(w));
	w.applies = qajudge_applies(qajudge_seen(o, p, fw, mask), r, p);
	w.outcome = QAJUDGE_PASS;
	qajudge_decide(&w, r);
	return w.outcome;
}

/*
 * An unknown of a stored BSS is no evidence that the device joins, nor
 * that it joins without a warning: where some value of the unknowns
 * would give p on fw a worse verdict (a failure, or a warning where it
 * passes), what would pass or warn is inconclusive, naming the unknowns
 * that alone would do it (all of them when only together).  diagnose's
 * wifi.ie_truncated, which never blocks, stays in applies and is the
 * deciding finding when there.
 */
static void
qajudge_unknown(const struct qajudge_obs *o, const struct rules *r,
    const struct profile *p, const struct fw_version *fw,
    struct qajudge_verdict *v)
{
	unsigned all, bit, decide = 0;
	int rank = qajudge_outcome_rank(v->outcome);

	if (v->outcome == QAJUDGE_FAIL || !(o->conds & QAJUDGE_COND_BSS) ||
	    o->bss_cut || (all = qajudge_obs_unknowns(o)) == 0 ||
	    qajudge_outcome_rank(qajudge_worst_outcome(o, r, p, fw, all)) <=
	    rank)
		return;
	for (bit = 1; bit <= all; bit <<= 1)
		if ((all & bit) != 0 && qajudge_outcome_rank(
		    qajudge_worst_outcome(o, r, p, fw, bit)) > rank)
			decide |= bit;
	v->outcome = QAJUDGE_INCONCLUSIVE;
	v->why = QAJUDGE_WHY_BSS_UNKNOWN;
	v->unknown = decide != 0 ? decide : all;
	v->has_finding = judge_ids_has(v->applies, FINDING_WIFI_IE_TRUNCATED);
	v->finding = FINDING_WIFI_IE_TRUNCATED;
}

void
qajudge_run(const struct qajudge_obs *o, const struct rules *r,
    const struct profile *p, const struct fw_version *fw,
    struct qajudge_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->outcome = QAJUDGE_INCONCLUSIVE;
	v->stage = STAGE_CONNECTED;
	v->fail = STAGE_FAIL_NONE;
	if (!profile_knows_firmware(p, fw)) {
		v->why = QAJUDGE_WHY_FIRMWARE_UNKNOWN;
		return;
	}
	if (o == NULL || !o->ran) {
		v->why = o == NULL ? QAJUDGE_WHY_NOT_MEASURED :
		    QAJUDGE_WHY_NOT_RUN;
		return;
	}
	v->applies = qajudge_applies(qajudge_seen(o, p, fw, 0), r, p);
	v->outcome = QAJUDGE_PASS;
	qajudge_decide(v, r);
	qajudge_unknown(o, r, p, fw, v);
	/*
	 * The test itself found no evidence (a resolver that never
	 * answered): nothing it did see makes a pass or a mere warning.
	 */
	if ((v->outcome == QAJUDGE_PASS || v->outcome == QAJUDGE_WARN) &&
	    o->inconclusive) {
		v->outcome = QAJUDGE_INCONCLUSIVE;
		v->why = QAJUDGE_WHY_TEST_INCONCLUSIVE;
		v->has_finding = false;
	}
	/*
	 * A stage that was not checked is no evidence that it works: what
	 * would have passed stays inconclusive (a failure found elsewhere
	 * still stands).
	 */
	if (v->outcome != QAJUDGE_FAIL &&
	    judge_ids_has(o->seen, FINDING_DHCP_SKIPPED)) {
		v->outcome = QAJUDGE_INCONCLUSIVE;
		v->why = QAJUDGE_WHY_SKIPPED;
		v->has_finding = true;
		v->finding = FINDING_DHCP_SKIPPED;
	}
	qajudge_led(v, p, fw);
}
