/*
 * test_judge.c - device-versus-network verdicts (analyzers/judge.c) with
 * the real Core and Photon profiles from rules/, on netmap tables filled
 * the way capture_read fills them.
 */
#include "test.h"
#include "ip.h"
#include "judge.h"
#include "rules_load.h"

static struct rules rules;
static struct netmap *nm;
static struct judge_result jr;
static struct findings fs;

static struct netmap_bss *
ap(unsigned n, const char *ssid, unsigned channel, enum wifi_security sec)
{
	struct wifi_bss w;

	wifi_bss_init(&w);
	w.bssid[0] = 0x00;
	w.bssid[1] = 0x12;
	w.bssid[2] = 0xbf;
	w.bssid[5] = (uint8_t)n;
	if (ssid != NULL) {
		w.ssid.len = (uint8_t)strlen(ssid);
		memcpy(w.ssid.s, ssid, w.ssid.len);
	} else {
		w.hidden = true;
		w.ssid_form = IE_SSID_EMPTY;
	}
	w.channel = (uint8_t)channel;
	w.band = channel > 14 ? WIFI_BAND_5G : WIFI_BAND_2G4;
	w.freq_mhz = (uint16_t)wifi_channel_to_freq(channel, w.band);
	w.width_mhz = 20;
	w.phy = WIFI_PHY_N;
	w.security = sec;
	w.has_signal = true;
	w.signal_last = w.signal_min = w.signal_max = -50;
	w.frames.beacons = 1;
	return netmap_bss_observe(nm, &w);
}

/* Judge for `dev` at firmware `fw` (NULL: the profile default). */
static int
judge(const char *dev, const char *fw, const char *ssid)
{
	struct judge_opts o;

	memset(&o, 0, sizeof(o));
	o.profile = rules_profile(&rules, dev);
	if (o.profile == NULL)
		return -1;
	if (fw == NULL)
		o.fw = o.profile->fw_default;
	else if (!fw_version_parse(fw, &o.fw))
		return -1;
	if (ssid != NULL) {
		o.ssid = (const uint8_t *)ssid;
		o.ssid_len = strlen(ssid);
	}
	netmap_group(nm);
	findings_init(&fs);
	return judge_run(nm, &o, &jr, &fs);
}

static bool
has(enum finding_id id)
{
	return findings_has(&fs, id);
}

static void
test_channel(void)
{
	netmap_reset(nm);
	ap(1, "Thirteen", 13, WIFI_SEC_WPA2_PSK);
	expect_int("judge core", 0, judge("core", NULL, NULL));
	test_cond("core: channel 13 blocks",
	    has(FINDING_WIFI_CHANNEL_ABOVE_MAX));
	expect_int("core: cannot join", JUDGE_JOIN_NO, jr.net[0].join);
	test_cond("core: the verdict names it",
	    judge_ids_has(jr.net[0].blocking,
	    FINDING_WIFI_CHANNEL_ABOVE_MAX));
	judge("photon", NULL, NULL);
	test_cond("photon (no country: Japan rules) joins channel 13",
	    !has(FINDING_WIFI_CHANNEL_ABOVE_MAX) &&
	    jr.net[0].join == JUDGE_JOIN_YES);
	netmap_reset(nm);
	ap(1, "Eleven", 11, WIFI_SEC_WPA2_PSK);
	judge("core", NULL, NULL);
	test_cond("core: channel 11 is fine", fs.n == 0 &&
	    jr.net[0].join == JUDGE_JOIN_YES);
}

static void
test_n_only(void)
{
	netmap_reset(nm);
	ap(1, "NOnly", 6, WIFI_SEC_WPA2_PSK)->w.n_only = true;
	judge("photon", "1.0.0", NULL);
	test_cond("photon 1.0.0: n-only broken", has(FINDING_WIFI_N_ONLY));
	judge("photon", "1.1.0-rc.1", NULL);
	test_cond("photon 1.1.0-rc.1: still broken", has(FINDING_WIFI_N_ONLY));
	judge("photon", "1.1.0", NULL);
	test_cond("photon 1.1.0: fixed", !has(FINDING_WIFI_N_ONLY));
	judge("photon", "0.6.3", NULL);
	test_cond("photon 0.6.3: before the defect", !has(FINDING_WIFI_N_ONLY));
	judge("core", NULL, NULL);
	test_cond("core: b/g radio cannot join n-only",
	    has(FINDING_WIFI_N_ONLY));
}

/*
 * Issue 10 section 3: n-only and g-only that cut or dropped rates left
 * undecided are neither raised nor passed in silence: an info finding
 * says what is unknown and why, and nothing blocks on it.
 */
static void
test_undecided_rates(void)
{
	struct netmap_bss *b;

	netmap_reset(nm);
	b = ap(1, "Cut", 6, WIFI_SEC_WPA2_PSK);
	b->w.n_only_unknown = b->w.g_only_unknown = true;
	b->w.elements_cut = true;
	judge("core", NULL, NULL);
	test_cond("cut rates, core: no n-only verdict either way",
	    !has(FINDING_WIFI_N_ONLY) && !has(FINDING_WIFI_G_ONLY));
	test_cond("cut rates, core: said unknown, not blocking",
	    has(FINDING_WIFI_IE_TRUNCATED) &&
	    judge_ids_empty(jr.net[0].blocking) &&
	    judge_ids_has(jr.net[0].warnings, FINDING_WIFI_IE_TRUNCATED));
	test_cond("cut rates: the evidence names it",
	    fs.n > 0 && strstr(fs.item[0].evidence,
	    "every beacon of it was cut short, so these are unknown: "
	    "802.11n-only and g-only") != NULL &&
	    strstr(fs.item[0].evidence, "cut") != NULL);
	/* A b/g radio fails an n-only network: no evidence it joins. */
	expect_int("cut rates, core: whether it joins is unknown",
	    JUDGE_JOIN_UNKNOWN, jr.net[0].join);
	test_cond("cut rates, core: n-only is what it may be",
	    judge_ids_has(jr.net[0].undecided, FINDING_WIFI_N_ONLY) &&
	    !judge_ids_has(jr.net[0].undecided, FINDING_WIFI_G_ONLY));
	test_cond("cut rates, core: wifi not seen to pass",
	    (jr.seen & STAGE_BIT(STAGE_WIFI)) == 0);
	test_cond("cut rates, core: the evidence says what it may be",
	    fs.n > 0 && strstr(fs.item[0].evidence, "; if they are the worst, "
	    "the core on 1.4.4 cannot join (wifi.n_only): unknown whether "
	    "it can") != NULL);
	/* The n-only defect: photon 0.7.0 to 1.1.0-rc.1 (device-os #1556). */
	judge("photon", "1.0.0", NULL);
	test_cond("cut rates, photon 1.0.0: unknown, not joinable",
	    jr.net[0].join == JUDGE_JOIN_UNKNOWN &&
	    !has(FINDING_WIFI_N_ONLY) &&
	    (jr.seen & STAGE_BIT(STAGE_WIFI)) == 0);
	judge("photon", "0.7.0", NULL);
	test_cond("cut rates, photon 0.7.0: unknown",
	    jr.net[0].join == JUDGE_JOIN_UNKNOWN);
	judge("photon", "1.1.0-rc.1", NULL);
	test_cond("cut rates, photon 1.1.0-rc.1: unknown",
	    jr.net[0].join == JUDGE_JOIN_UNKNOWN);
	judge("photon", "1.1.0", NULL);
	test_cond("cut rates, photon 1.1.0: joins whatever n-only is",
	    jr.net[0].join == JUDGE_JOIN_YES &&
	    judge_ids_empty(jr.net[0].undecided) &&
	    (jr.seen & STAGE_BIT(STAGE_WIFI)) != 0 &&
	    has(FINDING_WIFI_IE_TRUNCATED) && fs.n > 0 &&
	    strstr(fs.item[0].evidence, "whether it") == NULL);
	judge("photon", "0.6.3", NULL);
	test_cond("cut rates, photon 0.6.3: joins (before the defect)",
	    jr.net[0].join == JUDGE_JOIN_YES);
	/* A BSS known joinable decides the network; a blocked one not. */
	ap(2, "Cut", 6, WIFI_SEC_WPA2_PSK);
	judge("photon", "1.0.0", NULL);
	test_cond("cut and whole siblings, photon 1.0.0: joins",
	    jr.net[0].join == JUDGE_JOIN_YES);
	netmap_reset(nm);
	b = ap(1, "Cut", 6, WIFI_SEC_WPA2_PSK);
	b->w.n_only_unknown = true;
	b->w.elements_cut = true;
	ap(2, "Cut", 13, WIFI_SEC_WPA2_PSK);
	judge("core", NULL, NULL);
	test_cond("cut and channel-13 siblings, core: unknown, no block",
	    jr.net[0].join == JUDGE_JOIN_UNKNOWN &&
	    judge_ids_empty(jr.net[0].blocking) &&
	    !has(FINDING_WIFI_CHANNEL_ABOVE_MAX));

	netmap_reset(nm);
	b = ap(1, "Many", 6, WIFI_SEC_WPA2_PSK);
	b->w.g_only_unknown = true;
	b->w.rates_dropped = 9;
	judge("photon", NULL, NULL);
	test_cond("dropped rates: g-only unknown, 9 not kept",
	    !has(FINDING_WIFI_G_ONLY) && fs.n > 0 &&
	    strstr(fs.item[0].evidence, "more than 32 rates, 9 not kept, so "
	    "these are unknown: g-only") != NULL);
	test_cond("dropped rates: g-only stops no device, joins",
	    jr.net[0].join == JUDGE_JOIN_YES);

	netmap_reset(nm);
	b = ap(1, "CutRSN", 6, WIFI_SEC_UNKNOWN);
	b->w.elements_cut = true;
	b->w.width_mhz = 0;
	b->w.pmf = WIFI_PMF_UNKNOWN;
	judge("photon", NULL, NULL);
	test_cond("cut before RSN: security and width unknown, said",
	    fs.n > 0 && strstr(fs.item[0].evidence, "unknown: security and "
	    "channel width") != NULL);
	/* WPA3-only or PMF required stop every Particle device. */
	test_cond("cut before RSN: whether it joins is unknown",
	    jr.net[0].join == JUDGE_JOIN_UNKNOWN &&
	    judge_ids_has(jr.net[0].undecided,
	    FINDING_WIFI_SECURITY_UNSUPPORTED) &&
	    judge_ids_has(jr.net[0].undecided, FINDING_WIFI_PMF_REQUIRED) &&
	    !has(FINDING_WIFI_SECURITY_UNSUPPORTED));

	netmap_reset(nm);
	b = ap(1, "CutCaps", 6, WIFI_SEC_WPA2_PSK);
	b->w.pmf = WIFI_PMF_UNKNOWN;
	judge("photon", NULL, NULL);
	test_cond("RSN cut before its caps: PMF unknown, said",
	    fs.n > 0 && strstr(fs.item[0].evidence, "these are unknown: "
	    "PMF") != NULL && jr.net[0].join == JUDGE_JOIN_UNKNOWN &&
	    judge_ids_has(jr.net[0].undecided, FINDING_WIFI_PMF_REQUIRED));

	netmap_reset(nm);
	ap(1, "Whole", 6, WIFI_SEC_WPA2_PSK);
	judge("photon", NULL, NULL);
	test_cond("whole rates: nothing said", fs.n == 0 &&
	    jr.net[0].join == JUDGE_JOIN_YES);
}

static void
test_bands(void)
{
	netmap_reset(nm);
	ap(1, "Five", 36, WIFI_SEC_WPA2_PSK);
	judge("photon", NULL, NULL);
	test_cond("5 GHz only: unsupported",
	    has(FINDING_WIFI_BAND_UNSUPPORTED));
	expect_int("5 GHz only: cannot join", JUDGE_JOIN_NO, jr.net[0].join);

	netmap_reset(nm);
	ap(1, "Both", 6, WIFI_SEC_WPA2_PSK);
	ap(2, "Both", 44, WIFI_SEC_WPA2_PSK);
	judge("photon", NULL, NULL);
	expect_int("steered: one network", 1, nm->nnet);
	test_cond("steered: joinable", jr.net[0].join == JUDGE_JOIN_YES);
	test_cond("steered: band steering", has(FINDING_WIFI_BAND_STEERING));
	test_cond("steered: the 5 GHz BSS is not an error",
	    !has(FINDING_WIFI_BAND_UNSUPPORTED));
	test_cond("steered: the 5 GHz BSS itself is blocked",
	    judge_ids_has(jr.bss_blocking[1], FINDING_WIFI_BAND_UNSUPPORTED));
	expect_int("steered: best bss is the 2.4 one", 0, jr.net[0].best_bss);

	/* Strong on 5 GHz, weak on the 2.4 GHz BSS the device must use. */
	netmap_reset(nm);
	ap(1, "Split", 6, WIFI_SEC_WPA2_PSK)->w.signal_last = -86;
	ap(2, "Split", 44, WIFI_SEC_WPA2_PSK)->w.signal_last = -40;
	judge("photon", NULL, NULL);
	test_cond("weak where it counts", has(FINDING_WIFI_WEAK_SIGNAL));

	netmap_reset(nm);
	ap(1, "Mesh", 1, WIFI_SEC_WPA2_PSK);
	ap(2, "Mesh", 6, WIFI_SEC_WPA2_PSK);
	judge("photon", NULL, NULL);
	test_cond("two 2.4 GHz BSSes: multiple_bss",
	    has(FINDING_WIFI_MULTIPLE_BSS));
}

/* The evidence of the first finding `id`, or "". */
static const char *
evidence_of(enum finding_id id)
{
	size_t i;

	for (i = 0; i < fs.n; i++)
		if (fs.item[i].id == id)
			return fs.item[i].evidence;
	return "";
}

/*
 * The width warning names the network's own band and width (issue 12: it
 * said "2.4 GHz ... 40 MHz" for a 5 GHz, 80 MHz network), and the rule's
 * text names no band of its own.
 */
static void
test_width(void)
{
	const struct rule *ru;

	netmap_reset(nm);
	ap(1, "Wide", 36, WIFI_SEC_WPA2_PSK)->w.width_mhz = 80;
	judge("photon", NULL, NULL);
	test_cond("5 GHz 80 MHz: width warning",
	    has(FINDING_WIFI_WIDTH_UNSUPPORTED));
	test_cond("5 GHz 80 MHz: the evidence says so",
	    strstr(evidence_of(FINDING_WIFI_WIDTH_UNSUPPORTED),
	    "80 MHz wide channel on 5 GHz (channel 36)") != NULL);
	test_cond("5 GHz 80 MHz: no 2.4 GHz, no 40 MHz",
	    strstr(evidence_of(FINDING_WIFI_WIDTH_UNSUPPORTED), "2.4") ==
	    NULL && strstr(evidence_of(FINDING_WIFI_WIDTH_UNSUPPORTED),
	    "40 MHz") == NULL);

	netmap_reset(nm);
	ap(1, "Forty", 6, WIFI_SEC_WPA2_PSK)->w.width_mhz = 40;
	judge("core", NULL, NULL);
	test_cond("2.4 GHz 40 MHz: the evidence says so",
	    strstr(evidence_of(FINDING_WIFI_WIDTH_UNSUPPORTED),
	    "40 MHz wide channel on 2.4 GHz (channel 6)") != NULL);

	ru = rules_get(&rules, FINDING_WIFI_WIDTH_UNSUPPORTED);
	test_cond("width rule: its summary names no band of its own",
	    ru != NULL && strstr(ru->summary, "2.4 GHz") == NULL &&
	    strstr(ru->summary, "40 MHz") == NULL);
}

static void
test_security(void)
{
	struct netmap_bss *b;

	netmap_reset(nm);
	ap(1, "Sae", 6, WIFI_SEC_WPA3_SAE)->w.pmf = WIFI_PMF_REQUIRED;
	judge("photon", NULL, NULL);
	test_cond("wpa3-sae unsupported",
	    has(FINDING_WIFI_SECURITY_UNSUPPORTED));

	netmap_reset(nm);
	ap(1, "Trans", 6, WIFI_SEC_WPA3_TRANSITION)->w.pmf = WIFI_PMF_OPTIONAL;
	judge("photon", NULL, NULL);
	test_cond("transition mode joins through PSK", fs.n == 0);

	netmap_reset(nm);
	ap(1, "Pmf", 6, WIFI_SEC_WPA2_PSK)->w.pmf = WIFI_PMF_REQUIRED;
	judge("photon", NULL, NULL);
	test_cond("pmf required blocks", has(FINDING_WIFI_PMF_REQUIRED) &&
	    jr.net[0].join == JUDGE_JOIN_NO);

	netmap_reset(nm);
	ap(1, "Corp", 6, WIFI_SEC_WPA2_EAP);
	judge("core", NULL, NULL);
	test_cond("core: enterprise unsupported",
	    has(FINDING_WIFI_SECURITY_UNSUPPORTED) &&
	    has(FINDING_WIFI_ENTERPRISE));
	judge("photon", "0.6.3", NULL);
	test_cond("photon 0.6.3: enterprise unsupported",
	    has(FINDING_WIFI_SECURITY_UNSUPPORTED));
	judge("photon", "0.7.0", NULL);
	test_cond("photon 0.7.0: enterprise supported",
	    !has(FINDING_WIFI_SECURITY_UNSUPPORTED) &&
	    !has(FINDING_WIFI_ENTERPRISE));

	netmap_reset(nm);
	b = ap(1, "Mixed", 6, WIFI_SEC_WPA2_PSK);
	b->w.wep_group = true;
	judge("photon", NULL, NULL);
	test_cond("photon: WPA2+WEP mixed fails",
	    has(FINDING_WIFI_SECURITY_UNSUPPORTED));

	netmap_reset(nm);
	ap(1, "Wep", 6, WIFI_SEC_WEP);
	judge("core", NULL, NULL);
	test_cond("wep warns, joins", has(FINDING_WIFI_WEP) &&
	    jr.net[0].join == JUDGE_JOIN_YES);

	netmap_reset(nm);
	ap(1, "Owe", 6, WIFI_SEC_OWE);
	judge("photon", NULL, NULL);
	test_cond("owe unsupported", has(FINDING_WIFI_SECURITY_UNSUPPORTED));
}

static void
test_hidden_weak_focus(void)
{
	struct netmap_bss *b;

	netmap_reset(nm);
	ap(1, NULL, 6, WIFI_SEC_WPA2_PSK);
	b = ap(2, "Far", 6, WIFI_SEC_WPA2_PSK);
	b->w.signal_last = -85;
	judge("photon", NULL, NULL);
	test_cond("hidden warns", has(FINDING_WIFI_HIDDEN_SSID));
	test_cond("weak warns", has(FINDING_WIFI_WEAK_SIGNAL));

	judge("photon", NULL, "Far");
	expect_int("focus found", 0, jr.focus);
	test_cond("focus: hidden one not reported",
	    !has(FINDING_WIFI_HIDDEN_SSID) && has(FINDING_WIFI_WEAK_SIGNAL));
	test_cond("focus: other network still has a verdict",
	    judge_ids_has(jr.bss[0], FINDING_WIFI_HIDDEN_SSID));

	judge("photon", NULL, "Nowhere");
	test_cond("missing ssid", has(FINDING_WIFI_SSID_NOT_FOUND) &&
	    !jr.ssid_found && fs.n == 1);
}

static void
test_ip_facts(void)
{
	static const uint8_t cl[6] = { 0x6c, 0x0b, 0x84, 1, 2, 3 };
	static const uint8_t priv[4] = { 192, 168, 1, 5 };
	static const uint8_t pub[4] = { 52, 1, 2, 3 };
	static const uint8_t dev[4] = { 192, 168, 1, 23 };
	struct netmap_dhcp_reply m;

	netmap_reset(nm);
	memset(&m, 0, sizeof(m));
	m.type = 1;
	netmap_dhcp(nm, cl, &m);
	judge("photon", NULL, NULL);
	test_cond("discover alone: no offer", has(FINDING_DHCP_NO_OFFER));
	m.type = 2;
	m.server_id[0] = 192;
	m.server_id[3] = 1;
	netmap_dhcp(nm, cl, &m);
	judge("photon", NULL, NULL);
	test_cond("offer: no more no_offer", !has(FINDING_DHCP_NO_OFFER) &&
	    !has(FINDING_DHCP_MULTIPLE_SERVERS));
	m.server_id[3] = 250;
	netmap_dhcp(nm, cl, &m);
	m.type = 6;
	netmap_dhcp(nm, cl, &m);
	judge("photon", NULL, NULL);
	test_cond("two servers", has(FINDING_DHCP_MULTIPLE_SERVERS));
	test_cond("nak", has(FINDING_DHCP_NAK));
	expect_str("refused outcome", "refused",
	    netmap_dhcp_outcome(&nm->dhcp_client[0]));
	/* The client starts over and gets an address: judged by outcome. */
	m.type = 5;
	netmap_dhcp(nm, cl, &m);
	judge("photon", NULL, NULL);
	test_cond("nak then ack: a lease, no nak", !has(FINDING_DHCP_NAK));
	expect_str("lease outcome", "lease",
	    netmap_dhcp_outcome(&nm->dhcp_client[0]));
	/* A NAK after the ACK (a renewal refused) is the outcome again. */
	m.type = 6;
	netmap_dhcp(nm, cl, &m);
	judge("photon", NULL, NULL);
	test_cond("ack then nak: nak", has(FINDING_DHCP_NAK));
	/* A NAK to no known client cannot be followed: still reported. */
	netmap_reset(nm);
	netmap_dhcp(nm, NULL, &m);
	judge("photon", NULL, NULL);
	test_cond("unfollowed nak", has(FINDING_DHCP_NAK));

	/* One server id, two different routers: a spoofer copying the id. */
	netmap_reset(nm);
	m.type = 2;
	m.server_id[3] = 1;
	m.router = priv;
	netmap_dhcp(nm, cl, &m);
	judge("photon", NULL, NULL);
	test_cond("one id, one router: fine",
	    !has(FINDING_DHCP_MULTIPLE_SERVERS));
	m.router = dev;
	netmap_dhcp(nm, cl, &m);
	judge("photon", NULL, NULL);
	test_cond("one id, two routers", has(FINDING_DHCP_MULTIPLE_SERVERS) &&
	    strstr(fs.item[0].evidence, "192.168.1.5, then 192.168.1.23") !=
	    NULL);
	m.router = NULL;

	netmap_reset(nm);
	netmap_dns(nm, "device.spark.io", 1, 0, 4, priv, NULL, 60, 4, priv);
	netmap_dns(nm, "router.lan", 1, 0, 4, priv, NULL, 60, 4, priv);
	netmap_dns(nm, "example.com", 1, 0, 4, pub, NULL, 60, 4, priv);
	judge("photon", NULL, NULL);
	expect_int("one private answer", 1, fs.n);
	test_cond("the cloud's name", has(FINDING_DNS_PRIVATE_ANSWER) &&
	    strstr(fs.item[0].evidence, "device.spark.io") != NULL);
	netmap_reset(nm);
	netmap_dns(nm, "device.spark.io", 0, 3, 0, NULL, NULL, 0, 4, priv);
	judge("photon", NULL, NULL);
	test_cond("cloud name NXDOMAIN", has(FINDING_CLOUD_DNS_FAILED));

	netmap_reset(nm);
	netmap_http(nm, 301, "https://www.adobe.com/", 22, 4, pub, 80);
	judge("photon", NULL, NULL);
	test_cond("an ordinary redirect is no portal",
	    !has(FINDING_PORTAL_DETECTED));
	netmap_http(nm, 302, "http://10.0.0.1/login.html", 26, 4, pub, 80);
	judge("photon", NULL, NULL);
	test_cond("a login redirect is", has(FINDING_PORTAL_DETECTED));

	netmap_reset(nm);
	netmap_flow(nm, 4, dev, 1, pub, 5683, false, TCP_SYN, 0);
	netmap_flow(nm, 4, dev, 1, pub, 5683, true, TCP_RST | TCP_ACK, 0);
	netmap_flow(nm, 4, dev, 2, pub, 5683, false, TCP_SYN, 0);
	judge("photon", NULL, NULL);
	test_cond("rst and silence", has(FINDING_CLOUD_PORT_REJECTED) &&
	    has(FINDING_CLOUD_PORT_BLOCKED));
	netmap_flow(nm, 4, dev, 3, pub, 5683, false, TCP_SYN, 0);
	netmap_flow(nm, 4, dev, 3, pub, 5683, true, TCP_SYN | TCP_ACK, 0);
	netmap_flow(nm, 4, dev, 3, pub, 5683, true, TCP_ACK, 40);
	judge("photon", NULL, NULL);
	test_cond("a nonce later clears them", !has(FINDING_CLOUD_PORT_REJECTED)
	    && !has(FINDING_CLOUD_PORT_BLOCKED));
}

static void
test_helpers(void)
{
	enum finding_id ids[4];

	test_cond("public", judge_public_name("device.spark.io"));
	test_cond("trailing dot", judge_public_name("device.spark.io."));
	test_cond("bare host", !judge_public_name("router"));
	test_cond(".local", !judge_public_name("printer.local"));
	test_cond("home.arpa", !judge_public_name("nas.home.arpa"));
	test_cond("511", judge_portal_redirect(511, ""));
	test_cond("302 hotspot", judge_portal_redirect(302,
	    "http://HotSpot.example/"));
	test_cond("301 never", !judge_portal_redirect(301, "http://x/login"));
	test_cond("oauth is no portal", !judge_portal_redirect(302,
	    "https://accounts.example.com/o/oauth2/v2?client=1"));
	expect_int("ids list", 2, judge_ids_list(judge_ids_or(
	    judge_ids_one(FINDING_DHCP_NAK), judge_ids_one(FINDING_WIFI_N_ONLY)),
	    ids, 4));
	expect_int("ids in order", FINDING_WIFI_N_ONLY, ids[0]);
	expect_int("no profile", -1, judge_run(nm,
	    &(struct judge_opts){ .profile = NULL }, &jr, &fs));
}

/* A step of station 6c:0b:84:00:00:01 with the AP 00:12:bf:00:00:0n. */
static void
join(unsigned n, int kind, int from_ap, unsigned code, unsigned alg,
    unsigned msg, uint64_t replay)
{
	static const uint8_t sta[6] = { 0x6c, 0x0b, 0x84, 0, 0, 1 };
	uint8_t bssid[6] = { 0x00, 0x12, 0xbf, 0, 0, (uint8_t)n };
	struct wifi_join_step s;

	memset(&s, 0, sizeof(s));
	s.kind = (uint8_t)kind;
	s.from_ap = from_ap != 0;
	s.code = (uint16_t)code;
	s.alg = (uint16_t)alg;
	s.seq = from_ap ? 2 : 1;
	s.msg = (uint8_t)msg;
	s.replay = replay;
	wifi_join_step(&nm->join, sta, bssid, &s, WIFI_JOIN_ROOM_ALL);
}

/* Each station judged by how its join ended (analyzers/wifi_join.c). */
static void
test_joins(void)
{
	static const struct { unsigned status, alg; enum finding_id id; }
	    codes[] = {
		{ 10, 0, FINDING_WIFI_CAPABILITIES_REFUSED },
		{ 17, 0, FINDING_WIFI_AP_FULL },
		{ 18, 0, FINDING_WIFI_RATES_REFUSED },
		{ 27, 0, FINDING_WIFI_RATES_REFUSED },
		{ 30, 0, FINDING_WIFI_PMF_REFUSED },
		{ 31, 0, FINDING_WIFI_PMF_REFUSED },
		{ 41, 0, FINDING_WIFI_RSN_REFUSED },
		{ 46, 0, FINDING_WIFI_RSN_REFUSED },
		{ 77, 3, FINDING_WIFI_SAE_REFUSED },
		{ 15, 3, FINDING_WIFI_SAE_REFUSED },
		{ 1, 3, FINDING_WIFI_SAE_REFUSED },
		{ 123, 3, FINDING_WIFI_SAE_REFUSED },
		{ 15, 1, FINDING_WIFI_AUTH_REJECTED },
		{ 12, 0, FINDING_WIFI_AUTH_REJECTED },
	};
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		netmap_reset(nm);
		ap(1, "Home", 6, WIFI_SEC_WPA2_PSK);
		join(1, WIFI_JOIN_AUTH, 0, 0, codes[i].alg, 0, 0);
		join(1, WIFI_JOIN_AUTH, 1, codes[i].status, codes[i].alg, 0, 0);
		judge("photon", NULL, NULL);
		test_cond("status gives its own cause", has(codes[i].id) &&
		    !has(FINDING_WIFI_WRONG_PASSWORD) && fs.n == 1);
		if (!has(codes[i].id))
			printf("     status %u\n", codes[i].status);
	}
	/* Refused, then associated with a complete 4-way: joined. */
	netmap_reset(nm);
	ap(1, "Home", 6, WIFI_SEC_WPA2_PSK);
	join(1, WIFI_JOIN_ASSOC_RESP, 1, 17, 0, 0, 0);
	judge("photon", NULL, NULL);
	test_cond("refused", has(FINDING_WIFI_AP_FULL));
	join(1, WIFI_JOIN_ASSOC_RESP, 1, 0, 0, 0, 0);
	join(1, WIFI_JOIN_EAPOL, 1, 0, 0, EAPOL_MSG_4WAY_1, 1);
	join(1, WIFI_JOIN_EAPOL, 0, 0, 0, EAPOL_MSG_4WAY_2, 1);
	join(1, WIFI_JOIN_EAPOL, 1, 0, 0, EAPOL_MSG_4WAY_3, 2);
	join(1, WIFI_JOIN_EAPOL, 0, 0, 0, EAPOL_MSG_4WAY_4, 2);
	judge("photon", NULL, NULL);
	expect_int("then joined: no finding", 0, fs.n);
	/* Wrong password, from the handshake. */
	join(1, WIFI_JOIN_EAPOL, 1, 0, 0, EAPOL_MSG_4WAY_1, 3);
	join(1, WIFI_JOIN_EAPOL, 0, 0, 0, EAPOL_MSG_4WAY_2, 3);
	join(1, WIFI_JOIN_EAPOL, 1, 0, 0, EAPOL_MSG_4WAY_1, 4);
	join(1, WIFI_JOIN_EAPOL, 0, 0, 0, EAPOL_MSG_4WAY_2, 4);
	judge("photon", NULL, NULL);
	test_cond("rekey fails at message 2: wrong password",
	    has(FINDING_WIFI_WRONG_PASSWORD) && fs.n == 1);
	/* --ssid: stations of other networks are not judged. */
	ap(2, "Other", 11, WIFI_SEC_WPA2_PSK);
	judge("photon", NULL, "Other");
	test_cond("other network's station", !has(FINDING_WIFI_WRONG_PASSWORD));
	/* An AP without a beacon still counts without --ssid. */
	join(9, WIFI_JOIN_ASSOC_RESP, 1, 18, 0, 0, 0);
	judge("photon", NULL, NULL);
	test_cond("beaconless AP", has(FINDING_WIFI_RATES_REFUSED) &&
	    strstr(fs.item[fs.n - 1].evidence, "no beacon") != NULL);
}

/* Association and a complete 4-way with access point n. */
static void
join_whole(unsigned n, uint64_t replay)
{
	join(n, WIFI_JOIN_ASSOC_RESP, 1, 0, 0, 0, 0);
	join(n, WIFI_JOIN_EAPOL, 1, 0, 0, EAPOL_MSG_4WAY_1, replay);
	join(n, WIFI_JOIN_EAPOL, 0, 0, 0, EAPOL_MSG_4WAY_2, replay);
	join(n, WIFI_JOIN_EAPOL, 1, 0, 0, EAPOL_MSG_4WAY_3, replay + 1);
	join(n, WIFI_JOIN_EAPOL, 0, 0, 0, EAPOL_MSG_4WAY_4, replay + 1);
}

/*
 * A station refused by one access point (full, status 17) that then
 * joins another of the same network (a mesh sibling, the other radio) has
 * joined that network: its final state decides, whichever BSS it is at.
 * A refusal after the join, or a join to another network, does not undo
 * the refusal.
 */
static void
test_join_elsewhere(void)
{
	netmap_reset(nm);
	ap(1, "Home", 1, WIFI_SEC_WPA2_PSK);
	ap(2, "Home", 11, WIFI_SEC_WPA2_PSK);
	join(1, WIFI_JOIN_ASSOC_RESP, 1, 17, 0, 0, 0);
	judge("photon", NULL, NULL);
	test_cond("elsewhere: refused at the first AP", has(FINDING_WIFI_AP_FULL));
	join_whole(2, 1);
	judge("photon", NULL, NULL);
	test_cond("elsewhere: then joined its sibling: no refusal finding",
	    !has(FINDING_WIFI_AP_FULL) && jr.net[0].join == JUDGE_JOIN_YES);
	judge("photon", NULL, "Home");
	test_cond("elsewhere: with --ssid too", !has(FINDING_WIFI_AP_FULL));
	/* Refused again by the full one after that: the last word. */
	join(1, WIFI_JOIN_ASSOC_RESP, 1, 17, 0, 0, 0);
	judge("photon", NULL, NULL);
	test_cond("elsewhere: refused again after the join",
	    has(FINDING_WIFI_AP_FULL));

	/* Joined first, refused by the sibling later: the refusal stands. */
	netmap_reset(nm);
	ap(1, "Home", 1, WIFI_SEC_WPA2_PSK);
	ap(2, "Home", 11, WIFI_SEC_WPA2_PSK);
	join_whole(2, 1);
	join(1, WIFI_JOIN_ASSOC_RESP, 1, 17, 0, 0, 0);
	judge("photon", NULL, NULL);
	test_cond("elsewhere: joined, then refused by the other",
	    has(FINDING_WIFI_AP_FULL));

	/* Another network's access point says nothing of this one. */
	netmap_reset(nm);
	ap(1, "Home", 1, WIFI_SEC_WPA2_PSK);
	ap(3, "Other", 6, WIFI_SEC_WPA2_PSK);
	join(1, WIFI_JOIN_ASSOC_RESP, 1, 17, 0, 0, 0);
	join_whole(3, 1);
	judge("photon", NULL, NULL);
	test_cond("elsewhere: a join to another network does not count",
	    has(FINDING_WIFI_AP_FULL));

	/* Nor a wrong password at the sibling. */
	netmap_reset(nm);
	ap(1, "Home", 1, WIFI_SEC_WPA2_PSK);
	ap(2, "Home", 11, WIFI_SEC_WPA2_PSK);
	join(1, WIFI_JOIN_ASSOC_RESP, 1, 17, 0, 0, 0);
	join(2, WIFI_JOIN_ASSOC_RESP, 1, 0, 0, 0, 0);
	join(2, WIFI_JOIN_EAPOL, 1, 0, 0, EAPOL_MSG_4WAY_1, 1);
	join(2, WIFI_JOIN_EAPOL, 0, 0, 0, EAPOL_MSG_4WAY_2, 1);
	join(2, WIFI_JOIN_EAPOL, 1, 0, 0, EAPOL_MSG_4WAY_1, 2);
	join(2, WIFI_JOIN_EAPOL, 0, 0, 0, EAPOL_MSG_4WAY_2, 2);
	judge("photon", NULL, NULL);
	test_cond("elsewhere: a failure there keeps both",
	    has(FINDING_WIFI_AP_FULL) && has(FINDING_WIFI_WRONG_PASSWORD));
}

/* The id set holds every id finding.h names, across its words. */
static void
test_id_set(void)
{
	enum finding_id ids[FINDING_COUNT];
	judge_ids all = { { 0 } }, low = { { 0 } }, high;
	unsigned id, n = 0;

	test_cond("more ids than one word holds", FINDING_COUNT > 64);
	for (id = 0; id < FINDING_COUNT; id++) {
		judge_ids_add(&all, id);
		if (id < 64)
			judge_ids_add(&low, id);
	}
	for (id = 0; id < FINDING_COUNT; id++)
		n += judge_ids_has(all, id);
	expect_int("every id has its bit", FINDING_COUNT, n);
	expect_int("the list names them all", FINDING_COUNT,
	    judge_ids_list(all, ids, FINDING_COUNT));
	expect_int("the list ends with the last id", FINDING_COUNT - 1,
	    ids[FINDING_COUNT - 1]);
	high = judge_ids_minus(all, low);
	test_cond("past 64: its own bit",
	    judge_ids_has(high, FINDING_COUNT - 1) &&
	    !judge_ids_has(high, 63) && !judge_ids_has(high, 0));
	expect_int("past 64: listed", FINDING_COUNT - 64,
	    judge_ids_list(high, ids, FINDING_COUNT));
	expect_int("past 64: first is id 64", 64, ids[0]);
	test_cond("bit 64 is not bit 0", !judge_ids_has(judge_ids_one(64), 0)
	    && !judge_ids_has(judge_ids_one(0), 64));
	test_cond("and of disjoint halves is empty",
	    judge_ids_empty(judge_ids_and(low, high)));
	test_cond("or of the halves is all", judge_ids_empty(judge_ids_minus(
	    all, judge_ids_or(low, high))));
	test_cond("an id outside the enum has no bit",
	    judge_ids_empty(judge_ids_one(FINDING_COUNT)) &&
	    !judge_ids_has(all, FINDING_COUNT) &&
	    !judge_ids_has(all, 100000));
	expect_int("list bounded by max", FINDING_COUNT,
	    judge_ids_list(all, ids, 2));
}

int
main(void)
{
	char err[512];

	rules_init(&rules);
	if (rules_load("rules", &rules, err, sizeof(err)) != 0) {
		printf("FAIL test_judge: %s\n", err);
		return test_report() + 1;
	}
	if ((nm = netmap_new()) == NULL)
		return 1;
	test_channel();
	test_n_only();
	test_undecided_rates();
	test_bands();
	test_width();
	test_security();
	test_hidden_weak_focus();
	test_ip_facts();
	test_helpers();
	test_joins();
	test_join_elsewhere();
	test_id_set();
	netmap_free(nm);
	return test_report();
}
