/*
 * qajudge.h - the QA judge: what a router cell's stored observations mean
 * for one device and firmware.  Measure once, judge many: a test ran once
 * on a cell and recorded the findings it saw (finding.h ids); this decides,
 * from the rules and the device profile alone, whether that device on that
 * firmware connects there, and if not, at which stage, with which LED and
 * because of which finding.  So a new firmware's profile, or new rules,
 * re-judge old measurements without lab time.  Pure: no I/O, no
 * allocation, so `qa judge` runs it over any number of stored cells.
 */
#ifndef QAJUDGE_H
#define QAJUDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding.h"
#include "judge.h"
#include "routerqa.h"
#include "rules.h"
#include "stage.h"

enum qajudge_outcome {
	QAJUDGE_PASS,		/* connects: every stage has evidence */
	QAJUDGE_WARN,		/* connects, with warnings */
	QAJUDGE_FAIL,		/* stops at a stage: the LED says which */
	QAJUDGE_INCONCLUSIVE,	/* not enough evidence either way */
	QAJUDGE_OUTCOME_COUNT
};

/*
 * Conditions: what a test saw of the router that holds for every device
 * and firmware, where the findings it reported held only for the device
 * and firmware it ran as (diagnose raises wifi.n_only only for a firmware
 * that cannot join an n-only network, wifi.enterprise only for one without
 * 802.1X, wifi.channel_above_max only for a device that does not scan the
 * channel).  The judge decides again, per device and firmware, what a
 * condition means.  Stored by name (qajudge_cond_name).
 *
 * QAJUDGE_COND_BSS: the BSSes of the network the device was to join are
 * in bss[], as much of each as judge_bss_check() reads (band, channel,
 * width, PHY, security, PMF, hidden SSID), so that every one of its
 * findings is decided again: the n-only defect, Enterprise before Device
 * OS 0.7.0-rc.1, WPA2+WEP mixed mode, channels above a device's highest,
 * bands it lacks.  QAJUDGE_COND_N_ONLY is the older, narrower form (a
 * store written before the BSSes were kept): only wifi.n_only is decided
 * again from it.
 *
 * QAJUDGE_COND_NAT: nat-lifetime's three curves (TCP 5683, TCP 443, UDP;
 * QAJUDGE_NAT_*) are in nat[], so that its findings are decided again
 * against each firmware's own keep-alive interval (the profile's
 * keepalives): one measurement judges every firmware era.
 */
#define QAJUDGE_COND_N_ONLY	(1u << 0)	/* the Wi-Fi is 802.11n-only */
#define QAJUDGE_COND_BSS	(1u << 1)	/* bss[] holds the network */
#define QAJUDGE_COND_NAT	(1u << 2)	/* nat[] holds the lifetimes */
#define QAJUDGE_COND_COUNT	3

/*
 * Distinct BSS descriptions kept per observation (more: bss_cut, and the
 * network's Wi-Fi findings stay as measured).  BSSes alike in everything
 * stored count once, so this is the number of different band, channel,
 * width and security set-ups of one network: a home router has 1 to 3, a
 * mesh of three nodes on all bands up to 9, a campus network on the
 * three 2.4 GHz channels and a dozen 5 GHz ones about 16.  32 leaves room;
 * each costs about 20 bytes in every stored observation `qa judge` holds.
 */
#define QAJUDGE_BSS_MAX		32

/* The country string's two letters (dot11CountryString), and a NUL. */
#define QAJUDGE_COUNTRY_LEN	3

/* A stored BSS: what the Wi-Fi verdict rests on, and nothing else. */
struct qajudge_bss {
	uint16_t	 freq_mhz;	/* 0 when unknown */
	uint16_t	 width_mhz;	/* 0 when unknown */
	uint8_t		 channel;	/* 0 when unknown */
	uint8_t		 band;		/* enum wifi_band */
	uint8_t		 security;	/* enum wifi_security */
	uint8_t		 pmf;		/* enum wifi_pmf */
	bool		 n_only, g_only, hidden, wep_group;
	/*
	 * The AP's Country element ("DE"; "" when it sent none): kept for
	 * the lab's reading of the facts.  Not judged: the channels a
	 * device scans follow its own country setting (profile_max_channel),
	 * not the AP's.
	 */
	char		 country[QAJUDGE_COUNTRY_LEN];
	/*
	 * What the AP's frames did not decide (wifi_bss.h): n_only or
	 * g_only unknown, every element list cut (so security "unknown"
	 * and width 0 are unknown too), hidden unknown (an empty SSID in
	 * frames cut before any Mesh ID: a hidden SSID, or a mesh BSS,
	 * which sends the wildcard SSID by design; hidden is then false).
	 * judge_bss_check() says so with wifi.ie_truncated, and the judge
	 * does not pass a device that the unknown value could stop or warn
	 * (qajudge_run).
	 */
	bool		 n_only_unknown, g_only_unknown, elements_cut;
	bool		 hidden_unknown;
};

/* nat[] of a QAJUDGE_COND_NAT observation. */
enum { QAJUDGE_NAT_TCP, QAJUDGE_NAT_TLS, QAJUDGE_NAT_UDP, QAJUDGE_NAT_KINDS };

/*
 * What a stored BSS leaves unknown that judge_bss_check() decides on:
 * qajudge_bss_unknowns().  Channel: the band, or the channel of a
 * 2.4 GHz BSS (0); width: 0; security or PMF: "unknown" (a cut list, or
 * an RSN element whose AKMs or capabilities were cut off or unknown);
 * hidden: hidden_unknown (a hidden SSID warns every device).
 */
#define QAJUDGE_UNK_N_ONLY	(1u << 0)
#define QAJUDGE_UNK_G_ONLY	(1u << 1)
#define QAJUDGE_UNK_SECURITY	(1u << 2)
#define QAJUDGE_UNK_PMF		(1u << 3)
#define QAJUDGE_UNK_CHANNEL	(1u << 4)
#define QAJUDGE_UNK_WIDTH	(1u << 5)
#define QAJUDGE_UNK_HIDDEN	(1u << 6)
#define QAJUDGE_UNK_COUNT	7

unsigned	qajudge_bss_unknowns(const struct qajudge_bss *b);

/* The unknowns of mask in words ("security, channel width") into buf. */
void		qajudge_unknown_text(unsigned mask, char *buf, size_t len);

/* What one test saw on one cell (one variant of it). */
struct qajudge_obs {
	bool		ran;	/* it ran and reported; false: no evidence */
	/*
	 * It ran, and its report left a stage it judges without evidence
	 * either way (the command's verdict inconclusive, exit 4, or a
	 * stage in verdict.not_observed): nothing it saw makes a pass.
	 */
	bool		inconclusive;
	judge_ids	seen;	/* the finding ids it reported */
	unsigned	conds;	/* QAJUDGE_COND_* */
	struct qajudge_bss bss[QAJUDGE_BSS_MAX];	/* QAJUDGE_COND_BSS */
	unsigned	nbss;
	bool		bss_cut;	/* more distinct BSSes than bss[] */
	struct rqa_nat	nat[QAJUDGE_NAT_KINDS];	/* QAJUDGE_COND_NAT */
};

/*
 * Add a BSS of the network to o (QAJUDGE_COND_BSS); one equal to a kept
 * one adds nothing.  When bss[] is full o->bss_cut is set, and the
 * network's Wi-Fi findings stay as measured: a BSS not kept could be the
 * joinable one.
 */
void	qajudge_bss_add(struct qajudge_obs *o, const struct qajudge_bss *b);

enum qajudge_why {
	QAJUDGE_WHY_NONE,
	QAJUDGE_WHY_NOT_RUN,		/* the test did not run or report */
	QAJUDGE_WHY_NOT_MEASURED,	/* this firmware's variant was not */
	QAJUDGE_WHY_FIRMWARE_UNKNOWN,	/* the profile does not cover it */
	QAJUDGE_WHY_SKIPPED,		/* a stage was not checked */
	QAJUDGE_WHY_BSS_UNKNOWN,	/* a BSS's unknown could stop it */
	QAJUDGE_WHY_TEST_INCONCLUSIVE	/* its report was (o->inconclusive) */
};

struct qajudge_verdict {
	enum qajudge_outcome	 outcome;
	enum qajudge_why	 why;		/* for INCONCLUSIVE */
	enum stage		 stage;		/* STAGE_CONNECTED on a pass */
	enum stage_fail		 fail;
	struct led_signal	 led;		/* what the device shows */
	bool			 has_finding;
	enum finding_id		 finding;	/* the deciding one */
	unsigned		 unknown;	/* BSS_UNKNOWN: QAJUDGE_UNK_* */
	judge_ids		 applies;	/* seen, for this device */
};

/*
 * Judge observation o (NULL: the variant this firmware needs was not
 * measured) for device profile p on firmware fw with rules r, into *v.
 * The lowest stage with an error finding that applies to p fails, as in
 * report_decide(); warnings alone warn; a pass needs the test to have run
 * with every stage checked.  Findings that depend on the firmware are
 * decided again from o's conditions for fw.  A stored BSS with unknowns
 * (qajudge_bss_unknowns) gives what diagnose gives (wifi.ie_truncated,
 * never blocking), and where some value of the unknowns would give p on
 * fw a worse verdict (an n-only network on photon 0.7.0, any unknown
 * security, a 5 GHz band or channel 13 on the Core, a wide channel on a
 * 20 MHz device, a hidden SSID where it passes), what would pass or warn
 * is inconclusive
 * (QAJUDGE_WHY_BSS_UNKNOWN, v->unknown saying which unknowns).
 * So is what would pass or warn on an observation whose own report was
 * inconclusive (QAJUDGE_WHY_TEST_INCONCLUSIVE); a failure stands.
 */
void	qajudge_run(const struct qajudge_obs *o, const struct rules *r,
	    const struct profile *p, const struct fw_version *fw,
	    struct qajudge_verdict *v);

/* Stable names: "pass", "warn", "fail", "inconclusive". */
const char	*qajudge_outcome_name(enum qajudge_outcome o);
bool		 qajudge_outcome_from_name(const char *s,
		    enum qajudge_outcome *out);

/* Why a verdict is inconclusive, in a few words; "" for NONE. */
const char	*qajudge_why_text(enum qajudge_why w);

/* A condition's stored name ("wifi.n_only_network", "wifi.bss"), and back. */
const char	*qajudge_cond_name(unsigned cond);
bool		 qajudge_cond_from_name(const char *s, unsigned *cond);

/* Which of two outcomes is worse: fail, inconclusive, warn, pass. */
int		 qajudge_outcome_rank(enum qajudge_outcome o);

#endif /* QAJUDGE_H */
