/*
 * cmd_analyze.c - `cyanprobe analyze FILE|-`: read a capture, list the
 * networks in it, and judge each against the device (analyzers/judge.c).
 * This file parses options, runs capture_read -> netmap_group -> judge_run,
 * has netreport.c turn the tables into the report's `networks`, `facts`
 * and forum fields, adds the capture's own `source`, and renders text,
 * JSON or Markdown.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "agent_events.h"
#include "capture_read.h"
#include "cli.h"
#include "cmd.h"
#include "judge.h"
#include "log.h"
#include "netmap.h"
#include "netreport.h"
#include "report.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe analyze [options] FILE|-\n"
	    "\n"
	    "Read a pcap or pcapng capture (\"-\" for standard input), list\n"
	    "the Wi-Fi networks in it and judge whether the device can join\n"
	    "each one and reach its cloud (DHCP, DNS, captive portals, TCP\n"
	    "5683).\n"
	    "\n"
	    "options:\n"
	    "  --ssid NAME            the device's network: Wi-Fi findings\n"
	    "                         and the verdict are about it\n"
	    "  --weak-signal DBM      weak-signal threshold (default %d)\n"
	    "  --agent-events FILE    the device's firmware-agent timeline\n"
	    "                         (serial dump or collector file) beside\n"
	    "                         the capture\n"
	    "  --json FILE            as --json=FILE, when a capture follows\n",
	    JUDGE_WEAK_DBM);
	cli_usage_common(f);
	fprintf(f,
	    "\n"
	    "Exit status: 0 nothing wrong, 1 problems found, 2 bad input,\n"
	    "3 runtime failure, 4 inconclusive (nothing fails, but the capture\n"
	    "holds no evidence for a stage: no DHCP, DNS, cloud or Wi-Fi, or\n"
	    "beacons cut so short that whether the device can join is unknown).\n");
}

/* ---- source -------------------------------------------------------- */

static cJSON *
source_json(const char *file, const struct capture_stats *st)
{
	cJSON *o = cJSON_CreateObject(), *x, *a;
	size_t i;

	cJSON_AddStringToObject(o, "command", "analyze");
	cJSON_AddStringToObject(o, "file", strcmp(file, "-") == 0 ?
	    "(stdin)" : file);
	cJSON_AddStringToObject(o, "format", st->pcapng ? "pcapng" : "pcap");
	cJSON_AddStringToObject(o, "reader", st->multi_link ?
	    "cyanprobe-pcapng" : "libpcap");
	cJSON_AddNumberToObject(o, "link_type", st->dlt);
	if (st->dlt_name[0] != '\0')
		cJSON_AddStringToObject(o, "link_type_name", st->dlt_name);
	else
		cJSON_AddNullToObject(o, "link_type_name");
	cJSON_AddBoolToObject(o, "link_type_decoded", st->dlt_known);
	cJSON_AddNumberToObject(o, "packets", (double)st->packets);
	cJSON_AddNumberToObject(o, "bytes", (double)st->bytes);
	x = cJSON_AddObjectToObject(o, "decoded");
	cJSON_AddNumberToObject(x, "wifi_mgmt", (double)st->wifi_mgmt);
	cJSON_AddNumberToObject(x, "wifi_data", (double)st->wifi_data);
	cJSON_AddNumberToObject(x, "wifi_ctrl", (double)st->wifi_ctrl);
	cJSON_AddNumberToObject(x, "ip", (double)st->ip);
	cJSON_AddNumberToObject(x, "dhcp", (double)st->dhcp);
	cJSON_AddNumberToObject(x, "dns", (double)st->dns);
	cJSON_AddNumberToObject(x, "http", (double)st->http);
	cJSON_AddNumberToObject(x, "tcp_5683", (double)st->tcp5683);
	cJSON_AddNumberToObject(x, "coap", (double)st->coap);
	x = cJSON_AddObjectToObject(o, "problems");
	cJSON_AddBoolToObject(x, "read_error", st->read_error);
	cJSON_AddNumberToObject(x, "snapped", (double)st->snapped);
	cJSON_AddNumberToObject(x, "not_decoded", (double)st->not_decoded);
	cJSON_AddNumberToObject(x, "bad_radio_header", (double)st->bad_radio);
	cJSON_AddNumberToObject(x, "bad_fcs", (double)st->bad_fcs);
	cJSON_AddNumberToObject(x, "bad_80211_header", (double)st->bad_80211);
	cJSON_AddNumberToObject(x, "bad_link_header", (double)st->bad_link);
	cJSON_AddNumberToObject(x, "ie_truncated", (double)st->ie_truncated);
	a = cJSON_AddArrayToObject(o, "warnings");
	for (i = 0; i < st->nwarnings; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(st->warning[i]));
	return o;
}

/* ---- text --------------------------------------------------------------- */

/* The capture in one line and its warnings, then the networks table. */
static int
print_table(FILE *f, const struct netmap *nm, const struct judge_result *jr,
    const struct capture_stats *st)
{
	size_t i;

	fprintf(f, "Capture: %llu packet(s), link type %d (%s)%s\n",
	    (unsigned long long)st->packets, st->dlt,
	    st->dlt_name[0] ? st->dlt_name : "unknown",
	    st->read_error ? ", cut short" : "");
	for (i = 0; i < st->nwarnings; i++)
		fprintf(f, "  warning: %s\n", st->warning[i]);
	return netreport_print_table(f, nm, jr,
	    "No Wi-Fi networks in this capture.");
}

/* ---- the command ------------------------------------------------ */

/*
 * `--json FILE` takes its file as the next word only when another word is
 * left for the capture; `--json` alone (or `--json=-`) means stdout.
 * Returns the index of the word that is the JSON file, or 0.
 */
static int
json_file_word(int argc, char **argv)
{
	int i, words = 0, json_at = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			words += argc - i - 1;
			break;
		}
		if (strcmp(a, "--json") == 0) {
			json_at = i;
			continue;
		}
		if (a[0] == '-' && a[1] != '\0') {
			if (strchr(a, '=') == NULL &&
			    (strcmp(a, "--device") == 0 ||
			    strcmp(a, "--firmware") == 0 ||
			    strcmp(a, "--ssid") == 0 ||
			    strcmp(a, "--rules") == 0 ||
			    strcmp(a, "--router") == 0 ||
			    strcmp(a, "--environment") == 0 ||
			    strcmp(a, "--isp") == 0 ||
			    strcmp(a, "--agent-events") == 0 ||
			    strcmp(a, "--weak-signal") == 0))
				i++;
			continue;
		}
		words++;
	}
	if (json_at > 0 && json_at + 1 < argc && words >= 2 &&
	    (argv[json_at + 1][0] != '-' ||
	    strcmp(argv[json_at + 1], "-") == 0))
		return json_at + 1;
	return 0;
}

enum {
	OPT_SSID = 0x2000,
	OPT_WEAK,
	OPT_AGENT_EVENTS
};

/* The command line, with a separate `--json FILE` word taken out. */
struct analyze_args {
	char		**av;		/* argv without the --json FILE word */
	int		  ac;
	const char	 *json_out;	/* that word, or NULL */
	const char	 *file;		/* the capture, "-" for stdin */
	const char	 *ssid;
	const char	 *agent_file;
	long		  weak;
};

/* Parsing went through: carry on (any other value is the exit code). */
#define ANALYZE_GO	(-1)

/*
 * Copy argv into a->av without the `--json FILE` word, so getopt never
 * sees it; EXIT_OK, or EXIT_RUNTIME when out of memory.
 */
static int
analyze_argv(int argc, char **argv, struct analyze_args *a)
{
	int i, jw;

	if ((a->av = calloc((size_t)argc + 1, sizeof(*a->av))) == NULL) {
		log_warnx("out of memory");
		return EXIT_RUNTIME;
	}
	jw = json_file_word(argc, argv);
	for (i = 0; i < argc; i++)
		if (i != jw || jw == 0)
			a->av[a->ac++] = argv[i];
	if (jw > 0)
		a->json_out = argv[jw];
	return EXIT_OK;
}

/* One option of analyze's own; ANALYZE_GO or the exit code. */
static int
analyze_option(int ch, const char *arg, struct analyze_args *a)
{
	char *end;

	switch (ch) {
	case OPT_SSID:
		a->ssid = arg;
		return ANALYZE_GO;
	case OPT_AGENT_EVENTS:
		a->agent_file = arg;
		return ANALYZE_GO;
	case OPT_WEAK:
		errno = 0;
		a->weak = strtol(arg, &end, 10);
		if (errno != 0 || *end != '\0' || a->weak > -1 ||
		    a->weak < -120) {
			log_warnx("--weak-signal '%s': not a level "
			    "in dBm between -120 and -1", arg);
			return EXIT_USAGE;
		}
		return ANALYZE_GO;
	default:
		return cli_help(ch, usage);
	}
}

/* Options and the one capture operand; ANALYZE_GO or the exit code. */
static int
analyze_parse(struct cli *cli, struct analyze_args *a)
{
	static const struct option longopts[] = {
		CLI_LONG_OPTIONS,
		{ "ssid", required_argument, NULL, OPT_SSID },
		{ "weak-signal", required_argument, NULL, OPT_WEAK },
		{ "agent-events", required_argument, NULL, OPT_AGENT_EVENTS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, rc;

	optind = 1;
	cli_command(a->av);	/* getopt's optind counts in a->av */
	while ((ch = getopt_long(a->ac, a->av, CLI_SHORT_OPTIONS "h",
	    longopts, NULL)) != -1) {
		switch (cli_option(cli, ch, optarg)) {
		case 1:
			if (ch == CLI_OPT_JSON && optarg == NULL &&
			    a->json_out != NULL)
				cli->out[CLI_JSON].path = a->json_out;
			continue;
		case -1:
			return EXIT_USAGE;
		}
		if ((rc = analyze_option(ch, optarg, a)) != ANALYZE_GO)
			return rc;
	}
	if (optind + 1 != a->ac) {
		if (optind == a->ac)
			log_warnx("analyze: a capture file (or -) is required");
		else
			log_warnx("analyze: unexpected argument '%s'",
			    a->av[optind + 1]);
		return EXIT_USAGE;
	}
	a->file = a->av[optind];
	if (a->ssid != NULL && (strlen(a->ssid) == 0 ||
	    strlen(a->ssid) > 32)) {
		log_warnx("--ssid '%s': an SSID is 1 to 32 bytes", a->ssid);
		return EXIT_USAGE;
	}
	return ANALYZE_GO;
}

/* -v: what was read, so a surprising report can be traced to its input. */
static void
analyze_log(const char *file, const struct netmap *nm,
    const struct capture_stats *st)
{
	log_info("analyze: %s: %s, link type %d%s%s%s, %llu packet(s), "
	    "%llu byte(s)", file, st->pcapng ? "pcapng" : "pcap", st->dlt,
	    st->dlt_name[0] != '\0' ? " (" : "", st->dlt_name,
	    st->dlt_name[0] != '\0' ? ")" : "",
	    (unsigned long long)st->packets, (unsigned long long)st->bytes);
	log_info("analyze: decoded %llu 802.11 management, %llu data, "
	    "%llu IP (%llu DHCP, %llu DNS, %llu HTTP, %llu TCP 5683); "
	    "%zu network(s), %zu BSS(es)",
	    (unsigned long long)st->wifi_mgmt,
	    (unsigned long long)st->wifi_data, (unsigned long long)st->ip,
	    (unsigned long long)st->dhcp, (unsigned long long)st->dns,
	    (unsigned long long)st->http, (unsigned long long)st->tcp5683,
	    nm->nnet, nm->nbss);
}

/*
 * Read the capture into nm and st and group its networks; EXIT_OK, or
 * EXIT_USAGE when the file cannot be read.
 */
static int
analyze_read(const char *file, struct netmap *nm, struct capture_stats *st)
{
	char err[512];
	size_t i;

	if (capture_read_file(file, nm, st, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		return EXIT_USAGE;
	}
	for (i = 0; i < st->nwarnings; i++)
		log_warnx("%s", st->warning[i]);
	netmap_group(nm);
	analyze_log(file, nm, st);
	return EXIT_OK;
}

/* Findings about the capture itself: cut short, or broken frames. */
static void
analyze_capture_findings(const struct capture_stats *st,
    struct findings *fl)
{
	if (st->read_error || st->snapped > 0 || st->bad_radio > 0 ||
	    st->bad_80211 > 0 || st->bad_link > 0)
		(void)findings_add(fl, FINDING_CAPTURE_TRUNCATED,
		    "%s%llu packet(s) read; %llu snapped short, %llu with a "
		    "cut or malformed header%s%s",
		    st->read_error ? "reading stopped early; " : "",
		    (unsigned long long)st->packets,
		    (unsigned long long)st->snapped,
		    (unsigned long long)(st->bad_radio + st->bad_80211 +
		    st->bad_link), st->read_error ? ": " : "",
		    st->read_error ? st->read_error_text : "");
	if (st->ie_truncated > 0)
		(void)findings_add(fl, FINDING_WIFI_IE_TRUNCATED,
		    "%llu management frame(s) with information elements that "
		    "overrun their frame, were cut by the snap length or have "
		    "a bad length",
		    (unsigned long long)st->ie_truncated);
}

/*
 * Judge the networks into a new report rep and fill its tables; the
 * report's forum fields point into ft, which must outlive it.
 */
static void
analyze_judge(struct cli *cli, const struct analyze_args *a,
    struct netmap *nm, struct judge_result *jr,
    const struct capture_stats *st, struct report *rep,
    struct netreport_forum *ft)
{
	struct judge_opts jo;

	memset(&jo, 0, sizeof(jo));
	jo.profile = cli->profile;
	jo.fw = cli->fw;
	jo.weak_dbm = (int)a->weak;
	if (a->ssid != NULL) {
		jo.ssid = (const uint8_t *)a->ssid;
		jo.ssid_len = strlen(a->ssid);
	}
	cli_report_init(cli, rep, "capture");
	(void)judge_run(nm, &jo, jr, &rep->findings);
	analyze_capture_findings(st, &rep->findings);
	rep->source = source_json(a->file, st);
	memset(ft, 0, sizeof(*ft));
	netreport_fill(rep, nm, jr, st, ft);
}

int
cmd_analyze(int argc, char **argv)
{
	struct analyze_args a;
	struct capture_stats *st = NULL;
	struct judge_result *jr = NULL;
	struct netmap *nm = NULL;
	struct report rep;
	struct netreport_forum ft;
	struct cli cli;
	int rc;

	memset(&a, 0, sizeof(a));
	cli_init(&cli);
	if ((rc = analyze_argv(argc, argv, &a)) != EXIT_OK)
		return rc;
	if ((rc = analyze_parse(&cli, &a)) != ANALYZE_GO)
		goto done;
	if ((rc = cli_load(&cli)) != 0)
		goto done;
	rc = EXIT_RUNTIME;
	if ((jr = calloc(1, sizeof(*jr))) == NULL ||
	    (st = calloc(1, sizeof(*st))) == NULL ||
	    (nm = netmap_new()) == NULL) {
		log_warnx("out of memory");
		goto done;
	}
	/* The user's network keeps its table slots however crowded the air. */
	if (a.ssid != NULL)
		(void)netmap_want_ssid(nm, (const uint8_t *)a.ssid,
		    strlen(a.ssid));
	if ((rc = analyze_read(a.file, nm, st)) != EXIT_OK)
		goto done;
	rc = EXIT_RUNTIME;
	analyze_judge(&cli, &a, nm, jr, st, &rep, &ft);
	/* The device's own timeline (docs/firmware-agent.md), then compare. */
	if (a.agent_file != NULL) {
		if (agent_events_load(a.agent_file, &rep) != 0) {
			report_free(&rep);
			rc = EXIT_USAGE;
			goto done;
		}
		report_decide(&rep, cli.rules);
		agent_events_compare(&rep);
	}
	/* Text: the networks table and the facts lead, the report follows. */
	if (cli_text(&cli) && (print_table(stdout, nm, jr, st) != 0 ||
	    netreport_print_seen(stdout, nm) != 0)) {
		log_warn("stdout");
		report_free(&rep);
		goto done;
	}
	rc = cli_finish(&cli, &rep, true);
done:
	cli_free(&cli);
	netmap_free(nm);
	free(st);
	free(jr);
	free(a.av);
	return rc;
}
