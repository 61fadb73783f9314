/*
 * test_cli.c - the option parsing helpers every command shares (cli.h):
 * cli_parse_long() and cli_parse_seconds_ms() at and past their bounds,
 * with the malformed forms a user types (empty, trailing junk, overflow,
 * fractions where integers are wanted), cli_no_operands() against a real
 * getopt_long() pass, cli_help()'s exit statuses, and cli_getopt()
 * handing back only the command's own options.
 */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "test.h"

static void
test_parse_long(void)
{
	static const struct {
		const char	*s;
		long		 min, max;
		int		 rc;
		long		 v;
	} cases[] = {
		{ "1", 1, 65534, 0, 1 },
		{ "65534", 1, 65534, 0, 65534 },
		{ "65535", 1, 65534, -1, 0 },
		{ "0", 1, 65534, -1, 0 },
		{ "0", 0, 10, 0, 0 },
		{ "-1", 0, 10, -1, 0 },
		{ "-5", -10, 10, 0, -5 },
		{ "+7", 0, 10, 0, 7 },
		{ " 7", 0, 10, 0, 7 },
		{ "7 ", 0, 10, -1, 0 },
		{ "", 0, 10, -1, 0 },
		{ "abc", 0, 10, -1, 0 },
		{ "1x", 0, 10, -1, 0 },
		{ "1.5", 0, 10, -1, 0 },
		{ "0x10", 0, 100, -1, 0 },
		{ "010", 0, 100, 0, 10 },	/* decimal, not octal */
		{ "99999999999999999999", 0, LONG_MAX, -1, 0 },
		{ "-99999999999999999999", LONG_MIN, 0, -1, 0 },
	};
	char d[128];
	size_t i;
	long v;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = 12345;
		rc = cli_parse_long(cases[i].s, cases[i].min, cases[i].max, &v);
		snprintf(d, sizeof(d), "cli_parse_long('%s', %ld, %ld)",
		    cases[i].s, cases[i].min, cases[i].max);
		expect_int(d, cases[i].rc, rc);
		if (cases[i].rc == 0) {
			snprintf(d, sizeof(d), "cli_parse_long('%s') value",
			    cases[i].s);
			expect_int(d, cases[i].v, v);
		}
	}
}

static void
test_parse_seconds(void)
{
	static const struct {
		const char	*s;
		double		 max;
		int		 rc;
		int		 ms;
	} cases[] = {
		{ "1", 600, 0, 1000 },
		{ "0.25", 600, 0, 250 },
		{ "600", 600, 0, 600000 },
		{ "600.001", 600, -1, 0 },
		{ "3600", 3600, 0, 3600000 },
		{ "0", 600, -1, 0 },
		{ "-1", 600, -1, 0 },
		{ "", 600, -1, 0 },
		{ "2s", 600, 0, 2000 },
		{ "250ms", 600, 0, 250 },
		{ "1500ms", 600, 0, 1500 },
		{ "600000ms", 600, 0, 600000 },
		{ "600001ms", 600, -1, 0 },
		{ "0ms", 600, -1, 0 },
		{ "0.1ms", 600, -1, 0 },
		{ "5 ms", 600, -1, 0 },
		{ "ms", 600, -1, 0 },
		{ "2m", 600, 0, 120000 },
		{ "11m", 600, -1, 0 },
		{ "2sec", 600, -1, 0 },
		{ "abc", 600, -1, 0 },
		{ "1e3", 3600, 0, 1000000 },
		{ "nan", 600, -1, 0 },
		{ "inf", 600, -1, 0 },
		{ "-nan", 600, -1, 0 },
	};
	char d[128];
	size_t i;
	int rc, ms;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ms = -7;
		rc = cli_parse_seconds_ms(cases[i].s, cases[i].max, &ms);
		snprintf(d, sizeof(d), "cli_parse_seconds_ms('%s', %g)",
		    cases[i].s, cases[i].max);
		expect_int(d, cases[i].rc, rc);
		snprintf(d, sizeof(d), "cli_parse_seconds_ms('%s') ms",
		    cases[i].s);
		expect_int(d, cases[i].rc == 0 ? cases[i].ms : -7, ms);
	}
}

/*
 * The one duration syntax of every command, qa test and qa plans: units
 * h, m, s, ms in parts, a bare number only alone.
 */
static void
test_parse_duration(void)
{
	static const struct {
		const char	*s;
		int		 rc;
		double		 sec;
	} cases[] = {
		{ "90", 0, 90 },
		{ "1.5", 0, 1.5 },
		{ "90s", 0, 90 },
		{ "15m", 0, 900 },
		{ "1.5m", 0, 90 },
		{ "2h", 0, 7200 },
		{ "2h5m", 0, 7500 },
		{ "2h4m30s", 0, 7470 },
		{ "1m500ms", 0, 60.5 },
		{ "250ms", 0, 0.25 },
		{ "7d", -1, 0 },
		{ "2h30", -1, 0 },	/* minutes or seconds? not guessed */
		{ "30 2h", -1, 0 },
		{ "2h 5m", -1, 0 },
		{ "2h-5m", -1, 0 },
		{ "h", -1, 0 },
		{ "-2h", -1, 0 },
		{ " 90", -1, 0 },
		{ "2hh", -1, 0 },
		{ "", -1, 0 },
		{ "168h", 0, 604800 },
		{ "168h1s", -1, 0 },	/* past max */
		{ "nanh", -1, 0 },
		{ "infs", -1, 0 },
	};
	char d[128];
	size_t i;
	double v;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = -7;
		rc = cli_parse_duration(cases[i].s, 0.001, 7 * 86400, &v);
		snprintf(d, sizeof(d), "cli_parse_duration('%s')",
		    cases[i].s);
		expect_int(d, cases[i].rc, rc);
		snprintf(d, sizeof(d), "cli_parse_duration('%s') = %g",
		    cases[i].s, v);
		test_cond(d, cases[i].rc == 0 ? fabs(v - cases[i].sec) < 1e-9 :
		    v == -7);
	}
}

/* getopt_long over argv, then cli_no_operands(), as a command does. */
static int
operands(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "flag", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};

	optind = 1;
	opterr = 0;
	while (getopt_long(argc, argv, "f", longopts, NULL) != -1)
		;
	return cli_no_operands("test", argc, argv);
}

static void
test_no_operands(void)
{
	char a0[] = "test", a1[] = "--flag", a2[] = "stray", a3[] = "-f";
	char *none[] = { a0, a1, a3, NULL };
	char *one[] = { a0, a1, a2, NULL };
	char *only[] = { a0, NULL };

	expect_int("options only: no operand", 0, operands(3, none));
	expect_int("nothing at all: no operand", 0, operands(1, only));
	expect_int("a stray operand is a usage error", EXIT_USAGE,
	    operands(3, one));
}

static int usage_calls;
static FILE *usage_to;

static void
fake_usage(FILE *f)
{
	usage_calls++;
	usage_to = f;
}

/*
 * Run getopt_long over argv as command "cyanprobe: test" does, then
 * cli_help() on what it returned; the one line on stderr into err.
 */
static int
bad_option(int argc, char **argv, char *err, size_t errlen)
{
	static const struct option longopts[] = {
		{ "flag", no_argument, NULL, 'f' },
		{ "value", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	FILE *tmp = tmpfile();
	int saved = dup(2), ch, rc = -1;
	size_t n;

	optind = 1;
	opterr = 0;
	cli_command(argv);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	while ((ch = getopt_long(argc, argv, ":fx:", longopts, NULL)) != -1)
		if (ch != 'f' && ch != 'x' && rc == -1)
			rc = cli_help(ch, fake_usage);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(err, 1, errlen - 1, tmp);
	err[n] = '\0';
	fclose(tmp);
	return rc;
}

static void
test_help(void)
{
	/* Static: getopt keeps a pointer into the last word it read. */
	static char a0[] = "cyanprobe: test", a1[] = "--bogus=3", a2[] = "-z",
	    a3[] = "--value", a4[] = "-x", a5[] = "--flag=1", a6[] = "-fq";
	char *unknown_long[] = { a0, a1, NULL }, *unknown_short[] = { a0, a2,
	    NULL }, *no_value[] = { a0, a3, NULL }, *no_short_value[] = { a0,
	    a4, NULL }, *extra_value[] = { a0, a5, NULL }, *cluster[] = { a0,
	    a6, NULL };
	char err[256];

	usage_calls = 0;
	expect_int("-h/--help exits 0", EXIT_OK, cli_help('h', fake_usage));
	test_cond("help goes to stdout", usage_calls == 1 && usage_to ==
	    stdout);

	expect_int("an unknown option exits 2", EXIT_USAGE,
	    bad_option(2, unknown_long, err, sizeof(err)));
	expect_str("an unknown long option: one line", "cyanprobe: test: "
	    "unknown option '--bogus' (see cyanprobe test --help)\n", err);
	test_cond("no usage dump after a bad option", usage_calls == 1);
	bad_option(2, unknown_short, err, sizeof(err));
	expect_str("an unknown short option", "cyanprobe: test: unknown "
	    "option '-z' (see cyanprobe test --help)\n", err);
	expect_int("a missing value exits 2", EXIT_USAGE,
	    bad_option(2, no_value, err, sizeof(err)));
	expect_str("a missing value", "cyanprobe: test: option '--value' "
	    "needs a value (see cyanprobe test --help)\n", err);
	bad_option(2, no_short_value, err, sizeof(err));
	expect_str("a missing short value", "cyanprobe: test: option '-x' "
	    "needs a value (see cyanprobe test --help)\n", err);
	bad_option(2, extra_value, err, sizeof(err));
	expect_str("a value where none is taken", "cyanprobe: test: option "
	    "'--flag' takes no value (see cyanprobe test --help)\n", err);
	bad_option(2, cluster, err, sizeof(err));
	expect_str("an unknown short option in a cluster", "cyanprobe: test: "
	    "unknown option '-q' (see cyanprobe test --help)\n", err);
}

static void
test_getopt(void)
{
	static const struct option longopts[] = {
		CLI_LONG_OPTIONS,
		{ "mine", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	char a0[] = "test", a1[] = "--markdown", a2[] = "-v", a3[] = "--mine",
	    a4[] = "val", a5[] = "--no-redact", a6[] = "--json=";
	char *good[] = { a0, a1, a2, a3, a4, a5, NULL };
	char *bad[] = { a0, a6, a3, a4, NULL };
	struct cli c;
	int ch;

	cli_init(&c);
	optind = 1;
	ch = cli_getopt(&c, 6, good, CLI_SHORT_OPTIONS "m:", longopts);
	expect_int("the command's own option comes back", 'm', ch);
	expect_str("with its argument", "val", optarg);
	test_cond("the shared options before it were handled",
	    cli_wants(&c, CLI_MARKDOWN) && !cli_text(&c) && c.verbose == 1 &&
	    c.redact);
	expect_int("then the end", -1,
	    cli_getopt(&c, 6, good, CLI_SHORT_OPTIONS "m:", longopts));
	test_cond("the shared option after it was handled", !c.redact);
	cli_free(&c);

	cli_init(&c);
	optind = 1;
	expect_int("a bad shared value is CLI_BAD", CLI_BAD,
	    cli_getopt(&c, 4, bad, CLI_SHORT_OPTIONS "m:", longopts));
	cli_free(&c);
	log_init(0);
}

/* `--json FILE` and `--json -` as separate words, for commands without operands. */
static void
test_file_word(void)
{
	static const struct option longopts[] = {
		CLI_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	char a0[] = "test", a1[] = "--json", a2[] = "out.json",
	    a3[] = "--device", a4[] = "core", a5[] = "-", a6[] = "--text",
	    a7[] = "--markdown", a8[] = "post.md";
	char *word[] = { a0, a1, a2, a3, a4, NULL };
	char *dash[] = { a0, a1, a5, NULL };
	char *opt[] = { a0, a1, a6, NULL };
	char *md[] = { a0, a7, a8, NULL };
	struct cli c;

	cli_init(&c);
	optind = 1;
	expect_int("--json FILE: all handled", -1,
	    cli_getopt(&c, 5, word, CLI_SHORT_OPTIONS, longopts));
	expect_str("--json FILE: the file", "out.json", c.out[CLI_JSON].path);
	test_cond("--json FILE: the text still goes to stdout", cli_text(&c));
	expect_str("--json FILE: the option after it", "core", c.device);
	expect_int("--json FILE: nothing left", 5, optind);
	cli_free(&c);

	cli_init(&c);
	optind = 1;
	expect_int("--json -: handled", -1,
	    cli_getopt(&c, 3, dash, CLI_SHORT_OPTIONS, longopts));
	test_cond("--json -: stdout", c.out[CLI_JSON].path == NULL &&
	    cli_wants(&c, CLI_JSON) && !cli_text(&c));
	expect_int("--json -: the dash is taken", 3, optind);
	cli_free(&c);

	cli_init(&c);
	optind = 1;
	expect_int("--json --text: handled", -1,
	    cli_getopt(&c, 3, opt, CLI_SHORT_OPTIONS, longopts));
	test_cond("--json then an option: no file, the option applies",
	    c.out[CLI_JSON].path == NULL && c.text_flag);
	cli_free(&c);

	cli_init(&c);
	optind = 1;
	expect_int("--markdown FILE: handled", -1,
	    cli_getopt(&c, 3, md, CLI_SHORT_OPTIONS, longopts));
	expect_str("--markdown FILE: the file", "post.md",
	    c.out[CLI_MARKDOWN].path);
	cli_free(&c);
}

/* Several outputs in one run, and the ones that cannot go together. */
static void
test_outputs(void)
{
	static const struct option longopts[] = {
		CLI_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	char a0[] = "test", a1[] = "--json=r.json", a2[] = "--markdown=r.md",
	    a3[] = "--junit=r.xml", a4[] = "--json-lines=runs.jsonl",
	    a5[] = "--json", a6[] = "--markdown", a7[] = "--text",
	    a8[] = "--markdown=r.json", a9[] = "--json=other.json";
	char *all[] = { a0, a1, a2, a3, a4, NULL };
	char *two_stdout[] = { a0, a5, a6, NULL };
	char *text_stdout[] = { a0, a7, a5, NULL };
	char *same_file[] = { a0, a1, a8, NULL };
	char *twice[] = { a0, a1, a9, NULL };
	struct cli c;

	cli_init(&c);
	optind = 1;
	expect_int("four files: handled", -1,
	    cli_getopt(&c, 5, all, CLI_SHORT_OPTIONS, longopts));
	test_cond("four files: all wanted", cli_wants(&c, CLI_JSON) &&
	    cli_wants(&c, CLI_MARKDOWN) && cli_wants(&c, CLI_JUNIT) &&
	    cli_wants(&c, CLI_JSON_LINES));
	expect_str("--junit=FILE", "r.xml", c.out[CLI_JUNIT].path);
	expect_str("--json-lines=FILE", "runs.jsonl",
	    c.out[CLI_JSON_LINES].path);
	test_cond("four files: text on stdout too", cli_text(&c));
	cli_free(&c);

	cli_init(&c);
	optind = 1;
	expect_int("--json --markdown: parsed", -1,
	    cli_getopt(&c, 3, two_stdout, CLI_SHORT_OPTIONS, longopts));
	expect_int("--json --markdown: both on stdout, refused", EXIT_USAGE,
	    cli_load(&c));
	cli_free(&c);

	cli_init(&c);
	optind = 1;
	cli_getopt(&c, 3, text_stdout, CLI_SHORT_OPTIONS, longopts);
	expect_int("--text --json: both on stdout, refused", EXIT_USAGE,
	    cli_load(&c));
	cli_free(&c);

	cli_init(&c);
	optind = 1;
	cli_getopt(&c, 3, same_file, CLI_SHORT_OPTIONS, longopts);
	expect_int("--json=F --markdown=F: one file, refused", EXIT_USAGE,
	    cli_load(&c));
	cli_free(&c);

	cli_init(&c);
	optind = 1;
	expect_int("--json twice: refused at once", CLI_BAD,
	    cli_getopt(&c, 3, twice, CLI_SHORT_OPTIONS, longopts));
	cli_free(&c);
	log_init(0);
}

int
main(void)
{
	test_parse_long();
	test_parse_seconds();
	test_parse_duration();
	test_no_operands();
	test_help();
	test_getopt();
	test_file_word();
	test_outputs();
	return test_report();
}
