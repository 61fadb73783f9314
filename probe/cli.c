/*
 * cli.c - the options shared by the reporting commands (rules folder,
 * device and firmware, output format, redaction, forum fields) and the
 * common ending of a command: decide, render, exit status; and the option
 * parsing every command repeats (--help, stray operands, numbers).  Kept in
 * one place so that every command spells and checks them the same way.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "rules_load.h"

void
cli_init(struct cli *c)
{
	memset(c, 0, sizeof(*c));
	c->device = "photon";
	c->format = CLI_TEXT;
	c->redact = true;
}

int
cli_option(struct cli *c, int opt, const char *arg)
{
	switch (opt) {
	case CLI_OPT_RULES:
		c->rules_dir = arg;
		return 1;
	case CLI_OPT_DEVICE:
		c->device = arg;
		return 1;
	case CLI_OPT_FIRMWARE:
		c->firmware = arg;
		return 1;
	case CLI_OPT_JSON:
	case CLI_OPT_MARKDOWN:
		c->format = opt == CLI_OPT_JSON ? CLI_JSON : CLI_MARKDOWN;
		if (arg != NULL && *arg == '\0') {
			log_warnx("--%s=: empty file name", opt == CLI_OPT_JSON ?
			    "json" : "markdown");
			return -1;
		}
		c->out_path = arg;
		return 1;
	case CLI_OPT_TEXT:
		c->format = CLI_TEXT;
		c->out_path = NULL;
		return 1;
	case CLI_OPT_NO_REDACT:
		c->redact = false;
		return 1;
	case CLI_OPT_ROUTER:
		c->router = arg;
		return 1;
	case CLI_OPT_ENVIRONMENT:
		c->environment = arg;
		return 1;
	case CLI_OPT_ISP:
		c->isp = arg;
		return 1;
	case 'v':
		c->verbose++;
		log_init(c->verbose);
		return 1;
	default:
		return 0;
	}
}

void
cli_usage_common(FILE *f)
{
	fprintf(f,
	    "  --device core|photon   the device (default photon)\n"
	    "  --firmware VERSION     its firmware, e.g. 0.3.4, 1.5.2, 2.3.1\n"
	    "                         (default: the newest the profile knows)\n"
	    "  --json[=FILE]          write the JSON report (to FILE, or - for\n"
	    "                         standard output, the default); where a\n"
	    "                         command has no operands, --json FILE too\n"
	    "  --markdown[=FILE]      write a forum post in Markdown\n"
	    "  --text                 write text for a terminal (the default)\n"
	    "  --no-redact            keep full MAC and public IP addresses in\n"
	    "                         the forum post\n"
	    "  --router TEXT, --environment TEXT, --isp TEXT\n"
	    "                         forum fields the probe cannot find out\n"
	    "  --rules DIR            rules folder (default: $CYANPROBE_RULES,\n"
	    "                         else the installed or source-tree rules)\n"
	    "  -v, --verbose          more detail on standard error\n"
	    "  -h, --help             this help\n");
}

int
cli_load(struct cli *c)
{
	char err[512];

	if ((c->rules = malloc(sizeof(*c->rules))) == NULL) {
		log_warnx("out of memory");
		return EXIT_RUNTIME;
	}
	if (rules_load(c->rules_dir, c->rules, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		return EXIT_USAGE;
	}
	if ((c->profile = rules_profile(c->rules, c->device)) == NULL) {
		size_t i;
		char names[128] = "";

		for (i = 0; i < c->rules->nprofiles; i++) {
			strncat(names, i > 0 ? ", " : "", sizeof(names) -
			    strlen(names) - 1);
			strncat(names, c->rules->profile[i].name,
			    sizeof(names) - strlen(names) - 1);
		}
		log_warnx("--device %s: unknown device (known: %s)", c->device,
		    names);
		return EXIT_USAGE;
	}
	if (c->firmware == NULL) {
		c->fw = c->profile->fw_default;
		snprintf(c->fw_str, sizeof(c->fw_str), "%s",
		    c->profile->fw_default_str);
	} else {
		if (!fw_version_parse(c->firmware, &c->fw)) {
			log_warnx("--firmware %s: not a firmware version (like "
			    "0.3.4, 1.5.2 or 1.1.0-rc.1)", c->firmware);
			return EXIT_USAGE;
		}
		if (!profile_knows_firmware(c->profile, &c->fw)) {
			log_warnx("--firmware %s: not a firmware the %s ran "
			    "(see rules/devices/%s.json)", c->firmware,
			    c->profile->title, c->profile->name);
			return EXIT_USAGE;
		}
		snprintf(c->fw_str, sizeof(c->fw_str), "%s",
		    c->firmware[0] == 'v' || c->firmware[0] == 'V' ?
		    c->firmware + 1 : c->firmware);
	}
	c->era = profile_era(c->profile, &c->fw);
	log_info("device: %s on firmware %s%s (%s LED era)", c->profile->name,
	    c->fw_str, c->firmware == NULL ? ", the default" : "",
	    led_era_name(c->era));
	return 0;
}

void
cli_report_init(const struct cli *c, struct report *r, const char *kind)
{
	report_init(r, kind);
	r->profile = c->profile;
	snprintf(r->firmware, sizeof(r->firmware), "%s", c->fw_str);
	r->era = c->era;
}

bool
cli_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");

	if (nc != NULL && *nc != '\0')
		return false;
	return isatty(fileno(f)) == 1;
}

int
cli_finish(struct cli *c, struct report *r, bool decide)
{
	FILE *out = stdout;
	int rc, wrc;

	if (r->forum.router == NULL)
		r->forum.router = c->router;
	if (r->forum.environment == NULL)
		r->forum.environment = c->environment;
	if (r->forum.isp == NULL)
		r->forum.isp = c->isp;
	if (decide)
		report_decide(r, c->rules);
	rc = report_exit_status(r, c->rules);
	if (c->out_path != NULL && strcmp(c->out_path, "-") != 0 &&
	    (out = fopen(c->out_path, "w")) == NULL) {
		log_warn("%s", c->out_path);
		report_free(r);
		return EXIT_RUNTIME;
	}
	switch (c->format) {
	case CLI_JSON:
		wrc = report_write_json(r, c->rules, out);
		break;
	case CLI_MARKDOWN:
		wrc = report_write_markdown(r, c->rules, out, c->redact);
		break;
	default:
		wrc = report_write_text(r, c->rules, out, cli_color(out));
		break;
	}
	if (out != stdout && fclose(out) == EOF)
		wrc = -1;
	if (wrc == -1) {
		log_warnx("%s: cannot write the report", c->out_path != NULL ?
		    c->out_path : "standard output");
		rc = EXIT_RUNTIME;
	}
	report_free(r);
	return rc;
}

void
cli_free(struct cli *c)
{
	if (c == NULL)
		return;
	free(c->rules);
	c->rules = NULL;
	c->profile = NULL;
}

int
cli_getopt(struct cli *c, int argc, char **argv, const char *shortopts,
    const struct option *longopts)
{
	int ch;

	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) !=
	    -1) {
		switch (cli_option(c, ch, optarg)) {
		case 0:
			return ch;
		case -1:
			return CLI_BAD;
		}
		cli_file_word(c, ch, argc, argv);
	}
	return -1;
}

void
cli_file_word(struct cli *c, int opt, int argc, char **argv)
{
	const char *next;

	if ((opt != CLI_OPT_JSON && opt != CLI_OPT_MARKDOWN) ||
	    optarg != NULL || optind >= argc)
		return;
	next = argv[optind];
	if (next[0] == '-' && strcmp(next, "-") != 0)
		return;
	/* Taken as getopt takes a required argument: skip the word. */
	c->out_path = strcmp(next, "-") == 0 ? NULL : next;
	optind++;
}

/* The command's argv, for naming a bad option; see cli_command(). */
static char **cli_argv;

void
cli_command(char **argv)
{
	cli_argv = argv;
}

/* "explain" from argv[0] = "cyanprobe: explain", as main.c names it. */
static const char *
cli_command_name(void)
{
	const char *name = cli_argv != NULL ? cli_argv[0] : NULL;

	if (name == NULL)
		return "cyanprobe";
	if (strncmp(name, "cyanprobe: ", 11) == 0)
		name += 11;
	return name;
}

void
cli_bad_option(int opt)
{
	const char *cmd = cli_command_name(), *word = "?", *what;
	char name[64];
	size_t n;

	if (cli_argv != NULL && optind > 0)
		word = cli_argv[optind - 1];
	/*
	 * getopt leaves optopt 0 for an unknown long option; it sets it for
	 * a short one, and for an option missing its value (':', or '?' when
	 * the optstring lacks the leading ':').  "--text=x" on an option
	 * without a value sets it too.
	 */
	if (strncmp(word, "--", 2) != 0 && optopt > 0 && optopt < 0x80)
		snprintf(name, sizeof(name), "-%c", optopt);
	else {
		n = strcspn(word, "=");
		snprintf(name, sizeof(name), "%.*s", (int)n, word);
	}
	if (opt == ':' || (optopt != 0 && strncmp(word, "--", 2) == 0 &&
	    strchr(word, '=') == NULL))
		what = "needs a value";
	else if (optopt != 0 && strncmp(word, "--", 2) == 0)
		what = "takes no value";
	else {
		log_warnx("%s: unknown option '%s' (see cyanprobe %s --help)",
		    cmd, name, cmd);
		return;
	}
	log_warnx("%s: option '%s' %s (see cyanprobe %s --help)", cmd, name,
	    what, cmd);
}

int
cli_help(int opt, void (*usage)(FILE *))
{
	if (opt == 'h') {
		usage(stdout);
		return EXIT_OK;
	}
	cli_bad_option(opt);
	return EXIT_USAGE;
}

int
cli_no_operands(const char *cmd, int argc, char **argv)
{
	if (optind >= argc)
		return 0;
	log_warnx("%s: unexpected argument '%s'", cmd, argv[optind]);
	return EXIT_USAGE;
}

int
cli_parse_long(const char *s, long min, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *out < min ||
	    *out > max)
		return -1;
	return 0;
}

int
cli_parse_duration(const char *s, double min_s, double max_s, double *sec)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s)
		return -1;
	if (strcmp(end, "ms") == 0)
		v /= 1000;
	else if (*end != '\0' && strcmp(end, "s") != 0)
		return -1;
	/* Written so that NaN, which fails every comparison, is refused. */
	if (!(v >= min_s && v <= max_s))
		return -1;
	*sec = v;
	return 0;
}

int
cli_parse_seconds_ms(const char *s, double max_s, int *ms)
{
	double v;

	/* Under half a millisecond would round to none. */
	if (cli_parse_duration(s, 0.0005, max_s, &v) == -1)
		return -1;
	*ms = (int)(v * 1000 + 0.5);
	return 0;
}
