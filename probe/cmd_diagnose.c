/*
 * cmd_diagnose.c - `cyanprobe diagnose`: replay, from this host and all at
 * once, every step a Particle device takes to reach its cloud (link, DHCP,
 * DNS, its internet test, a captive portal, the cloud port), then let the
 * rules say which stage fails first and which LED code the device shows.
 * Options and targets here; the checks in probe/check_*.c; the engine in
 * probe/diagnose.c.  docs/diagnose.md documents all of it.
 */
#include <arpa/inet.h>
#include <net/if.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "agent_events.h"
#include "cli.h"
#include "cmd.h"
#include "diagnose.h"
#include "hostport.h"
#include "log.h"
#include "mac.h"

enum {
	OPT_IFACE = 0x2000,
	OPT_DNS,
	OPT_DHCP_MAC,
	OPT_DHCP_WINDOW,
	OPT_DHCP_GRACE,
	OPT_NO_DHCP,
	OPT_CLOUD,
	OPT_INTERNET_TEST,
	OPT_NTP,
	OPT_PORTAL_URL,
	OPT_TIMEOUT,
	OPT_SSID,
	OPT_AGENT_EVENTS,
	OPT_DEVICE_KEY,
	OPT_SERVER_KEY,
	OPT_DEVICE_ID,
	OPT_PING_AFTER
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe diagnose [options]\n"
	    "\n"
	    "Check, live and all at once, every step a Particle device takes to\n"
	    "reach its cloud on this network: link, DHCP, DNS, the device's own\n"
	    "internet test, a captive portal and the cloud port.  Tells the first\n"
	    "stage that fails and the LED code the device shows for it.\n"
	    "Run it on a computer on the same network as the device.\n"
	    "\n"
	    "targets (every one can be moved, e.g. into a test lab):\n"
	    "  --iface IF             interface (default: the default route's)\n"
	    "  --dns ADDR[,ADDR]      DNS servers to ask (default: the DHCP\n"
	    "                         offer's, else /etc/resolv.conf)\n"
	    "  --dhcp-mac MAC         client MAC of the DHCP DISCOVER (default:\n"
	    "                         random, locally administered)\n"
	    "  --dhcp-window S        how long to wait for a first DHCP offer\n"
	    "                         (default 10, longer with a --timeout over\n"
	    "                         5)\n"
	    "  --dhcp-grace S         listen this long after the first offer for\n"
	    "                         other (rogue) DHCP servers (default 0.5, and\n"
	    "                         on while other checks run); stock servers\n"
	    "                         ping-check for up to 3 s before offering,\n"
	    "                         so a second one can be seconds slower: try 5\n"
	    "  --no-dhcp              do not send a DHCP DISCOVER\n"
	    "  --cloud HOST[:PORT]    the cloud (default: the device's,\n"
	    "                         device.spark.io:5683)\n"
	    "  --internet-test HOST:PORT\n"
	    "                         TCP internet test target (default 8.8.8.8:53,\n"
	    "                         used by firmware up to 1.5.x)\n"
	    "  --ntp HOST[:PORT]      NTP internet test target (default\n"
	    "                         pool.ntp.org, used by Device OS 2.0 and later)\n"
	    "  --portal-url URL       captive-portal probe (default\n"
	    "                         http://connectivitycheck.gstatic.com/generate_204)\n"
	    "  --timeout S            the longest deadline of a network step in\n"
	    "                         seconds, counted from the DHCP offer (default\n"
	    "                         5); every other deadline scales with it\n"
	    "  --ssid NAME            the Wi-Fi network the device should join\n"
	    "                         (default: this computer's; wireless only)\n"
	    "  --agent-events FILE    the device's firmware-agent timeline (serial\n"
	    "                         dump or collector file) beside the checks\n"
	    "  --device-key FILE --server-key FILE [--device-id HEX24]\n"
	    "                         the device's keys: the cloud check runs the\n"
	    "                         whole handshake (see cyanprobe handshake)\n"
	    "  --ping-after S         with the keys: stay idle S seconds after the\n"
	    "                         cloud's Hello before the CoAP ping, as a\n"
	    "                         device does (it pings after 15 s idle; default\n"
	    "                         0: at once); the cloud check's deadline grows\n"
	    "                         by S\n"
	    "\n"
	    "report:\n");
	cli_usage_common(f);
	fprintf(f,
	    "\n"
	    "The DHCP check needs CAP_NET_RAW (root); without it, it is skipped.\n"
	    "Ctrl-C stops the checks and writes the report of those that\n"
	    "finished, marked interrupted, to every output asked for; the DHCP\n"
	    "check ends at once and judges the offers it has seen so far.\n"
	    "Exit status: 0 no problem found, 1 problems found, 2 usage error,\n"
	    "3 runtime failure, 4 inconclusive (nothing fails, but a stage was\n"
	    "not observed, e.g. DHCP skipped without root, or a scan result\n"
	    "cut so that whether the device can join is unknown), 130 interrupted\n"
	    "(report written).\n");
}

static int
parse_mac(const char *s, uint8_t mac[6])
{
	/* A group address cannot be a client's. */
	return mac_parse(s, mac) && (mac[0] & 1) == 0 ? 0 : -1;
}

static int
parse_dns(const char *s, struct diag_opts *o)
{
	char buf[256], *tok, *save = NULL;

	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return -1;
	o->ndns = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (o->ndns == DIAG_DNS_MAX ||
		    inet_pton(AF_INET, tok, &o->dns[o->ndns]) != 1)
			return -1;
		o->ndns++;
	}
	return o->ndns > 0 ? 0 : -1;
}

/*
 * The forum's "network topology" line from what the checks saw: the DHCP
 * servers that answered (with one, how long no other did: a slower one was
 * not seen) and the gateway.  Written to buf (len bytes), which must
 * outlive the report; left alone when nothing is known.
 */
static void
forum_topology(struct report *r, char *buf, size_t len)
{
	const cJSON *dhcp, *offers, *o, *gw, *after;
	size_t n = 0;

	dhcp = cJSON_GetObjectItemCaseSensitive(r->facts, "dhcp");
	offers = cJSON_GetObjectItemCaseSensitive(dhcp, "offers");
	after = cJSON_GetObjectItemCaseSensitive(dhcp,
	    "listened_after_offer_ms");
	gw = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(r->facts, "link"), "gateway");
	if (r->forum.topology != NULL || (!cJSON_IsArray(offers) &&
	    !cJSON_IsString(gw)))
		return;
	buf[0] = '\0';
	if (cJSON_IsArray(offers)) {
		n = (size_t)cJSON_GetArraySize(offers);
		snprintf(buf, len, "%zu DHCP server%s answered", n,
		    n == 1 ? "" : "s");
		cJSON_ArrayForEach(o, offers) {
			const char *srv = cJSON_GetStringValue(
			    cJSON_GetObjectItemCaseSensitive(o, "server"));

			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
			    o == offers->child ? " (" : ", ",
			    srv != NULL ? srv : "?");
		}
		if (n > 0)
			snprintf(buf + strlen(buf), len - strlen(buf), ")");
		if (cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(dhcp,
		    "servers")) == 1 && cJSON_IsNumber(after))
			snprintf(buf + strlen(buf), len - strlen(buf),
			    ", no other within %.1f s of its offer",
			    after->valuedouble / 1000);
	}
	if (cJSON_IsString(gw))
		snprintf(buf + strlen(buf), len - strlen(buf), "%sgateway %s",
		    buf[0] ? "; " : "", gw->valuestring);
	r->forum.topology = buf;
}

static cJSON *
source_json(const struct diag_opts *o)
{
	cJSON *s = cJSON_CreateObject(), *t;
	char buf[DIAG_HOST_MAX + 8];

	if (s == NULL)
		return NULL;
	cJSON_AddStringToObject(s, "command", "diagnose");
	if (o->iface != NULL)
		cJSON_AddStringToObject(s, "interface", o->iface);
	t = cJSON_AddObjectToObject(s, "targets");
	snprintf(buf, sizeof(buf), "%s:%u", o->cloud_host, o->cloud_port);
	cJSON_AddStringToObject(t, "cloud", buf);
	if (o->inet_ntp) {
		snprintf(buf, sizeof(buf), "%s:%u", o->ntp_host, o->ntp_port);
		cJSON_AddStringToObject(t, "internet_test", buf);
		cJSON_AddStringToObject(t, "internet_test_kind", "ntp");
	} else {
		snprintf(buf, sizeof(buf), "%s:%u", o->inet_host,
		    o->inet_port);
		cJSON_AddStringToObject(t, "internet_test", buf);
		cJSON_AddStringToObject(t, "internet_test_kind", "tcp");
	}
	cJSON_AddStringToObject(t, "portal_url", o->portal_url);
	return s;
}

/* The command line: the engine's options plus the targets still to split. */
struct diag_args {
	struct diag_opts	 o;
	const char		*cloud;		/* --cloud HOST[:PORT] */
	const char		*inet;		/* --internet-test HOST:PORT */
	const char		*ntp;		/* --ntp HOST[:PORT] */
	const char		*agent_file;	/* --agent-events */
};

/* Parsing went through: carry on (any other value is the exit code). */
#define DIAG_GO	(-1)

/* The options about this host's network; DIAG_GO or EXIT_USAGE. */
static int
diagnose_opt_network(int ch, const char *arg, struct diag_opts *o)
{
	switch (ch) {
	case OPT_IFACE:
		if (strlen(arg) >= IF_NAMESIZE || if_nametoindex(arg) == 0) {
			log_warnx("diagnose: --iface: no interface '%s'", arg);
			return EXIT_USAGE;
		}
		o->iface = arg;
		break;
	case OPT_DNS:
		if (parse_dns(arg, o) == -1) {
			log_warnx("diagnose: --dns: '%s' is not a list "
			    "of up to %d IPv4 addresses", arg, DIAG_DNS_MAX);
			return EXIT_USAGE;
		}
		break;
	case OPT_DHCP_MAC:
		if (parse_mac(arg, o->mac) == -1) {
			log_warnx("diagnose: --dhcp-mac: '%s' is not a "
			    "unicast MAC address", arg);
			return EXIT_USAGE;
		}
		o->has_mac = true;
		break;
	case OPT_DHCP_WINDOW:
		if (cli_parse_duration(arg, 0.1, 60, &o->dhcp_window)) {
			log_warnx("diagnose: --dhcp-window: '%s' is not "
			    "0.1 to 60 seconds", arg);
			return EXIT_USAGE;
		}
		break;
	case OPT_DHCP_GRACE:
		if (cli_parse_duration(arg, 0.1, 60, &o->dhcp_grace)) {
			log_warnx("diagnose: --dhcp-grace: '%s' is not "
			    "0.1 to 60 seconds", arg);
			return EXIT_USAGE;
		}
		break;
	default:	/* OPT_NO_DHCP */
		o->skip_dhcp = true;
		break;
	}
	return DIAG_GO;
}

/* The options about what the checks reach and how; DIAG_GO or EXIT_USAGE. */
static int
diagnose_opt_target(int ch, const char *arg, struct diag_args *a)
{
	switch (ch) {
	case OPT_CLOUD:
		a->cloud = arg;
		break;
	case OPT_INTERNET_TEST:
		a->inet = arg;
		break;
	case OPT_NTP:
		a->ntp = arg;
		break;
	case OPT_PORTAL_URL:
		if (strncmp(arg, "http://", 7) != 0 &&
		    strncmp(arg, "https://", 8) != 0) {
			log_warnx("diagnose: --portal-url: '%s' is not "
			    "an http:// or https:// URL", arg);
			return EXIT_USAGE;
		}
		snprintf(a->o.portal_url, sizeof(a->o.portal_url), "%s", arg);
		break;
	case OPT_TIMEOUT:
		if (cli_parse_duration(arg, 0.2, 120, &a->o.timeout)) {
			log_warnx("diagnose: --timeout: '%s' is not 0.2 "
			    "to 120 seconds", arg);
			return EXIT_USAGE;
		}
		break;
	default:	/* OPT_SSID */
		if (strlen(arg) > 32) {
			log_warnx("diagnose: --ssid: '%s' is longer "
			    "than 32 bytes", arg);
			return EXIT_USAGE;
		}
		a->o.ssid = arg;
		break;
	}
	return DIAG_GO;
}

/* One option of diagnose's own; DIAG_GO or the exit code. */
static int
diagnose_option(int ch, const char *arg, struct diag_args *a)
{
	switch (ch) {
	case 'h':
		usage(stdout);
		return EXIT_OK;
	case OPT_IFACE:
	case OPT_DNS:
	case OPT_DHCP_MAC:
	case OPT_DHCP_WINDOW:
	case OPT_DHCP_GRACE:
	case OPT_NO_DHCP:
		return diagnose_opt_network(ch, arg, &a->o);
	case OPT_CLOUD:
	case OPT_INTERNET_TEST:
	case OPT_NTP:
	case OPT_PORTAL_URL:
	case OPT_TIMEOUT:
	case OPT_SSID:
		return diagnose_opt_target(ch, arg, a);
	case OPT_AGENT_EVENTS:
		a->agent_file = arg;
		return DIAG_GO;
	case OPT_DEVICE_KEY:
		a->o.handshake.device_key = arg;
		return DIAG_GO;
	case OPT_SERVER_KEY:
		a->o.handshake.server_key = arg;
		return DIAG_GO;
	case OPT_DEVICE_ID:
		a->o.handshake.device_id = arg;
		return DIAG_GO;
	case OPT_PING_AFTER:
		if (cli_parse_seconds_ms(arg, 3600,
		    &a->o.handshake.ping_after_ms) != 0) {
			log_warnx("diagnose: --ping-after '%s': not a number "
			    "of seconds", arg);
			return EXIT_USAGE;
		}
		return DIAG_GO;
	default:
		return cli_help(ch, usage);
	}
}

/* Options into cli and a; DIAG_GO, or the exit code for --help and errors. */
static int
diagnose_parse(int argc, char **argv, struct cli *cli, struct diag_args *a)
{
	static const struct option longopts[] = {
		CLI_LONG_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ "iface", required_argument, NULL, OPT_IFACE },
		{ "dns", required_argument, NULL, OPT_DNS },
		{ "dhcp-mac", required_argument, NULL, OPT_DHCP_MAC },
		{ "dhcp-window", required_argument, NULL, OPT_DHCP_WINDOW },
		{ "dhcp-grace", required_argument, NULL, OPT_DHCP_GRACE },
		{ "no-dhcp", no_argument, NULL, OPT_NO_DHCP },
		{ "cloud", required_argument, NULL, OPT_CLOUD },
		{ "internet-test", required_argument, NULL, OPT_INTERNET_TEST },
		{ "ntp", required_argument, NULL, OPT_NTP },
		{ "portal-url", required_argument, NULL, OPT_PORTAL_URL },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "agent-events", required_argument, NULL, OPT_AGENT_EVENTS },
		{ "ssid", required_argument, NULL, OPT_SSID },
		{ "device-key", required_argument, NULL, OPT_DEVICE_KEY },
		{ "server-key", required_argument, NULL, OPT_SERVER_KEY },
		{ "device-id", required_argument, NULL, OPT_DEVICE_ID },
		{ "ping-after", required_argument, NULL, OPT_PING_AFTER },
		{ NULL, 0, NULL, 0 }
	};
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, CLI_SHORT_OPTIONS "h", longopts,
	    NULL)) != -1) {
		switch (cli_option(cli, ch, optarg)) {
		case 1:
			cli_file_word(cli, ch, argc, argv);
			continue;
		case -1:
			return EXIT_USAGE;
		}
		if ((rc = diagnose_option(ch, optarg, a)) != DIAG_GO)
			return rc;
	}
	if (optind < argc) {
		log_warnx("diagnose: unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	return DIAG_GO;
}

/* The device's own targets from its profile, before any flag moves them. */
static void
diagnose_profile_targets(const struct cli *cli, struct diag_opts *o)
{
	const struct profile_cloud *pc = &cli->profile->cloud;
	const struct internet_test *it;

	if (pc->host[0] != '\0')
		snprintf(o->cloud_host, sizeof(o->cloud_host), "%s", pc->host);
	if (pc->port != 0)
		o->cloud_port = pc->port;
	if ((it = profile_internet_test(cli->profile, &cli->fw)) == NULL)
		return;
	o->inet_ntp = it->kind == INTERNET_TEST_NTP;
	if (o->inet_ntp) {
		snprintf(o->ntp_host, sizeof(o->ntp_host), "%s", it->host);
		o->ntp_port = it->port;
	} else {
		snprintf(o->inet_host, sizeof(o->inet_host), "%s", it->host);
		o->inet_port = it->port;
	}
}

/* The targets the flags moved, split and checked; 0, or -1 when bad. */
static int
diagnose_flag_targets(struct diag_args *a)
{
	struct diag_opts *o = &a->o;

	if (a->cloud != NULL && hostport_split(a->cloud, 0, o->cloud_host,
	    sizeof(o->cloud_host), &o->cloud_port) != HOSTPORT_OK) {
		log_warnx("diagnose: --cloud: '%s' is not HOST[:PORT]",
		    a->cloud);
		return -1;
	}
	if (a->inet != NULL && hostport_split(a->inet, HOSTPORT_NEED_PORT,
	    o->inet_host, sizeof(o->inet_host), &o->inet_port) != HOSTPORT_OK) {
		log_warnx("diagnose: --internet-test: '%s' is not HOST:PORT",
		    a->inet);
		return -1;
	}
	if (a->ntp != NULL && hostport_split(a->ntp, 0, o->ntp_host,
	    sizeof(o->ntp_host), &o->ntp_port) != HOSTPORT_OK) {
		log_warnx("diagnose: --ntp: '%s' is not HOST[:PORT]", a->ntp);
		return -1;
	}
	/* The devices speak IPv4 only; so do the checks. */
	if (strchr(o->cloud_host, ':') != NULL ||
	    strchr(o->inet_host, ':') != NULL || strchr(o->ntp_host, ':') != NULL) {
		log_warnx("diagnose: '%s': IPv6 targets are not supported (the "
		    "device uses IPv4)", strchr(o->cloud_host, ':') != NULL ?
		    o->cloud_host : strchr(o->inet_host, ':') != NULL ?
		    o->inet_host : o->ntp_host);
		return -1;
	}
	return 0;
}

/*
 * With device keys given, check them and set the handshake's device; 0,
 * or -1 when a key file is bad input (refused before any network work).
 */
static int
diagnose_keys(const struct cli *cli, struct diag_opts *o)
{
	char err[512];

	if (o->handshake.device_key == NULL &&
	    o->handshake.server_key == NULL && o->handshake.device_id == NULL) {
		if (o->handshake.ping_after_ms > 0) {
			log_warnx("diagnose: --ping-after needs the device's "
			    "keys (--device-key, --server-key): without them "
			    "the cloud check sends no ping");
			return -1;
		}
		return 0;
	}
	if (handshake_check_keys(&o->handshake, err, sizeof(err)) != 0) {
		log_warnx("diagnose: %s", err);
		return -1;
	}
	if (cli->profile != NULL) {
		o->handshake.is_core = cli->profile->is_core;
		o->handshake.platform_id = cli->profile->platform_id;
	}
	o->handshake.era_core2014 = cli->era == LED_ERA_CORE2014;
	return 0;
}

/* Run the checks and render the report; the exit code. */
static int
diagnose_execute(struct cli *cli, const struct diag_args *a)
{
	struct report r;
	char topology[256];
	bool stopped;
	int rc;

	cli_report_init(cli, &r, "live");
	r.source = source_json(&a->o);
	/* The device's own timeline: read first, so a bad file fails fast. */
	if (a->agent_file != NULL && agent_events_load(a->agent_file, &r) != 0) {
		report_free(&r);
		return EXIT_USAGE;
	}
	if (diagnose_run(&a->o, &r, stderr) == -1) {
		report_free(&r);
		return EXIT_RUNTIME;
	}
	forum_topology(&r, topology, sizeof(topology));
	if (a->agent_file != NULL) {
		/* Where the device and the checks disagree, say so. */
		report_decide(&r, cli->rules);
		agent_events_compare(&r);
	}
	stopped = r.interrupted;
	rc = cli_finish(cli, &r, true);
	if (stopped) {
		/*
		 * Checks still running hold sockets and the run's memory:
		 * end now, the report written, rather than wait or clean up
		 * under them (diagnose.h).
		 */
		fflush(NULL);
		_exit(rc);
	}
	return rc;
}

int
cmd_diagnose(int argc, char **argv)
{
	struct diag_args a;
	struct cli cli;
	int rc;

	memset(&a, 0, sizeof(a));
	diag_opts_init(&a.o);
	cli_init(&cli);
	if ((rc = diagnose_parse(argc, argv, &cli, &a)) != DIAG_GO)
		return rc;
	if ((rc = cli_load(&cli)) != 0) {
		cli_free(&cli);
		return rc;
	}
	/* The wifi check judges the user's network for this device. */
	a.o.profile = cli.profile;
	a.o.rules = cli.rules;
	a.o.fw = cli.fw;
	if (cli.profile != NULL)
		diagnose_profile_targets(&cli, &a.o);
	if (diagnose_flag_targets(&a) != 0 || diagnose_keys(&cli, &a.o) != 0) {
		cli_free(&cli);
		return EXIT_USAGE;
	}
	/* Live lines move the cursor: a terminal that takes escape codes. */
	a.o.progress = cli_color(stderr);
	a.o.progress_width = cli_width(stderr);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_warnx("diagnose: libcurl does not start");
		cli_free(&cli);
		return EXIT_RUNTIME;
	}
	rc = diagnose_execute(&cli, &a);
	cli_free(&cli);
	curl_global_cleanup();
	return rc;
}
