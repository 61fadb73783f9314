/*
 * simdev.h - a virtual Particle device for labs and tests: the firmware
 * agent on the POSIX port, doing the device's own connect sequence (DNS for
 * the cloud host, TCP 5683 and the 40-byte nonce or the full handshake, and
 * on failure the internet test of its firmware era) and reporting through
 * the agent as serial lines on a pseudo-terminal (answering 'i', 'v', 'm'
 * like listening mode) and as CoAP POSTs to a collector.
 */
#ifndef SIMDEV_H
#define SIMDEV_H

#include <stdbool.h>
#include <stdint.h>

enum simdev_inet {
	SIMDEV_INET_AUTO,	/* by firmware: TCP before 2.0.0, NTP after */
	SIMDEV_INET_TCP,	/* TCP connect, e.g. 8.8.8.8:53 (<= 1.5.x) */
	SIMDEV_INET_NTP,	/* DNS + SNTP query (>= 2.0.0) */
	SIMDEV_INET_NONE
};

struct simdev_opts {
	const char	*cloud;		/* HOST[:PORT], device.spark.io:5683 */
	const char	*dns;		/* ADDR[:PORT]; NULL: resolv.conf */
	enum simdev_inet inet;
	const char	*inet_tcp;	/* ADDR:PORT, default 8.8.8.8:53 */
	const char	*ntp;		/* HOST[:PORT], default pool.ntp.org */
	const char	*collector;	/* ADDR:PORT, or NULL */
	bool		 con;		/* CoAP CON instead of NON */
	bool		 pty;		/* serve a pseudo-terminal */
	const char	*retained;	/* ring file; NULL: memory only */
	const char	*device_key;	/* with server_key: full handshake */
	const char	*server_key;
	char		 device_id[25];
	char		 mac[18];
	char		 firmware[24];	/* "1.5.2" */
	bool		 is_core;	/* "Your core id is", 2014 LEDs */
	const char	*mode;		/* AUTOMATIC, SEMI_AUTOMATIC, MANUAL */
	int		 step_ms;	/* timeout of each network step */
	int		 stall_ms;	/* block the loop once, at cloud */
	int		 linger_ms;	/* after the sequence; -1: forever */
	int		 attempts;	/* connect attempts */
	bool		 garble;	/* answer in garbage, as a wrong baud */
	bool		 quiet;		/* no timeline on stdout */
};

void	simdev_opts_init(struct simdev_opts *o);

/*
 * Run the device.  Prints "pty PATH" (with --pty) as soon as the terminal
 * exists, then, unless quiet, one line per agent event and a last line
 * "result STAGE FAIL LED".  Returns 0 when the device reached the cloud,
 * 1 when it failed, -1 on a setup error (message on stderr).
 */
int	simdev_run(const struct simdev_opts *o);

#endif /* SIMDEV_H */
