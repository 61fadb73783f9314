/*
 * judge.h - decide, from what a capture showed (netmap.h), whether a device
 * of a given profile and firmware (rules.h) can join each network and reach
 * its cloud, and say why not as findings with the contract ids of
 * finding.h.  Each network gets a verdict (can join: yes or no, with the
 * ids that block it); each BSS gets the ids that apply to it.  The facts
 * come from netmap, the device's limits from the profile; nothing about a
 * device is hard-coded here.  Pure: no I/O, no allocation.
 */
#ifndef JUDGE_H
#define JUDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding.h"
#include "netmap.h"
#include "rules.h"
#include "stage.h"

/* Signal below this (dBm) is weak for a 1x1 2.4 GHz radio. */
#define JUDGE_WEAK_DBM		(-80)

/*
 * A set of finding ids, one bit each.  Its words are sized from
 * FINDING_COUNT, so every id finding.h names has its bit however many
 * findings the rules grow; an id outside the enum has none (adding it
 * does nothing, testing it says no).  A zeroed set is empty.
 */
#define JUDGE_IDS_WORDS		((FINDING_COUNT + 63) / 64)
typedef struct {
	uint64_t	 w[JUDGE_IDS_WORDS];
} judge_ids;

static inline bool
judge_ids_has(judge_ids s, unsigned id)
{
	return id < FINDING_COUNT &&
	    (s.w[id / 64] & (uint64_t)1 << (id % 64)) != 0;
}

static inline void
judge_ids_add(judge_ids *s, unsigned id)
{
	if (id < FINDING_COUNT)
		s->w[id / 64] |= (uint64_t)1 << (id % 64);
}

/* The set holding just `id` (empty when id is outside the enum). */
static inline judge_ids
judge_ids_one(unsigned id)
{
	judge_ids s = { { 0 } };

	judge_ids_add(&s, id);
	return s;
}

static inline judge_ids
judge_ids_or(judge_ids a, judge_ids b)
{
	size_t i;

	for (i = 0; i < JUDGE_IDS_WORDS; i++)
		a.w[i] |= b.w[i];
	return a;
}

static inline judge_ids
judge_ids_and(judge_ids a, judge_ids b)
{
	size_t i;

	for (i = 0; i < JUDGE_IDS_WORDS; i++)
		a.w[i] &= b.w[i];
	return a;
}

/* The ids of `a` that are not in `b`. */
static inline judge_ids
judge_ids_minus(judge_ids a, judge_ids b)
{
	size_t i;

	for (i = 0; i < JUDGE_IDS_WORDS; i++)
		a.w[i] &= ~b.w[i];
	return a;
}

static inline bool
judge_ids_empty(judge_ids s)
{
	size_t i;

	for (i = 0; i < JUDGE_IDS_WORDS; i++)
		if (s.w[i] != 0)
			return false;
	return true;
}

struct judge_opts {
	const struct profile	*profile;	/* required */
	struct fw_version	 fw;		/* the device's firmware */
	/* --ssid: judge only this network (raw bytes); NULL for all. */
	const uint8_t		*ssid;
	size_t			 ssid_len;
	int			 weak_dbm;	/* 0: JUDGE_WEAK_DBM */
};

enum judge_join {
	JUDGE_JOIN_YES,
	JUDGE_JOIN_NO,
	/*
	 * No BSS is known to let the device on, and one or more may: what
	 * its frames left unknown (n-only, g-only, security, PMF) would keep
	 * the device off were it the worst value, and decides nothing
	 * either way (issue 10 section 3).
	 */
	JUDGE_JOIN_UNKNOWN
};

struct judge_net {
	enum judge_join	 join;
	judge_ids	 blocking;	/* why not: ids every BSS fails on */
	judge_ids	 warnings;	/* ids that apply but do not block */
	judge_ids	 undecided;	/* JUDGE_JOIN_UNKNOWN: the ids the
					 * unknowns would block on */
	int		 best_bss;	/* best joinable BSS, or -1 */
};

struct judge_result {
	struct judge_net net[NETMAP_BSS_MAX];	/* parallel to nm->net */
	judge_ids	 bss[NETMAP_BSS_MAX];	/* parallel to nm->bss */
	judge_ids	 bss_blocking[NETMAP_BSS_MAX];
	/* Ids a BSS's unknowns would block on (check_undecided). */
	judge_ids	 bss_undecided[NETMAP_BSS_MAX];
	int		 focus;		/* the --ssid network, or -1 */
	bool		 ssid_given;
	bool		 ssid_found;
	size_t		 judged;	/* networks whose findings were added */
	/*
	 * The stages the capture shows passing (docs/diagnose.md, "What a
	 * verdict rests on"): wifi, a judged network the device can join;
	 * dhcp, an OFFER or ACK; internet, a public answer for a public DNS
	 * name or an HTTP response from a public address that is no portal;
	 * cloud, a server's 40-byte nonce on TCP 5683.
	 */
	stage_set	 seen;
};

/*
 * Judge `nm` (grouped: netmap_group() first) for the device in `o`, filling
 * `out` and adding findings to `fs`.  With o->ssid set, Wi-Fi findings and
 * verdicts are about that network only (wifi.ssid_not_found when the
 * capture does not hold it); without, about every network.  DHCP, DNS,
 * portal and cloud findings cover the whole capture.  Returns 0, or -1 when
 * o->profile is NULL.
 */
int		 judge_run(const struct netmap *nm, const struct judge_opts *o,
		    struct judge_result *out, struct findings *fs);

/*
 * Which finding ids of `ids` block joining, in FINDING_IDS order: writes
 * at most `max` ids to `out`, returns how many there are.
 */
size_t		 judge_ids_list(judge_ids ids, enum finding_id *out,
		    size_t max);

/*
 * Does an 802.11n-only network keep device p on firmware fw from joining:
 * a radio without 802.11n (the Core), or a firmware with the n_only_broken
 * defect (the Photon from 0.7.0 to 1.1.0-rc.1)?  The QA judge asks it
 * again for every firmware (qajudge.c).
 */
bool		 judge_n_only_fails(const struct profile *p,
		    const struct fw_version *fw);

/*
 * One BSS's radio and security (band, channel, PHY, width, security, PMF,
 * hidden SSID) for device p on firmware fw: the ids that apply to it, and
 * those of them that keep the device off it.  What judge_run decides per
 * BSS, so that the QA judge decides it again from a stored BSS for every
 * device and firmware (qajudge.c).  judge_bss_ids() is every id it can
 * give.
 */
void		 judge_bss_check(const struct wifi_bss *w,
		    const struct profile *p, const struct fw_version *fw,
		    judge_ids *issues, judge_ids *blocks);
judge_ids	 judge_bss_ids(void);

/*
 * A network's BSSes folded into its verdict, as judge_run does: it can be
 * joined when one BSS has nothing blocking; then it warns only of what
 * applies to the joinable BSSes, else it is blocked by the ids every BSS
 * fails on (or, when they share none, any).  Zero it, add each BSS's
 * judge_bss_check() result (judge_fold_add says whether that BSS is
 * joinable), then judge_fold_end() sets jn's join, blocking and warnings.
 */
struct judge_fold {
	judge_ids	 all, blocking_any, blocking_all, soft_ok;
	judge_ids	 maybe, soft_maybe;
	size_t		 joinable, nblocked, undecided;
};

bool		 judge_fold_add(struct judge_fold *f, judge_ids issues,
		    judge_ids blocks);
/*
 * Add a BSS that nothing known blocks but whose unknowns would block on
 * `maybe` (neither joinable nor blocked).  With no joinable BSS, the
 * network's join is JUDGE_JOIN_UNKNOWN, warning of these BSSes' issues.
 */
void		 judge_fold_maybe(struct judge_fold *f, judge_ids issues,
		    judge_ids maybe);
void		 judge_fold_end(const struct judge_fold *f,
		    struct judge_net *jn);

/*
 * Whether a DNS name is one the public internet answers for (not .local,
 * .lan, .home.arpa, .internal, a bare host name, ...), so that a private
 * answer for it is suspicious.
 */
bool		 judge_public_name(const char *name);

/* Whether an HTTP response looks like a captive portal's. */
bool		 judge_portal_redirect(int status, const char *location);

#endif /* JUDGE_H */
