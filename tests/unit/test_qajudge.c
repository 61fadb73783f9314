/*
 * test_qajudge.c - the QA judge (analyzers/qajudge.c) with the real rules
 * and the Core and Photon profiles from rules/: the same observation judged
 * for two devices gives each its own LED, the lowest failing stage wins,
 * warnings warn, and what was not measured, not run, skipped or not covered
 * by the profile stays inconclusive.  Findings whose ids lie past the
 * first 64 (the router tests' wan.*, lan.*, dhcp.*) are judged like any.
 */
#include <stdio.h>
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
	struct qajudge_obs o = { true, ids, 0 };

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
	test_inconclusive();
	test_names();
	test_high_ids();
	test_session_failure();
	return test_report();
}
