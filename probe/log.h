/*
 * log.h - diagnostics on stderr, after OpenBSD's log.h.  Every message
 * starts with "cyanprobe: ".  fatal/fatalx are for startup failures only;
 * they exit with the given status (see docs/cyanprobe.1, EXIT STATUS).
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

/* Exit codes, documented in docs/cyanprobe.1. */
#define EXIT_OK		0	/* no problem found */
#define EXIT_PROBLEMS	1	/* problems found */
#define EXIT_USAGE	2	/* usage or input error */
#define EXIT_RUNTIME	3	/* runtime failure */
#define EXIT_INCONCLUSIVE 4	/* nothing fails, but a stage was not observed */
#define EXIT_INTERRUPTED 130	/* stopped by SIGINT/SIGTERM; report written */

void	log_init(int verbose);
int	log_verbose(void);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(int, const char *, ...)
	    __attribute__((format(printf, 2, 3), noreturn));
void	fatalx(int, const char *, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

#endif /* LOG_H */
