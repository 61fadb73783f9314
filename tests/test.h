/*
 * test.h - the unit-test harness, after Redis's testhelp.h.
 *
 * Each expect_* is one counted check.  A failure prints "FAIL" with the test
 * file, line, description, and the expected and actual values; test_report()
 * prints the "# N passed, N failed" line that tests/run.sh adds up, and is the
 * exit status of the test program.
 */
#ifndef TEST_H
#define TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_passed, test_failed;

static inline void
test_result(int ok, const char *file, int line, const char *descr)
{
	if (ok)
		test_passed++;
	else {
		test_failed++;
		printf("FAIL %s:%d: %s\n", file, line, descr);
	}
}

#define test_cond(descr, expr) \
	test_result((expr) ? 1 : 0, __FILE__, __LINE__, (descr))

#define expect_int(descr, expected, actual) do {			\
	long long e_ = (long long)(expected), a_ = (long long)(actual);	\
	test_result(e_ == a_, __FILE__, __LINE__, (descr));		\
	if (e_ != a_)							\
		printf("     expected %lld, got %lld\n", e_, a_);	\
} while (0)

#define expect_str(descr, expected, actual) do {			\
	const char *e_ = (expected), *a_ = (actual);			\
	int ok_ = e_ != NULL && a_ != NULL ? strcmp(e_, a_) == 0	\
	    : e_ == a_;							\
	test_result(ok_, __FILE__, __LINE__, (descr));			\
	if (!ok_)							\
		printf("     expected \"%s\", got \"%s\"\n",		\
		    e_ ? e_ : "(null)", a_ ? a_ : "(null)");		\
} while (0)

#define expect_mem(descr, expected, actual, len) do {			\
	int ok_ = memcmp((expected), (actual), (len)) == 0;		\
	test_result(ok_, __FILE__, __LINE__, (descr));			\
	if (!ok_)							\
		printf("     %zu bytes differ\n", (size_t)(len));	\
} while (0)

/* Prints the tally for tests/run.sh; use as `return test_report();`. */
static inline int
test_report(void)
{
	printf("# %d passed, %d failed\n", test_passed, test_failed);
	return test_failed == 0 ? 0 : 1;
}

/*
 * The folder of shared captures, or NULL (after printing a SKIP line) when
 * it is missing: tests that need captures must skip, not fail.
 */
static inline const char *
test_captures(const char *who)
{
	static char path[1024];
	const char *env = getenv("CYANPROBE_CAPTURES");
	FILE *f;

	snprintf(path, sizeof(path), "%s",
	    env != NULL ? env : "../shared/captures");
	{
		char probe[1100];

		snprintf(probe, sizeof(probe), "%s/MANIFEST.md", path);
		if ((f = fopen(probe, "r")) == NULL) {
			printf("SKIP %s: captures folder %s is missing\n",
			    who, path);
			return NULL;
		}
		fclose(f);
	}
	return path;
}

#endif /* TEST_H */
