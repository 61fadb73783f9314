/*
 * test_qajudge.c - the QA judge (analyzers/qajudge.c) with the real rules
 * and the Core and Photon profiles from rules/: the same observation judged
 * for two devices gives each its own LED, the lowest failing stage wins,
 * warnings warn, and what was not measured, not run, skipped or not covered
 * by the profile stays inconclusive.  Findings whose ids lie past the
 * first 64 (the router tests' wan.*, lan.*, dhcp.*) are judged like any.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qajudge.h"
#include "rules_load.h"
#include "test.h"

static struct rules rules;
static const judge_ids none;	/* the empty set */

static void
judge(const struct qajudge_obs *o, const char *dev, const char *fw,
    struct qajudge_verdict *v)
{
	struct fw_version ver;

	fw_version_parse(fw, &ver);
	qajudge_run(o, &rules, rules_profile(&rules, dev), &ver, v);
}

static struct qajudge_obs
seen(judge_ids ids)
{
	struct qajudge_obs o;

	memset(&o, 0, sizeof(o));
	o.ran = true;
	o.seen = ids;
	return o;
}

static void
test_blocked_two_devices(void)
{
	struct qajudge_obs o = seen(judge_ids_one(FINDING_CLOUD_PORT_BLOCKED));
	struct qajudge_verdict v;

	judge(&o, "photon", "0.7.0", &v);
	expect_int("photon: fail", QAJUDGE_FAIL, v.outcome);
	expect_int("photon: cloud stage", STAGE_CLOUD, v.stage);
	expect_int("photon: finding", FINDING_CLOUD_PORT_BLOCKED, v.finding);
	expect_int("photon: orange", LED_ORANGE, v.led.color);
	expect_int("photon: 3 blinks", 3, v.led.count);
	judge(&o, "core", "0.3.4", &v);
	expect_int("core: fail", QAJUDGE_FAIL, v.outcome);
	expect_int("core 2014 firmware: red", LED_RED, v.led.color);
	expect_int("core: 3 blinks", 3, v.led.count);
}

/*
 * A router whose Wi-Fi is 802.11n-only, measured once: Device OS broke
 * n-only joining in 0.7.0 and fixed it in 1.1.0-rc.2 (device-os #1556,
 * the photon profile's n_only_broken defect), and the Core has no 802.11n
 * at all.  Whatever firmware the test ran as, the condition decides.
 */
static void
test_n_only_condition(void)
{
	struct qajudge_obs as063 = seen(none);
	struct qajudge_obs as070 = seen(judge_ids_one(FINDING_WIFI_N_ONLY));
	struct qajudge_obs old = seen(judge_ids_one(FINDING_WIFI_N_ONLY));
	struct qajudge_verdict v;
	unsigned c = 0;

	as063.conds = QAJUDGE_COND_N_ONLY;
	as070.conds = QAJUDGE_COND_N_ONLY;

	judge(&as063, "photon", "0.6.3", &v);
	expect_int("n-only: 0.6.3 joins", QAJUDGE_PASS, v.outcome);
	judge(&as063, "photon", "0.7.0", &v);
	expect_int("n-only: 0.7.0 fails", QAJUDGE_FAIL, v.outcome);
	expect_int("n-only: 0.7.0 at wifi", STAGE_WIFI, v.stage);
	expect_int("n-only: 0.7.0 wifi.n_only", FINDING_WIFI_N_ONLY,
	    v.finding);
	expect_int("n-only: 0.7.0 blinks green", LED_GREEN, v.led.color);
	judge(&as063, "photon", "1.1.0-rc.1", &v);
	expect_int("n-only: 1.1.0-rc.1 still fails", QAJUDGE_FAIL, v.outcome);
	judge(&as063, "photon", "1.1.0", &v);
	expect_int("n-only: 1.1.0 joins again", QAJUDGE_PASS, v.outcome);
	judge(&as063, "core", "0.3.4", &v);
	expect_int("n-only: the Core (b/g) fails", QAJUDGE_FAIL, v.outcome);
	judge(&as070, "photon", "0.6.3", &v);
	expect_int("n-only measured as 0.7.0: 0.6.3 joins", QAJUDGE_PASS,
	    v.outcome);
	judge(&as070, "photon", "2.3.1", &v);
	expect_int("n-only measured as 0.7.0: 2.3.1 joins", QAJUDGE_PASS,
	    v.outcome);
	judge(&old, "photon", "2.3.1", &v);
	expect_int("a finding without its condition stands", QAJUDGE_FAIL,
	    v.outcome);
	test_cond("condition name round trip",
	    qajudge_cond_from_name(qajudge_cond_name(QAJUDGE_COND_N_ONLY),
	    &c) && c == QAJUDGE_COND_N_ONLY &&
	    !qajudge_cond_from_name("wifi.n_only", &c));
}

/* A stored BSS: 2.4 GHz on `ch`, 20 MHz, the given security. */
static struct qajudge_bss
bss24(unsigned ch, enum wifi_security sec)
{
	struct qajudge_bss b;

	memset(&b, 0, sizeof(b));
	b.band = WIFI_BAND_2G4;
	b.channel = (uint8_t)ch;
	b.freq_mhz = (uint16_t)(ch == 14 ? 2484 : 2407 + 5 * ch);
	b.width_mhz = 20;
	b.security = (uint8_t)sec;
	return b;
}

/* The outcome and deciding finding of o for dev fw, as "fail wifi.x". */
static const char *
verdict_of(const struct qajudge_obs *o, const char *dev, const char *fw)
{
	static char buf[80];
	struct qajudge_verdict v;

	judge(o, dev, fw, &v);
	snprintf(buf, sizeof(buf), "%s%s%s", qajudge_outcome_name(v.outcome),
	    v.has_finding ? " " : "", v.has_finding ?
	    finding_name(v.finding) : "");
	return buf;
}

/*
 * The network's BSSes stored (QAJUDGE_COND_BSS), decided again for every
 * device and firmware whatever the test ran as, with findings that are
 * not the Wi-Fi's left as measured.
 */
static void
test_bss_conditions(void)
{
	struct qajudge_obs o = seen(none);
	struct qajudge_bss b;
	struct qajudge_verdict v;
	unsigned i, c = 0;

	/* WPA2-Enterprise measured as photon 2.3.1 (no finding). */
	b = bss24(6, WIFI_SEC_WPA2_EAP);
	qajudge_bss_add(&o, &b);
	expect_str("enterprise: 0.6.3 cannot join",
	    "fail wifi.security_unsupported", verdict_of(&o, "photon", "0.6.3"));
	judge(&o, "photon", "0.6.3", &v);
	test_cond("enterprise: 0.6.3 names wifi.enterprise",
	    judge_ids_has(v.applies, FINDING_WIFI_ENTERPRISE));
	expect_int("enterprise: 0.6.3 blinks green", LED_GREEN, v.led.color);
	expect_str("enterprise: 0.7.0-rc.1 joins (the first with 802.1X)",
	    "pass", verdict_of(&o, "photon", "0.7.0-rc.1"));
	expect_str("enterprise: the Core never joins",
	    "fail wifi.security_unsupported", verdict_of(&o, "core", "1.4.4"));
	/* Measured as 0.6.3 (wifi.enterprise seen): 2.3.1 joins. */
	judge_ids_add(&o.seen, FINDING_WIFI_ENTERPRISE);
	judge_ids_add(&o.seen, FINDING_WIFI_SECURITY_UNSUPPORTED);
	expect_str("enterprise measured as 0.6.3: 2.3.1 joins", "pass",
	    verdict_of(&o, "photon", "2.3.1"));
	/* Findings of other stages stay as measured. */
	judge_ids_add(&o.seen, FINDING_CLOUD_PORT_BLOCKED);
	expect_str("enterprise + blocked cloud: 2.3.1 fails at the cloud",
	    "fail cloud.port_blocked", verdict_of(&o, "photon", "2.3.1"));

	/* Channel 13 measured as a Photon: the Core scans 1-11 only. */
	o = seen(none);
	b = bss24(13, WIFI_SEC_WPA2_PSK);
	qajudge_bss_add(&o, &b);
	expect_str("channel 13: the photon (country unset: Japan) joins",
	    "pass", verdict_of(&o, "photon", "0.6.3"));
	expect_str("channel 13: the Core cannot",
	    "fail wifi.channel_above_max", verdict_of(&o, "core", "1.4.4"));
	/* The same SSID on channel 6 too: the Core joins that one. */
	b = bss24(6, WIFI_SEC_WPA2_PSK);
	qajudge_bss_add(&o, &b);
	expect_str("channel 13 and 6: the Core joins channel 6", "pass",
	    verdict_of(&o, "core", "1.4.4"));

	/* 5 GHz only; then beside a 2.4 GHz BSS. */
	o = seen(none);
	b = bss24(6, WIFI_SEC_WPA2_PSK);
	b.band = WIFI_BAND_5G;
	b.channel = 36;
	b.freq_mhz = 5180;
	qajudge_bss_add(&o, &b);
	expect_str("5 GHz only: the photon cannot",
	    "fail wifi.band_unsupported", verdict_of(&o, "photon", "2.3.1"));
	b = bss24(6, WIFI_SEC_WPA2_PSK);
	qajudge_bss_add(&o, &b);
	expect_str("5 and 2.4 GHz: the 2.4 GHz BSS is joined", "pass",
	    verdict_of(&o, "core", "0.3.4"));

	/* Hidden: a warning for every device and firmware. */
	o = seen(none);
	b = bss24(1, WIFI_SEC_WPA2_PSK);
	b.hidden = true;
	qajudge_bss_add(&o, &b);
	expect_str("hidden: photon warns", "warn wifi.hidden_ssid",
	    verdict_of(&o, "photon", "0.4.0"));
	expect_str("hidden: core warns", "warn wifi.hidden_ssid",
	    verdict_of(&o, "core", "1.4.4"));

	/* WPA2 with a WEP group cipher: the Photon's defect only. */
	o = seen(none);
	b = bss24(6, WIFI_SEC_WPA2_PSK);
	b.wep_group = true;
	qajudge_bss_add(&o, &b);
	expect_str("WPA2+WEP: the photon cannot",
	    "fail wifi.security_unsupported", verdict_of(&o, "photon", "2.3.1"));
	expect_str("WPA2+WEP: the Core can", "pass",
	    verdict_of(&o, "core", "1.4.4"));

	/* n-only through the BSS, as the older condition decided it. */
	o = seen(none);
	b = bss24(6, WIFI_SEC_WPA2_PSK);
	b.n_only = true;
	qajudge_bss_add(&o, &b);
	expect_str("n-only BSS: 0.6.3 joins", "pass",
	    verdict_of(&o, "photon", "0.6.3"));
	expect_str("n-only BSS: 0.7.0 fails", "fail wifi.n_only",
	    verdict_of(&o, "photon", "0.7.0"));
	expect_str("n-only BSS: 1.1.0 joins", "pass",
	    verdict_of(&o, "photon", "1.1.0"));

	/* An equal BSS is kept once; past QAJUDGE_BSS_MAX, as measured. */
	qajudge_bss_add(&o, &b);
	expect_int("an equal BSS is kept once", 1, o.nbss);
	o = seen(judge_ids_one(FINDING_WIFI_CHANNEL_ABOVE_MAX));
	for (i = 0; i <= QAJUDGE_BSS_MAX; i++) {
		b = bss24(1 + i, WIFI_SEC_WPA2_PSK);
		qajudge_bss_add(&o, &b);
	}
	test_cond("one past QAJUDGE_BSS_MAX: cut", o.bss_cut &&
	    o.nbss == QAJUDGE_BSS_MAX);
	expect_str("cut: the measured finding stands",
	    "fail wifi.channel_above_max", verdict_of(&o, "photon", "2.3.1"));
	/*
	 * A campus network: the same SSID on 15 channels of 5 GHz and on
	 * 2.4 GHz channel 13, measured as a Photon (country unset: it scans
	 * 13, no finding).  Every BSS is kept, so the Core, which scans
	 * 1 to 11 on 2.4 GHz only, is judged on all of them: it cannot join
	 * (with 8 kept the rest were cut and the Photon's pass stood).
	 */
	o = seen(none);
	for (i = 0; i < 15; i++) {
		b = bss24(6, WIFI_SEC_WPA2_PSK);
		b.band = WIFI_BAND_5G;
		b.channel = (uint8_t)(36 + 4 * i);
		b.freq_mhz = (uint16_t)(5000 + 5 * b.channel);
		qajudge_bss_add(&o, &b);
	}
	b = bss24(13, WIFI_SEC_WPA2_PSK);
	qajudge_bss_add(&o, &b);
	test_cond("16 distinct BSSes: all kept", !o.bss_cut && o.nbss == 16);
	expect_str("16 BSSes: the Photon joins channel 13", "pass",
	    verdict_of(&o, "photon", "2.3.1"));
	expect_str("16 BSSes: the Core joins none",
	    "fail wifi.channel_above_max",
	    verdict_of(&o, "core", "1.4.4"));
	test_cond("condition name round trip: wifi.bss",
	    qajudge_cond_from_name("wifi.bss", &c) && c == QAJUDGE_COND_BSS);
}

/* The Wi-Fi ids judge_bss_check() gives w, as diagnose checks it. */
static judge_ids
diagnose_ids(const struct qajudge_bss *b, const char *dev, const char *fw)
{
	struct wifi_bss w;
	struct fw_version ver;
	judge_ids issues, blocks;

	wifi_bss_init(&w);
	w.band = (enum wifi_band)b->band;
	w.channel = b->channel;
	w.freq_mhz = b->freq_mhz;
	w.width_mhz = b->width_mhz;
	w.security = (enum wifi_security)b->security;
	w.n_only_unknown = b->n_only_unknown;
	w.g_only_unknown = b->g_only_unknown;
	fw_version_parse(fw, &ver);
	judge_bss_check(&w, rules_profile(&rules, dev), &ver, &issues,
	    &blocks);
	return issues;
}

/*
 * A BSS whose n-only-ness is unknown (its frames cut): not re-judged as
 * "not n-only".  diagnose gives wifi.ie_truncated (info, never blocking)
 * and no wifi.n_only; the judge gives the same findings, and where an
 * n-only network fails the firmware (photon 0.7.0, the Core) it does not
 * pass: inconclusive.  Where n-only is fine (0.6.3, 1.1.0) it passes.
 */
static void
test_bss_unknown(void)
{
	struct qajudge_obs o = seen(judge_ids_one(FINDING_WIFI_IE_TRUNCATED));
	struct qajudge_bss b = bss24(6, WIFI_SEC_WPA2_PSK), k;
	struct qajudge_verdict v;
	judge_ids d;

	b.n_only_unknown = true;
	qajudge_bss_add(&o, &b);
	expect_str("n-only unknown: 0.7.0 is not a pass",
	    "inconclusive wifi.ie_truncated", verdict_of(&o, "photon", "0.7.0"));
	judge(&o, "photon", "0.7.0", &v);
	expect_int("n-only unknown: 0.7.0 why", QAJUDGE_WHY_BSS_UNKNOWN,
	    v.why);
	d = diagnose_ids(&b, "photon", "0.7.0");
	test_cond("diagnose: ie_truncated, no n_only",
	    judge_ids_has(d, FINDING_WIFI_IE_TRUNCATED) &&
	    !judge_ids_has(d, FINDING_WIFI_N_ONLY));
	test_cond("judge: the same Wi-Fi findings as diagnose",
	    judge_ids_has(v.applies, FINDING_WIFI_IE_TRUNCATED) &&
	    !judge_ids_has(v.applies, FINDING_WIFI_N_ONLY));
	expect_str("n-only unknown: the Core (b/g) is not a pass",
	    "inconclusive wifi.ie_truncated", verdict_of(&o, "core", "1.4.4"));
	expect_str("n-only unknown: 0.6.3 passes", "pass",
	    verdict_of(&o, "photon", "0.6.3"));
	expect_str("n-only unknown: 1.1.0 passes", "pass",
	    verdict_of(&o, "photon", "1.1.0"));
	/* Not seen when measured (a device that skipped this BSS): added. */
	o.seen = none;
	judge(&o, "photon", "1.1.0", &v);
	test_cond("ie_truncated from the stored BSS",
	    judge_ids_has(v.applies, FINDING_WIFI_IE_TRUNCATED));
	/* A known, joinable sibling: the unknown cannot stop 0.7.0. */
	k = bss24(1, WIFI_SEC_WPA2_PSK);
	qajudge_bss_add(&o, &k);
	expect_str("beside a known b/g/n BSS: 0.7.0 passes", "pass",
	    verdict_of(&o, "photon", "0.7.0"));
	/* A failure found elsewhere still fails. */
	o = seen(judge_ids_one(FINDING_CLOUD_PORT_BLOCKED));
	qajudge_bss_add(&o, &b);
	expect_str("n-only unknown, cloud blocked: fail",
	    "fail cloud.port_blocked", verdict_of(&o, "photon", "0.7.0"));
	/* g-only unknown: both devices speak 802.11g, so it stops neither. */
	o = seen(none);
	b = bss24(6, WIFI_SEC_WPA2_PSK);
	b.g_only_unknown = true;
	qajudge_bss_add(&o, &b);
	expect_str("g-only unknown: the Core passes", "pass",
	    verdict_of(&o, "core", "1.4.4"));
	d = diagnose_ids(&b, "core", "1.4.4");
	judge(&o, "core", "1.4.4", &v);
	test_cond("g-only unknown: ie_truncated, as diagnose",
	    judge_ids_has(d, FINDING_WIFI_IE_TRUNCATED) &&
	    judge_ids_has(v.applies, FINDING_WIFI_IE_TRUNCATED));
}

/* o with one stored BSS b (seen: nothing). */
static struct qajudge_obs
one_bss(const struct qajudge_bss *b)
{
	struct qajudge_obs o = seen(none);

	qajudge_bss_add(&o, b);
	return o;
}

/* Which unknowns the verdict names, in words ("" for none). */
static const char *
unknown_of(const struct qajudge_obs *o, const char *dev, const char *fw)
{
	static char buf[120];
	struct qajudge_verdict v;

	judge(o, dev, fw, &v);
	qajudge_unknown_text(v.unknown, buf, sizeof(buf));
	return buf;
}

/*
 * Unknown security, PMF, band, channel or width of a stored BSS: where
 * some value of it would fail or warn the device, no pass.  Before, each
 * of these passed (with wifi.ie_truncated, info, where the frames were
 * cut).
 */
static void
test_bss_unknown_more(void)
{
	struct qajudge_bss b = bss24(6, WIFI_SEC_UNKNOWN), k;
	struct qajudge_obs o;

	/* Security unknown (a cut list): WPA3, OWE, Enterprise, ... */
	b.pmf = WIFI_PMF_UNKNOWN;
	b.elements_cut = true;
	b.pmf = WIFI_PMF_UNKNOWN;
	o = one_bss(&b);
	expect_str("security unknown: photon 0.6.3 (no Enterprise)",
	    "inconclusive wifi.ie_truncated", verdict_of(&o, "photon", "0.6.3"));
	expect_str("security unknown: photon 1.5.2 (no WPA3)",
	    "inconclusive wifi.ie_truncated", verdict_of(&o, "photon", "1.5.2"));
	expect_str("security unknown: the Core",
	    "inconclusive wifi.ie_truncated", verdict_of(&o, "core", "1.4.4"));
	expect_str("security unknown: named", "security",
	    unknown_of(&o, "photon", "1.5.2"));
	/*
	 * An RSN element whose AKM is unknown, its capabilities read (whole
	 * frames, PMF known): inconclusive all the same.
	 */
	b.elements_cut = false;
	b.pmf = WIFI_PMF_NONE;
	o = one_bss(&b);
	expect_str("AKM unknown, frames whole: inconclusive",
	    "inconclusive", verdict_of(&o, "photon", "1.5.2"));
	b.elements_cut = true;
	o = one_bss(&b);
	/* Beside a known joinable BSS: that one is joined. */
	k = bss24(1, WIFI_SEC_WPA2_PSK);
	qajudge_bss_add(&o, &k);
	expect_str("security unknown beside known WPA2: pass", "pass",
	    verdict_of(&o, "photon", "1.5.2"));
	/* A failure found elsewhere stands. */
	o = one_bss(&b);
	judge_ids_add(&o.seen, FINDING_CLOUD_PORT_BLOCKED);
	expect_str("security unknown, cloud blocked: fail",
	    "fail cloud.port_blocked", verdict_of(&o, "photon", "1.5.2"));

	/* PMF unknown on known WPA2-PSK: required would stop both. */
	b = bss24(6, WIFI_SEC_WPA2_PSK);
	b.pmf = WIFI_PMF_UNKNOWN;
	o = one_bss(&b);
	expect_str("PMF unknown: inconclusive",
	    "inconclusive wifi.ie_truncated", verdict_of(&o, "photon", "1.5.2"));
	expect_str("PMF unknown: named", "PMF",
	    unknown_of(&o, "photon", "1.5.2"));

	/* Band unknown: 5 GHz would stop 2.4 GHz-only devices. */
	b = bss24(6, WIFI_SEC_WPA2_PSK);
	b.band = WIFI_BAND_UNKNOWN;
	b.channel = 0;
	b.freq_mhz = 0;
	o = one_bss(&b);
	expect_str("band unknown: photon", "inconclusive",
	    verdict_of(&o, "photon", "1.5.2"));
	expect_str("band unknown: named", "band or channel",
	    unknown_of(&o, "photon", "1.5.2"));

	/* A 2.4 GHz channel unknown: 12-14 stop the Core, not the Photon. */
	b = bss24(6, WIFI_SEC_WPA2_PSK);
	b.channel = 0;
	b.freq_mhz = 0;
	o = one_bss(&b);
	expect_str("2.4 GHz channel unknown: the Core", "inconclusive",
	    verdict_of(&o, "core", "1.4.4"));
	expect_str("2.4 GHz channel unknown: the Photon (1-14) passes",
	    "pass", verdict_of(&o, "photon", "1.5.2"));

	/* WPA2 with the group cipher unknown is not stored so: known. */
	b = bss24(6, WIFI_SEC_WPA2_PSK);
	b.wep_group = true;
	o = one_bss(&b);
	expect_str("WPA2+WEP known: photon 0.6.3 fails (wpa2_wep_mixed)",
	    "fail wifi.security_unsupported", verdict_of(&o, "photon", "0.6.3"));

	/* Width unknown: a wide channel warns a 20 MHz device. */
	b = bss24(6, WIFI_SEC_WPA2_PSK);
	b.width_mhz = 0;
	o = one_bss(&b);
	expect_str("width unknown: no pass for a 20 MHz device",
	    "inconclusive", verdict_of(&o, "photon", "1.5.2"));
	expect_str("width unknown: named", "channel width",
	    unknown_of(&o, "photon", "1.5.2"));
	/* ... but a verdict already a warning stays one. */
	b.hidden = true;
	o = one_bss(&b);
	expect_str("width unknown, hidden SSID (warn): still warn",
	    "warn wifi.hidden_ssid", verdict_of(&o, "photon", "1.5.2"));

	/* Everything known: a pass, and nothing named. */
	b = bss24(6, WIFI_SEC_WPA2_PSK);
	o = one_bss(&b);
	expect_str("all known: pass", "pass", verdict_of(&o, "photon",
	    "1.5.2"));
	test_cond("all known: no unknowns", qajudge_bss_unknowns(&b) == 0);
	/* A whole cut BSS: every unknown named that would decide alone. */
	b = bss24(6, WIFI_SEC_UNKNOWN);
	b.pmf = WIFI_PMF_UNKNOWN;
	b.width_mhz = 0;
	b.n_only_unknown = true;
	b.elements_cut = true;
	o = one_bss(&b);
	expect_str("cut BSS, photon 0.7.0: the unknowns that decide",
	    "802.11n-only, security, channel width",
	    unknown_of(&o, "photon", "0.7.0"));
	expect_str("cut BSS, photon 1.5.2: n-only does not decide",
	    "security, channel width", unknown_of(&o, "photon", "1.5.2"));
}

/*
 * A beacon cut before any Mesh ID, its SSID empty: hidden or a mesh BSS,
 * unknown (stored hidden null), everything else known.  A hidden SSID
 * warns every device, so at its worst what passes is inconclusive (unknown:
 * hidden SSID), as for the other unknowns; a warning or a failure found
 * anyway stays.  Read as "not hidden" (the store before), it passed.
 */
static void
test_hidden_unknown(void)
{
	struct qajudge_bss b = bss24(6, WIFI_SEC_WPA2_PSK);
	struct qajudge_obs o;
	struct qajudge_verdict v;

	b.elements_cut = true;
	b.hidden_unknown = true;
	test_cond("hidden unknown: the only unknown",
	    qajudge_bss_unknowns(&b) == QAJUDGE_UNK_HIDDEN);
	o = one_bss(&b);
	expect_str("hidden unknown: photon 2.3.1 not a pass",
	    "inconclusive wifi.ie_truncated", verdict_of(&o, "photon", "2.3.1"));
	judge(&o, "photon", "2.3.1", &v);
	expect_int("hidden unknown: why", QAJUDGE_WHY_BSS_UNKNOWN, v.why);
	expect_str("hidden unknown: named", "hidden SSID",
	    unknown_of(&o, "photon", "2.3.1"));
	expect_str("hidden unknown: photon 0.6.3 (manual cipher) too",
	    "inconclusive wifi.ie_truncated", verdict_of(&o, "photon", "0.6.3"));
	expect_str("hidden unknown: the Core too",
	    "inconclusive wifi.ie_truncated", verdict_of(&o, "core", "0.3.4"));
	test_cond("hidden unknown: no hidden_ssid finding itself",
	    !judge_ids_has(v.applies, FINDING_WIFI_HIDDEN_SSID));
	/* Known either way: as before. */
	b.hidden_unknown = false;
	o = one_bss(&b);
	expect_str("not hidden: pass", "pass", verdict_of(&o, "photon",
	    "2.3.1"));
	b.hidden = true;
	o = one_bss(&b);
	expect_str("hidden: warn", "warn wifi.hidden_ssid",
	    verdict_of(&o, "photon", "2.3.1"));
	/* A failure found elsewhere stands. */
	b.hidden = false;
	b.hidden_unknown = true;
	o = one_bss(&b);
	judge_ids_add(&o.seen, FINDING_CLOUD_PORT_BLOCKED);
	expect_str("hidden unknown, cloud blocked: fail",
	    "fail cloud.port_blocked", verdict_of(&o, "photon", "2.3.1"));
}

static void
test_lowest_stage(void)
{
	struct qajudge_obs o = seen(judge_ids_or(judge_ids_or(
	    judge_ids_one(FINDING_CLOUD_PORT_BLOCKED),
	    judge_ids_one(FINDING_DHCP_NO_OFFER)),
	    judge_ids_one(FINDING_DNS_HIJACKED)));
	struct qajudge_verdict v;

	judge(&o, "photon", "0.7.0", &v);
	expect_int("lowest: fail", QAJUDGE_FAIL, v.outcome);
	expect_int("lowest: dhcp", STAGE_DHCP, v.stage);
	expect_int("lowest: dhcp.no_offer", FINDING_DHCP_NO_OFFER, v.finding);
	test_cond("lowest: all three apply",
	    judge_ids_empty(judge_ids_minus(v.applies, o.seen)) &&
	    judge_ids_has(v.applies, FINDING_DNS_HIJACKED));
}

static void
test_pass_and_warn(void)
{
	struct qajudge_obs o = seen(none);
	struct qajudge_verdict v;

	judge(&o, "photon", "0.6.3", &v);
	expect_int("pass", QAJUDGE_PASS, v.outcome);
	expect_int("pass: connected", STAGE_CONNECTED, v.stage);
	expect_int("pass: cyan", LED_CYAN, v.led.color);
	expect_int("pass: breathing", LED_BREATHE, v.led.pattern);
	test_cond("pass: no finding", !v.has_finding);
	o = seen(judge_ids_one(FINDING_DHCP_MULTIPLE_SERVERS));
	judge(&o, "photon", "0.6.3", &v);
	expect_int("warn", QAJUDGE_WARN, v.outcome);
	expect_int("warn: finding", FINDING_DHCP_MULTIPLE_SERVERS, v.finding);
	expect_int("warn: still breathing cyan", LED_CYAN, v.led.color);
}

static void
test_inconclusive(void)
{
	struct qajudge_obs o = seen(none);
	struct qajudge_verdict v;

	judge(NULL, "photon", "0.7.0", &v);
	expect_int("not measured", QAJUDGE_INCONCLUSIVE, v.outcome);
	expect_int("not measured: why", QAJUDGE_WHY_NOT_MEASURED, v.why);
	o.ran = false;
	judge(&o, "photon", "0.7.0", &v);
	expect_int("not run", QAJUDGE_INCONCLUSIVE, v.outcome);
	expect_int("not run: why", QAJUDGE_WHY_NOT_RUN, v.why);
	o = seen(judge_ids_one(FINDING_DHCP_SKIPPED));
	judge(&o, "photon", "0.7.0", &v);
	expect_int("dhcp skipped: no pass", QAJUDGE_INCONCLUSIVE, v.outcome);
	expect_int("dhcp skipped: why", QAJUDGE_WHY_SKIPPED, v.why);
	o = seen(judge_ids_or(judge_ids_one(FINDING_DHCP_SKIPPED),
	    judge_ids_one(FINDING_CLOUD_PORT_BLOCKED)));
	judge(&o, "photon", "0.7.0", &v);
	expect_int("dhcp skipped, cloud blocked: still a fail",
	    QAJUDGE_FAIL, v.outcome);
	/*
	 * The test's own report was inconclusive (a resolver that never
	 * answered): no pass and no mere warning, for any device; a failure
	 * it found stands.
	 */
	o = seen(none);
	o.inconclusive = true;
	judge(&o, "photon", "0.7.0", &v);
	expect_int("test inconclusive: no pass", QAJUDGE_INCONCLUSIVE,
	    v.outcome);
	expect_int("test inconclusive: why", QAJUDGE_WHY_TEST_INCONCLUSIVE,
	    v.why);
	test_cond("test inconclusive: no deciding finding", !v.has_finding);
	test_cond("test inconclusive: the why says so",
	    strstr(qajudge_why_text(v.why), "inconclusive") != NULL);
	judge(&o, "core", "0.3.4", &v);
	expect_int("test inconclusive: the Core too", QAJUDGE_INCONCLUSIVE,
	    v.outcome);
	o = seen(judge_ids_one(FINDING_DNS_REBIND_BLOCKED));
	o.inconclusive = true;
	judge(&o, "photon", "0.7.0", &v);
	expect_int("test inconclusive with a warning: no warn",
	    QAJUDGE_INCONCLUSIVE, v.outcome);
	test_cond("test inconclusive with a warning: still in applies",
	    judge_ids_has(v.applies, FINDING_DNS_REBIND_BLOCKED));
	o = seen(judge_ids_one(FINDING_CLOUD_PORT_BLOCKED));
	o.inconclusive = true;
	judge(&o, "photon", "0.7.0", &v);
	expect_int("test inconclusive, cloud blocked: still a fail",
	    QAJUDGE_FAIL, v.outcome);
	o = seen(none);
	judge(&o, "core", "9.9.9", &v);
	expect_int("firmware the profile lacks", QAJUDGE_INCONCLUSIVE,
	    v.outcome);
	expect_int("firmware the profile lacks: why",
	    QAJUDGE_WHY_FIRMWARE_UNKNOWN, v.why);
}

static void
test_names(void)
{
	enum qajudge_outcome o;
	int i;

	for (i = 0; i < QAJUDGE_OUTCOME_COUNT; i++) {
		test_cond("outcome name round trip",
		    qajudge_outcome_from_name(qajudge_outcome_name(
		    (enum qajudge_outcome)i), &o) && (int)o == i);
	}
	test_cond("unknown outcome", !qajudge_outcome_from_name("meh", &o));
	test_cond("fail is worst", qajudge_outcome_rank(QAJUDGE_FAIL) >
	    qajudge_outcome_rank(QAJUDGE_INCONCLUSIVE) &&
	    qajudge_outcome_rank(QAJUDGE_INCONCLUSIVE) >
	    qajudge_outcome_rank(QAJUDGE_WARN) &&
	    qajudge_outcome_rank(QAJUDGE_WARN) >
	    qajudge_outcome_rank(QAJUDGE_PASS));
}

/* Ids past the first word of the set count like the first ones. */
static void
test_high_ids(void)
{
	struct qajudge_obs o = seen(judge_ids_one(FINDING_WAN_NO_RECOVERY));
	struct qajudge_verdict v;

	test_cond("wan.no_recovery lies past bit 63",
	    FINDING_WAN_NO_RECOVERY >= 64);
	judge(&o, "photon", "0.7.0", &v);
	expect_int("wan.no_recovery: fail", QAJUDGE_FAIL, v.outcome);
	expect_int("wan.no_recovery: cloud stage", STAGE_CLOUD, v.stage);
	expect_int("wan.no_recovery: the finding", FINDING_WAN_NO_RECOVERY,
	    v.finding);
	o = seen(judge_ids_or(judge_ids_one(FINDING_DHCP_SKIPPED),
	    judge_ids_one(FINDING_LAN_ISOLATED)));
	judge(&o, "photon", "0.7.0", &v);
	test_cond("lan.isolated applies", judge_ids_has(v.applies,
	    FINDING_LAN_ISOLATED) && judge_ids_has(v.applies,
	    FINDING_DHCP_SKIPPED));
}

/* A failure at "connected" itself: the NAT cuts the session. */
static void
test_session_failure(void)
{
	struct qajudge_obs o = seen(judge_ids_one(FINDING_NAT_TCP_SHORT));
	struct qajudge_verdict v;

	judge(&o, "photon", "1.5.2", &v);
	expect_int("nat.tcp_short: fail", QAJUDGE_FAIL, v.outcome);
	expect_int("nat.tcp_short: connected stage", STAGE_CONNECTED, v.stage);
	expect_int("nat.tcp_short: session", STAGE_FAIL_SESSION, v.fail);
	expect_int("nat.tcp_short: blinking cyan", LED_CYAN, v.led.color);
	expect_int("nat.tcp_short: blinking", LED_BLINK, v.led.pattern);
	o = seen(judge_ids_one(FINDING_NAT_UDP_SHORT));
	judge(&o, "photon", "1.5.2", &v);
	expect_int("nat.udp_short (a warning): warn", QAJUDGE_WARN,
	    v.outcome);
}

/* A NAT curve: alive at `alive` s idle, dead at `dead` (0: none dead). */
static struct rqa_nat
curve(double alive, double dead)
{
	struct rqa_nat n;

	memset(&n, 0, sizeof(n));
	n.nprobed = 4;
	n.alive_s = alive;
	n.dead_s = dead;
	n.monotonic = true;
	return n;
}

/*
 * nat-lifetime, measured once (as a Photon on 1.5.2, whose keep-alive is
 * 15 s: nat.tcp_short seen), judged for each firmware against its own
 * interval.  Every Core and Photon era pings after 15 s idle
 * (particle-cloud.md 1.5), so another interval is a profile copy here:
 * what a new era's profile would say.  A 12 s TCP lifetime outlives a 10 s
 * keep-alive (only nat.tcp_below_rfc, a warning) and kills a 15 s one.
 */
static void
test_nat_keepalive_per_firmware(void)
{
	static struct profile p10;
	struct qajudge_obs o = seen(judge_ids_one(FINDING_NAT_TCP_SHORT));
	struct qajudge_obs older = o;
	struct qajudge_obs as10 = seen(judge_ids_one(FINDING_NAT_TCP_BELOW_RFC));
	struct qajudge_verdict v;
	struct fw_version ver;
	unsigned c = 0;

	o.conds = as10.conds = QAJUDGE_COND_NAT;
	o.nat[QAJUDGE_NAT_TCP] = o.nat[QAJUDGE_NAT_TLS] = curve(11, 13);
	o.nat[QAJUDGE_NAT_UDP] = curve(200, 0);
	as10.nat[QAJUDGE_NAT_TCP] = as10.nat[QAJUDGE_NAT_TLS] = curve(11, 13);
	as10.nat[QAJUDGE_NAT_UDP] = curve(200, 0);
	p10 = *rules_profile(&rules, "photon");
	test_cond("photon has one keep-alive era", p10.nkeepalives == 1);
	p10.keepalive[0].interval_ms = 10000;
	fw_version_parse("1.5.2", &ver);

	judge(&o, "photon", "1.5.2", &v);
	expect_int("15 s: fail", QAJUDGE_FAIL, v.outcome);
	expect_int("15 s: nat.tcp_short", FINDING_NAT_TCP_SHORT, v.finding);
	judge(&o, "core", "0.3.4", &v);
	expect_int("core 15 s: fail", QAJUDGE_FAIL, v.outcome);
	qajudge_run(&o, &rules, &p10, &ver, &v);
	expect_int("10 s: warn", QAJUDGE_WARN, v.outcome);
	expect_int("10 s: below RFC 5382", FINDING_NAT_TCP_BELOW_RFC,
	    v.finding);
	test_cond("10 s: no tcp_short", !judge_ids_has(v.applies,
	    FINDING_NAT_TCP_SHORT));
	/* Measured as the 10 s era, judged for the 15 s one. */
	qajudge_run(&as10, &rules, &p10, &ver, &v);
	expect_int("as 10 s, for 10 s: warn", QAJUDGE_WARN, v.outcome);
	judge(&as10, "photon", "1.5.2", &v);
	expect_int("as 10 s, for 15 s: fail", QAJUDGE_FAIL, v.outcome);
	expect_int("as 10 s, for 15 s: tcp_short", FINDING_NAT_TCP_SHORT,
	    v.finding);
	/* A lifetime the probes cannot place against 10 s: no finding from
	 * it, as the measurement says (alive 9, dead 13; TCP 443 lives). */
	o.nat[QAJUDGE_NAT_TCP] = curve(9, 13);
	o.nat[QAJUDGE_NAT_TLS] = curve(8000, 0);
	qajudge_run(&o, &rules, &p10, &ver, &v);
	test_cond("9-13 s against 10 s: no tcp finding",
	    !judge_ids_has(v.applies, FINDING_NAT_TCP_SHORT) &&
	    !judge_ids_has(v.applies, FINDING_NAT_TCP_BELOW_RFC));
	/* A store without the curves keeps what it measured. */
	qajudge_run(&older, &rules, &p10, &ver, &v);
	expect_int("no curves stored: as measured", FINDING_NAT_TCP_SHORT,
	    v.finding);
	test_cond("condition name round trip: nat.lifetimes",
	    qajudge_cond_from_name("nat.lifetimes", &c) &&
	    c == QAJUDGE_COND_NAT && strcmp(qajudge_cond_name(c),
	    "nat.lifetimes") == 0);
}

/*
 * A BSS whose band and channel are unknown is judged at their worst: the
 * judge tries every 2.4 GHz channel and one channel of 5 and of 6 GHz,
 * since a device's profile decides 5 and 6 GHz by the band alone
 * (judge.c check_known).  Checked against every channel of each band:
 * for each device and firmware, where any channel would fail or warn,
 * the unknown one is inconclusive, and where all pass, it passes.  The
 * profiles include "dual", the Photon's with a 5 GHz radio (no 6 GHz),
 * read from rules/devices/photon.json: there only 6 GHz stops it.
 */
static void
test_band_unknown_any_channel(void)
{
	static const char *const devfw[][2] = {
		{ "core", "1.4.4" }, { "photon", "0.7.0" },
		{ "photon", "2.3.1" }, { "dual", "2.3.1" }
	};
	static const uint8_t bands[] = { WIFI_BAND_2G4, WIFI_BAND_5G,
		WIFI_BAND_6G };
	struct qajudge_obs u, c;
	struct qajudge_bss b;
	struct qajudge_verdict v;
	char err[256], buf[96], *json, *dual, *at, *name;
	size_t d, k, len;
	unsigned ch, freq, nworse;
	FILE *f;

	/* The "dual" profile: photon.json renamed, with 5 GHz. */
	json = calloc(1, 1 << 16);
	dual = calloc(1, 1 << 16);
	f = fopen("rules/devices/photon.json", "r");
	len = f != NULL ? fread(json, 1, (1 << 16) - 1, f) : 0;
	if (f != NULL)
		fclose(f);
	if ((at = strstr(json, "\"bands\": [\"2.4\"]")) != NULL &&
	    (name = strstr(json, "\"name\": \"photon\"")) != NULL &&
	    name < at) {
		*name = '\0';
		*at = '\0';
		len = (size_t)snprintf(dual, 1 << 16, "%s\"name\": \"dual\"%s"
		    "\"bands\": [\"2.4\", \"5\"]%s", json,
		    name + strlen("\"name\": \"photon\""),
		    at + strlen("\"bands\": [\"2.4\"]"));
	}
	test_cond("the dual profile parses", rules_parse_profile(&rules, dual,
	    len, "dual.json", err, sizeof(err)) == 0 &&
	    rules_profile(&rules, "dual") != NULL);
	free(json);
	free(dual);

	for (d = 0; d < sizeof(devfw) / sizeof(devfw[0]); d++) {
		if (rules_profile(&rules, devfw[d][0]) == NULL)
			continue;
		u = seen(none);
		b = bss24(6, WIFI_SEC_WPA2_PSK);
		b.band = WIFI_BAND_UNKNOWN;
		b.channel = 0;
		b.freq_mhz = 0;
		qajudge_bss_add(&u, &b);
		nworse = 0;
		for (k = 0; k < sizeof(bands); k++)
			for (ch = 1; ch <= 233; ch++) {
				freq = wifi_channel_to_freq(ch,
				    (enum wifi_band)bands[k]);
				if (freq == 0)
					continue;
				c = seen(none);
				b.band = bands[k];
				b.channel = (uint8_t)ch;
				b.freq_mhz = (uint16_t)freq;
				qajudge_bss_add(&c, &b);
				judge(&c, devfw[d][0], devfw[d][1], &v);
				nworse += v.outcome != QAJUDGE_PASS;
			}
		judge(&u, devfw[d][0], devfw[d][1], &v);
		snprintf(buf, sizeof(buf), "unknown band: %s %s, %u channels "
		    "worse than a pass", devfw[d][0], devfw[d][1], nworse);
		test_cond(buf, nworse > 0 ? v.outcome == QAJUDGE_INCONCLUSIVE &&
		    (v.unknown & QAJUDGE_UNK_CHANNEL) :
		    v.outcome == QAJUDGE_PASS);
	}
	/* The dual profile is what it says: 5 GHz joins, 6 GHz does not. */
	c = seen(none);
	b.band = WIFI_BAND_5G;
	b.channel = 165;
	b.freq_mhz = 5825;
	qajudge_bss_add(&c, &b);
	expect_str("dual: 5 GHz channel 165 joins", "pass",
	    verdict_of(&c, "dual", "2.3.1"));
	c = seen(none);
	b.band = WIFI_BAND_6G;
	b.channel = 37;
	b.freq_mhz = 6135;
	qajudge_bss_add(&c, &b);
	expect_str("dual: 6 GHz does not", "fail wifi.band_unsupported",
	    verdict_of(&c, "dual", "2.3.1"));
}

int
main(void)
{
	char err[512];

	rules_init(&rules);
	if (rules_load("rules", &rules, err, sizeof(err)) != 0) {
		printf("FAIL test_qajudge: %s\n", err);
		return test_report() + 1;
	}
	test_blocked_two_devices();
	test_lowest_stage();
	test_pass_and_warn();
	test_n_only_condition();
	test_bss_conditions();
	test_bss_unknown();
	test_bss_unknown_more();
	test_hidden_unknown();
	test_inconclusive();
	test_names();
	test_high_ids();
	test_session_failure();
	test_nat_keepalive_per_firmware();
	test_band_unknown_any_channel();
	return test_report();
}
