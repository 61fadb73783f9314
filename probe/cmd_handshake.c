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

#include "cmd.h"
#include "handshake.h"
#include "log.h"
#include "report.h"
#include "rules_load.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe handshake --cloud HOST[:PORT] --device-key FILE\n"
	    "           --server-key FILE [--device-id HEX24] [--json]\n"
	    "           [--device core|photon] [--firmware VERSION]\n"
	    "           [--timeout S] [--hello-timeout S] [--rules DIR]\n"
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
	    "  --device NAME        device profile (default photon)\n"
	    "  --firmware VERSION   firmware version, for the LED era\n"
	    "  --timeout S          per-step deadline (default 20, as the device)\n"
	    "  --hello-timeout S    wait for the server Hello (default 4)\n"
	    "  --json               the report as JSON (cyanprobe-report/1)\n"
	    "  --rules DIR          rules folder\n"
	    "\n"
	    "Exit status: 0 handshake complete, 1 it failed, 2 bad input,\n"
	    "3 runtime failure.  Key material is never printed.\n");
}

static int
seconds_ms(const char *s, int *ms)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || v <= 0 || v > 3600)
		return -1;
	*ms = (int)(v * 1000);
	return 0;
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
		{ "device", required_argument, NULL, 'd' },
		{ "firmware", required_argument, NULL, 'f' },
		{ "timeout", required_argument, NULL, 't' },
		{ "hello-timeout", required_argument, NULL, 'H' },
		{ "json", no_argument, NULL, 'j' },
		{ "rules", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct handshake_check hc;
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	struct rules *rules = NULL;
	struct report rep;
	struct fw_version fw;
	const struct profile *prof;
	const char *cloud = NULL, *device = "photon", *firmware = NULL;
	const char *rules_dir = NULL;
	char err[512];
	bool json = false;
	int ch, rc, hrc;

	memset(&hc, 0, sizeof(hc));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': cloud = optarg; break;
		case 'k': hc.device_key = optarg; break;
		case 's': hc.server_key = optarg; break;
		case 'i': hc.device_id = optarg; break;
		case 'd': device = optarg; break;
		case 'f': firmware = optarg; break;
		case 'j': json = true; break;
		case 'r': rules_dir = optarg; break;
		case 't':
			if (seconds_ms(optarg, &hc.step_ms) != 0) {
				log_warnx("--timeout '%s': not a number of "
				    "seconds", optarg);
				return EXIT_USAGE;
			}
			hc.connect_ms = hc.step_ms;
			break;
		case 'H':
			if (seconds_ms(optarg, &hc.hello_ms) != 0) {
				log_warnx("--hello-timeout '%s': not a number "
				    "of seconds", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		log_warnx("handshake: unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	if (cloud == NULL || hc.device_key == NULL || hc.server_key == NULL) {
		log_warnx("handshake: --cloud, --device-key and --server-key "
		    "are required (see --help)");
		return EXIT_USAGE;
	}
	if ((rules = calloc(1, sizeof(*rules))) == NULL) {
		log_warnx("out of memory");
		return EXIT_RUNTIME;
	}
	if (rules_load(rules_dir, rules, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		free(rules);
		return EXIT_USAGE;
	}
	if ((prof = rules_profile(rules, device)) == NULL) {
		log_warnx("--device '%s': no such device profile", device);
		free(rules);
		return EXIT_USAGE;
	}
	if (firmware != NULL) {
		if (!fw_version_parse(firmware, &fw)) {
			log_warnx("--firmware '%s': not a version like 1.5.2",
			    firmware);
			free(rules);
			return EXIT_USAGE;
		}
	} else
		fw = prof->fw_default;

	report_init(&rep, "live");
	rep.profile = prof;
	rep.era = profile_era(prof, &fw);
	snprintf(rep.firmware, sizeof(rep.firmware), "%s",
	    firmware != NULL ? firmware : prof->fw_default_str);
	hc.is_core = prof->is_core;
	hc.platform_id = prof->platform_id;
	hc.era_core2014 = rep.era == LED_ERA_CORE2014;

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
	report_decide(&rep, rules);
	if (json)
		rc = report_write_json(&rep, rules, stdout);
	else {
		print_steps(&rep);
		rc = report_write_text(&rep, rules, stdout,
		    getenv("NO_COLOR") == NULL && isatty(1));
	}
	if (rc != 0) {
		log_warn("stdout");
		rc = EXIT_RUNTIME;
		goto done;
	}
	rc = report_exit_status(&rep, rules);
done:
	report_free(&rep);
	free(rules);
	return rc;
}
