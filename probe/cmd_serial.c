/*
 * cmd_serial.c - `cyanprobe serial DEVICE [--baud N] COMMAND`: talk to a
 * device on its USB serial port.  identify, version and mac send the
 * listening-mode commands 'i', 'v' and 'm' (particle-cloud.md 4.4); events
 * asks the firmware agent for its ring ('e') and prints the checked lines;
 * watch follows the agent's lines live.  Lines are verified (checksum) and
 * sequence gaps reported; the printed lines are a dump that
 * `analyze/diagnose --agent-events` read back.
 */
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent_events.h"
#include "cli.h"
#include "cmd.h"
#include "log.h"
#include "serial.h"

struct serial_opts {
	const char	*device;
	unsigned	 baud;
	int		 timeout_ms;	/* per answer / idle */
	long		 count;		/* watch: stop after N events */
	int		 duration_s;	/* watch: stop after S seconds */
};

static volatile sig_atomic_t serial_stop;

static void
on_signal(int sig)
{
	(void)sig;
	serial_stop = 1;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: cyanprobe serial DEVICE [--baud N] [--timeout S] [--count N]\n"
	    "           [--duration S] [-v] COMMAND\n"
	    "\n"
	    "Talk to a Particle device on its USB serial port (/dev/ttyACM0).\n"
	    "identify, version and mac need the device in listening mode\n"
	    "(blinking blue); events and watch need the firmware agent.\n"
	    "\n"
	    "commands:\n"
	    "  identify   device id ('i'): \"Your device id is ...\"\n"
	    "  version    system firmware version ('v')\n"
	    "  mac        Wi-Fi MAC address ('m')\n"
	    "  events     dump the agent's event ring ('e'); checksums and\n"
	    "             sequence gaps are checked\n"
	    "  watch      follow the agent's events live\n"
	    "\n"
	    "options:\n"
	    "  --baud N       line speed (default 9600)\n"
	    "  --timeout S    wait for an answer or between events, in\n"
	    "                 seconds or with ms (default 3; 500ms)\n"
	    "  --count N      watch: stop after N events\n"
	    "  --duration S   watch: stop after S seconds\n"
	    "  -v, --verbose  what is sent and each line read, on stderr\n"
	    "  -h, --help     this text\n"
	    "\n"
	    "Exit status: 0 ok, 1 events missing or garbled, 2 usage or\n"
	    "device error (missing, busy, wrong baud), 3 no answer.\n");
}

static int
open_device(const struct serial_opts *o, struct serial_rd *rd)
{
	enum serial_err err;
	char msg[512];
	int fd;

	fd = serial_open(o->device, o->baud, &err, msg, sizeof(msg));
	if (fd == -1) {
		log_warnx("%s", msg);
		return -1;
	}
	log_info("serial: %s open at %u baud", o->device, o->baud);
	serial_rd_init(rd, fd);
	return fd;
}

/* No answer: say whether the bytes looked like a wrong speed. */
static int
no_answer(const struct serial_opts *o, const struct serial_rd *rd,
    const char *what)
{
	if (serial_garbled(rd)) {
		log_warnx("%s: garbled input at %u baud: wrong baud rate, or "
		    "not a Particle device", o->device, o->baud);
		return EXIT_USAGE;
	}
	if (rd->eof)
		log_warnx("%s: the device went away", o->device);
	else
		log_warnx("%s: no answer to %s within %d ms: is the device "
		    "in listening mode (blinking blue)?", o->device, what,
		    o->timeout_ms);
	return EXIT_RUNTIME;
}

/* Send one command byte and wait for the line `match` accepts. */
static int
ask(const struct serial_opts *o, char cmd, int which)
{
	struct serial_rd rd;
	char line[SERIAL_LINE_MAX], out[64], what[8];
	struct timespec ts;
	bool is_core, want_mac = false;
	ssize_t n;
	int fd, rc;
	long long deadline;

	if ((fd = open_device(o, &rd)) == -1)
		return EXIT_USAGE;
	serial_drain(&rd, 50);
	log_info("serial: sent '%c', waiting up to %d ms for the answer", cmd,
	    o->timeout_ms);
	if (serial_write_all(fd, &cmd, 1, o->timeout_ms) == -1) {
		log_warn("%s: write", o->device);
		close(fd);
		return EXIT_RUNTIME;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	deadline = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 +
	    o->timeout_ms;
	for (;;) {
		int left;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		left = (int)(deadline - ((long long)ts.tv_sec * 1000 +
		    ts.tv_nsec / 1000000));
		if (left <= 0 || serial_stop)
			break;
		if ((n = serial_readline(&rd, line, sizeof(line), left)) < 0) {
			if (n == -1 && !rd.eof) {
				log_warn("%s: read", o->device);
				close(fd);
				return EXIT_RUNTIME;
			}
			break;
		}
		log_info("serial: read: %.70s", line);
		switch (which) {
		case 'i':
			if (serial_parse_id(line, out, &is_core)) {
				printf("device id: %s\nplatform: %s\n", out,
				    is_core ? "core" : "device");
				close(fd);
				return EXIT_OK;
			}
			break;
		case 'v':
			if (serial_parse_version(line, out, sizeof(out))) {
				printf("system firmware version: %s\n", out);
				close(fd);
				return EXIT_OK;
			}
			break;
		case 'm':
			if (strstr(line, "Your device MAC address is") != NULL)
				want_mac = true;
			else if (want_mac && serial_parse_mac(line, out)) {
				printf("mac: %s\n", out);
				close(fd);
				return EXIT_OK;
			}
			break;
		}
	}
	snprintf(what, sizeof(what), "'%c'", cmd);
	rc = no_answer(o, &rd, what);
	close(fd);
	return rc;
}

struct follow {
	uint32_t	epoch;
	uint32_t	last_seq;	/* 0: none yet */
	size_t		events, missing, bad;
};

/* Check and print one line; returns its type. */
static enum agent_line
follow_line(struct follow *fw, const char *line, size_t len, bool quiet_gaps)
{
	struct agent_rec ev;
	struct agent_dump d;
	enum agent_line t = agent_line_parse(line, len, &ev, &d);

	switch (t) {
	case AGENT_LINE_EVENT:
		if (fw->last_seq != 0 && ev.seq > fw->last_seq + 1) {
			fw->missing += ev.seq - fw->last_seq - 1;
			if (!quiet_gaps)
				log_warnx("gap: seq %" PRIu32 " follows %"
				    PRIu32 " (%" PRIu32 " line%s lost)",
				    ev.seq, fw->last_seq,
				    ev.seq - fw->last_seq - 1,
				    ev.seq - fw->last_seq - 1 == 1 ? "" : "s");
		}
		if (fw->last_seq == 0 || ev.seq > fw->last_seq ||
		    ev.kind == AGENT_EV_RESET)
			fw->last_seq = ev.seq;
		fw->events++;
		printf("%s\n", line);
		fflush(stdout);
		break;
	case AGENT_LINE_DUMP:
		fw->epoch = d.epoch;
		/* A dump starts wherever the ring starts: not a gap. */
		fw->last_seq = d.first > 0 ? d.first - 1 : 0;
		printf("%s\n", line);
		fflush(stdout);
		break;
	case AGENT_LINE_BAD:
		fw->bad++;
		log_warnx("garbled line (bad checksum or format): %.60s",
		    line);
		break;
	default:
		break;
	}
	return t;
}

static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Ask for the dump and print it.  Deadlines are overall, not per line, so
 * a device that chatters all the time cannot keep it running: the dump
 * header must come within --timeout of the request, and each step of the
 * dump (a sequence number nearer its last) within --timeout of the one
 * before.  Those steps are at most the ring's size, so the whole is
 * bounded.
 */
static int
events(const struct serial_opts *o)
{
	struct serial_rd rd;
	struct follow fw = { 0, 0, 0, 0, 0 };
	struct agent_rec ev;
	struct agent_dump d = { 0, 0, 0 };
	char line[SERIAL_LINE_MAX];
	bool header = false;
	long long deadline;
	uint32_t before;
	ssize_t n;
	int fd, rc;

	if ((fd = open_device(o, &rd)) == -1)
		return EXIT_USAGE;
	serial_drain(&rd, 50);
	if (serial_write_all(fd, "e", 1, o->timeout_ms) == -1) {
		log_warn("%s: write", o->device);
		close(fd);
		return EXIT_RUNTIME;
	}
	deadline = mono_ms() + o->timeout_ms;
	while (!serial_stop && mono_ms() < deadline) {
		n = serial_readline(&rd, line, sizeof(line),
		    (int)(deadline - mono_ms()));
		if (n < 0)
			break;
		if (!header) {
			/* Live lines from before the request: not the dump. */
			if (agent_line_parse(line, (size_t)n, &ev, &d) !=
			    AGENT_LINE_DUMP)
				continue;
			header = true;
			deadline = mono_ms() + o->timeout_ms;
		}
		before = fw.last_seq;
		follow_line(&fw, line, (size_t)n, false);
		if (fw.last_seq > before && fw.last_seq <= d.last)
			deadline = mono_ms() + o->timeout_ms;
		if (fw.last_seq >= d.last && fw.events > 0)
			break;
	}
	close(fd);
	if (!header) {
		rc = no_answer(o, &rd, "'e'");
		if (rc == EXIT_RUNTIME)
			log_warnx("%s: is the firmware agent in the "
			    "application? (docs/firmware-agent.md)", o->device);
		return rc;
	}
	if (fw.last_seq < d.last) {
		fw.missing += d.last - fw.last_seq;
		log_warnx("%s: dump ended at seq %" PRIu32 " of %" PRIu32,
		    o->device, fw.last_seq, d.last);
	}
	log_warnx("%zu event%s (seq %" PRIu32 "-%" PRIu32 ", ring epoch %08"
	    PRIx32 "), %zu missing, %zu garbled", fw.events,
	    fw.events == 1 ? "" : "s", d.first, d.last, d.epoch, fw.missing,
	    fw.bad);
	return fw.missing + fw.bad > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

static int
watch(const struct serial_opts *o)
{
	struct serial_rd rd;
	struct follow fw = { 0, 0, 0, 0, 0 };
	char line[SERIAL_LINE_MAX];
	struct timespec t0, ts;
	ssize_t n;
	int fd;

	if ((fd = open_device(o, &rd)) == -1)
		return EXIT_USAGE;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!serial_stop) {
		n = serial_readline(&rd, line, sizeof(line), 500);
		if (n == -1)
			break;
		if (n >= 0)
			follow_line(&fw, line, (size_t)n, false);
		if (o->count > 0 && (long)fw.events >= o->count)
			break;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		if (o->duration_s > 0 && ts.tv_sec - t0.tv_sec >= o->duration_s)
			break;
		if (fw.events == 0 && serial_garbled(&rd)) {
			close(fd);
			return no_answer(o, &rd, "watch");
		}
	}
	close(fd);
	if (rd.eof && !serial_stop)
		log_warnx("%s: the device went away", o->device);
	log_warnx("%zu event%s, %zu missing, %zu garbled", fw.events,
	    fw.events == 1 ? "" : "s", fw.missing, fw.bad);
	return fw.missing + fw.bad > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

int
cmd_serial(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "baud", required_argument, NULL, 'b' },
		{ "timeout", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct serial_opts o = { NULL, 9600, 3000, 0, 0 };
	struct sigaction sa;
	const char *what;
	long v;
	int ch;

	while ((ch = getopt_long(argc, argv, ":b:t:c:d:hv", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b':
			if (cli_parse_long(optarg, 1, 4000000, &v) != 0) {
				log_warnx("serial: --baud: bad speed '%s'",
				    optarg);
				return EXIT_USAGE;
			}
			o.baud = (unsigned)v;
			break;
		case 't':
			if (cli_parse_seconds_ms(optarg, 3600, &o.timeout_ms)
			    != 0) {
				log_warnx("serial: --timeout: bad value '%s' "
				    "(seconds up to 3600, or like 500ms)",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		case 'c':
			if (cli_parse_long(optarg, 1, 1000000000, &v) != 0) {
				log_warnx("serial: --count: bad value '%s'",
				    optarg);
				return EXIT_USAGE;
			}
			o.count = v;
			break;
		case 'd':
			if (cli_parse_long(optarg, 1, 86400 * 365, &v) != 0) {
				log_warnx("serial: --duration: bad value '%s' "
				    "(seconds)", optarg);
				return EXIT_USAGE;
			}
			o.duration_s = (int)v;
			break;
		case 'v':
			log_init(log_verbose() + 1);
			break;
		default:
			return cli_help(ch, usage);
		}
	}
	if (argc - optind != 2) {
		log_warnx("serial: need DEVICE and a command (identify, "
		    "version, mac, events, watch)");
		usage(stderr);
		return EXIT_USAGE;
	}
	o.device = argv[optind];
	what = argv[optind + 1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (strcmp(what, "identify") == 0)
		return ask(&o, 'i', 'i');
	if (strcmp(what, "version") == 0)
		return ask(&o, 'v', 'v');
	if (strcmp(what, "mac") == 0)
		return ask(&o, 'm', 'm');
	if (strcmp(what, "events") == 0)
		return events(&o);
	if (strcmp(what, "watch") == 0)
		return watch(&o);
	log_warnx("serial: unknown command '%s' (identify, version, mac, "
	    "events, watch)", what);
	return EXIT_USAGE;
}
