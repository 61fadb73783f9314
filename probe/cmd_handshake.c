/*
 * cmd_handshake.c - `cyanprobe handshake`: play a Core's or Photon's side
 * of the cloud handshake against a cloud, time each step, and say which
 * stage and LED code the device would show (issue 5).  The work is in
 * handshake.c; this file parses options, picks the device profile and
 * firmware era from the rules, and renders the report.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "handshake.h"
#include "log.h"
#include "report.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe handshake --cloud HOST[:PORT] --device-key FILE\n"
	    "           --server-key FILE [--device-id HEX24] [--timeout S]\n"
	    "           [--hello-timeout S] [--ping-timeout S] [--ping-after S]\n"
	    "           [common options]\n"
	    "\n"
	    "Run the device's side of the Particle TCP handshake against a\n"
	    "cloud (port 5683 unless given): nonce, key block, session reply,\n"
	    "signature, Hello and one CoAP ping, each timed.  On failure, name\n"
	    "the stage and the LED code the device would show.\n"
	    "\n"
	    "  --cloud HOST[:PORT]  the cloud to contact ([v6]:PORT for IPv6)\n"
	    "  --device-key FILE    device private key (DER or PEM, RSA-1024)\n"
	    "  --server-key FILE    server public key (DER/PEM, or a region file)\n"
	    "  --device-id HEX24    device id; default: from the key file name\n"
	    "                       (<24 hex>.der) or a FILE.id sidecar\n"
	    "  --timeout S          per-step deadline (default 20, as the device)\n"
	    "  --hello-timeout S    wait for the server Hello (default 4); a\n"
	    "                       Core on the 2014 firmware does not wait\n"
	    "                       for it: then the time it may come before\n"
	    "                       the ping, and no Hello is no failure\n"
	    "  --ping-timeout S     wait for any message after our CoAP ping\n"
	    "                       (default 10, as the device)\n"
	    "  --ping-after S       stay idle this long after the Hello before\n"
	    "                       the ping (default 0: at once, so a run\n"
	    "                       takes seconds; a device pings after 15 s\n"
	    "                       idle: 15 tests a cloud or NAT that drops\n"
	    "                       idle sessions)\n"
	    "\n"
	    "common options:\n");
	cli_usage_common(f);
	fprintf(f,
	    "\n"
	    "Exit status: 0 handshake complete, 1 it failed, 2 bad input,\n"
	    "3 runtime failure.  Key material is never printed.\n");
}

static void
print_steps(const struct report *r)
{
	const cJSON *hs, *steps, *s;

	hs = r->facts != NULL ?
	    cJSON_GetObjectItemCaseSensitive(r->facts, "handshake") : NULL;
	steps = hs != NULL ? cJSON_GetObjectItemCaseSensitive(hs, "steps") :
	    NULL;
	printf("handshake steps:\n");
	cJSON_ArrayForEach(s, steps) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(s, "step");
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(s, "outcome");
		const cJSON *ms = cJSON_GetObjectItemCaseSensitive(s, "ms");
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(s, "detail");

		printf("  %-11s %-7s %9.1f ms  %s\n",
		    cJSON_IsString(n) ? n->valuestring : "?",
		    cJSON_IsString(o) ? o->valuestring : "?",
		    cJSON_IsNumber(ms) ? ms->valuedouble : 0.0,
		    cJSON_IsString(d) ? d->valuestring : "");
	}
	printf("\n");
}

int
cmd_handshake(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cloud", required_argument, NULL, 'c' },
		{ "device-key", required_argument, NULL, 'k' },
		{ "server-key", required_argument, NULL, 's' },
		{ "device-id", required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, 't' },
		{ "hello-timeout", required_argument, NULL, 'H' },
		{ "ping-timeout", required_argument, NULL, 'P' },
		{ "ping-after", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		CLI_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct handshake_check hc;
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	struct cli cli;
	struct report rep;
	const char *cloud = NULL;
	char err[512];
	int ch, rc, hrc;

	memset(&hc, 0, sizeof(hc));
	cli_init(&cli);
	optind = 1;
	while ((ch = cli_getopt(&cli, argc, argv, CLI_SHORT_OPTIONS "h",
	    longopts)) != -1) {
		switch (ch) {
		case CLI_BAD:
			return EXIT_USAGE;
		case 'c': cloud = optarg; break;
		case 'k': hc.device_key = optarg; break;
		case 's': hc.server_key = optarg; break;
		case 'i': hc.device_id = optarg; break;
		case 't':
			if (cli_parse_seconds_ms(optarg, 3600, &hc.step_ms)
			    != 0) {
				log_warnx("--timeout '%s': not a number of "
				    "seconds", optarg);
				return EXIT_USAGE;
			}
			hc.connect_ms = hc.step_ms;
			break;
		case 'H':
			if (cli_parse_seconds_ms(optarg, 3600, &hc.hello_ms)
			    != 0) {
				log_warnx("--hello-timeout '%s': not a number "
				    "of seconds", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'P':
			if (cli_parse_seconds_ms(optarg, 3600, &hc.ping_ms)
			    != 0 || hc.ping_ms <= 0) {
				log_warnx("--ping-timeout '%s': not a number "
				    "of seconds", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'A':
			if (cli_parse_seconds_ms(optarg, 3600,
			    &hc.ping_after_ms) != 0) {
				log_warnx("--ping-after '%s': not a number "
				    "of seconds", optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			return cli_help(ch, usage);
		}
	}
	if (cli_no_operands("handshake", argc, argv) != 0)
		return EXIT_USAGE;
	if (cloud == NULL || hc.device_key == NULL || hc.server_key == NULL) {
		log_warnx("handshake: --cloud, --device-key and --server-key "
		    "are required (see --help)");
		return EXIT_USAGE;
	}
	if ((rc = cli_load(&cli)) != 0) {
		cli_free(&cli);
		return rc;
	}
	cli_report_init(&cli, &rep, "live");
	hc.is_core = cli.profile->is_core;
	hc.platform_id = cli.profile->platform_id;
	hc.era_core2014 = cli.era == LED_ERA_CORE2014;
	/* What this command judges: the cloud's port, then the handshake. */
	report_expect(&rep, STAGE_BIT(STAGE_CLOUD) | STAGE_BIT(STAGE_HANDSHAKE));

	switch (handshake_resolve(cloud, 5683, false, &ss, &sl, err,
	    sizeof(err))) {
	case 0:
		hrc = handshake_check(&hc, (struct sockaddr *)&ss, sl, &rep,
		    err, sizeof(err));
		if (hrc == EXIT_USAGE || hrc == EXIT_RUNTIME) {
			log_warnx("%s", err);
			rc = hrc;
			goto done;
		}
		break;
	case -2:
		findings_add(&rep.findings, FINDING_CLOUD_DNS_FAILED,
		    "--cloud %s", err);
		break;
	default:
		log_warnx("--cloud %s", err);
		rc = EXIT_USAGE;
		goto done;
	}
	if ((rep.source = cJSON_CreateObject()) != NULL) {
		cJSON_AddStringToObject(rep.source, "command", "handshake");
		cJSON_AddStringToObject(rep.source, "cloud", cloud);
	}
	if (cli_text(&cli))
		print_steps(&rep);
	rc = cli_finish(&cli, &rep, true);
	cli_free(&cli);
	return rc;
done:
	report_free(&rep);
	cli_free(&cli);
	return rc;
}
