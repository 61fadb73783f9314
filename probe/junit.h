/*
 * junit.h - write JUnit XML, the test report format CI systems read
 * (Jenkins, GitLab, GitHub actions): test suites of test cases, each
 * passed, failed or skipped, with a message and details.  It knows nothing
 * of cyanprobe's reports: report_junit.c maps a report onto it (one suite
 * per run, one case per check or stage), and other commands (router QA)
 * can map their own results.  Strings are escaped for XML here; bytes that
 * are not UTF-8 become U+FFFD and control characters '?'.
 */
#ifndef JUNIT_H
#define JUNIT_H

#include <stddef.h>
#include <stdio.h>

enum junit_outcome {
	JUNIT_PASSED,
	JUNIT_FAILED,	/* <failure>: the thing tested is at fault */
	JUNIT_ERROR,	/* <error>: the test could not run as meant */
	JUNIT_SKIPPED	/* <skipped> */
};

struct junit_case {
	const char		*name;
	const char		*classname;	/* e.g. "cyanprobe.diagnose" */
	double			 time_s;	/* < 0: no time attribute */
	enum junit_outcome	 outcome;
	const char		*message;	/* failure/skipped message; NULL */
	const char		*type;		/* failure/error type; NULL */
	const char		*detail;	/* failure/error body; NULL */
	const char		*out;		/* <system-out>; NULL */
};

struct junit_property {
	const char	*name;
	const char	*value;		/* NULL: left out */
};

struct junit_suite {
	const char			*name;
	const char			*timestamp;	/* ISO 8601; NULL */
	double				 time_s;	/* < 0: no time */
	const struct junit_property	*props;
	size_t				 nprops;
	const struct junit_case		*cases;
	size_t				 ncases;
};

/*
 * Write <testsuites> holding the n suites, with the counts (tests,
 * failures, errors, skipped) that CI tools read from the attributes.
 * Returns 0, or -1 on a write error or when out of memory.
 */
int	junit_write(FILE *f, const struct junit_suite *suites, size_t n);

#endif /* JUNIT_H */
