/*
 * wifi_join.h - how each station's join went, from a capture: a timeline
 * per (station, BSSID) of authentication, (re)association with its status,
 * the EAPOL-Key messages of the 4-way and group key handshakes, and
 * deauthentication or disassociation with its reason, folded into the
 * station's state as each step arrives.  The verdict (analyzers/judge.c)
 * comes from each station's final state, so a station refused once and
 * then joined has joined, and a wrong password is read from the 4-way
 * handshake itself (messages 1 and 2 repeating with no message 3, or a
 * "4-way handshake timeout" after message 2), never from a status code.
 *
 * Over a long capture it also keeps the AP's timers as each station met
 * them: the group key handshakes the AP started (message G1: the
 * group-key rekey interval is the gap between two; retries and WPA1's
 * first G1 after the 4-way are not rekeys), the pairwise rekeys (a new
 * 4-way on a joined station, and how long its PTK had lived), and
 * disconnects for
 * inactivity (deauthentication or disassociation reason 4 from the AP)
 * with how long the station had been silent before (its last frame:
 * management, EAPOL or data, wifi_join_activity), which is the AP's idle
 * timeout as far as the capture shows it.
 *
 * Fixed capacity: WIFI_JOIN_STATIONS_MAX stations (more are counted in
 * `overflow`), of which the last WIFI_JOIN_RESERVE are kept for stations
 * of the network the user asked about (the caller says which, see
 * enum wifi_join_room), so a crowded capture never pushes out the joins
 * the user came for.  A station whose access point's network is not known
 * yet (no beacon of it so far) may take a reserve slot too, and keeps it
 * when its network turns out to be the wanted one
 * (wifi_join_decide()); a station of another network that sits in the
 * reserve gives its slot up to a wanted station that finds the table
 * full (its steps are then counted in `overflow`).  Each keeps its last WIFI_JOIN_STEPS_MAX steps (earlier ones
 * are counted in `steps_dropped`) and counters over all of them, so the
 * state and counts stay right however long the capture.  Times are the
 * capture's, in microseconds, when the reader gives them (wifi_join_clock).
 * Pure: no I/O, no allocation.
 */
#ifndef WIFI_JOIN_H
#define WIFI_JOIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eapol.h"

#define WIFI_JOIN_STATIONS_MAX	256
#define WIFI_JOIN_RESERVE	32	/* of STATIONS_MAX, for the wanted
					 * network's stations */
#define WIFI_JOIN_STEPS_MAX	32
/*
 * A G1 this soon after an unanswered one is its retry: hostapd resends
 * after 1 s (eapol_key_timeout_subseq; 500 ms for the first) up to 4
 * times (dot11RSNAConfigGroupUpdateCount), and no AP rekeys the group
 * every few seconds.
 */
#define WIFI_JOIN_G1_RETRY_US	10000000ULL

/* Which slots a new station may take (wifi_join_step()). */
enum wifi_join_room {
	WIFI_JOIN_ROOM_ALL,	/* no network asked about: every slot */
	WIFI_JOIN_ROOM_OTHER,	/* another network's: all but the reserve */
	WIFI_JOIN_ROOM_WANTED,	/* the asked network's: every slot, and
				 * a reserve slot held by another's */
	WIFI_JOIN_ROOM_UNKNOWN	/* network not known yet: every slot;
				 * decided by wifi_join_decide() */
};

enum wifi_join_step_kind {
	WIFI_JOIN_AUTH,		/* code: status (responses) */
	WIFI_JOIN_ASSOC_REQ,
	WIFI_JOIN_ASSOC_RESP,	/* code: status */
	WIFI_JOIN_REASSOC_REQ,
	WIFI_JOIN_REASSOC_RESP,	/* code: status */
	WIFI_JOIN_EAPOL,	/* msg: which message */
	WIFI_JOIN_DEAUTH,	/* code: reason */
	WIFI_JOIN_DISASSOC	/* code: reason */
};

struct wifi_join_step {
	uint64_t	t_us;		/* capture time; 0 when unknown */
	uint8_t		kind;		/* enum wifi_join_step_kind */
	uint8_t		msg;		/* enum eapol_msg, EAPOL steps */
	bool		from_ap;
	uint16_t	code;		/* status or reason */
	uint16_t	alg;		/* authentication algorithm */
	uint16_t	seq;		/* authentication transaction number */
	uint64_t	replay;		/* EAPOL-Key replay counter */
	bool		wpa1;		/* EAPOL-Key of pre-RSN WPA (254) */
};

/*
 * Where a station stands.  Each step moves it; the last state is the
 * outcome.  The *_REFUSED and WRONG_PASSWORD states and DEAUTH are the
 * failures; the states in between (AUTHENTICATING .. HANDSHAKE) at the end
 * of a capture say the capture stopped there, not that the join failed.
 */
enum wifi_join_state {
	WIFI_JOIN_NONE,
	WIFI_JOIN_AUTHENTICATING,	/* request sent */
	WIFI_JOIN_AUTH_REFUSED,		/* code: status */
	WIFI_JOIN_AUTHENTICATED,
	WIFI_JOIN_ASSOCIATING,
	WIFI_JOIN_ASSOC_REFUSED,	/* code: status */
	WIFI_JOIN_ASSOCIATED,		/* no key handshake seen (yet) */
	WIFI_JOIN_HANDSHAKE,		/* 4-way started, not finished */
	WIFI_JOIN_WRONG_PASSWORD,	/* the 4-way failed at message 2 */
	WIFI_JOIN_JOINED,		/* message 4 seen */
	WIFI_JOIN_DEAUTHENTICATED,	/* code: reason */
	WIFI_JOIN_DISASSOCIATED		/* code: reason */
};

/* Counts of the EAPOL-Key messages, indexed by enum eapol_msg. */
#define WIFI_JOIN_MSGS		(EAPOL_MSG_REQUEST + 1)

struct wifi_join_station {
	uint8_t		sta[6];
	uint8_t		bssid[6];
	uint8_t		room;		/* enum wifi_join_room it holds */
	uint8_t		state;		/* enum wifi_join_state */
	uint16_t	code;		/* status or reason behind it */
	bool		code_from_ap;	/* deauth/disassoc sent by the AP */
	/* Why the 4-way failed, for WRONG_PASSWORD: the reason of the
	 * deauthentication that ended it, or 0 when messages 1 and 2
	 * repeated with no message 3. */
	uint16_t	pw_reason;
	/* Refusals over the whole capture, the last one's status. */
	uint32_t	refusals;
	uint16_t	last_refusal;
	uint16_t	last_refusal_alg;
	bool		last_refusal_assoc;	/* else authentication */
	uint32_t	msgs[WIFI_JOIN_MSGS];	/* EAPOL-Key messages, all */
	/* The current 4-way attempt (since the last association). */
	uint32_t	try_m1, try_m2, try_m3;
	uint32_t	joins;		/* times it reached JOINED */
	/* The last EAPOL-Key frame, to drop a repeat of it. */
	bool		has_replay;
	uint8_t		last_msg;
	uint64_t	last_replay;
	uint64_t	first_us, last_us;
	/* When its last step came among every station's (wifi_join.seq):
	 * the order without capture times, and for equal ones. */
	uint32_t	last_seq;
	/*
	 * Group key rekeys: G1 from the AP that starts a group key
	 * handshake.  Not counted: a retry (hostapd raises the replay
	 * counter on every EAPOL-Key it sends, retries too, so a retry is a
	 * G1 within WIFI_JOIN_G1_RETRY_US of one the station has not
	 * answered with G2), and WPA1's G1 right after the 4-way (WPA1 has
	 * no GTK in message 3: that G1 is the join's).
	 */
	uint32_t	rekeys;
	uint32_t	rekey_retries;	/* G1 retries not counted */
	uint64_t	rekey_last_us;
	uint64_t	rekey_min_gap_us, rekey_max_gap_us;	/* 0: < 2 */
	bool		g1_unanswered;	/* a G1 with no G2 after it yet */
	uint64_t	g1_last_us;
	bool		wpa1_group_due;	/* WPA1 4-way done, its G1 to come */
	/*
	 * Pairwise rekeys: a new 4-way (message 1 from the AP) on a joined
	 * station, and the time since its PTK was installed (message 4).
	 */
	uint32_t	ptk_rekeys;
	uint64_t	ptk_installed_us;	/* last message 4; 0: none */
	uint64_t	ptk_min_gap_us, ptk_max_gap_us;	/* 0: not known */
	/* The station's last frame, and the inactivity disconnects. */
	uint64_t	active_us;	/* 0: none with a time */
	uint32_t	idle_leaves;	/* reason 4 from the AP */
	uint64_t	idle_before_us;	/* silent before the last one; 0:
					   not known (no frame of it seen) */
	/* The last WIFI_JOIN_STEPS_MAX steps, oldest first from `head`. */
	struct wifi_join_step step[WIFI_JOIN_STEPS_MAX];
	uint16_t	nsteps, head;
	uint32_t	steps_dropped;
};

struct wifi_join {
	struct wifi_join_station sta[WIFI_JOIN_STATIONS_MAX];
	size_t		nsta;
	uint32_t	overflow;	/* steps of stations that did not fit */
	uint32_t	overflow_wanted;	/* of them, ROOM_WANTED steps */
	/* Of them, steps of stations whose network was not known yet
	 * (ROOM_UNKNOWN, or given up from the reserve before it was): the
	 * wanted network's joins may be among them. */
	uint32_t	overflow_unknown;
	size_t		nsta_wanted;	/* kept stations of the wanted network */
	size_t		nsta_unknown;	/* kept, network not known yet */
	uint32_t	evicted;	/* stations that gave up a reserve slot */
	bool		has_time;
	uint64_t	now_us, first_us;	/* current packet, first packet */
	uint32_t	seq;		/* steps applied so far, all stations */
	uint16_t	last;		/* last station touched, + 1 */
};

/* Empty the table. */
void		 wifi_join_reset(struct wifi_join *j);

/* The capture time of the packet about to be fed, in microseconds. */
void		 wifi_join_clock(struct wifi_join *j, uint64_t t_us);

/*
 * Note a step between station `sta` and BSS `bssid`; `from_ap` says who
 * sent it.  A group-addressed `sta` (a broadcast deauthentication) applies
 * the step to every station of that BSS already in the table.  `room`
 * says which slots the station may take if it is new.  Steps of a station
 * that does not fit are counted in `overflow` (and in `overflow_wanted`
 * when `room` is WIFI_JOIN_ROOM_WANTED: the reserve is full of the wanted
 * network's stations too; in `overflow_unknown` when it is
 * WIFI_JOIN_ROOM_UNKNOWN).
 */
void		 wifi_join_step(struct wifi_join *j, const uint8_t sta[6],
		    const uint8_t bssid[6], const struct wifi_join_step *s,
		    enum wifi_join_room room);

/*
 * The network of BSS `bssid` is now known (a beacon or probe response
 * named it): its kept stations added as WIFI_JOIN_ROOM_UNKNOWN become the
 * wanted network's or another's.  Cheap when no such station is kept.
 */
void		 wifi_join_decide(struct wifi_join *j, const uint8_t bssid[6],
		    bool wanted);

/*
 * A frame from station `sta` to BSS `bssid` that is no join step (data):
 * the station is active.  Only a station already in the table is noted.
 */
void		 wifi_join_activity(struct wifi_join *j, const uint8_t sta[6],
		    const uint8_t bssid[6]);

/* The i-th kept step of a station, oldest first (i < nsteps). */
const struct wifi_join_step *wifi_join_step_at(
		    const struct wifi_join_station *st, size_t i);

/* "none", "authenticating", "auth-refused", ... "disassociated". */
const char	*wifi_join_state_name(enum wifi_join_state s);
/* "auth", "assoc-req", "assoc-resp", "reassoc-req", "reassoc-resp",
 * "eapol", "deauth", "disassoc". */
const char	*wifi_join_step_name(enum wifi_join_step_kind k);

/* A failure state (refused, wrong password, deauthenticated...). */
bool		 wifi_join_failed(const struct wifi_join_station *st);

/*
 * True when an authentication or association status refuses the station.
 * Not refusals: 0; for SAE, 126 (hash-to-element) and 127 (SAE-PK) are the
 * commit's success forms, and 76 asks for an anti-clogging token, with
 * which the station tries again.
 */
bool		 wifi_join_refusal(uint16_t status);

#endif /* WIFI_JOIN_H */
