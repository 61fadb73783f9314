/*
 * cmd_capture.c - `cyanprobe capture`: a live capture into pcapng that
 * Wireshark reads, on a LAN interface (with --filter) or, with --monitor,
 * on a monitor interface made on the Wi-Fi card and hopped across
 * channels (issue 7).  Every packet also runs through the decoders of
 * `analyze` (capture_packet()), so the summary at the end is the report
 * `cyanprobe analyze FILE` would give for the file just written.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "capture_live.h"
#include "capture_read.h"
#include "check_wifi.h"
#include "cli.h"
#include "cmd.h"
#include "judge.h"
#include "log.h"
#include "netmap.h"
#include "report.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe capture --iface IF -w FILE [--monitor]\n"
	    "           [--channels 1-13|LIST] [--dwell S] [--duration S]\n"
	    "           [--filter BPF] [--ssid NAME] [--device core|photon]\n"
	    "           [--firmware V] [--json|--markdown]\n"
	    "\n"
	    "Capture live traffic into a pcapng file and analyse it as it\n"
	    "arrives, as `cyanprobe analyze` does for a file; a summary\n"
	    "follows at the end (Ctrl-C ends early).  Needs CAP_NET_RAW;\n"
	    "--monitor also needs CAP_NET_ADMIN and an adapter with monitor\n"
	    "mode (`iw list`: \"Supported interface modes: monitor\").\n"
	    "\n"
	    "  --iface IF          the interface to capture on (required)\n"
	    "  -w, --write FILE    the pcapng file to write (\"-\": stdout)\n"
	    "  --monitor           create a monitor interface on IF's radio\n"
	    "                      and capture 802.11 frames; it is removed\n"
	    "                      on exit, Ctrl-C and errors\n"
	    "  --channels LIST     channels to hop, e.g. 1-13 or 1,6,11\n"
	    "                      (default with --monitor: 1-13)\n"
	    "  --dwell S           time per channel (default 250ms)\n"
	    "  --duration S        stop after S seconds (default: Ctrl-C)\n"
	    "  --filter BPF        capture filter, e.g. 'udp port 67 or\n"
	    "                      tcp port 5683'\n"
	    "  --ssid NAME         the network the device should join\n");
	cli_usage_common(f);
	fprintf(f,
	    "\n"
	    "Exit status: 0 no problem found, 1 problems found, 2 bad input\n"
	    "(no such interface, not wireless with --monitor, bad filter or\n"
	    "channel list, file not writable), 3 runtime failure (permission\n"
	    "denied, interface down, no nl80211), 4 inconclusive (nothing\n"
	    "fails, but the capture holds no evidence for a stage, e.g. 0\n"
	    "packets).  With -w - nothing is judged: 0 once packets were\n"
	    "written, 4 when none were.\n");
}

/* The analysis that runs alongside the capture. */
struct live {
	struct netmap		*nm;
	struct capture_stats	 st;
};

static void
on_packet(void *arg, int dlt, const struct pcap_pkthdr *h,
    const uint8_t *data)
{
	struct live *lv = arg;

	wifi_join_clock(&lv->nm->join, (uint64_t)h->ts.tv_sec * 1000000 +
	    (uint64_t)h->ts.tv_usec);
	capture_packet(dlt, data, h->caplen, h->len, lv->nm, &lv->st);
}

static size_t
networks_seen(void *arg)
{
	const struct live *lv = arg;

	return lv->nm->nbss;
}

static void
capture_facts(struct report *r, const struct capture_live_opts *o,
    const struct capture_live_stats *cs, const struct capture_stats *st)
{
	cJSON *c, *a;
	size_t i;

	if ((c = report_facts(r, "capture")) == NULL)
		return;
	cJSON_AddStringToObject(c, "file", o->out_path);
	cJSON_AddStringToObject(c, "format", "pcapng");
	cJSON_AddStringToObject(c, "interface", o->iface);
	cJSON_AddStringToObject(c, "captured_on", cs->capture_if);
	cJSON_AddBoolToObject(c, "monitor", o->monitor);
	cJSON_AddNumberToObject(c, "link_type", cs->dlt);
	if (pcap_datalink_val_to_name(cs->dlt) != NULL)
		cJSON_AddStringToObject(c, "link_type_name",
		    pcap_datalink_val_to_name(cs->dlt));
	if (o->filter != NULL)
		cJSON_AddStringToObject(c, "filter", o->filter);
	cJSON_AddNumberToObject(c, "packets", (double)cs->packets);
	cJSON_AddNumberToObject(c, "bytes", (double)cs->bytes);
	cJSON_AddNumberToObject(c, "kernel_drops", cs->kernel_drops);
	cJSON_AddNumberToObject(c, "seconds", (double)(long)(cs->seconds * 10)
	    / 10.0);
	cJSON_AddBoolToObject(c, "interrupted", cs->interrupted);
	if (o->monitor) {
		a = cJSON_AddArrayToObject(c, "channels_mhz");
		for (i = 0; a != NULL && i < o->nfreqs; i++)
			cJSON_AddItemToArray(a,
			    cJSON_CreateNumber(o->freqs[i]));
		cJSON_AddNumberToObject(c, "dwell_ms", o->dwell_ms);
		cJSON_AddNumberToObject(c, "hops", cs->hops);
		cJSON_AddNumberToObject(c, "hop_failures", cs->hop_failures);
		cJSON_AddBoolToObject(c, "monitor_removed",
		    cs->monitor_removed);
	}
	cJSON_AddNumberToObject(c, "decoded_ip", (double)st->ip);
	cJSON_AddNumberToObject(c, "decoded_wifi_mgmt", (double)st->wifi_mgmt);
	cJSON_AddNumberToObject(c, "decoded_dhcp", (double)st->dhcp);
	cJSON_AddNumberToObject(c, "decoded_dns", (double)st->dns);
	cJSON_AddNumberToObject(c, "decoded_tcp5683", (double)st->tcp5683);
}

/* The command line: the capture's options plus what only the report uses. */
struct capture_args {
	struct capture_live_opts o;
	const char		*channels;
	const char		*ssid;
};

/* Parsing went through: carry on (any other value is the exit code). */
#define CAPTURE_GO	(-1)

/* --dwell ('D') or --duration ('d') into o; 0, or -1 when out of range. */
static int
capture_opt_time(int ch, const char *arg, struct capture_live_opts *o)
{
	double v;

	if (ch == 'D') {
		if (cli_parse_duration(arg, 0.01, 60, &v) != 0) {
			log_warnx("capture: --dwell '%s': not 10ms to 60 "
			    "seconds", arg);
			return -1;
		}
		o->dwell_ms = (unsigned)(v * 1000 + 0.5);
		return 0;
	}
	/* Whole seconds: the capture loop counts them. */
	if (cli_parse_duration(arg, 1, 86400, &v) != 0 || v != (unsigned)v) {
		log_warnx("capture: --duration '%s': not a whole number of "
		    "seconds (1-86400)", arg);
		return -1;
	}
	o->duration_s = (unsigned)v;
	return 0;
}

/* Options into a; CAPTURE_GO, or the exit code for --help and bad input. */
static int
capture_parse(int argc, char **argv, struct cli *cli, struct capture_args *a)
{
	static const struct option longopts[] = {
		CLI_LONG_OPTIONS,
		{ "iface", required_argument, NULL, 'i' },
		{ "write", required_argument, NULL, 'w' },
		{ "monitor", no_argument, NULL, 'm' },
		{ "channels", required_argument, NULL, 'c' },
		{ "dwell", required_argument, NULL, 'D' },
		{ "duration", required_argument, NULL, 'd' },
		{ "filter", required_argument, NULL, 'f' },
		{ "ssid", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	optind = 1;
	while ((ch = cli_getopt(cli, argc, argv, CLI_SHORT_OPTIONS "hw:",
	    longopts)) != -1) {
		switch (ch) {
		case CLI_BAD:
			return EXIT_USAGE;
		case 'i':
			a->o.iface = optarg;
			break;
		case 'w':
			a->o.out_path = optarg;
			break;
		case 'm':
			a->o.monitor = true;
			break;
		case 'c':
			a->channels = optarg;
			break;
		case 'D':
		case 'd':
			if (capture_opt_time(ch, optarg, &a->o) != 0)
				return EXIT_USAGE;
			break;
		case 'f':
			a->o.filter = optarg;
			break;
		case 's':
			a->ssid = optarg;
			break;
		default:
			return cli_help(ch, usage);
		}
	}
	if (cli_no_operands("capture", argc, argv) != 0)
		return EXIT_USAGE;
	return CAPTURE_GO;
}

/*
 * The options that depend on each other, and the channel list turned into
 * frequencies; EXIT_OK or EXIT_USAGE, before anything is opened.
 */
static int
capture_validate(struct capture_args *a)
{
	char err[512];
	int n;

	if (a->o.iface == NULL || a->o.out_path == NULL) {
		log_warnx("capture: --iface and -w FILE are required (see "
		    "--help)");
		return EXIT_USAGE;
	}
	if (a->ssid != NULL && strlen(a->ssid) > 32) {
		log_warnx("capture: --ssid '%s': longer than 32 bytes",
		    a->ssid);
		return EXIT_USAGE;
	}
	if (a->channels != NULL && !a->o.monitor) {
		log_warnx("capture: --channels needs --monitor");
		return EXIT_USAGE;
	}
	if (a->o.monitor) {
		n = capture_live_channels(a->channels != NULL ? a->channels :
		    "1-13", a->o.freqs, CAPTURE_LIVE_FREQS_MAX, err,
		    sizeof(err));
		if (n < 0) {
			log_warnx("capture: %s", err);
			return EXIT_USAGE;
		}
		a->o.nfreqs = (size_t)n;
	}
	return EXIT_OK;
}

/* The capture itself, each packet decoded into lv; its exit code. */
static int
capture_run(struct capture_live_opts *o, struct live *lv,
    struct capture_live_stats *cs)
{
	char err[512];
	int rc;

	o->on_packet = on_packet;
	o->networks = networks_seen;
	o->arg = lv;
	/* The progress line goes to a terminal, never into a pipe or log. */
	o->progress = isatty(STDERR_FILENO) && strcmp(o->out_path, "-") != 0;
	rc = capture_live_run(o, cs, err, sizeof(err));
	if (rc != EXIT_OK)
		log_warnx("capture: %s", err);
	return rc;
}

/* Group the networks seen and judge them into a new report r. */
static void
capture_judge(struct cli *cli, const char *ssid, struct live *lv,
    struct judge_result *jr, struct report *r)
{
	struct judge_opts jo;

	netmap_group(lv->nm);
	memset(&jo, 0, sizeof(jo));
	jo.profile = cli->profile;
	jo.fw = cli->fw;
	if (ssid != NULL) {
		jo.ssid = (const uint8_t *)ssid;
		jo.ssid_len = strlen(ssid);
	}
	cli_report_init(cli, r, "live");
	(void)judge_run(lv->nm, &jo, jr, &r->findings);
	if (jo.ssid != NULL)
		check_wifi_findings(NULL, lv->nm, jo.ssid, jo.ssid_len,
		    &r->findings);
}

/* The text summary that leads the report. */
static void
capture_print(const struct capture_live_opts *o,
    const struct capture_live_stats *cs, const struct live *lv,
    const struct judge_result *jr)
{
	printf("Captured %llu packet(s) on %s in %.1f s into %s%s\n",
	    (unsigned long long)cs->packets, cs->capture_if, cs->seconds,
	    o->out_path, cs->interrupted ? " (stopped by a signal)" : "");
	if (o->monitor)
		printf("Monitor mode: %u channel change(s), %u "
		    "refused; monitor interface %s\n", cs->hops,
		    cs->hop_failures, cs->monitor_removed ? "removed" :
		    "NOT removed");
	if (lv->nm->nnet > 0 || o->monitor)
		check_wifi_print_networks(stdout, lv->nm, jr);
	else
		printf("\n");
	(void)netreport_print_seen(stdout, lv->nm);
}

/*
 * The report's networks, facts, forum fields and source; the forum fields
 * point into forum, which must outlive the report.
 */
static void
capture_fill(struct report *r, const struct capture_live_opts *o,
    const struct capture_live_stats *cs, struct live *lv,
    struct judge_result *jr, struct check_wifi_forum *forum)
{
	r->networks = check_wifi_networks_json(lv->nm, jr);
	/*
	 * The capture's link type, as `analyze` reads it from the file's
	 * header: an air capture of no frame at all has not seen the radio
	 * either, so wifi is among the stages it names as not observed.
	 */
	lv->st.dlt = cs->dlt;
	/* The same facts as `analyze` reading the file afterwards. */
	netreport_facts(r, lv->nm, &lv->st);
	netreport_evidence(r, lv->nm, jr, &lv->st);
	/* So does a --monitor capture, whatever link type it got. */
	if (o->monitor)
		report_expect(r, STAGE_BIT(STAGE_WIFI));
	memset(forum, 0, sizeof(*forum));
	check_wifi_forum(lv->nm, jr, forum, r);
	if ((r->source = cJSON_CreateObject()) != NULL) {
		cJSON_AddStringToObject(r->source, "command", "capture");
		cJSON_AddStringToObject(r->source, "file", o->out_path);
	}
	capture_facts(r, o, cs, &lv->st);
}

int
cmd_capture(int argc, char **argv)
{
	struct capture_args a;
	struct capture_live_stats cs;
	struct live lv;
	struct judge_result *jr = NULL;
	struct check_wifi_forum forum;
	struct cli cli;
	struct report r;
	int rc;

	memset(&a, 0, sizeof(a));
	memset(&lv, 0, sizeof(lv));
	a.o.dwell_ms = 250;
	cli_init(&cli);
	if ((rc = capture_parse(argc, argv, &cli, &a)) != CAPTURE_GO)
		return rc;
	if ((rc = capture_validate(&a)) != EXIT_OK)
		return rc;
	if ((rc = cli_load(&cli)) != 0)
		return rc;
	if ((lv.nm = netmap_new()) == NULL ||
	    (jr = calloc(1, sizeof(*jr))) == NULL) {
		log_warnx("capture: out of memory");
		rc = EXIT_RUNTIME;
		goto out;
	}
	/* The user's network keeps its table slots however crowded the air. */
	if (a.ssid != NULL)
		(void)netmap_want_ssid(lv.nm, (const uint8_t *)a.ssid,
		    strlen(a.ssid));
	if ((rc = capture_run(&a.o, &lv, &cs)) != EXIT_OK)
		goto out;
	if (strcmp(a.o.out_path, "-") == 0) {
		/*
		 * stdout holds the capture: no report may follow it there,
		 * so the count goes to stderr, where a person will see it.
		 * Nothing is judged, but nothing captured is no evidence of
		 * anything: not the 0 a CI job would read as "works".
		 */
		fprintf(stderr, "cyanprobe: capture: %llu packets written%s\n",
		    (unsigned long long)cs.packets, cs.packets == 0 ?
		    ": nothing seen (inconclusive, exit 4)" : "");
		if (cs.packets == 0)
			rc = EXIT_INCONCLUSIVE;
		goto out;
	}
	capture_judge(&cli, a.ssid, &lv, jr, &r);
	if (cli_text(&cli))
		capture_print(&a.o, &cs, &lv, jr);
	capture_fill(&r, &a.o, &cs, &lv, jr, &forum);
	rc = cli_finish(&cli, &r, true);
out:
	netmap_free(lv.nm);
	free(jr);
	cli_free(&cli);
	return rc;
}
