/*
 * log.c - stderr diagnostics for the probe: warnings, debug output gated by
 * -v, and fatal exits with a documented status.  Analyzers never log; only
 * probe/ calls these.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static int log_level;

void
log_init(int verbose)
{
	log_level = verbose;
}

int
log_verbose(void)
{
	return log_level;
}

static void
vlog(int with_errno, const char *fmt, va_list ap)
{
	int saved = errno;

	fputs("cyanprobe: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (with_errno)
		fprintf(stderr, ": %s", strerror(saved));
	fputc('\n', stderr);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(1, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(0, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_level < 1)
		return;
	va_start(ap, fmt);
	vlog(0, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_level < 2)
		return;
	va_start(ap, fmt);
	vlog(0, fmt, ap);
	va_end(ap);
}

void
fatal(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(1, fmt, ap);
	va_end(ap);
	exit(status);
}

void
fatalx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(0, fmt, ap);
	va_end(ap);
	exit(status);
}
