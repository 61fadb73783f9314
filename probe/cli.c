/*
 * cli.c - the options shared by the reporting commands (rules folder,
 * device and firmware, output format, redaction, forum fields) and the
 * common ending of a command: decide, render, exit status; and the option
 * parsing every command repeats (--help, stray operands, numbers).  Kept in
 * one place so that every command spells and checks them the same way.
 */
#include <sys/ioctl.h>

#include <ctype.h>
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
	c->redact = true;
}

static const char *const format_flag[CLI_FORMAT_COUNT] = {
	"--text", "--json", "--markdown", "--junit", "--json-lines"
};

const char *
cli_format_flag(enum cli_format f)
{
	return (unsigned)f < CLI_FORMAT_COUNT ? format_flag[f] : "?";
}

int
cli_set_output(struct cli *c, enum cli_format f, const char *path)
{
	if (f == CLI_TEXT || (unsigned)f >= CLI_FORMAT_COUNT)
		return -1;
	if (c->out[f].want) {
		log_warnx("%s given twice: one %s output per run",
		    format_flag[f], format_flag[f] + 2);
		return -1;
	}
	if (path != NULL && *path == '\0') {
		log_warnx("%s=: empty file name", format_flag[f]);
		return -1;
	}
	c->out[f].want = true;
	c->out[f].path = path != NULL && strcmp(path, "-") == 0 ? NULL : path;
	return 0;
}

bool
cli_wants(const struct cli *c, enum cli_format f)
{
	if (f == CLI_TEXT)
		return cli_text(c);
	return (unsigned)f < CLI_FORMAT_COUNT && c->out[f].want;
}

bool
cli_text(const struct cli *c)
{
	int f;

	if (c->text_flag)
		return true;
	for (f = CLI_TEXT + 1; f < CLI_FORMAT_COUNT; f++)
		if (c->out[f].want && c->out[f].path == NULL)
			return false;
	return true;
}

/*
 * Two outputs on standard output would interleave, and two on one file
 * would overwrite each other: refuse both, naming the options.  0 or -1.
 */
static int
cli_outputs_check(const struct cli *c)
{
	int f, g, on_stdout = c->text_flag ? CLI_TEXT : -1;

	for (f = CLI_TEXT + 1; f < CLI_FORMAT_COUNT; f++) {
		if (!c->out[f].want)
			continue;
		if (c->out[f].path == NULL) {
			if (on_stdout >= 0) {
				log_warnx("%s and %s both write to standard "
				    "output; give one of them a file, as "
				    "%s=FILE", format_flag[on_stdout],
				    format_flag[f], format_flag[f]);
				return -1;
			}
			on_stdout = f;
			continue;
		}
		for (g = CLI_TEXT + 1; g < f; g++)
			if (c->out[g].want && c->out[g].path != NULL &&
			    strcmp(c->out[g].path, c->out[f].path) == 0) {
				log_warnx("%s=%s and %s=%s write the same file",
				    format_flag[g], c->out[g].path,
				    format_flag[f], c->out[f].path);
				return -1;
			}
	}
	return 0;
}

/* The output an output option asks for; CLI_TEXT for any other option. */
static enum cli_format
opt_format(int opt)
{
	switch (opt) {
	case CLI_OPT_JSON:
		return CLI_JSON;
	case CLI_OPT_MARKDOWN:
		return CLI_MARKDOWN;
	case CLI_OPT_JUNIT:
		return CLI_JUNIT;
	case CLI_OPT_JSON_LINES:
		return CLI_JSON_LINES;
	default:
		return CLI_TEXT;
	}
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
	case CLI_OPT_JUNIT:
	case CLI_OPT_JSON_LINES:
		return cli_set_output(c, opt_format(opt), arg) == 0 ? 1 : -1;
	case CLI_OPT_TEXT:
		c->text_flag = true;
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
	    "  --json[=FILE]          also write the JSON report to FILE (- or\n"
	    "                         no FILE: to standard output, instead of\n"
	    "                         the text); where a command has no\n"
	    "                         operands, --json FILE too\n"
	    "  --markdown[=FILE]      also write a forum post in Markdown\n"
	    "  --junit[=FILE]         also write JUnit XML (one test case per\n"
	    "                         check or stage), for CI\n"
	    "  --json-lines[=FILE]    also append the JSON report as one line\n"
	    "  --text                 text on standard output (the default when\n"
	    "                         no other output goes there)\n"
	    "                         Any of these in one run; no two may share\n"
	    "                         standard output or a file.\n"
	    "  --no-redact            keep full MAC and public IP addresses in\n"
	    "                         the forum post\n"
	    "  --router TEXT, --environment TEXT, --isp TEXT\n"
	    "                         forum fields the probe cannot find out\n"
	    "  --rules DIR            rules folder (default: $CYANPROBE_RULES,\n"
	    "                         else the installed or source-tree rules)\n"
	    "  -v, --verbose          each step on standard error (-vv: debug)\n"
	    "  -h, --help             this help\n");
}

int
cli_load(struct cli *c)
{
	char err[512];

	if (cli_outputs_check(c) != 0)
		return EXIT_USAGE;
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
	r->firmware_assumed = c->firmware == NULL;
	r->era = c->era;
}

bool
cli_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (nc != NULL && *nc != '\0')
		return false;
	if (term == NULL || *term == '\0' || strcmp(term, "dumb") == 0)
		return false;
	return isatty(fileno(f)) == 1;
}

int
cli_width(FILE *f)
{
	const char *cols = getenv("COLUMNS");
	struct winsize ws;
	long v;

	/* $COLUMNS first: the user's word, and what a pty test sets. */
	if (cols != NULL && cli_parse_long(cols, 1, 1000, &v) == 0)
		return (int)v;
	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* Render the model as format f to out; 0, or -1 on a write error. */
static int
cli_render(const struct cli *c, const struct report_model *m,
    enum cli_format f, FILE *out)
{
	switch (f) {
	case CLI_JSON:
		return report_write_json(m, out);
	case CLI_MARKDOWN:
		return report_write_markdown(m, out, c->redact);
	case CLI_JUNIT:
		return report_write_junit(m, out);
	case CLI_JSON_LINES:
		return report_write_json_line(m, out);
	default:
		return report_write_text(m, out, cli_color(out),
		    cli_width(out));
	}
}

/* Write output f of the model (standard output, or its file); 0 or -1. */
static int
cli_write(const struct cli *c, const struct report_model *m,
    enum cli_format f)
{
	const char *path = f == CLI_TEXT ? NULL : c->out[f].path;
	FILE *out = stdout;
	int rc;

	/* JSON lines collect runs: append.  The others are one report. */
	if (path != NULL && (out = fopen(path, f == CLI_JSON_LINES ? "a" :
	    "w")) == NULL) {
		log_warn("%s (%s)", path, format_flag[f]);
		return -1;
	}
	rc = cli_render(c, m, f, out);
	if (out != stdout && fclose(out) == EOF)
		rc = -1;
	if (rc == -1)
		log_warnx("%s: cannot write the report", path != NULL ? path :
		    "standard output");
	return rc;
}

/*
 * With $CYANPROBE_REPORT_COPY naming a folder, also put the JSON of every
 * report there, one file each: tests/run.sh validates all of them against
 * docs/report-schema.json, whatever output the test asked for.  A copy
 * that cannot be written is no error of the command's.
 */
static void
cli_copy(const struct report_model *m)
{
	static unsigned n;
	const char *dir = getenv("CYANPROBE_REPORT_COPY");
	char path[4096];
	FILE *f;

	if (dir == NULL || *dir == '\0')
		return;
	snprintf(path, sizeof(path), "%s/report-%ld-%u.json", dir,
	    (long)getpid(), n++);
	if ((f = fopen(path, "w")) == NULL)
		return;
	report_write_json(m, f);
	fclose(f);
}

/* The JSON report into path as well, for the command itself to read. */
static int
cli_keep(const char *path, const struct report_model *m)
{
	FILE *f;
	int rc;

	if ((f = fopen(path, "w")) == NULL) {
		log_warn("%s", path);
		return -1;
	}
	rc = report_write_json(m, f);
	if (fclose(f) == EOF || rc == -1) {
		log_warnx("%s: cannot write the report", path);
		return -1;
	}
	return 0;
}

int
cli_finish(struct cli *c, struct report *r, bool decide)
{
	struct report_model *m;
	int f, rc;

	/* The user's words win over anything the probe guessed. */
	if (c->router != NULL)
		r->forum.router = c->router;
	if (c->environment != NULL)
		r->forum.environment = c->environment;
	if (c->isp != NULL)
		r->forum.isp = c->isp;
	if (decide)
		report_decide(r, c->rules);
	rc = report_exit_status(r, c->rules);
	/* Resolved once: every output renders the very same model. */
	if ((m = malloc(sizeof(*m))) == NULL) {
		log_warnx("out of memory");
		report_free(r);
		return EXIT_RUNTIME;
	}
	report_model(m, r, c->rules);
	/* The live lines already showed the checks where the text goes. */
	m->checks_on_screen = r->progress_drawn && isatty(STDOUT_FILENO) == 1;
	/* Files first, so that the terminal ends with the text report. */
	for (f = CLI_TEXT + 1; f < CLI_FORMAT_COUNT; f++)
		if (c->out[f].want && cli_write(c, m, (enum cli_format)f) != 0)
			rc = EXIT_RUNTIME;
	if (cli_text(c) && cli_write(c, m, CLI_TEXT) != 0)
		rc = EXIT_RUNTIME;
	cli_copy(m);
	if (c->keep_json != NULL && cli_keep(c->keep_json, m) == -1)
		rc = EXIT_RUNTIME;
	if (r->interrupted && rc != EXIT_RUNTIME)
		rc = EXIT_INTERRUPTED;
	free(m);
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

	enum cli_format f = opt_format(opt);

	if (f == CLI_TEXT || optarg != NULL || optind >= argc)
		return;
	next = argv[optind];
	if (next[0] == '-' && strcmp(next, "-") != 0)
		return;
	/* Taken as getopt takes a required argument: skip the word. */
	c->out[f].path = strcmp(next, "-") == 0 ? NULL : next;
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

/*
 * One "NUMBER[UNIT]" part of a duration at *s: its seconds, and *s moved
 * past it.  "ms" is tried before "m".  -1 when there is no number.
 */
static int
cli_duration_part(const char **s, bool *unit, double *sec)
{
	static const struct { const char *u; double mul; } units[] = {
	    { "ms", 0.001 }, { "h", 3600 }, { "m", 60 }, { "s", 1 } };
	char *end;
	double v;
	size_t i, n;

	/* strtod would skip blanks and take a sign: a part is digits. */
	if (!isdigit((unsigned char)**s) && **s != '.')
		return -1;
	v = strtod(*s, &end);
	if (end == *s)
		return -1;
	*unit = false;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		n = strlen(units[i].u);
		if (strncmp(end, units[i].u, n) == 0) {
			v *= units[i].mul;
			end += n;
			*unit = true;
			break;
		}
	}
	*s = end;
	*sec = v;
	return 0;
}

int
cli_parse_duration(const char *s, double min_s, double max_s, double *sec)
{
	double v = 0, part;
	bool unit;
	int parts = 0;

	do {
		if (cli_duration_part(&s, &unit, &part) == -1)
			return -1;
		/* A bare number only alone: "2h30" is not guessed at. */
		if (!unit && (parts > 0 || *s != '\0'))
			return -1;
		v += part;
		parts++;
	} while (*s != '\0');
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
