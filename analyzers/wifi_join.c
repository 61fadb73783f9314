/*
 * wifi_join.c - each station's join as a timeline and a state: see
 * wifi_join.h.  The state moves with every step, so the outcome is the
 * last state; the counters keep what the bounded step log forgets.
 */
#include <string.h>

#include "wifi_join.h"

/* Status codes of IEEE Std 802.11-2020 Table 9-50 read here. */
#define STATUS_ANTI_CLOGGING	76
#define STATUS_SAE_H2E		126
#define STATUS_SAE_PK		127
/* Reason codes (Table 9-49). */
#define REASON_PREV_AUTH_INVALID 2
#define REASON_4WAY_TIMEOUT	15
#define REASON_8021X_FAILED	23
#define REASON_INACTIVITY	4	/* disassociated due to inactivity */

#define AUTH_ALG_SAE		3

void
wifi_join_reset(struct wifi_join *j)
{
	memset(j, 0, sizeof(*j));
}

void
wifi_join_clock(struct wifi_join *j, uint64_t t_us)
{
	if (!j->has_time) {
		j->has_time = true;
		j->first_us = t_us;
	}
	j->now_us = t_us;
}

bool
wifi_join_refusal(uint16_t status)
{
	return status != 0 && status != STATUS_SAE_H2E &&
	    status != STATUS_SAE_PK && status != STATUS_ANTI_CLOGGING;
}

static bool
group_addr(const uint8_t m[6])
{
	return (m[0] & 1) != 0;
}

/*
 * A wanted station found the table full: when stations not of the wanted
 * network hold more than the others' share, one of them sits in the
 * reserve (it came in while its network was not known), so the latest
 * added of another network's, else the latest of one not known yet,
 * gives its slot up.  Its steps count as not kept.
 */
static bool
evict(struct wifi_join *j)
{
	struct wifi_join_station *st;
	uint32_t steps;
	size_t i, at = j->nsta;

	if (j->nsta - j->nsta_wanted <=
	    WIFI_JOIN_STATIONS_MAX - WIFI_JOIN_RESERVE)
		return false;
	for (i = j->nsta; i-- > 0 && at == j->nsta;)
		if (j->sta[i].room == WIFI_JOIN_ROOM_OTHER)
			at = i;
	for (i = j->nsta; i-- > 0 && at == j->nsta;)
		if (j->sta[i].room != WIFI_JOIN_ROOM_WANTED)
			at = i;
	st = &j->sta[at];
	steps = st->nsteps + st->steps_dropped;
	j->overflow += steps;
	if (st->room == WIFI_JOIN_ROOM_UNKNOWN) {
		j->overflow_unknown += steps;
		j->nsta_unknown--;
	}
	j->evicted++;
	/* memmove keeps the table in the order stations came. */
	memmove(st, st + 1, (j->nsta - at - 1) * sizeof(*st));
	j->nsta--;
	j->last = 0;
	return true;
}

/* Whether a new station of this room fits, making room if it may. */
static bool
fits(struct wifi_join *j, enum wifi_join_room room)
{
	switch (room) {
	case WIFI_JOIN_ROOM_OTHER:
		return j->nsta < WIFI_JOIN_STATIONS_MAX - WIFI_JOIN_RESERVE;
	case WIFI_JOIN_ROOM_WANTED:
		return j->nsta < WIFI_JOIN_STATIONS_MAX || evict(j);
	default:
		return j->nsta < WIFI_JOIN_STATIONS_MAX;
	}
}

static struct wifi_join_station *
station(struct wifi_join *j, const uint8_t sta[6], const uint8_t bssid[6],
    enum wifi_join_room room)
{
	struct wifi_join_station *st;
	size_t i;

	if (j->last != 0) {
		st = &j->sta[j->last - 1];
		if (memcmp(st->sta, sta, 6) == 0 &&
		    memcmp(st->bssid, bssid, 6) == 0)
			return st;
	}
	for (i = 0; i < j->nsta; i++)
		if (memcmp(j->sta[i].sta, sta, 6) == 0 &&
		    memcmp(j->sta[i].bssid, bssid, 6) == 0) {
			j->last = (uint16_t)(i + 1);
			return &j->sta[i];
		}
	if (!fits(j, room))
		return NULL;
	if (room == WIFI_JOIN_ROOM_WANTED)
		j->nsta_wanted++;
	else if (room == WIFI_JOIN_ROOM_UNKNOWN)
		j->nsta_unknown++;
	st = &j->sta[j->nsta++];
	memset(st, 0, sizeof(*st));
	memcpy(st->sta, sta, 6);
	memcpy(st->bssid, bssid, 6);
	st->room = (uint8_t)room;
	j->last = (uint16_t)j->nsta;
	return st;
}

static void
log_step(struct wifi_join_station *st, const struct wifi_join_step *s)
{
	size_t at;

	if (st->nsteps < WIFI_JOIN_STEPS_MAX) {
		at = (st->head + st->nsteps) % WIFI_JOIN_STEPS_MAX;
		st->nsteps++;
	} else {
		/* Full: the oldest goes, the outcome lies at the end. */
		at = st->head;
		st->head = (uint16_t)((st->head + 1) % WIFI_JOIN_STEPS_MAX);
		st->steps_dropped++;
	}
	st->step[at] = *s;
}

static void
refused(struct wifi_join_station *st, enum wifi_join_state state,
    const struct wifi_join_step *s)
{
	st->state = (uint8_t)state;
	st->code = s->code;
	st->refusals++;
	st->last_refusal = s->code;
	st->last_refusal_alg = s->alg;
	st->last_refusal_assoc = state == WIFI_JOIN_ASSOC_REFUSED;
}

static void
on_auth(struct wifi_join_station *st, const struct wifi_join_step *s)
{
	if (!s->from_ap) {
		st->state = WIFI_JOIN_AUTHENTICATING;
		return;
	}
	if (wifi_join_refusal(s->code))
		refused(st, WIFI_JOIN_AUTH_REFUSED, s);
	/* SAE is commit (1) then confirm (2): a commit alone is not done. */
	else if (s->code == 0 && !(s->alg == AUTH_ALG_SAE && s->seq == 1))
		st->state = WIFI_JOIN_AUTHENTICATED;
	else
		st->state = WIFI_JOIN_AUTHENTICATING;
}

static void
on_assoc_resp(struct wifi_join_station *st, const struct wifi_join_step *s)
{
	if (s->code != 0) {
		refused(st, WIFI_JOIN_ASSOC_REFUSED, s);
		return;
	}
	st->state = WIFI_JOIN_ASSOCIATED;
	st->try_m1 = st->try_m2 = st->try_m3 = 0;
}

/*
 * The AP answers a message 2 whose MIC does not verify (the station derived
 * another PMK: another passphrase) by dropping it and sending message 1
 * again, so a wrong password shows as message 2 sent twice or more with
 * no message 3 (hostapd wpa_auth.c, "invalid MIC in msg 2/4").
 */
static void
check_password(struct wifi_join_station *st)
{
	if (st->try_m2 >= 2 && st->try_m3 == 0) {
		st->state = WIFI_JOIN_WRONG_PASSWORD;
		st->pw_reason = 0;
	}
}

static void
on_eapol(struct wifi_join_station *st, const struct wifi_join_step *s)
{
	if (s->msg < WIFI_JOIN_MSGS)
		st->msgs[s->msg]++;
	switch (s->msg) {
	case EAPOL_MSG_4WAY_1:
		/* A new PTK handshake on a joined station: a rekey. */
		if (st->state == WIFI_JOIN_JOINED)
			st->try_m1 = st->try_m2 = st->try_m3 = 0;
		st->try_m1++;
		if (st->state != WIFI_JOIN_WRONG_PASSWORD)
			st->state = WIFI_JOIN_HANDSHAKE;
		break;
	case EAPOL_MSG_4WAY_2:
		st->try_m2++;
		if (st->state != WIFI_JOIN_WRONG_PASSWORD)
			st->state = WIFI_JOIN_HANDSHAKE;
		check_password(st);
		break;
	case EAPOL_MSG_4WAY_3:
		/* The AP checked message 2's MIC: the passphrase matches. */
		st->try_m3++;
		st->state = WIFI_JOIN_HANDSHAKE;
		break;
	case EAPOL_MSG_4WAY_4:
		st->state = WIFI_JOIN_JOINED;
		st->joins++;
		break;
	default:
		/* Group key messages and requests do not move the join. */
		break;
	}
}

/*
 * A deauthentication by the AP after the station's message 2 and before
 * any message 3 ends a 4-way the AP could not verify: reason 15 (4-way
 * handshake timeout) from current hostapd and most routers, reason 2
 * (previous authentication no longer valid) from older hostapd, which
 * sent it on every 4-way failure.  Reason 23 (802.1X authentication
 * failed) is the enterprise form: the RADIUS server refused the station's
 * credentials.
 */
static bool
password_reason(const struct wifi_join_station *st,
    const struct wifi_join_step *s)
{
	if (!s->from_ap)
		return false;
	if (s->code == REASON_8021X_FAILED)
		return true;
	return (s->code == REASON_4WAY_TIMEOUT ||
	    s->code == REASON_PREV_AUTH_INVALID) && st->try_m2 > 0 &&
	    st->try_m3 == 0 && (st->state == WIFI_JOIN_HANDSHAKE ||
	    st->state == WIFI_JOIN_WRONG_PASSWORD);
}

static void
on_leave(struct wifi_join_station *st, const struct wifi_join_step *s)
{
	if (password_reason(st, s)) {
		st->state = WIFI_JOIN_WRONG_PASSWORD;
		st->pw_reason = s->code;
		return;
	}
	st->state = s->kind == WIFI_JOIN_DEAUTH ? WIFI_JOIN_DEAUTHENTICATED :
	    WIFI_JOIN_DISASSOCIATED;
	st->code = s->code;
	st->code_from_ap = s->from_ap;
}

static void
advance(struct wifi_join_station *st, const struct wifi_join_step *s)
{
	switch (s->kind) {
	case WIFI_JOIN_AUTH:
		on_auth(st, s);
		break;
	case WIFI_JOIN_ASSOC_REQ:
	case WIFI_JOIN_REASSOC_REQ:
		st->state = WIFI_JOIN_ASSOCIATING;
		break;
	case WIFI_JOIN_ASSOC_RESP:
	case WIFI_JOIN_REASSOC_RESP:
		on_assoc_resp(st, s);
		break;
	case WIFI_JOIN_EAPOL:
		on_eapol(st, s);
		break;
	case WIFI_JOIN_DEAUTH:
	case WIFI_JOIN_DISASSOC:
		on_leave(st, s);
		break;
	default:
		break;
	}
}

/*
 * An EAPOL-Key frame with the replay counter of the one before it is the
 * same frame again (an 802.11 retry the capture also heard): every new
 * message, a retransmitted message 1 included, takes a new counter
 * (802.11-2020 12.7.2).
 */
static bool
duplicate(struct wifi_join_station *st, const struct wifi_join_step *s)
{
	if (s->kind != WIFI_JOIN_EAPOL)
		return false;
	if (st->has_replay && st->last_msg == s->msg &&
	    st->last_replay == s->replay)
		return true;
	st->has_replay = true;
	st->last_msg = s->msg;
	st->last_replay = s->replay;
	return false;
}

/* Fold gap into a shortest/longest pair (0: none yet). */
static void
gap_minmax(uint64_t gap, uint64_t *min, uint64_t *max)
{
	if (*min == 0 || gap < *min)
		*min = gap;
	if (gap > *max)
		*max = gap;
}

/*
 * A G1 from the AP.  hostapd (wpa_auth.c __wpa_send_eapol) raises the
 * replay counter for every EAPOL-Key it sends, a retry too, so a retry
 * is told by its timing: a G1 within WIFI_JOIN_G1_RETRY_US of one the
 * station has not answered.  In WPA1 the GTK is not in message 3: the
 * AP's first G1 after the 4-way completes the join, not a rekey.
 */
static void
timer_g1(struct wifi_join_station *st, const struct wifi_join_step *s)
{
	bool retry = st->g1_unanswered && (s->t_us == 0 ||
	    st->g1_last_us == 0 || (s->t_us >= st->g1_last_us &&
	    s->t_us - st->g1_last_us <= WIFI_JOIN_G1_RETRY_US));

	st->g1_unanswered = true;
	st->g1_last_us = s->t_us;
	if (retry) {
		st->rekey_retries++;
		return;
	}
	if (st->wpa1_group_due) {
		st->wpa1_group_due = false;
		return;
	}
	if (st->rekeys > 0 && st->rekey_last_us != 0 &&
	    s->t_us > st->rekey_last_us)
		gap_minmax(s->t_us - st->rekey_last_us, &st->rekey_min_gap_us,
		    &st->rekey_max_gap_us);
	st->rekeys++;
	st->rekey_last_us = s->t_us;
}

/* The station's side: G2 answers the G1, message 4 installs a PTK. */
static void
timer_station(struct wifi_join_station *st, const struct wifi_join_step *s)
{
	if (s->t_us != 0)
		st->active_us = s->t_us;
	if (s->kind != WIFI_JOIN_EAPOL)
		return;
	if (s->msg == EAPOL_MSG_GROUP_2)
		st->g1_unanswered = false;
	else if (s->msg == EAPOL_MSG_4WAY_4) {
		st->ptk_installed_us = s->t_us;
		st->g1_unanswered = false;
		st->wpa1_group_due = s->wpa1;
	}
}

/*
 * The AP's timers: group and pairwise rekeys, inactivity (reason 4)
 * disconnects.  Called before the step moves the state.
 */
static void
timers(struct wifi_join_station *st, const struct wifi_join_step *s)
{
	if (!s->from_ap) {
		timer_station(st, s);
		return;
	}
	if (s->kind == WIFI_JOIN_EAPOL && s->msg == EAPOL_MSG_GROUP_1)
		timer_g1(st, s);
	else if (s->kind == WIFI_JOIN_EAPOL && s->msg == EAPOL_MSG_4WAY_1 &&
	    st->state == WIFI_JOIN_JOINED) {
		st->ptk_rekeys++;
		if (st->ptk_installed_us != 0 && s->t_us > st->ptk_installed_us)
			gap_minmax(s->t_us - st->ptk_installed_us,
			    &st->ptk_min_gap_us, &st->ptk_max_gap_us);
	} else if ((s->kind == WIFI_JOIN_DEAUTH ||
	    s->kind == WIFI_JOIN_DISASSOC) && s->code == REASON_INACTIVITY) {
		st->idle_leaves++;
		st->idle_before_us = st->active_us != 0 && s->t_us >=
		    st->active_us ? s->t_us - st->active_us : 0;
	}
}

static void
apply(struct wifi_join *j, struct wifi_join_station *st,
    const struct wifi_join_step *s)
{
	if (duplicate(st, s))
		return;
	timers(st, s);
	if (st->nsteps == 0 && st->steps_dropped == 0)
		st->first_us = s->t_us;
	st->last_us = s->t_us;
	st->last_seq = ++j->seq;
	log_step(st, s);
	advance(st, s);
}

void
wifi_join_step(struct wifi_join *j, const uint8_t sta[6],
    const uint8_t bssid[6], const struct wifi_join_step *s,
    enum wifi_join_room room)
{
	struct wifi_join_step t = *s;
	struct wifi_join_station *st;
	size_t i;

	t.t_us = j->has_time ? j->now_us : 0;
	if (group_addr(bssid))
		return;
	if (group_addr(sta)) {
		/* A broadcast deauthentication reaches every station. */
		if (s->kind != WIFI_JOIN_DEAUTH && s->kind != WIFI_JOIN_DISASSOC)
			return;
		for (i = 0; i < j->nsta; i++)
			if (memcmp(j->sta[i].bssid, bssid, 6) == 0)
				apply(j, &j->sta[i], &t);
		return;
	}
	if ((st = station(j, sta, bssid, room)) == NULL) {
		j->overflow++;
		if (room == WIFI_JOIN_ROOM_WANTED)
			j->overflow_wanted++;
		else if (room == WIFI_JOIN_ROOM_UNKNOWN)
			j->overflow_unknown++;
		return;
	}
	apply(j, st, &t);
}

void
wifi_join_decide(struct wifi_join *j, const uint8_t bssid[6], bool wanted)
{
	size_t i;

	for (i = 0; i < j->nsta && j->nsta_unknown > 0; i++) {
		if (j->sta[i].room != WIFI_JOIN_ROOM_UNKNOWN ||
		    memcmp(j->sta[i].bssid, bssid, 6) != 0)
			continue;
		j->sta[i].room = wanted ? WIFI_JOIN_ROOM_WANTED :
		    WIFI_JOIN_ROOM_OTHER;
		j->nsta_unknown--;
		if (wanted)
			j->nsta_wanted++;
	}
}

void
wifi_join_activity(struct wifi_join *j, const uint8_t sta[6],
    const uint8_t bssid[6])
{
	size_t i;

	if (!j->has_time || group_addr(sta))
		return;
	for (i = 0; i < j->nsta; i++)
		if (memcmp(j->sta[i].sta, sta, 6) == 0 &&
		    memcmp(j->sta[i].bssid, bssid, 6) == 0) {
			j->sta[i].active_us = j->now_us;
			return;
		}
}

const struct wifi_join_step *
wifi_join_step_at(const struct wifi_join_station *st, size_t i)
{
	return &st->step[(st->head + i) % WIFI_JOIN_STEPS_MAX];
}

bool
wifi_join_failed(const struct wifi_join_station *st)
{
	switch (st->state) {
	case WIFI_JOIN_AUTH_REFUSED:
	case WIFI_JOIN_ASSOC_REFUSED:
	case WIFI_JOIN_WRONG_PASSWORD:
		return true;
	case WIFI_JOIN_DEAUTHENTICATED:
	case WIFI_JOIN_DISASSOCIATED:
		/* A station that leaves on its own has not failed. */
		return st->code_from_ap;
	default:
		return false;
	}
}

const char *
wifi_join_state_name(enum wifi_join_state s)
{
	static const char *const names[] = {
		"none", "authenticating", "auth-refused", "authenticated",
		"associating", "assoc-refused", "associated", "handshake",
		"wrong-password", "joined", "deauthenticated", "disassociated"
	};

	if ((unsigned)s >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[s];
}

const char *
wifi_join_step_name(enum wifi_join_step_kind k)
{
	static const char *const names[] = {
		"auth", "assoc-req", "assoc-resp", "reassoc-req",
		"reassoc-resp", "eapol", "deauth", "disassoc"
	};

	if ((unsigned)k >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[k];
}
