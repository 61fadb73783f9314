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

/*
 * One line, written with one call: checks and cloud workers log from
 * several threads at once, and stdio locks a stream per call.
 */
static void
vlog(int with_errno, const char *fmt, va_list ap)
{
	int saved = errno;
	char line[1024];
	size_t n;

	n = (size_t)snprintf(line, sizeof(line), "cyanprobe: ");
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	n = strlen(line);
	if (with_errno)
		snprintf(line + n, sizeof(line) - n, ": %s", strerror(saved));
	n = strlen(line);
	if (n == sizeof(line) - 1)
		n--;	/* cut long: keep room for the newline */
	line[n++] = '\n';
	line[n] = '\0';
	fputs(line, stderr);
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
