/*
 * cmd_scan.c - `cyanprobe scan`: what the laptop's radio sees, judged for
 * the device (issue 7).  The live view comes from check_wifi.c (nl80211
 * scan or cached results, link, station, regulatory domain); the BSSes are
 * folded into a netmap with the capture decoders and judged by judge.c, so
 * networks[] and the verdict are those `analyze` gives for a capture of the
 * same air.  `link`, `regdom` and `scan` facts are what only a live radio
 * knows.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_wifi.h"
#include "cli.h"
#include "cmd.h"
#include "judge.h"
#include "log.h"
#include "netmap.h"
#include "report.h"
#include "wifi_bss.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe scan [--iface IF] [--passive] [--ssid NAME]\n"
	    "           [--timeout S] [--device core|photon] [--firmware V]\n"
	    "           [--json|--markdown]\n"
	    "\n"
	    "Scan for Wi-Fi networks through nl80211 and say which ones the\n"
	    "device can join and why not, with the laptop's current link and\n"
	    "the regulatory domain.  An active scan needs CAP_NET_ADMIN;\n"
	    "without it (or with --passive) the kernel's cached results are\n"
	    "used, and the report says so.\n"
	    "\n"
	    "  --iface IF          the wireless interface (default: the first\n"
	    "                      station interface, connected ones first)\n"
	    "  --passive           read cached results, do not trigger a scan\n"
	    "  --ssid NAME         the network the device should join\n"
	    "                      (default: the one this computer is on);\n"
	    "                      also probed for, so a hidden one shows up\n"
	    "  --timeout S         scan deadline in seconds (default 10)\n");
	cli_usage_common(f);
	fprintf(f,
	    "\n"
	    "Exit status: 0 the device can join, 1 problems found, 2 bad\n"
	    "input (no such interface, not a wireless one), 3 runtime failure\n"
	    "(no nl80211 or no wireless interface, interface down, scan busy\n"
	    "after one retry, deadline passed, permission denied), 4\n"
	    "inconclusive (no network the device can join was seen, and none\n"
	    "it cannot; or scan results cut so that whether it can is unknown).\n");
}

/* Wire bytes as printable ASCII, anything else as \xNN (as analyze). */
static const char *
esc(const uint8_t *s, size_t len, char *buf, size_t size)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 5 < size; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
			buf[o++] = (char)s[i];
		else
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x",
			    s[i]);
	}
	buf[o] = '\0';
	return buf;
}

/*
 * The text view: one line per network with the verdict for the device,
 * then the link and the scan, before the report's findings and verdict.
 */
static void
print_table(FILE *f, const struct check_wifi_live *lv, const struct netmap *nm,
    const struct judge_result *jr)
{
	char ssid[140];
	const struct nl80211_station *st = &lv->station;

	fprintf(f, "Scan on %s: %s, %zu BSS(es)%s%s\n", lv->iface.name,
	    lv->fresh ? "fresh" : "cached results", lv->scan.n,
	    lv->fresh ? "" : " -- ", lv->fresh ? "" : lv->cached_reason);
	if (lv->iface.has_ssid && lv->iface.freq != 0) {
		fprintf(f, "Link: \"%s\" on channel %u (%u MHz, %s MHz wide)",
		    esc(lv->iface.ssid, lv->iface.ssid_len, ssid,
		    sizeof(ssid)), wifi_freq_to_channel(lv->iface.freq),
		    lv->iface.freq, nl80211_width_name(lv->iface.chan_width));
		fprintf(f, "\n");
		if (lv->has_station && st->has_signal)
			fprintf(f, "      signal %d dBm at this computer (an "
			    "estimate: the device usually hears less)\n",
			    st->signal_dbm);
		if (lv->has_station && st->tx_bitrate != 0)
			fprintf(f, "      %.1f Mb/s out, %.1f Mb/s in, "
			    "connected %u s\n", st->tx_bitrate / 10.0,
			    st->rx_bitrate / 10.0, st->connected_time);
	} else
		fprintf(f, "Link: not connected\n");
	if (lv->has_reg)
		fprintf(f, "Regulatory domain: %s\n", lv->reg.alpha2);
	check_wifi_print_networks(f, nm, jr);
}

/*
 * Judge the networks the scan saw and fill the report.  Returns 0, or -1
 * when out of memory.
 */
static int
scan_report(const struct cli *cli, const struct check_wifi_live *lv,
    const char *ssid_opt, struct check_wifi_forum *forum, struct report *r)
{
	struct netmap *nm;
	struct judge_result *jr;
	struct judge_opts jo;
	uint8_t ssid[32];
	int ssid_len;
	cJSON *f;

	nm = netmap_new();
	jr = calloc(1, sizeof(*jr));
	if (nm == NULL || jr == NULL) {
		netmap_free(nm);
		free(jr);
		return -1;
	}
	(void)check_wifi_netmap(lv, nm);
	netmap_group(nm);
	memset(&jo, 0, sizeof(jo));
	jo.profile = cli->profile;
	jo.fw = cli->fw;
	ssid_len = check_wifi_user_ssid(lv, ssid_opt, ssid);
	if (ssid_len >= 0) {
		jo.ssid = ssid;
		jo.ssid_len = (size_t)ssid_len;
	}
	(void)judge_run(nm, &jo, jr, &r->findings);
	check_wifi_findings(lv, nm, jo.ssid, jo.ssid_len, &r->findings);
	/* A scan sees the radio only: the wifi stage is all it judges. */
	report_expect(r, STAGE_BIT(STAGE_WIFI));
	report_seen(r, jr->seen & STAGE_BIT(STAGE_WIFI));
	if (cli_text(cli))
		print_table(stdout, lv, nm, jr);

	r->networks = check_wifi_networks_json(nm, jr);
	check_wifi_forum(nm, jr, forum, r);
	if ((r->source = cJSON_CreateObject()) != NULL) {
		cJSON_AddStringToObject(r->source, "command", "scan");
		cJSON_AddStringToObject(r->source, "interface",
		    lv->iface.name);
		cJSON_AddStringToObject(r->source, "mode",
		    lv->fresh ? "active" : "cached");
	}
	if (r->facts == NULL)
		r->facts = cJSON_CreateObject();
	if (r->facts != NULL) {
		if ((f = check_wifi_link_json(lv)) != NULL)
			cJSON_AddItemToObject(r->facts, "link", f);
		if ((f = check_wifi_regdom_json(lv)) != NULL)
			cJSON_AddItemToObject(r->facts, "regdom", f);
		if ((f = check_wifi_scan_json(lv, nm, jo.ssid, jo.ssid_len))
		    != NULL)
			cJSON_AddItemToObject(r->facts, "scan", f);
	}
	netmap_free(nm);
	free(jr);
	return 0;
}

/* -v: what the kernel gave, before any judging. */
static void
scan_log(const struct check_wifi_live *lv)
{
	log_info("scan: %s: %s: %zu BSS(es)%s%s%s", lv->iface.name,
	    lv->fresh ? "a new scan" : lv->cached_reason, lv->scan.n,
	    lv->scan.dropped > 0 ? " (more were not kept)" : "",
	    lv->assoc >= 0 ? "; associated" : "; not associated",
	    lv->has_reg ? ", regulatory domain read" : "");
}

int
cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONG_OPTIONS,
		{ "iface", required_argument, NULL, 'i' },
		{ "passive", no_argument, NULL, 'p' },
		{ "ssid", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct check_wifi_opts o;
	struct check_wifi_live lv;
	struct check_wifi_forum forum;
	struct cli cli;
	struct report r;
	char err[512];
	int ch, rc;

	memset(&o, 0, sizeof(o));
	cli_init(&cli);
	optind = 1;
	while ((ch = cli_getopt(&cli, argc, argv, CLI_SHORT_OPTIONS "h",
	    longopts)) != -1) {
		switch (ch) {
		case CLI_BAD:
			return EXIT_USAGE;
		case 'i':
			o.ifname = optarg;
			break;
		case 'p':
			o.passive = true;
			break;
		case 's':
			if (strlen(optarg) > 32) {
				log_warnx("scan: --ssid '%s': longer than 32 "
				    "bytes", optarg);
				return EXIT_USAGE;
			}
			o.ssid = optarg;
			break;
		case 't':
			if (cli_parse_seconds_ms(optarg, 600, &o.timeout_ms)
			    != 0) {
				log_warnx("scan: --timeout '%s': not a number "
				    "of seconds (0-600)", optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			return cli_help(ch, usage);
		}
	}
	if (cli_no_operands("scan", argc, argv) != 0)
		return EXIT_USAGE;
	if ((rc = cli_load(&cli)) != 0)
		return rc;
	rc = check_wifi_collect(&o, &lv, err, sizeof(err));
	if (rc != EXIT_OK) {
		log_warnx("scan: %s", err);
		goto out;
	}
	scan_log(&lv);
	cli_report_init(&cli, &r, "live");
	memset(&forum, 0, sizeof(forum));
	if (scan_report(&cli, &lv, o.ssid, &forum, &r) < 0) {
		log_warnx("scan: out of memory");
		report_free(&r);
		rc = EXIT_RUNTIME;
		goto out;
	}
	rc = cli_finish(&cli, &r, true);
out:
	check_wifi_free(&lv);
	cli_free(&cli);
	return rc;
}
