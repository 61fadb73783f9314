/*
 * qa_tests.c - the table of tests a QA plan can name (qa_tests.h).
 *
 * `diagnose` is the connect path of `cyanprobe diagnose`, run as that very
 * command (cmd_diagnose) with the plan's targets and the station's
 * interface, so that a QA cell holds exactly the facts and findings a user
 * would get.  Its variants are the device's internet test: TCP on Device OS
 * before 0.7, NTP on the Core's 2014 firmware and later Device OS, as the
 * profiles say; each is measured once for the device and firmware of the
 * plan that first needs it.
 *
 * The router tests of issue 14 (nat-lifetime, wan-recovery, isolation,
 * rebind, dhcp-time) run as `cyanprobe qa test NAME` itself (qatest_cmd),
 * with the plan's keys of the test as its options, the station's interface
 * and the router's hooks.  nat-lifetime is measured once per cell, its
 * flows placed either side of every keep-alive interval the plan's
 * firmware needs (--keepalive), and the judge holds the stored lifetimes
 * against each firmware's own interval (analyzers/qajudge.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <getopt.h>

#include "cmd.h"
#include "qa_tests.h"
#include "qatest.h"

#define QA_DIAG_ARGS	32
#define QA_ROUTER_ARGS	(16 + 2 * QA_TEST_OPTS_MAX)

static void
qa_diag_arg(char **argv, int *argc, const char *opt, const char *val)
{
	if (val == NULL || val[0] == '\0' || *argc + 2 >= QA_DIAG_ARGS)
		return;
	argv[(*argc)++] = (char *)(uintptr_t)opt;
	argv[(*argc)++] = (char *)(uintptr_t)val;
}

static int
qa_test_diagnose(const struct qa_test_ctx *ctx, const char *json_path)
{
	const struct qa_targets *t = &ctx->plan->targets;
	char *argv[QA_DIAG_ARGS], json[1100], timeout[32], window[32];
	char grace[32];
	int argc = 0;

	snprintf(json, sizeof(json), "--json=%s", json_path);
	snprintf(timeout, sizeof(timeout), "%g", ctx->test->timeout > 0 ?
	    ctx->test->timeout : t->timeout);
	snprintf(window, sizeof(window), "%g", t->dhcp_window);
	snprintf(grace, sizeof(grace), "%g", t->dhcp_grace);
	argv[argc++] = (char *)(uintptr_t)"diagnose";
	argv[argc++] = json;
	qa_diag_arg(argv, &argc, "--iface", ctx->station->iface);
	qa_diag_arg(argv, &argc, "--rules", ctx->rules_dir);
	qa_diag_arg(argv, &argc, "--device", ctx->device);
	qa_diag_arg(argv, &argc, "--firmware", ctx->firmware);
	qa_diag_arg(argv, &argc, "--cloud", t->cloud);
	qa_diag_arg(argv, &argc, "--internet-test", t->internet_test);
	qa_diag_arg(argv, &argc, "--ntp", t->ntp);
	qa_diag_arg(argv, &argc, "--portal-url", t->portal_url);
	qa_diag_arg(argv, &argc, "--dns", t->dns);
	if (ctx->test->timeout > 0 || t->timeout > 0)
		qa_diag_arg(argv, &argc, "--timeout", timeout);
	if (t->dhcp_window > 0)
		qa_diag_arg(argv, &argc, "--dhcp-window", window);
	if (t->dhcp_grace > 0)
		qa_diag_arg(argv, &argc, "--dhcp-grace", grace);
	argv[argc] = NULL;
	optind = 1;
	return cmd_diagnose(argc, argv);
}

static const char *
qa_test_diagnose_variant(const struct profile *p, const struct fw_version *fw)
{
	const struct internet_test *it = profile_internet_test(p, fw);

	return it != NULL && it->kind == INTERNET_TEST_NTP ? "ntp" : "tcp";
}

const char *
qa_test_hook_flag(enum qa_hook h)
{
	switch (h) {
	case QA_HOOK_WAN_DOWN:		return "--down-cmd";
	case QA_HOOK_WAN_UP:		return "--up-cmd";
	case QA_HOOK_WAN_RENUMBER:	return "--renumber-cmd";
	case QA_HOOK_POWER_CYCLE:	return "--restart-cmd";
	default:			return NULL;
	}
}

/*
 * nat-lifetime before it was measured once for every firmware: the
 * variant an older store's rows carry, one per keep-alive interval.
 */
static const char *
qa_test_nat_variant(const struct profile *p, const struct fw_version *fw)
{
	static char buf[32];
	const struct profile_keepalive *k = profile_keepalive(p, fw);

	if (k == NULL)
		return "no-keepalive";
	snprintf(buf, sizeof(buf), "keepalive-%gs", k->interval_ms / 1000.0);
	return buf;
}

/* Append "Ns" to the comma list buf unless it holds it; false if full. */
static bool
qa_test_ka_add(char *buf, size_t len, double s, size_t *n)
{
	char one[32], *p;
	size_t l = strlen(buf);

	snprintf(one, sizeof(one), "%gs", s);
	for (p = buf; (p = strstr(p, one)) != NULL; p += strlen(one))
		if ((p == buf || p[-1] == ',') && (p[strlen(one)] == '\0' ||
		    p[strlen(one)] == ','))
			return true;
	if (*n == QATEST_KEEPALIVES_MAX || l + strlen(one) + 2 > len)
		return false;
	snprintf(buf + l, len - l, "%s%s", l > 0 ? "," : "", one);
	(*n)++;
	return true;
}

/*
 * --keepalive for nat-lifetime, measured once for every firmware of the
 * plan: the plan's own `keepalive` list, then the interval of every
 * firmware the plan judges other than the one the job runs as (the test
 * adds that one), so that the schedule probes either side of each and
 * the judge can place the lifetime against every one.  False: none.
 */
static bool
qa_test_nat_keepalives(const struct qa_test_ctx *ctx, char *buf, size_t len)
{
	const struct qa_plan *pl = ctx->plan;
	const struct profile_keepalive *k, *own = NULL;
	const struct profile *p;
	struct fw_version fw;
	size_t i, d, f, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ctx->test->nopt; i++)
		if (strcmp(ctx->test->opt[i].flag, "--keepalive") == 0) {
			snprintf(buf, len, "%s", ctx->test->opt[i].value);
			n = 1;
			for (d = 0; buf[d] != '\0'; d++)
				n += buf[d] == ',';
		}
	if ((p = rules_profile(ctx->rules, ctx->device)) != NULL &&
	    fw_version_parse(ctx->firmware, &fw))
		own = profile_keepalive(p, &fw);
	for (d = 0; d < pl->ndevices; d++)
		for (f = 0; f < pl->device[d].nfirmware; f++) {
			p = rules_profile(ctx->rules, pl->device[d].name);
			if (p == NULL || !fw_version_parse(
			    pl->device[d].firmware[f], &fw) ||
			    (k = profile_keepalive(p, &fw)) == NULL ||
			    (own != NULL && k->interval_ms == own->interval_ms))
				continue;
			if (!qa_test_ka_add(buf, len, k->interval_ms / 1000.0,
			    &n))
				break;
		}
	return buf[0] != '\0';
}

static int
qa_test_router(const struct qa_test_ctx *ctx, const char *json_path)
{
	const struct qa_router *r = &ctx->plan->router[ctx->cell->router];
	const struct qa_testdef *def = qa_tests_find(ctx->test->name);
	char *argv[QA_ROUTER_ARGS + 1], json[1100], max[32];
	char ka[QA_TEXT_MAX + 160];
	int argc = 0, h;
	size_t i;

	snprintf(json, sizeof(json), "--json=%s", json_path);
	argv[argc++] = (char *)(uintptr_t)"test";
	argv[argc++] = json;
	qa_diag_arg(argv, &argc, "--rules", ctx->rules_dir);
	qa_diag_arg(argv, &argc, "--device", ctx->device);
	qa_diag_arg(argv, &argc, "--firmware", ctx->firmware);
	qa_diag_arg(argv, &argc, "--iface", ctx->station->iface);
	if (ctx->test->max > 0) {
		snprintf(max, sizeof(max), "%g", ctx->test->max);
		qa_diag_arg(argv, &argc, "--max", max);
	}
	for (i = 0; i < ctx->test->nopt; i++)
		if (strcmp(ctx->test->opt[i].flag, "--keepalive") != 0)
			qa_diag_arg(argv, &argc, ctx->test->opt[i].flag,
			    ctx->test->opt[i].value);
	if (strcmp(ctx->test->name, "nat-lifetime") == 0 &&
	    qa_test_nat_keepalives(ctx, ka, sizeof(ka)))
		qa_diag_arg(argv, &argc, "--keepalive", ka);
	for (h = 0; h < QA_HOOK_COUNT; h++)
		if ((def->hooks & QA_HOOK_BIT(h)) != 0)
			qa_diag_arg(argv, &argc,
			    qa_test_hook_flag((enum qa_hook)h), r->hook[h]);
	argv[argc++] = (char *)(uintptr_t)ctx->test->name;
	argv[argc] = NULL;
	optind = 1;
	return qatest_cmd(argc, argv);
}

static const struct qa_test_key qa_keys_nat[] = {
	{ "responder", "--responder", QA_KEY_IPV4_PORT, true },
	{ "step", "--step", QA_KEY_SECONDS, false },
	{ "grace", "--grace", QA_KEY_SECONDS, false },
	{ "keepalive", "--keepalive", QA_KEY_DURATIONS, false },
	{ NULL, NULL, QA_KEY_SECONDS, false }
};

static const struct qa_test_key qa_keys_wan[] = {
	{ "responder", "--responder", QA_KEY_IPV4_PORT, true },
	{ "outage", "--outage", QA_KEY_SECONDS, false },
	{ "step", "--step", QA_KEY_SECONDS, false },
	{ "grace", "--grace", QA_KEY_SECONDS, false },
	{ NULL, NULL, QA_KEY_SECONDS, false }
};

static const struct qa_test_key qa_keys_isolation[] = {
	{ "target", "--target", QA_KEY_IPV4, true },
	{ "mdns", "--mdns", QA_KEY_NAME, false },
	{ "interval", "--interval", QA_KEY_SECONDS, false },
	{ "grace", "--grace", QA_KEY_SECONDS, false },
	{ NULL, NULL, QA_KEY_SECONDS, false }
};

static const struct qa_test_key qa_keys_rebind[] = {
	{ "private_name", "--name", QA_KEY_NAME, true },
	{ "nonexistent", "--nonexistent", QA_KEY_NAME, false },
	{ "dns", "--dns", QA_KEY_IPV4, false },
	{ "upstream_dns", "--upstream-dns", QA_KEY_IPV4, false },
	{ "grace", "--grace", QA_KEY_SECONDS, false },
	{ NULL, NULL, QA_KEY_SECONDS, false }
};

static const struct qa_test_key qa_keys_dhcp[] = {
	{ "mac", "--mac", QA_KEY_MAC, false },
	{ "renew_at", "--renew-at", QA_KEY_SECONDS, false },
	{ "rebind_at", "--rebind-at", QA_KEY_SECONDS, false },
	{ "grace", "--grace", QA_KEY_SECONDS, false },
	{ NULL, NULL, QA_KEY_SECONDS, false }
};

static const struct qa_testdef qa_tests[] = {
	/* One line per test; the plan's `tests` name them. */
	{ .name = "diagnose", .summary = "the connect path, stage by stage, "
	  "as the device walks it", .run = qa_test_diagnose,
	  .variant = qa_test_diagnose_variant },
	{ .name = "nat-lifetime", .summary = "how long the NAT keeps idle "
	  "TCP 5683, TCP 443 and UDP flows, against the keep-alive",
	  .keys = qa_keys_nat, .default_max = 7500, .run = qa_test_router,
	  .old_variant = qa_test_nat_variant },
	{ .name = "wan-recovery", .exclusive = true, .summary = "a TCP 5683 "
	  "session through a WAN outage or renumbering", .keys = qa_keys_wan,
	  .hooks = QA_HOOK_BIT(QA_HOOK_WAN_DOWN) |
	  QA_HOOK_BIT(QA_HOOK_WAN_UP) | QA_HOOK_BIT(QA_HOOK_WAN_RENUMBER),
	  .default_max = 300, .run = qa_test_router },
	{ .name = "isolation", .summary = "what a second client on the LAN "
	  "can send to the device", .keys = qa_keys_isolation,
	  .default_max = 180, .run = qa_test_router },
	{ .name = "rebind", .summary = "does the router's DNS drop public "
	  "names with private answers", .keys = qa_keys_rebind,
	  .default_max = 10, .run = qa_test_router },
	{ .name = "dhcp-time", .exclusive = true, .summary = "a lease renewed "
	  "at T1, rebound at T2, and asked back after a router restart",
	  .keys = qa_keys_dhcp, .hooks = QA_HOOK_BIT(QA_HOOK_POWER_CYCLE),
	  .default_max = 600, .run = qa_test_router },
	{ .name = NULL }
};

double
qa_tests_limit(const struct qa_testdef *def, const struct qa_test *t,
    double base)
{
	/* Deadlines inside diagnose scale with its timeout. */
	if (def->keys == NULL)
		return 30 + 20 * base;
	/* Its own deadline, the hooks' and the release after it. */
	return (t->max > 0 ? t->max : def->default_max) + 60;
}

const struct qa_testdef *
qa_tests_find(const char *name)
{
	const struct qa_testdef *t;

	for (t = qa_tests; t->name != NULL; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

const struct qa_testdef *
qa_tests_at(size_t i)
{
	if (i >= sizeof(qa_tests) / sizeof(qa_tests[0]) - 1)
		return NULL;
	return &qa_tests[i];
}
