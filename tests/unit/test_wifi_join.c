/*
 * test_wifi_join.c - EAPOL-Key messages (analyzers/eapol.c) read from the
 * real 4-way handshake of aircrack-ng/wpa2.eapol.cap, and each station's
 * join timeline and outcome (analyzers/wifi_join.c): refused then joined,
 * a wrong password read from the handshake, repeats of one frame, status
 * codes that are not refusals, broadcast deauthentication, bounds.
 */
#include "test.h"
#include "eapol.h"
#include "wifi_join.h"

/* aircrack-ng/wpa2.eapol.cap frame 2: EAPOL after the SNAP header */
static const uint8_t harkonen_m1[99] = {
	0x01, 0x03, 0x00, 0x5f, 0x02, 0x00, 0x8a, 0x00, 0x10, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x01, 0x22, 0x58, 0x54, 0xb0, 0x44, 0x4d, 0xe3,
	0xaf, 0x06, 0xd1, 0x49, 0x2b, 0x85, 0x29, 0x84, 0xf0, 0x4c, 0xf6, 0x27,
	0x4c, 0x0e, 0x32, 0x18, 0xb8, 0x68, 0x17, 0x56, 0x86, 0x4d, 0xb7, 0xa0,
	0x55, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00,
};
/* aircrack-ng/wpa2.eapol.cap frame 3: EAPOL after the SNAP header */
static const uint8_t harkonen_m2[121] = {
	0x01, 0x03, 0x00, 0x75, 0x02, 0x01, 0x0a, 0x00, 0x10, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x01, 0x59, 0x16, 0x8b, 0xc3, 0xa5, 0xdf, 0x18,
	0xd7, 0x1e, 0xfb, 0x64, 0x23, 0xf3, 0x40, 0x08, 0x8d, 0xab, 0x9e, 0x1b,
	0xa2, 0xbb, 0xc5, 0x86, 0x59, 0xe0, 0x7b, 0x37, 0x64, 0xb0, 0xde, 0x85,
	0x70, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xd5, 0x35, 0x53,
	0x82, 0xb8, 0xa9, 0xb8, 0x06, 0xdc, 0xaf, 0x99, 0xcd, 0xaf, 0x56, 0x4e,
	0xb6, 0x00, 0x16, 0x30, 0x14, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01,
	0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x02, 0x01,
	0x00,
};
/* aircrack-ng/wpa2.eapol.cap frame 4: EAPOL after the SNAP header */
static const uint8_t harkonen_m3[155] = {
	0x01, 0x03, 0x00, 0x97, 0x02, 0x13, 0xca, 0x00, 0x10, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x22, 0x58, 0x54, 0xb0, 0x44, 0x4d, 0xe3,
	0xaf, 0x06, 0xd1, 0x49, 0x2b, 0x85, 0x29, 0x84, 0xf0, 0x4c, 0xf6, 0x27,
	0x4c, 0x0e, 0x32, 0x18, 0xb8, 0x68, 0x17, 0x56, 0x86, 0x4d, 0xb7, 0xa0,
	0x55, 0x19, 0x2e, 0xee, 0xf7, 0xfd, 0x96, 0x8e, 0xc8, 0x0a, 0xee, 0x3d,
	0xfb, 0x87, 0x5e, 0x82, 0x22, 0x37, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1e, 0x22, 0x86,
	0x72, 0xd2, 0xde, 0xe9, 0x30, 0x71, 0x4f, 0x68, 0x8c, 0x57, 0x46, 0x02,
	0x8d, 0x00, 0x38, 0x3c, 0xa9, 0x18, 0x54, 0x62, 0xec, 0xa4, 0xab, 0x7f,
	0xf5, 0x1c, 0xd3, 0xa3, 0xe6, 0x17, 0x9a, 0x83, 0x91, 0xf5, 0xad, 0x82,
	0x4c, 0x9e, 0x09, 0x76, 0x37, 0x94, 0xc6, 0x80, 0x90, 0x2a, 0xd3, 0xbf,
	0x07, 0x03, 0x45, 0x2f, 0xbb, 0x7c, 0x1f, 0x5f, 0x1e, 0xe9, 0xf5, 0xbb,
	0xd3, 0x88, 0xae, 0x55, 0x9e, 0x78, 0xd2, 0x7e, 0x6b, 0x12, 0x1f,
};
/* aircrack-ng/wpa2.eapol.cap frame 5: EAPOL after the SNAP header */
static const uint8_t harkonen_m4[99] = {
	0x01, 0x03, 0x00, 0x5f, 0x02, 0x03, 0x0a, 0x00, 0x10, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9d, 0xc8, 0x1c,
	0xa6, 0xc4, 0xc7, 0x29, 0x64, 0x8d, 0xe7, 0xf0, 0x0b, 0x43, 0x63, 0x35,
	0xc8, 0x00, 0x00,
};

static const uint8_t ap[6] = { 0x00, 0x14, 0x6c, 0x7e, 0x40, 0x80 };
static const uint8_t sta[6] = { 0x00, 0x13, 0x46, 0xfe, 0x32, 0x0c };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct wifi_join j;

static void
test_eapol_real(void)
{
	struct eapol_frame e;

	expect_int("m1 decodes", 0, eapol_decode(harkonen_m1,
	    sizeof(harkonen_m1), &e));
	test_cond("m1 is a key", e.is_key && e.type == EAPOL_TYPE_KEY &&
	    e.desc_type == EAPOL_DESC_RSN);
	expect_int("m1 key info", 0x008a, e.key_info);
	expect_int("m1", EAPOL_MSG_4WAY_1, e.msg);
	expect_int("m1 replay", 1, e.replay);
	(void)eapol_decode(harkonen_m2, sizeof(harkonen_m2), &e);
	expect_int("m2", EAPOL_MSG_4WAY_2, e.msg);
	expect_int("m2 key data: the RSN element", 22, e.data_len);
	(void)eapol_decode(harkonen_m3, sizeof(harkonen_m3), &e);
	expect_int("m3", EAPOL_MSG_4WAY_3, e.msg);
	expect_int("m3 replay", 2, e.replay);
	(void)eapol_decode(harkonen_m4, sizeof(harkonen_m4), &e);
	expect_int("m4", EAPOL_MSG_4WAY_4, e.msg);
	test_cond("m4 nonce zero", e.nonce_zero && !e.truncated);
	expect_str("names", "M3", eapol_msg_name(EAPOL_MSG_4WAY_3));

	/* Cut anywhere: never a wrong message, only "other" or truncated. */
	expect_int("header only", 0, eapol_decode(harkonen_m2, 4, &e));
	expect_int("header only: other", EAPOL_MSG_OTHER, e.msg);
	expect_int("cut", -1, eapol_decode(harkonen_m2, 3, &e));
	(void)eapol_decode(harkonen_m2, 80, &e);
	test_cond("m2 cut before key data length", e.truncated &&
	    e.msg == EAPOL_MSG_OTHER);
	(void)eapol_decode(harkonen_m2, 7, &e);
	test_cond("key info read, MIC set: m2 or m4 cannot be told",
	    e.truncated && e.msg == EAPOL_MSG_OTHER);
	(void)eapol_decode(harkonen_m4, 7, &e);
	test_cond("Secure set: m4 even when cut", e.truncated &&
	    e.msg == EAPOL_MSG_4WAY_4);
}

static void
step(int kind, int from_ap, unsigned code, unsigned msg, uint64_t replay)
{
	struct wifi_join_step s;

	memset(&s, 0, sizeof(s));
	s.kind = (uint8_t)kind;
	s.from_ap = from_ap != 0;
	s.code = (uint16_t)code;
	s.msg = (uint8_t)msg;
	s.replay = replay;
	if (kind == WIFI_JOIN_AUTH)
		s.seq = from_ap ? 2 : 1;
	wifi_join_step(&j, sta, ap, &s, WIFI_JOIN_ROOM_ALL);
}

static void
join_open(unsigned status)
{
	step(WIFI_JOIN_AUTH, 0, 0, 0, 0);
	step(WIFI_JOIN_AUTH, 1, 0, 0, 0);
	step(WIFI_JOIN_ASSOC_REQ, 0, 0, 0, 0);
	step(WIFI_JOIN_ASSOC_RESP, 1, status, 0, 0);
}

static void
test_outcomes(void)
{
	const struct wifi_join_station *st = &j.sta[0];
	uint64_t r;

	/* Refused once, then joined with a complete 4-way: joined. */
	wifi_join_reset(&j);
	join_open(17);
	expect_str("refused", "assoc-refused", wifi_join_state_name(
	    (enum wifi_join_state)st->state));
	test_cond("a refusal is a failure", wifi_join_failed(st));
	join_open(0);
	step(WIFI_JOIN_EAPOL, 1, 0, EAPOL_MSG_4WAY_1, 1);
	step(WIFI_JOIN_EAPOL, 0, 0, EAPOL_MSG_4WAY_2, 1);
	step(WIFI_JOIN_EAPOL, 1, 0, EAPOL_MSG_4WAY_3, 2);
	step(WIFI_JOIN_EAPOL, 0, 0, EAPOL_MSG_4WAY_4, 2);
	expect_int("one station", 1, j.nsta);
	expect_int("joined", WIFI_JOIN_JOINED, st->state);
	test_cond("joined is no failure", !wifi_join_failed(st));
	expect_int("the refusal is remembered", 1, st->refusals);
	expect_int("its status", 17, st->last_refusal);
	expect_int("steps", 12, st->nsteps);

	/* A wrong password: M1/M2 again and again, then reason 15. */
	wifi_join_reset(&j);
	join_open(0);
	step(WIFI_JOIN_EAPOL, 1, 0, EAPOL_MSG_4WAY_1, 1);
	step(WIFI_JOIN_EAPOL, 0, 0, EAPOL_MSG_4WAY_2, 1);
	expect_int("one M2: still in the handshake", WIFI_JOIN_HANDSHAKE,
	    st->state);
	step(WIFI_JOIN_EAPOL, 0, 0, EAPOL_MSG_4WAY_2, 1);
	expect_int("a repeat of the same M2 counts once", 1, st->try_m2);
	step(WIFI_JOIN_EAPOL, 1, 0, EAPOL_MSG_4WAY_1, 2);
	step(WIFI_JOIN_EAPOL, 0, 0, EAPOL_MSG_4WAY_2, 2);
	expect_int("M1, M2 twice, no M3", WIFI_JOIN_WRONG_PASSWORD,
	    st->state);
	step(WIFI_JOIN_DEAUTH, 1, 15, 0, 0);
	expect_int("then reason 15", WIFI_JOIN_WRONG_PASSWORD, st->state);
	expect_int("reason kept", 15, st->pw_reason);

	/* Reason 15 after one M2 is enough; without an M2 it is not. */
	wifi_join_reset(&j);
	join_open(0);
	step(WIFI_JOIN_EAPOL, 1, 0, EAPOL_MSG_4WAY_1, 1);
	step(WIFI_JOIN_EAPOL, 0, 0, EAPOL_MSG_4WAY_2, 1);
	step(WIFI_JOIN_DEAUTH, 1, 15, 0, 0);
	expect_int("M2 then reason 15", WIFI_JOIN_WRONG_PASSWORD, st->state);
	wifi_join_reset(&j);
	join_open(0);
	step(WIFI_JOIN_EAPOL, 1, 0, EAPOL_MSG_4WAY_1, 1);
	step(WIFI_JOIN_EAPOL, 1, 0, EAPOL_MSG_4WAY_1, 2);
	step(WIFI_JOIN_DEAUTH, 1, 15, 0, 0);
	expect_int("no M2: a kick, not a password", WIFI_JOIN_DEAUTHENTICATED,
	    st->state);
	/* Reason 2 after M3 is no password problem either. */
	wifi_join_reset(&j);
	join_open(0);
	step(WIFI_JOIN_EAPOL, 1, 0, EAPOL_MSG_4WAY_1, 1);
	step(WIFI_JOIN_EAPOL, 0, 0, EAPOL_MSG_4WAY_2, 1);
	step(WIFI_JOIN_EAPOL, 1, 0, EAPOL_MSG_4WAY_3, 2);
	step(WIFI_JOIN_DEAUTH, 1, 2, 0, 0);
	expect_int("M3 seen: the password matched", WIFI_JOIN_DEAUTHENTICATED,
	    st->state);
	/* The station leaving is not a failure. */
	step(WIFI_JOIN_DEAUTH, 0, 3, 0, 0);
	test_cond("station leaves", !wifi_join_failed(st));
	/* A broadcast deauthentication reaches every station. */
	join_open(0);
	{
		struct wifi_join_step s;

		memset(&s, 0, sizeof(s));
		s.kind = WIFI_JOIN_DEAUTH;
		s.from_ap = true;
		s.code = 7;
		wifi_join_step(&j, bcast, ap, &s, WIFI_JOIN_ROOM_ALL);
	}
	expect_int("broadcast deauth", WIFI_JOIN_DEAUTHENTICATED, st->state);
	test_cond("from the AP: a failure", wifi_join_failed(st));
	expect_int("no station for the broadcast address", 1, j.nsta);

	/* SAE: a commit answered 126 (H2E) is no refusal; 77 is. */
	test_cond("126 is no refusal", !wifi_join_refusal(126));
	test_cond("76 asks for a token", !wifi_join_refusal(76));
	test_cond("77 refuses", wifi_join_refusal(77));

	/* A PTK rekey on a joined station, then the capture ends. */
	wifi_join_reset(&j);
	join_open(0);
	for (r = 1; r <= 4; r++)
		step(WIFI_JOIN_EAPOL, (r & 1) != 0, 0, (unsigned)r,
		    (r + 1) / 2);
	step(WIFI_JOIN_EAPOL, 1, 0, EAPOL_MSG_GROUP_1, 3);
	step(WIFI_JOIN_EAPOL, 0, 0, EAPOL_MSG_GROUP_2, 3);
	expect_int("group rekey keeps it joined", WIFI_JOIN_JOINED, st->state);
	expect_int("g1 counted", 1, st->msgs[EAPOL_MSG_GROUP_1]);
}

static void
test_bounds(void)
{
	const struct wifi_join_station *st = &j.sta[0];
	struct wifi_join_step s;
	uint8_t m[6];
	unsigned i;

	wifi_join_reset(&j);
	wifi_join_clock(&j, 1000000);
	for (i = 0; i < WIFI_JOIN_STEPS_MAX + 5; i++) {
		wifi_join_clock(&j, 1000000 + i);
		step(WIFI_JOIN_EAPOL, 1, 0, EAPOL_MSG_GROUP_1, i);
	}
	expect_int("steps kept", WIFI_JOIN_STEPS_MAX, st->nsteps);
	expect_int("steps dropped", 5, st->steps_dropped);
	expect_int("oldest kept", 1000005, wifi_join_step_at(st, 0)->t_us);
	expect_int("newest kept", 1000000 + WIFI_JOIN_STEPS_MAX + 4,
	    wifi_join_step_at(st, WIFI_JOIN_STEPS_MAX - 1)->t_us);
	expect_int("first time", 1000000, st->first_us);

	memset(&s, 0, sizeof(s));
	s.kind = WIFI_JOIN_ASSOC_REQ;
	memcpy(m, sta, 6);
	for (i = 0; i < WIFI_JOIN_STATIONS_MAX + 3; i++) {
		m[4] = (uint8_t)(i >> 8);
		m[5] = (uint8_t)i;
		wifi_join_step(&j, m, ap, &s, WIFI_JOIN_ROOM_ALL);
	}
	expect_int("stations capped", WIFI_JOIN_STATIONS_MAX, j.nsta);
	test_cond("overflow counted", j.overflow >= 3);
}

/*
 * Issue 11 item 3: stations of other networks stop short of the reserve,
 * so the asked network's stations are still kept after them; past the
 * reserve too, their drops are counted apart.
 */
static void
test_reserve(void)
{
	static const uint8_t other_ap[6] = { 0x02, 0x99, 0, 0, 0, 1 };
	struct wifi_join_step s;
	uint8_t m[6] = { 0x02, 0x5a, 0, 0, 0, 0 };
	unsigned i;

	wifi_join_reset(&j);
	memset(&s, 0, sizeof(s));
	s.kind = WIFI_JOIN_ASSOC_REQ;
	for (i = 0; i < WIFI_JOIN_STATIONS_MAX + 10; i++) {
		m[4] = (uint8_t)(i >> 8);
		m[5] = (uint8_t)i;
		wifi_join_step(&j, m, other_ap, &s, WIFI_JOIN_ROOM_OTHER);
	}
	expect_int("others stop at the reserve",
	    WIFI_JOIN_STATIONS_MAX - WIFI_JOIN_RESERVE, j.nsta);
	expect_int("others' drops counted", WIFI_JOIN_RESERVE + 10,
	    j.overflow);
	expect_int("no wanted drop yet", 0, j.overflow_wanted);
	wifi_join_step(&j, sta, ap, &s, WIFI_JOIN_ROOM_WANTED);
	expect_int("wanted station kept", WIFI_JOIN_STATIONS_MAX -
	    WIFI_JOIN_RESERVE + 1, j.nsta);
	expect_int("wanted station counted", 1, j.nsta_wanted);
	test_cond("wanted station is the last", memcmp(
	    j.sta[j.nsta - 1].sta, sta, 6) == 0 &&
	    j.sta[j.nsta - 1].state == WIFI_JOIN_ASSOCIATING);
	/* An already kept station of another network still gets its steps. */
	m[4] = 0;
	m[5] = 0;
	wifi_join_step(&j, m, other_ap, &s, WIFI_JOIN_ROOM_OTHER);
	expect_int("kept other still stepped", 2, j.sta[0].nsteps);
	for (i = 0; i < WIFI_JOIN_RESERVE + 4; i++) {
		m[0] = 0x06;
		m[4] = (uint8_t)(i >> 8);
		m[5] = (uint8_t)i;
		wifi_join_step(&j, m, ap, &s, WIFI_JOIN_ROOM_WANTED);
	}
	expect_int("table full", WIFI_JOIN_STATIONS_MAX, j.nsta);
	expect_int("wanted past the reserve counted", 5, j.overflow_wanted);
	/* With no network asked about, every slot is anyone's. */
	wifi_join_reset(&j);
	for (i = 0; i < WIFI_JOIN_STATIONS_MAX; i++) {
		m[4] = (uint8_t)(i >> 8);
		m[5] = (uint8_t)i;
		wifi_join_step(&j, m, other_ap, &s, WIFI_JOIN_ROOM_ALL);
	}
	expect_int("no reserve without a wanted network",
	    WIFI_JOIN_STATIONS_MAX, j.nsta);
	expect_int("nothing dropped", 0, j.overflow);
}

/*
 * Issue 11 item 3: a station met before any beacon of its access point
 * (network unknown) may take a reserve slot, keeps it when its network
 * turns out to be the wanted one, and gives it up to a wanted station
 * when it turns out to be another's, or is still unknown when the table
 * is full.
 */
static void
test_reserve_unknown(void)
{
	static const uint8_t other_ap[6] = { 0x02, 0x99, 0, 0, 0, 1 };
	static const uint8_t late_ap[6] = { 0x02, 0x77, 0, 0, 0, 1 };
	struct wifi_join_step s;
	uint8_t m[6] = { 0x02, 0x5a, 0, 0, 0, 0 };
	unsigned i;

	wifi_join_reset(&j);
	memset(&s, 0, sizeof(s));
	s.kind = WIFI_JOIN_ASSOC_REQ;
	for (i = 0; i < WIFI_JOIN_STATIONS_MAX; i++) {
		m[4] = (uint8_t)(i >> 8);
		m[5] = (uint8_t)i;
		wifi_join_step(&j, m, other_ap, &s, WIFI_JOIN_ROOM_OTHER);
	}
	/* The device, before its AP's first beacon: into the reserve. */
	wifi_join_step(&j, sta, ap, &s, WIFI_JOIN_ROOM_UNKNOWN);
	expect_int("unknown takes a reserve slot",
	    WIFI_JOIN_STATIONS_MAX - WIFI_JOIN_RESERVE + 1, j.nsta);
	expect_int("unknown counted", 1, j.nsta_unknown);
	wifi_join_decide(&j, other_ap, false);
	expect_int("another AP's beacon leaves it unknown", 1,
	    j.nsta_unknown);
	wifi_join_decide(&j, ap, true);
	expect_int("its AP's beacon makes it wanted", 1, j.nsta_wanted);
	expect_int("no longer unknown", 0, j.nsta_unknown);
	s.kind = WIFI_JOIN_EAPOL;
	s.msg = EAPOL_MSG_4WAY_1;
	s.replay = 1;
	wifi_join_step(&j, sta, ap, &s, WIFI_JOIN_ROOM_WANTED);
	test_cond("its steps before and after the beacon kept",
	    j.sta[j.nsta - 1].nsteps == 2 &&
	    j.sta[j.nsta - 1].state == WIFI_JOIN_HANDSHAKE);

	/* Unknown stations fill the rest; past it they count apart. */
	s.kind = WIFI_JOIN_ASSOC_REQ;
	m[0] = 0x06;
	for (i = 0; i < WIFI_JOIN_RESERVE + 2; i++) {
		m[4] = (uint8_t)(i >> 8);
		m[5] = (uint8_t)i;
		wifi_join_step(&j, m, late_ap, &s, WIFI_JOIN_ROOM_UNKNOWN);
	}
	expect_int("table full", WIFI_JOIN_STATIONS_MAX, j.nsta);
	expect_int("unknown past the table counted", 3, j.overflow_unknown);
	expect_int("no wanted drop", 0, j.overflow_wanted);
	/*
	 * A wanted station finds the table full with stations not of its
	 * network in the reserve: another network's (known) gives its slot
	 * up first, the unknown ones may still be the wanted network's.
	 */
	m[0] = 0x0a;
	wifi_join_step(&j, m, ap, &s, WIFI_JOIN_ROOM_WANTED);
	expect_int("wanted kept in a full table", WIFI_JOIN_STATIONS_MAX,
	    j.nsta);
	test_cond("wanted is the last", memcmp(j.sta[j.nsta - 1].sta, m, 6)
	    == 0);
	expect_int("one gave its slot up", 1, j.evicted);
	expect_int("another network's, not an unknown one",
	    WIFI_JOIN_RESERVE - 1, j.nsta_unknown);
	expect_int("its step counted", WIFI_JOIN_RESERVE + 3 + 1, j.overflow);
	expect_int("no wanted drop still", 0, j.overflow_wanted);
	/* Their AP turns out to be another network's: no longer unknown. */
	wifi_join_decide(&j, late_ap, false);
	expect_int("decided", 0, j.nsta_unknown);
	m[0] = 0x0e;
	wifi_join_step(&j, m, ap, &s, WIFI_JOIN_ROOM_WANTED);
	expect_int("another's gives its slot up", 2, j.evicted);
	expect_int("unknown drops unchanged", 3, j.overflow_unknown);
	for (i = 0; i < j.nsta && memcmp(j.sta[i].sta, sta, 6) != 0; i++)
		;
	test_cond("the device kept, its steps too", i < j.nsta &&
	    j.sta[i].nsteps == 2);
	/* Wanted stations hold the whole reserve: nobody gives way. */
	for (i = 0; i < WIFI_JOIN_RESERVE; i++) {
		m[0] = 0x12;
		m[5] = (uint8_t)i;
		wifi_join_step(&j, m, ap, &s, WIFI_JOIN_ROOM_WANTED);
	}
	expect_int("wanted fill the reserve", WIFI_JOIN_RESERVE,
	    j.nsta_wanted);
	expect_int("others' share left", WIFI_JOIN_STATIONS_MAX -
	    WIFI_JOIN_RESERVE, j.nsta - j.nsta_wanted);
	test_cond("wanted past the reserve dropped", j.overflow_wanted > 0);
	test_cond("the first others kept", memcmp(j.sta[0].sta,
	    (const uint8_t[6]){ 0x02, 0x5a, 0, 0, 0, 0 }, 6) == 0);
}

/* at(S): the next step happens S seconds into the capture. */
static void
at(unsigned sec)
{
	wifi_join_clock(&j, 1700000000000000ULL + sec * 1000000ULL);
}

/*
 * The AP's timers over the whole capture, past the steps kept: group
 * rekeys and their gaps (a repeat of one G1 counts once), an inactivity
 * disconnect by the AP with the silence before it (data frames count as
 * activity), and reason 4 from the station, which is no AP timer.
 */
static void
test_timers(void)
{
	const struct wifi_join_station *st = &j.sta[0];
	uint64_t r = 10;
	unsigned t;

	wifi_join_reset(&j);
	at(0);
	join_open(0);
	expect_int("no rekey yet", 0, (int)st->rekeys);
	for (t = 600; t <= 600 * 40; t += 600) {	/* more than kept */
		at(t);
		step(WIFI_JOIN_EAPOL, 1, 0, EAPOL_MSG_GROUP_1, r);
		step(WIFI_JOIN_EAPOL, 1, 0, EAPOL_MSG_GROUP_1, r);  /* retry */
		at(t + 1);
		step(WIFI_JOIN_EAPOL, 0, 0, EAPOL_MSG_GROUP_2, r++);
	}
	at(24300);			/* one rekey after 300 s only */
	step(WIFI_JOIN_EAPOL, 1, 0, EAPOL_MSG_GROUP_1, r++);
	expect_int("rekeys over the capture", 41, (int)st->rekeys);
	expect_int("shortest gap", 300000000, (int)st->rekey_min_gap_us);
	expect_int("longest gap", 600000000, (int)st->rekey_max_gap_us);
	at(24400);
	wifi_join_activity(&j, sta, ap);	/* a data frame */
	at(24700);
	step(WIFI_JOIN_DISASSOC, 1, 4, 0, 0);
	expect_int("inactivity disconnect", 1, (int)st->idle_leaves);
	expect_int("silent for", 300000000, (int)st->idle_before_us);
	at(24800);
	join_open(0);
	at(24810);
	step(WIFI_JOIN_DEAUTH, 0, 4, 0, 0);
	expect_int("reason 4 from the station: no AP timer", 1,
	    (int)st->idle_leaves);
	wifi_join_reset(&j);
	join_open(0);
	step(WIFI_JOIN_DISASSOC, 1, 4, 0, 0);
	test_cond("no times: counted, silence unknown", st->idle_leaves == 1 &&
	    st->idle_before_us == 0);
}

/* An EAPOL-Key step, of WPA1 (descriptor 254) when wpa1. */
static void
key(int from_ap, unsigned msg, uint64_t replay, bool wpa1)
{
	struct wifi_join_step s;

	memset(&s, 0, sizeof(s));
	s.kind = WIFI_JOIN_EAPOL;
	s.from_ap = from_ap != 0;
	s.msg = (uint8_t)msg;
	s.replay = replay;
	s.wpa1 = wpa1;
	wifi_join_step(&j, sta, ap, &s, WIFI_JOIN_ROOM_ALL);
}

/* A 4-way handshake with replay counters r, r, r + 1, r + 1. */
static void
fourway(uint64_t r, bool wpa1)
{
	key(1, EAPOL_MSG_4WAY_1, r, wpa1);
	key(0, EAPOL_MSG_4WAY_2, r, wpa1);
	key(1, EAPOL_MSG_4WAY_3, r + 1, wpa1);
	key(0, EAPOL_MSG_4WAY_4, r + 1, wpa1);
}

/*
 * What is not a group rekey: hostapd raises the replay counter on every
 * EAPOL-Key it sends (wpa_auth.c __wpa_send_eapol), so a G1 retried
 * because the station was slow has a new counter and must not count
 * again; and WPA1 delivers its first GTK in a G1 right after the 4-way
 * (message 3 has none), which belongs to the join.  An unanswered G1
 * followed by one long after is two rekeys.
 */
static void
test_rekey_retries(void)
{
	const struct wifi_join_station *st = &j.sta[0];

	wifi_join_reset(&j);
	at(0);
	join_open(0);
	fourway(1, false);
	at(600);
	key(1, EAPOL_MSG_GROUP_1, 10, false);
	at(601);
	key(1, EAPOL_MSG_GROUP_1, 11, false);	/* retry: new counter */
	at(602);
	key(1, EAPOL_MSG_GROUP_1, 12, false);	/* retry again */
	key(0, EAPOL_MSG_GROUP_2, 12, false);
	at(1200);
	key(1, EAPOL_MSG_GROUP_1, 13, false);
	key(0, EAPOL_MSG_GROUP_2, 13, false);
	expect_int("retries are no rekeys", 2, (int)st->rekeys);
	expect_int("retries counted apart", 2, (int)st->rekey_retries);
	expect_int("interval: 600 s, not 1 s", 600000000,
	    (int)st->rekey_min_gap_us);
	at(1800);
	key(1, EAPOL_MSG_GROUP_1, 14, false);	/* never answered */
	at(2400);
	key(1, EAPOL_MSG_GROUP_1, 15, false);	/* 600 s on: a rekey */
	expect_int("unanswered, then a new one long after", 4,
	    (int)st->rekeys);
	expect_int("no retry among them", 2, (int)st->rekey_retries);

	/* WPA1: the G1 right after the 4-way is the join's. */
	wifi_join_reset(&j);
	at(0);
	join_open(0);
	fourway(1, true);
	key(1, EAPOL_MSG_GROUP_1, 3, true);
	key(0, EAPOL_MSG_GROUP_2, 3, true);
	expect_int("WPA1 join's G1: no rekey", 0, (int)st->rekeys);
	at(600);
	key(1, EAPOL_MSG_GROUP_1, 4, true);
	key(0, EAPOL_MSG_GROUP_2, 4, true);
	expect_int("WPA1: the first rekey", 1, (int)st->rekeys);
	test_cond("WPA1: one rekey, no interval yet",
	    st->rekey_min_gap_us == 0);
	/* WPA2 gives the GTK in message 3: its first G1 is a rekey. */
	wifi_join_reset(&j);
	at(0);
	join_open(0);
	fourway(1, false);
	at(1);
	key(1, EAPOL_MSG_GROUP_1, 3, false);
	expect_int("WPA2: a G1 after the join is a rekey", 1,
	    (int)st->rekeys);
}

/*
 * Pairwise rekeys: a new 4-way the AP starts on a joined station, each
 * with how long the PTK had lived (from message 4); a retried message 1
 * and the 4-way of a new association are not rekeys.
 */
static void
test_ptk_rekeys(void)
{
	const struct wifi_join_station *st = &j.sta[0];

	wifi_join_reset(&j);
	at(0);
	join_open(0);
	fourway(1, false);
	expect_int("the join's 4-way: no rekey", 0, (int)st->ptk_rekeys);
	at(3600);
	key(1, EAPOL_MSG_4WAY_1, 3, false);
	at(3601);
	key(1, EAPOL_MSG_4WAY_1, 4, false);	/* retry */
	key(0, EAPOL_MSG_4WAY_2, 4, false);
	key(1, EAPOL_MSG_4WAY_3, 5, false);
	at(3602);
	key(0, EAPOL_MSG_4WAY_4, 5, false);
	at(7300);
	fourway(6, false);
	expect_int("two pairwise rekeys", 2, (int)st->ptk_rekeys);
	expect_int("shortest PTK life", 3600000000U,
	    (unsigned)st->ptk_min_gap_us);
	expect_int("longest PTK life", 3698000000U,
	    (unsigned)st->ptk_max_gap_us);
	expect_int("still joined", WIFI_JOIN_JOINED, st->state);
	at(7400);
	step(WIFI_JOIN_DEAUTH, 1, 3, 0, 0);
	join_open(0);
	fourway(8, false);
	expect_int("a new association's 4-way: no rekey", 2,
	    (int)st->ptk_rekeys);
}

int
main(void)
{
	test_eapol_real();
	test_outcomes();
	test_bounds();
	test_reserve();
	test_reserve_unknown();
	test_timers();
	test_rekey_retries();
	test_ptk_rekeys();
	return test_report();
}
