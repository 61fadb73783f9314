/*
 * cmd_simulate_device.c - `cyanprobe simulate-device`: run the virtual
 * device of simdev.h from the command line (labs, tests, demos).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "log.h"
#include "mac.h"
#include "simdev.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe simulate-device [options]\n"
	    "\n"
	    "A virtual Particle device: the firmware agent on this host,\n"
	    "doing the device's connect sequence (DNS for the cloud host,\n"
	    "TCP 5683 and the nonce or the full handshake, the internet test\n"
	    "on failure) and reporting through the agent on a\n"
	    "pseudo-terminal and over CoAP.\n"
	    "\n"
	    "options:\n"
	    "  --cloud HOST[:PORT]       default device.spark.io:5683\n"
	    "  --dns ADDR[:PORT]         DNS server (default: resolv.conf)\n"
	    "  --internet-test ADDR:PORT TCP internet test (default\n"
	    "                            8.8.8.8:53; up to Device OS 1.5.x)\n"
	    "  --ntp HOST[:PORT]         SNTP internet test (from 2.0.0;\n"
	    "                            default pool.ntp.org)\n"
	    "  --no-internet-test        skip it (failures count as\n"
	    "                            internet)\n"
	    "  --firmware VERSION        Device OS version (default 1.5.2):\n"
	    "                            the internet test and the LED era\n"
	    "  --device core|photon      (default photon)\n"
	    "  --device-id HEX24 --mac AA:BB:CC:DD:EE:FF\n"
	    "  --mode AUTOMATIC|SEMI_AUTOMATIC|MANUAL\n"
	    "  --device-key FILE --server-key FILE\n"
	    "                            run the full handshake\n"
	    "  --pty                     serve a pseudo-terminal, print its\n"
	    "                            path\n"
	    "  --garble                  serial output as noise (wrong baud)\n"
	    "  --collector ADDR:PORT     POST events to `cyanprobe collect`\n"
	    "  --con                     confirmable POSTs (default NON)\n"
	    "  --retained FILE           keep the agent's ring in FILE\n"
	    "  --timeout S               per network step (default 3)\n"
	    "  --attempts N              connect attempts (default 1)\n"
	    "  --stall S                 block the loop once at the cloud\n"
	    "                            stage\n"
	    "  --linger S                keep running after the sequence\n"
	    "                            (default: until killed)\n"
	    "  --quiet                   no timeline on stdout\n"
	    "  -v, --verbose             each connect step on stderr\n"
	    "  -h, --help                this text\n"
	    "\n"
	    "Times are seconds (\"1.5\") or milliseconds (\"1500ms\").\n"
	    "\n"
	    "Exit status: 0 reached the cloud, 1 failed, 2 usage, 3 setup\n"
	    "failure.\n");
}

static bool
num(const char *opt, const char *s, long min, long max, long *out)
{
	if (cli_parse_long(s, min, max, out) == 0)
		return true;
	log_warnx("simulate-device: %s: bad value '%s'", opt, s);
	return false;
}

/* A time option, seconds or "NNNms", within [min_s, max_s], into *ms. */
static bool
duration(const char *opt, const char *s, double min_s, double max_s, int *ms)
{
	double v;

	if (cli_parse_duration(s, min_s, max_s, &v) == 0) {
		*ms = (int)(v * 1000 + 0.5);
		return true;
	}
	log_warnx("simulate-device: %s: bad value '%s' (seconds, or like "
	    "500ms)", opt, s);
	return false;
}

int
cmd_simulate_device(int argc, char **argv)
{
	enum {
		O_CLOUD = 256, O_DNS, O_INET, O_NTP, O_NOINET, O_FW, O_PLAT,
		O_ID, O_MAC, O_MODE, O_DKEY, O_SKEY, O_PTY, O_GARBLE, O_COLL,
		O_CON, O_RET, O_TIMEOUT, O_ATT, O_STALL, O_LINGER, O_QUIET,
		O_OLD_PLAT
	};
	static const struct option longopts[] = {
		{ "cloud", required_argument, NULL, O_CLOUD },
		{ "dns", required_argument, NULL, O_DNS },
		{ "internet-test", required_argument, NULL, O_INET },
		{ "ntp", required_argument, NULL, O_NTP },
		{ "no-internet-test", no_argument, NULL, O_NOINET },
		{ "firmware", required_argument, NULL, O_FW },
		{ "device", required_argument, NULL, O_PLAT },
		/* The old name, refused with a pointer to the new one. */
		{ "platform", required_argument, NULL, O_OLD_PLAT },
		{ "device-id", required_argument, NULL, O_ID },
		{ "mac", required_argument, NULL, O_MAC },
		{ "mode", required_argument, NULL, O_MODE },
		{ "device-key", required_argument, NULL, O_DKEY },
		{ "server-key", required_argument, NULL, O_SKEY },
		{ "pty", no_argument, NULL, O_PTY },
		{ "garble", no_argument, NULL, O_GARBLE },
		{ "collector", required_argument, NULL, O_COLL },
		{ "con", no_argument, NULL, O_CON },
		{ "retained", required_argument, NULL, O_RET },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "attempts", required_argument, NULL, O_ATT },
		{ "stall", required_argument, NULL, O_STALL },
		{ "linger", required_argument, NULL, O_LINGER },
		{ "quiet", no_argument, NULL, O_QUIET },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct simdev_opts o;
	uint8_t mac[MAC_LEN];
	long v;
	int ch, rc;

	simdev_opts_init(&o);
	while ((ch = getopt_long(argc, argv, ":hv", longopts, NULL)) != -1) {
		switch (ch) {
		case O_CLOUD:
			o.cloud = optarg;
			break;
		case O_DNS:
			o.dns = optarg;
			break;
		case O_INET:
			/* Which of the two runs: the firmware era's choice. */
			o.inet_tcp = optarg;
			break;
		case O_NTP:
			o.ntp = optarg;
			break;
		case O_NOINET:
			o.inet = SIMDEV_INET_NONE;
			break;
		case O_FW:
			snprintf(o.firmware, sizeof(o.firmware), "%s", optarg);
			break;
		case O_PLAT:
			if (strcmp(optarg, "core") == 0)
				o.is_core = true;
			else if (strcmp(optarg, "photon") == 0 ||
			    strcmp(optarg, "p1") == 0)
				o.is_core = false;
			else {
				log_warnx("simulate-device: --device: "
				    "unknown '%s' (core, photon)", optarg);
				return EXIT_USAGE;
			}
			break;
		case O_ID:
			snprintf(o.device_id, sizeof(o.device_id), "%s",
			    optarg);
			if (strlen(optarg) != 24) {
				log_warnx("simulate-device: --device-id: want "
				    "24 hex digits, got '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case O_MAC:
			if (!mac_parse(optarg, mac)) {
				log_warnx("simulate-device: --mac: want "
				    "AA:BB:CC:DD:EE:FF, got '%s'", optarg);
				return EXIT_USAGE;
			}
			/* As the device prints it: lower case, colons. */
			mac_format(mac, o.mac);
			break;
		case O_MODE:
			if (strcmp(optarg, "AUTOMATIC") != 0 &&
			    strcmp(optarg, "SEMI_AUTOMATIC") != 0 &&
			    strcmp(optarg, "MANUAL") != 0) {
				log_warnx("simulate-device: --mode: unknown "
				    "'%s'", optarg);
				return EXIT_USAGE;
			}
			o.mode = optarg;
			break;
		case O_DKEY:
			o.device_key = optarg;
			break;
		case O_SKEY:
			o.server_key = optarg;
			break;
		case O_PTY:
			o.pty = true;
			break;
		case O_GARBLE:
			o.garble = true;
			break;
		case O_COLL:
			o.collector = optarg;
			break;
		case O_CON:
			o.con = true;
			break;
		case O_RET:
			o.retained = optarg;
			break;
		case O_OLD_PLAT:
			log_warnx("simulate-device: --platform is now --device "
			    "%s, as in every command", optarg);
			return EXIT_USAGE;
		case O_TIMEOUT:
			if (!duration("--timeout", optarg, 0.001, 600,
			    &o.step_ms))
				return EXIT_USAGE;
			break;
		case O_ATT:
			if (!num("--attempts", optarg, 1, 1000, &v))
				return EXIT_USAGE;
			o.attempts = (int)v;
			break;
		case O_STALL:
			if (!duration("--stall", optarg, 0, 600, &o.stall_ms))
				return EXIT_USAGE;
			break;
		case O_LINGER:
			if (!duration("--linger", optarg, 0, 86400,
			    &o.linger_ms))
				return EXIT_USAGE;
			break;
		case O_QUIET:
			o.quiet = true;
			break;
		case 'v':
			log_init(log_verbose() + 1);
			break;
		default:
			return cli_help(ch, usage);
		}
	}
	if (cli_no_operands("simulate-device", argc, argv) != 0)
		return EXIT_USAGE;
	if ((o.device_key == NULL) != (o.server_key == NULL)) {
		log_warnx("simulate-device: --device-key and --server-key go "
		    "together");
		return EXIT_USAGE;
	}
	rc = simdev_run(&o);
	return rc < 0 ? EXIT_RUNTIME : rc;
}
